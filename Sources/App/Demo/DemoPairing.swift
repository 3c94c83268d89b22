import Fluent
import Foundation
import Mentoring

/// A second demo programme, ready for pairing: its kickoff was held ten days ago and is closed, with invented talks,
/// "continue?" answers, the mentees' shortlists and the mentors' marks, and the board's first proposal computed. An
/// organiser opens the board at once; the people are the demo's, so a demo mentee finds both programmes at home.
///
/// What it shows: one mentee speaks English only (only some mentors do), one mentor is not available this time
/// (capacity 0), one mentee joined after the kickoff (no shortlist: paired by topics), and two mentees want the same
/// first choice.
enum DemoPairing {
    static let programmeName = "Reverse Mentoring 2026 · Herbst"

    static let menteeProfiles: [(company: String, position: String, topics: [String], languages: [String])] = [
        ("Vogt Präzisionstechnik GmbH", "CTO", ["KI", "Datenplattformen"], ["Deutsch", "Englisch"]),
        ("Hoffmann Logistik AG", "Geschäftsführer", ["Social Media", "Digitaler Arbeitsplatz"], ["Deutsch"]),
        ("Sommer Textil GmbH", "CEO", ["Social Media", "KI"], ["Deutsch"]),
        ("Keller Anlagenbau GmbH", "CTO", ["Datenplattformen", "Cloud"], ["Deutsch", "Englisch"]),
        ("Lange Medizintechnik AG", "Vorständin Technik", ["KI", "Digitaler Arbeitsplatz"], ["Deutsch"]),
        ("Wolf Bau GmbH", "Geschäftsführer", ["Digitaler Arbeitsplatz"], ["Deutsch"]),
        ("Roth Feinkost GmbH", "CEO", ["Social Media"], ["Deutsch", "Englisch"]),
        ("Berger Components Ltd.", "CTO", ["KI", "Cloud"], ["Englisch"]),
    ]
    static let mentorProfiles: [(role: String, topics: [String], languages: [String])] = [
        ("Data Scientist", ["KI", "Datenplattformen"], ["Deutsch", "Englisch"]),
        ("Social Media Management", ["Social Media"], ["Deutsch"]),
        ("Cloud Engineer", ["Cloud", "Datenplattformen"], ["Deutsch", "Englisch"]),
        ("UX Designer", ["Digitaler Arbeitsplatz", "Social Media"], ["Deutsch", "Türkisch"]),
        ("Product Owner", ["KI", "Digitaler Arbeitsplatz"], ["Deutsch"]),
        ("Software Engineer", ["KI", "Cloud"], ["Deutsch", "Englisch"]),
        ("Werkstudium Marketing", ["Social Media", "KI"], ["Deutsch"]),
        ("IT-Security Analyst", ["Cloud"], ["Deutsch", "Englisch"]),
        ("Trainee Digitalisierung", ["Digitaler Arbeitsplatz"], ["Deutsch"]),
        ("Machine Learning Engineer", ["KI", "Datenplattformen"], ["Deutsch", "Englisch", "Arabisch"]),
    ]

