import Fluent
import Foundation
import Mentoring

/// A demo programme so a newcomer can click through every page. All people are invented; addresses use
/// the reserved `.example` domain, so no e-mail can reach a real person.
enum DemoProgramme {
    static let organiserEmail = "organisation@demo.example"

    static let mentors: [(String, String)] = [
        ("Lea Brandt", "lea.brandt"), ("Jonas Okafor", "jonas.okafor"), ("Mira Schulte", "mira.schulte"),
        ("Deniz Yilmaz", "deniz.yilmaz"), ("Sophie Krämer", "sophie.kraemer"), ("Tim Nguyen", "tim.nguyen"),
        ("Hannah Weiß", "hannah.weiss"), ("Elias Fischer", "elias.fischer"), ("Noah Becker", "noah.becker"),
        ("Amira Haddad", "amira.haddad"),
    ]
    static let mentees: [(String, String)] = [
        ("Dr. Karin Vogt", "karin.vogt"), ("Bernd Hoffmann", "bernd.hoffmann"), ("Ulrike Sommer", "ulrike.sommer"),
        ("Matthias Keller", "matthias.keller"), ("Dr. Petra Lange", "petra.lange"), ("Stefan Wolf", "stefan.wolf"),
        ("Gabriele Roth", "gabriele.roth"), ("Thomas Berger", "thomas.berger"),
    ]

    /// Seeds the demo on an empty database; does nothing when anyone exists already.
    /// Runs in one transaction: either the whole demo is there or none of it.
    @discardableResult
    static func seedIfEmpty(on db: any Database, now: Date, sealer: DataSealer) async throws -> Bool {
        guard try await User.query(on: db).count() == 0 else { return false }
        try await db.writeTransaction { db in
            let organiser = User(email: organiserEmail, name: "Dana Demo", isOrganiser: true)
            try await organiser.create(on: db)
            // Kickoff in four weeks at 17:00 Berlin time, like a real after-work event.
            let berlin = TimeZone(identifier: "Europe/Berlin")!
            let day = LocalDateTime.format(now.addingTimeInterval(28 * 86400), in: berlin).prefix(10)
            let kickoff = LocalDateTime.parse(day + "T17:00", in: berlin)
            let programme = Programme(
                name: "Reverse Mentoring 2027",
                description:
                    "Junge Tech-Talente begleiten Entwicklungsvorstände im Mittelstand: 9 Monate, monatlicher Austausch, Kickoff als virtuelles Speed Networking.",
                phase: .intake, kickoffAt: kickoff, durationMonths: TandemDuration.defaultMonths)
            programme.apply(
                ProgrammeSettings(
                    name: programme.name, description: programme.description,
                    focusTopics: ["Social Media", "Digitaler Arbeitsplatz", "KI", "Datenplattformen"],
                    contacts: [.init(name: "Dana Demo", email: organiserEmail)],
                    patronText: "Schirmherrschaft: ein Mitglied der Geschäftsleitung (Demo)",
                    kickoffLocal: kickoff.map { LocalDateTime.format($0, in: berlin) },
                    roundsAtKickoff: 8, minutesPerRound: 5, shortlistSize: 3,
                    durationMonths: TandemDuration.defaultMonths,
                    eligibility: EligibilityRules(requiredTalentProgramme: "Aspire", minimumTenureMonths: 6),
                    applicationDeadline: nil,
                    privacyNotice: "Wir verarbeiten Ihre Angaben nur, um dieses Programm durchzuführen (Demo-Hinweis)."),
                timeZone: berlin)
            try await programme.create(on: db)
            let people =
                mentors.map { ($0.0, $0.1, ParticipantRole.mentor) }
                + mentees.map { ($0.0, $0.1, ParticipantRole.mentee) }
            var users: [(User, ParticipantRole)] = []
            for (index, (name, handle, role)) in people.enumerated() {
                // The last mentee prefers English, so both languages show up in the demo; the walk-through of the
                // README ("Try it alone") uses the first mentee and her round-1 partner, who read German.
                let user = User(
                    email: "\(handle)@demo.example", name: name, locale: index == people.count - 1 ? "en" : "de")
                try await user.create(on: db)
                users.append((user, role))
                try await Participation(
                    userID: try user.requireID(), programmeID: try programme.requireID(), role: role
                )
                .create(on: db)
            }
            try await seedIntake(programme: programme, now: now, on: db)
            try await seedKickoff(programme: programme, now: now, on: db)
            try await DemoPairing.seed(organiser: organiser, people: users, now: now, on: db)
            try await DemoTandemYear.seed(organiser: organiser, now: now, sealer: sealer, on: db)
        }
        return true
    }

    /// Applications waiting in the review queue and invitations not yet answered, so the intake pages show
    /// something to try.
    /// A kickoff an organiser can start at once: four 1-minute rounds with 10-second breaks, already planned.
    /// Its page lists personal links for everybody, to try the live event in two browser windows.
    static func seedKickoff(programme: Programme, now: Date, on db: any Database) async throws {
        let kickoff = Kickoff(
            programmeID: try programme.requireID(), startsAt: programme.kickoffAt ?? now, rounds: 4, roundSeconds: 60,
            breakSeconds: 10)
        try await kickoff.create(on: db)
        _ = try await KickoffPlanning.generate(kickoff: kickoff, on: db, now: now)
    }

    static func seedIntake(programme: Programme, now: Date, on db: any Database) async throws {
        let programmeID = try programme.requireID()
        let today = CalendarDate.today(in: TimeZone(identifier: "Europe/Berlin")!, now: now)
        let applicants: [(String, String, Int, Bool)] = [
            ("Paul Schneider", "paul.schneider", 14, true), ("Lina Wagner", "lina.wagner", 9, true),
            ("Ben Schäfer", "ben.schaefer", 3, false),
        ]
        for (name, handle, monthsAgo, aspire) in applicants {
            let user = User(email: "\(handle)@demo.example", name: name)
            try await user.create(on: db)
            let totalMonths = today.year * 12 + (today.month - 1) - monthsAgo
            let start = CalendarDate(year: totalMonths / 12, month: totalMonths % 12 + 1, day: 1)!
            let draft = MentorApplicationDraft(
                name: name, email: user.email, teamRole: "Cloud Solution Architect", companyStartDate: start,
                tookPartInTalentProgramme: aspire, expertiseTopics: ["KI", "Social Media"],
                languages: ["Deutsch", "Englisch"],
                motivation: "Ich möchte Führungskräften zeigen, wie wir digital arbeiten.")
            let result = Eligibility.check(
                ApplicantFacts(companyStartDate: start, tookPartInRequiredProgramme: aspire),
                against: EligibilityRules(requiredTalentProgramme: "Aspire", minimumTenureMonths: 6), today: today)
            let application = MentorApplicationRecord(
                programmeID: programmeID, userID: try user.requireID(), draft: draft, result: result)
            application.status = .submitted
            application.confirmedAt = now
            try await application.create(on: db)
        }
        let invitees = [
            ("Dr. Sabine Koch", "sabine.koch", "Koch Maschinenbau GmbH"),
            ("Frank Richter", "frank.richter", "Richter Antriebe AG"),
        ]
        for (name, handle, company) in invitees {
            try await Invitation(
                programmeID: programmeID, name: name, email: "\(handle)@demo.example", company: company,
                position: "CTO",
                tokenHash: SecureToken.hash(SecureToken.generate()), expiresAt: now.addingTimeInterval(30 * 86400)
            ).create(on: db)
        }
    }
}
