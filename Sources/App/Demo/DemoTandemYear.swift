import Fluent
import Foundation
import Mentoring

/// A third demo programme, in its tandem year (month 5 of 9): six tandems of invented people with agreements,
/// meetings, the monthly prompts, shared notes, private reflections and experiments, one in each situation an
/// organiser or a partner meets: on track, a proposal waiting for the partner, a meeting to record, stalled, and
/// one with nothing planned this month (due from the 16th). Sign in as `andreas.hartmann@demo.example` (mentee)
/// or `lina.hoffmeister@demo.example` (his mentor).
enum DemoTandemYear {
    static let programmeName = "Reverse Mentoring 2026 · Frühjahr"

    /// (mentee name, handle, company, mentor name, handle, locale of the mentee)
    static let pairs: [(String, String, String, String, String, String)] = [
        (
            "Dr. Andreas Hartmann", "andreas.hartmann", "Hartmann Maschinenbau GmbH", "Lina Hoffmeister",
            "lina.hoffmeister", "de"
        ),
        ("Martina Scholz", "martina.scholz", "Scholz Verpackungen AG", "Paul Schreiber", "paul.schreiber", "de"),
        ("Frank Zimmermann", "frank.zimmermann", "Zimmermann Elektro GmbH", "Aylin Demir", "aylin.demir", "de"),
        ("Susanne Braun", "susanne.braun", "Braun Kunststofftechnik GmbH", "Finn Jansen", "finn.jansen", "de"),
        ("Jörg Richter", "joerg.richter", "Richter Spedition KG", "Marie Koch", "marie.koch", "de"),
        ("Christine Walter", "christine.walter", "Walter Optics Ltd.", "Luca Romano", "luca.romano", "en"),
    ]