    static func seed(organiser: User, people: [(User, ParticipantRole)], now: Date, on db: any Database) async throws {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let programme = Programme(
            name: programmeName,
            description:
                "Der Herbstjahrgang: Kickoff gehalten, engere Auswahl abgeschlossen. Jetzt stellt das Organisationsteam die Tandems zusammen.",
            phase: .pairing, kickoffAt: now.addingTimeInterval(-10 * 86400),
            durationMonths: TandemDuration.defaultMonths)
        programme.apply(
            ProgrammeSettings(
                name: programme.name, description: programme.description,
                focusTopics: ["Social Media", "Digitaler Arbeitsplatz", "KI", "Datenplattformen", "Cloud"],
                contacts: [.init(name: organiser.name, email: organiser.email)],
                patronText: "Schirmherrschaft: ein Mitglied der Geschäftsleitung (Demo)",
                kickoffLocal: LocalDateTime.format(now.addingTimeInterval(-10 * 86400), in: berlin),
                roundsAtKickoff: 8, minutesPerRound: 5, shortlistSize: 3, durationMonths: TandemDuration.defaultMonths,
                eligibility: EligibilityRules(requiredTalentProgramme: "Aspire", minimumTenureMonths: 6),
                applicationDeadline: nil,
                privacyNotice: "Wir verarbeiten Ihre Angaben nur, um dieses Programm durchzuführen (Demo-Hinweis)."),
            timeZone: berlin)
        try await programme.create(on: db)
        let programmeID = try programme.requireID()
        let mentors = people.filter { $0.1 == .mentor }.map(\.0)
        var mentees = people.filter { $0.1 == .mentee }.map(\.0)
        // A mentee who joined after the kickoff: no talks, no shortlist.
        let late = User(email: "claudia.neumann@demo.example", name: "Claudia Neumann")
        try await late.create(on: db)
        mentees.append(late)

        for (index, mentor) in mentors.enumerated() {
            let participation = Participation(userID: try mentor.requireID(), programmeID: programmeID, role: .mentor)
            // Noah Becker is not available this time.
            participation.capacity = mentor.name == "Noah Becker" ? 0 : 1
            try await participation.create(on: db)
            let profile = mentorProfiles[index % mentorProfiles.count]
            let draft = MentorApplicationDraft(
                name: mentor.name, email: mentor.email, teamRole: profile.role,
                companyStartDate: CalendarDate(year: 2023, month: 3, day: 1)!, tookPartInTalentProgramme: true,
                expertiseTopics: profile.topics, languages: profile.languages,
                motivation:
                    "Ich möchte zeigen, wie meine Generation digital arbeitet – und selbst lernen, wie Entscheidungen in einem Vorstand fallen."
            )
            let application = MentorApplicationRecord(
                programmeID: programmeID, userID: try mentor.requireID(), draft: draft,
                result: EligibilityResult(tenureMonths: 36, findings: []))
            application.status = .preselected
            application.confirmedAt = now.addingTimeInterval(-60 * 86400)
            application.decidedAt = now.addingTimeInterval(-40 * 86400)
            try await application.create(on: db)
        }
        for (index, mentee) in mentees.enumerated() {
            try await Participation(userID: try mentee.requireID(), programmeID: programmeID, role: .mentee).create(
                on: db)
            let profile =
                index < menteeProfiles.count
                ? menteeProfiles[index]
                : ("Neumann Elektronik GmbH", "CTO", ["Cloud", "Datenplattformen"], ["Deutsch"])
            let registration = MenteeRegistration()
            registration.$programme.id = programmeID
            registration.$user.id = try mentee.requireID()
            registration.company = profile.0
            registration.position = profile.1
            registration.topicsJSON = JSONText.encode(profile.2)
            registration.languagesJSON = JSONText.encode(profile.3)
            registration.questions = ""
            registration.status = .approved
            registration.privacyNoticeVersion = programme.privacyNoticeVersion
            registration.consentedAt = now.addingTimeInterval(-50 * 86400)
            try await registration.create(on: db)
        }

        // The kickoff: eight 5-minute rounds, ten days ago, closed.
        let kickoff = Kickoff(
            programmeID: programmeID, startsAt: now.addingTimeInterval(-10 * 86400), rounds: 8, roundSeconds: 300,
            breakSeconds: 60)
        kickoff.closedAt = now.addingTimeInterval(-3 * 86400)
        try await kickoff.create(on: db)
        let kickoffID = try kickoff.requireID()
        let talking = Array(mentees.prefix(menteeProfiles.count))
        var met: [Int: [Int]] = [:]
        for round in 1...8 {
            for (i, mentee) in talking.enumerated() {
                let j = (i + round - 1) % mentors.count
                met[i, default: []].append(j)
                try await KickoffMeeting(
                    kickoffID: kickoffID, round: round, menteeID: try mentee.requireID(),
                    mentorID: try mentors[j].requireID(), fit: 0
                ).create(on: db)
                // Invented answers: mostly yes or maybe, a "no" now and then.
                let menteeAnswer: ContinueAnswer = (i + round) % 5 == 0 ? .no : ((i * round) % 3 == 0 ? .maybe : .yes)
                let mentorAnswer: ContinueAnswer =
                    (i + 2 * round) % 7 == 0 ? .no : ((i + round) % 3 == 0 ? .maybe : .yes)
                try await TalkRating(
                    kickoffID: kickoffID, round: round, raterID: try mentee.requireID(),
                    partnerID: try mentors[j].requireID(), answer: menteeAnswer, note: ""
                ).create(on: db)
                try await TalkRating(
                    kickoffID: kickoffID, round: round, raterID: try mentors[j].requireID(),
                    partnerID: try mentee.requireID(), answer: mentorAnswer, note: ""
                ).create(on: db)
            }
        }
        // Shortlists: three mentors each met; the first two mentees both want Jonas Okafor first.
        for (i, mentee) in talking.enumerated() {
            let partners = met[i] ?? []
            var picks = [
                partners[(i * 3) % partners.count], partners[(i * 3 + 2) % partners.count],
                partners[(i + 5) % partners.count],
            ]
            if i < 2 { picks = [1] + picks.filter { $0 != 1 }.prefix(2) }
            var seen = Set<Int>()
            let unique = picks.filter { seen.insert($0).inserted }
            try await KickoffShortlist(
                kickoffID: kickoffID, userID: try mentee.requireID(),
                picks: try unique.map { try mentors[$0].requireID() },
                at: now.addingTimeInterval(-8 * 86400)
            ).create(on: db)
        }
        // Marks: each mentor marks the mentees of their 2nd and 5th round.
        for (j, mentor) in mentors.enumerated() {
            let marked = talking.enumerated().filter { i, _ in
                let round = ((j - i) % mentors.count + mentors.count) % mentors.count + 1
                return round == 2 || round == 5
            }
            try await KickoffShortlist(
                kickoffID: kickoffID, userID: try mentor.requireID(),
                picks: try marked.map { try $0.element.requireID() },
                at: now.addingTimeInterval(-8 * 86400)
            ).create(on: db)
        }
        try await PairingBoardController.storeProposal(programmeID: programmeID, on: db, now: now)
    }
}