    // swift-format-ignore: FunctionBodyLength
    static func seed(organiser: User, now: Date, sealer: DataSealer, on db: any Database) async throws {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let today = CalendarDate.today(in: berlin, now: now)
        // Active since 4 months and 10 days: today lies in month 5 of 9.
        let start = today.adding(months: -4).adding(days: -10)
        let startDate = LocalDateTime.parse("\(start)T10:00", in: berlin)!
        let programme = Programme(
            name: programmeName,
            description:
                "Der Frühjahrsjahrgang im Tandemjahr: monatliche Treffen, Impulsfragen, Experimente. Das Organisationsteam sieht, wie es den Tandems geht – nie, was sie schreiben.",
            phase: .running, kickoffAt: startDate.addingTimeInterval(-20 * 86400), durationMonths: 9)
        programme.contactsJSON = JSONText.encode([
            ProgrammeSettings.Contact(name: organiser.name, email: organiser.email)
        ])
        programme.focusTopicsJSON = JSONText.encode([
            "KI", "Digitaler Arbeitsplatz", "Social Media", "Datenplattformen",
        ])
        try await programme.create(on: db)
        let programmeID = try programme.requireID()

        func at(_ day: CalendarDate, _ time: String = "17:00") -> Date {
            LocalDateTime.parse("\(day)T\(time)", in: berlin)!
        }
        func monthDay(_ month: Int, _ plus: Int = 7) -> CalendarDate {
            start.adding(months: month - 1).adding(days: plus)
        }

        for (index, pair) in pairs.enumerated() {
            let mentee = User(email: "\(pair.1)@demo.example", name: pair.0, locale: pair.5)
            let mentor = User(email: "\(pair.4)@demo.example", name: pair.3)
            for user in [mentee, mentor] { try await user.create(on: db) }
            try await Participation(userID: mentee.requireID(), programmeID: programmeID, role: .mentee).create(on: db)
            try await Participation(userID: mentor.requireID(), programmeID: programmeID, role: .mentor).create(on: db)
            let registration = try RegistrationController.makeRegistration(
                .init(company: pair.2, position: "Geschäftsführung", consent: "on"), programme: programme,
                userID: mentee.requireID(), invitationID: nil, status: .approved, now: startDate)
            try await registration.create(on: db)
            let tandem = Tandem(
                programmeID: programmeID, menteeID: try mentee.requireID(), mentorID: try mentor.requireID(),
                pinned: false, weight: 0, reasons: [.bothSaidYes])
            tandem.status = .active
            tandem.publishedAt = startDate.addingTimeInterval(-3 * 86400)
            tandem.menteeAcceptedAt = startDate.addingTimeInterval(-2 * 86400)
            tandem.mentorAcceptedAt = startDate
            tandem.activatedAt = startDate
            try await tandem.create(on: db)
            let tandemID = try tandem.requireID()
            let english = pair.5 == "en"

            // The agreement, confirmed by both in the first week.
            let agreement = TandemAgreement()
            agreement.$tandem.id = tandemID
            agreement.version = 1
            agreement.contentSealed = try sealer.seal(
                json: TandemAgreement.Content(
                    goals: english
                        ? [
                            .init(
                                goal: "Understand how younger colleagues use AI tools",
                                progressSign: "We try two tools in my team"),
                            .init(
                                goal: "Communicate more openly on LinkedIn",
                                progressSign: "One post a month, written by me"),
                        ]
                        : [
                            .init(
                                goal: "Verstehen, wie junge Kolleg:innen KI-Werkzeuge nutzen",
                                progressSign: "Zwei Werkzeuge im eigenen Team ausprobiert"),
                            .init(
                                goal: "Führung auf Distanz: Meetings halbieren",
                                progressSign: "Eine Woche ohne internes Meeting über 30 Minuten"),
                            .init(
                                goal: "Auf LinkedIn selbst sichtbar werden",
                                progressSign: "Ein eigener Beitrag pro Monat"),
                        ],
                    groundRules: english
                        ? "- What we discuss stays between us.\n- Fresh, also critical questions; observations without lecturing."
                        : "- Was wir besprechen, bleibt zwischen uns.\n- Unvoreingenommene, auch kritische Fragen; Beobachtungen wertschätzend, ohne zu belehren."
                ))
            agreement.channel = index % 3 == 0 ? .inPerson : .video
            agreement.rhythmWeeks = 4
            agreement.endsOn = start.adding(months: 9).adding(days: -1).description
            agreement.proposedBy = try mentor.requireID()
            agreement.mentorConfirmedAt = startDate.addingTimeInterval(86400)
            agreement.menteeConfirmedAt = startDate.addingTimeInterval(2 * 86400)
            try await agreement.create(on: db)

            // Held meetings: months 1–4, except the stalled tandem (only months 1–2) and the one with nothing
            // planned this month (its last meeting 20 days ago).
            let heldMonths: [Int] = index == 3 ? [1, 2] : [1, 2, 3, 4]
            var heldMeetings: [TandemMeeting] = []
            for month in heldMonths {
                let meeting = TandemMeeting()
                meeting.$tandem.id = tandemID
                let day = index == 4 && month == 4 ? today.adding(days: -20) : monthDay(month)
                meeting.startsAt = at(day)
                meeting.minutes = 60
                meeting.placeSealed = try sealer.seal(
                    agreement.channel == .inPerson
                        ? "Café im Erdgeschoss, Hauptstraße 12" : "https://video.demo.example/\(pair.1)")
                meeting.status = .held
                meeting.proposedBy = month % 2 == 0 ? try mentee.requireID() : try mentor.requireID()
                meeting.sequence = 1
                meeting.outcomeBy = try mentor.requireID()
                try await meeting.create(on: db)
                heldMeetings.append(meeting)
            }
            // This month: confirmed (0, 5), proposed by the mentor and waiting for the mentee (1), yesterday and
            // not yet recorded (2); nothing for the stalled one (3) and the one that will be due (4).
            let upcoming: (Date, TandemMeeting.Status)? =
                switch index {
                case 0, 5: (at(today.adding(days: 6), "17:30"), .accepted)
                case 1: (at(today.adding(days: 9), "08:00"), .proposed)
                case 2: (at(today.adding(days: -1), "16:00"), .accepted)
                default: nil
                }
            if let (startsAt, status) = upcoming {
                let meeting = TandemMeeting()
                meeting.$tandem.id = tandemID
                meeting.startsAt = startsAt
                meeting.minutes = 60
                meeting.placeSealed = try sealer.seal("https://video.demo.example/\(pair.1)")
                meeting.status = status
                meeting.proposedBy = try mentor.requireID()
                meeting.sequence = status == .accepted ? 1 : 0
                try await meeting.create(on: db)
            }

            // Prompts of months 1–4 discussed; the second could become an insight.
            for month in 1...4 where index != 3 || month <= 2 {
                let mark = TandemPromptMark(tandemID: tandemID, month: month)
                mark.discussedAt = at(monthDay(month))
                if month == 2 { mark.insightAt = at(monthDay(month)) }
                try await mark.create(on: db)
            }

            // Shared notes, a reflection each, experiments.
            let notes: [(User, String)] =
                english
                ? [
                    (
                        mentor,
                        "**Tools we looked at**\n- Meeting notes by AI\n- A shared task board\n\nNext time: what to try first."
                    )
                ]
                : [
                    (
                        mentor,
                        "**Werkzeuge, die wir angesehen haben**\n- Protokolle per KI\n- Ein gemeinsames Aufgabenboard\n\nNächstes Mal: womit fangen wir an?"
                    ),
                    (
                        mentee,
                        "Zur Impulsfrage *Tradition oder Innovation*: Unsere Lehrwerkstatt ist beides – das möchte ich im Führungskreis erzählen."
                    ),
                ]
            for (author, text) in notes {
                let note = TandemNote()
                note.$tandem.id = tandemID
                note.kind = .shared
                note.authorID = try author.requireID()
                note.bodySealed = try sealer.seal(text)
                try await note.create(on: db)
            }
            for (author, text) in [
                (
                    mentee,
                    english
                        ? "I listen more than I expected to."
                        : "Ich höre mehr zu, als ich dachte. Die Fragen nach dem Warum treffen."
                ),
                (
                    mentor,
                    english
                        ? "Next time, ask about the board meeting."
                        : "Beim nächsten Mal nach der Vorstandssitzung fragen – da war Unsicherheit zu spüren."
                ),
            ] {
                let note = TandemNote()
                note.$tandem.id = tandemID
                note.kind = .reflection
                note.authorID = try author.requireID()
                note.$meeting.id = heldMeetings.last?.id
                note.bodySealed = try sealer.seal(text)
                try await note.create(on: db)
            }
            let experiments: [(String, String, String, TandemExperiment.Owner, CalendarDate, TandemExperiment.Status)] =
                [
                    (
                        english
                            ? "One week without internal e-mail; chat only"
                            : "Eine Woche ohne interne E-Mail, nur Chat",
                        english
                            ? "Fewer but clearer messages."
                            : "Weniger, aber klarere Nachrichten; zwei Abteilungen wollen weitermachen.",
                        english
                            ? "Rules matter more than the tool." : "Die Spielregeln sind wichtiger als das Werkzeug.",
                        .mentee,
                        monthDay(2, 20), .done
                    ),
                    (
                        english
                            ? "Write the first LinkedIn post myself" : "Den ersten LinkedIn-Beitrag selbst schreiben",
                        "", "",
                        .mentee, today.adding(days: 2), .running
                    ),
                    (
                        english
                            ? "Shadow the sales team's AI pilot for a day"
                            : "Einen Tag im KI-Pilot des Vertriebs hospitieren", "",
                        "", .both, today.adding(days: 25), .planned
                    ),
                ]
            for (what, happened, learned, owner, due, status) in experiments {
                let experiment = TandemExperiment()
                experiment.$tandem.id = tandemID
                experiment.contentSealed = try sealer.seal(
                    json: TandemExperiment.Content(what: what, happened: happened, learned: learned))
                experiment.owner = owner
                experiment.dueOn = due.description
                experiment.status = status
                experiment.createdBy = try mentor.requireID()
                try await experiment.create(on: db)
            }
            // What the clockwork has sent so far: the prompts of months 1–5 (so the demo does not mail them again).
            for month in 1...5 {
                try await TandemNotice(
                    tandemID: tandemID, kind: .prompt, subject: String(month),
                    sentAt: at(start.adding(months: month - 1), "09:00")
                ).create(on: db)
            }
        }
    }
}
