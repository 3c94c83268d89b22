import Fluent
import Foundation
import Mentoring
import Testing
import VaporTesting

@testable import App

/// Every route, for every role: allowed or denied, and denied means a page (403) or the way to sign in,
/// never a crash. When a route is added, add it here.
@Suite("Route access per role")
struct AccessTests {
    enum Expect: Equatable {
        case ok, redirect, redirectToLogin, forbidden, unauthorized, unprocessable, conflict
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let method: HTTPMethod
        let path: String
        let anonymous: Expect
        let organiser: Expect
        let mentor: Expect
        let mentee: Expect
        var testDescription: String { "\(method) \(path)" }

        func expected(for role: Role) -> Expect {
            switch role {
            case .anonymous: anonymous
            case .organiser: organiser
            case .mentor: mentor
            case .mentee: mentee
            }
        }
    }

    static let cases: [Case] = [
        Case(method: .GET, path: "/", anonymous: .ok, organiser: .ok, mentor: .ok, mentee: .ok),
        Case(method: .GET, path: "/healthz", anonymous: .ok, organiser: .ok, mentor: .ok, mentee: .ok),
        Case(method: .GET, path: "/login", anonymous: .ok, organiser: .redirect, mentor: .redirect, mentee: .redirect),
        Case(
            method: .POST, path: "/login", anonymous: .redirect, organiser: .redirect, mentor: .redirect,
            mentee: .redirect),
        Case(
            method: .POST, path: "/login/password", anonymous: .unauthorized, organiser: .unauthorized,
            mentor: .unauthorized, mentee: .unauthorized),
        Case(method: .GET, path: "/login/sent", anonymous: .ok, organiser: .ok, mentor: .ok, mentee: .ok),
        Case(method: .GET, path: "/dashboard", anonymous: .redirectToLogin, organiser: .ok, mentor: .ok, mentee: .ok),
        Case(method: .GET, path: "/account", anonymous: .redirectToLogin, organiser: .ok, mentor: .ok, mentee: .ok),
        Case(
            method: .GET, path: "/account/export", anonymous: .redirectToLogin, organiser: .ok, mentor: .ok, mentee: .ok
        ),
        Case(
            method: .POST, path: "/account/language", anonymous: .unauthorized, organiser: .redirect, mentor: .redirect,
            mentee: .redirect),
        Case(
            method: .POST, path: "/account/password", anonymous: .unauthorized, organiser: .redirect,
            mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .GET, path: "/organiser/outbox", anonymous: .redirectToLogin, organiser: .ok, mentor: .forbidden,
            mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/outbox/{failed}/retry", anonymous: .unauthorized, organiser: .redirect,
            mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .GET, path: "/organiser/programmes/new", anonymous: .redirectToLogin, organiser: .ok,
            mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes", anonymous: .unauthorized, organiser: .redirect,
            mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .GET, path: "/organiser/programmes/{programme}", anonymous: .redirectToLogin, organiser: .ok,
            mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .GET, path: "/organiser/programmes/{programme}/edit", anonymous: .redirectToLogin, organiser: .ok,
            mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}", anonymous: .unauthorized, organiser: .redirect,
            mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/phase", anonymous: .unauthorized,
            organiser: .redirect, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .GET, path: "/programmes/{programme}/apply", anonymous: .ok, organiser: .ok, mentor: .ok,
            mentee: .ok),
        Case(
            method: .POST, path: "/programmes/{programme}/apply", anonymous: .unprocessable, organiser: .unprocessable,
            mentor: .unprocessable, mentee: .unprocessable),
        Case(
            method: .GET, path: "/programmes/{programme}/apply/sent", anonymous: .ok, organiser: .ok, mentor: .ok,
            mentee: .ok),
        Case(
            method: .GET, path: "/applications", anonymous: .redirectToLogin, organiser: .ok, mentor: .ok, mentee: .ok),
        Case(
            method: .GET, path: "/organiser/programmes/{programme}/applications", anonymous: .redirectToLogin,
            organiser: .ok, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/applications/decide", anonymous: .unauthorized,
            organiser: .redirect, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/applications/{application}/override",
            anonymous: .unauthorized, organiser: .redirect, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .GET, path: "/organiser/programmes/{programme}/members", anonymous: .redirectToLogin,
            organiser: .ok, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/members/import", anonymous: .unauthorized,
            organiser: .unprocessable, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/members/import/confirm", anonymous: .unauthorized,
            organiser: .unprocessable, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/members/{invitation}/resend",
            anonymous: .unauthorized, organiser: .redirect, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/members/{invitation}/revoke",
            anonymous: .unauthorized, organiser: .redirect, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/members/{invitation}/print",
            anonymous: .unauthorized, organiser: .ok, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/members/registrations/{registration}/approve",
            anonymous: .unauthorized, organiser: .redirect, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .GET, path: "/organiser/programmes/{programme}/participants.csv", anonymous: .redirectToLogin,
            organiser: .ok, mentor: .forbidden, mentee: .forbidden),
        Case(method: .GET, path: "/join/{code}", anonymous: .ok, organiser: .ok, mentor: .ok, mentee: .ok),
        Case(
            method: .POST, path: "/join/{code}", anonymous: .unprocessable, organiser: .unprocessable,
            mentor: .unprocessable, mentee: .unprocessable),
        Case(
            method: .GET, path: "/organiser/programmes/{programme}/kickoff", anonymous: .redirectToLogin,
            organiser: .ok, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/kickoff", anonymous: .unauthorized,
            organiser: .redirect, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/kickoff/plan", anonymous: .unauthorized,
            organiser: .redirect, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/kickoff/exclusions", anonymous: .unauthorized,
            organiser: .redirect, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/kickoff/exclusions/{exclusion}/delete",
            anonymous: .unauthorized, organiser: .redirect, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/kickoff/control", anonymous: .unauthorized,
            organiser: .redirect, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .GET, path: "/kickoff/{kickoff}", anonymous: .redirectToLogin, organiser: .ok, mentor: .ok,
            mentee: .ok),
        // Bad input (no talk held yet) goes back with a message; organisers have no talks to rate.
        Case(
            method: .POST, path: "/kickoff/{kickoff}/ratings", anonymous: .unauthorized, organiser: .forbidden,
            mentor: .redirect, mentee: .redirect),
        // Shortlists open after the event (the fixture's has not started): a clear 409 for participants.
        Case(
            method: .GET, path: "/kickoff/{kickoff}/shortlist", anonymous: .redirectToLogin, organiser: .forbidden,
            mentor: .conflict, mentee: .conflict),
        Case(
            method: .POST, path: "/kickoff/{kickoff}/shortlist", anonymous: .unauthorized, organiser: .forbidden,
            mentor: .conflict, mentee: .conflict),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/kickoff/invite", anonymous: .unauthorized,
            organiser: .redirect, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/kickoff/links", anonymous: .unauthorized,
            organiser: .ok, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/kickoff/video", anonymous: .unauthorized,
            organiser: .redirect, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/kickoff/deadline", anonymous: .unauthorized,
            organiser: .redirect, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/kickoff/reminders", anonymous: .unauthorized,
            organiser: .conflict, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/kickoff/close", anonymous: .unauthorized,
            organiser: .redirect, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/logout", anonymous: .redirect, organiser: .redirect, mentor: .redirect,
            mentee: .redirect),
        // Pairing: a partner's own tandem page and answers (the scene's tandem is proposed to the fixture's mentor
        // and mentee; the mentor answers first, so the mentee finds it declined); the organisers' board, which the
        // scene's programme (in intake) shows but does not let anybody change.
        Case(method: .GET, path: "/tandem", anonymous: .redirectToLogin, organiser: .ok, mentor: .ok, mentee: .ok),
        Case(
            method: .POST, path: "/tandem/{tandem}/accept", anonymous: .unauthorized, organiser: .forbidden,
            mentor: .redirect, mentee: .redirect),
        Case(
            method: .POST, path: "/tandem/{tandem}/decline", anonymous: .unauthorized, organiser: .forbidden,
            mentor: .redirect, mentee: .conflict),
        Case(
            method: .POST, path: "/tandem/{tandem}/exit", anonymous: .unauthorized, organiser: .forbidden,
            mentor: .conflict, mentee: .conflict),
        // The tandem space of an active tandem of the same two people in a second programme ({space}): the two
        // partners only; organisers never (403), strangers never. The mentor answers first, then the mentee.
        Case(
            method: .GET, path: "/tandem/{space}", anonymous: .redirectToLogin, organiser: .forbidden, mentor: .ok,
            mentee: .ok),
        Case(
            method: .POST, path: "/tandem/{space}/agreement", anonymous: .unauthorized, organiser: .forbidden,
            mentor: .redirect, mentee: .redirect),
        // The scene's pending agreement was proposed by the mentee: the mentor confirms, then nothing is open.
        Case(
            method: .POST, path: "/tandem/{space}/agreement/confirm", anonymous: .unauthorized, organiser: .forbidden,
            mentor: .redirect, mentee: .conflict),
        Case(
            method: .POST, path: "/tandem/{space}/meetings", anonymous: .unauthorized, organiser: .forbidden,
            mentor: .redirect, mentee: .redirect),
        // The scene's meeting was proposed by the mentee: the mentor accepts; then it is no longer a proposal.
        Case(
            method: .POST, path: "/tandem/{space}/meetings/{meeting}/accept", anonymous: .unauthorized,
            organiser: .forbidden, mentor: .redirect, mentee: .conflict),
        Case(
            method: .POST, path: "/tandem/{space}/meetings/{meeting}/reschedule", anonymous: .unauthorized,
            organiser: .forbidden, mentor: .redirect, mentee: .redirect),
        Case(
            method: .POST, path: "/tandem/{space}/meetings/{meeting}/cancel", anonymous: .unauthorized,
            organiser: .forbidden, mentor: .redirect, mentee: .conflict),
        // The meeting lies ahead: nobody can say yet whether it took place.
        Case(
            method: .POST, path: "/tandem/{space}/meetings/{meeting}/outcome", anonymous: .unauthorized,
            organiser: .forbidden, mentor: .conflict, mentee: .conflict),
        Case(
            method: .POST, path: "/tandem/{space}/notes", anonymous: .unauthorized, organiser: .forbidden,
            mentor: .redirect, mentee: .redirect),
        Case(
            method: .POST, path: "/tandem/{space}/notes/{note}", anonymous: .unauthorized, organiser: .forbidden,
            mentor: .redirect, mentee: .redirect),
        Case(
            method: .POST, path: "/tandem/{space}/reflections", anonymous: .unauthorized, organiser: .forbidden,
            mentor: .redirect, mentee: .redirect),
        Case(
            method: .POST, path: "/tandem/{space}/experiments", anonymous: .unauthorized, organiser: .forbidden,
            mentor: .redirect, mentee: .redirect),
        Case(
            method: .POST, path: "/tandem/{space}/experiments/{experiment}", anonymous: .unauthorized,
            organiser: .forbidden, mentor: .redirect, mentee: .redirect),
        Case(
            method: .POST, path: "/tandem/{space}/prompts/1", anonymous: .unauthorized, organiser: .forbidden,
            mentor: .redirect, mentee: .redirect),
        // A calendar feed: anyone with the address; an unknown address is 404 (FeedTests cover 410).
        Case(method: .GET, path: "/calendar/{feed}", anonymous: .ok, organiser: .ok, mentor: .ok, mentee: .ok),
        Case(
            method: .POST, path: "/account/calendar", anonymous: .unauthorized, organiser: .redirect, mentor: .redirect,
            mentee: .redirect),
        Case(
            method: .POST, path: "/account/calendar/revoke", anonymous: .unauthorized, organiser: .redirect,
            mentor: .redirect, mentee: .redirect),
        // The organisers' tandem overview and prompts (the scene's programme is in intake: readable only).
        Case(
            method: .GET, path: "/organiser/programmes/{programme}/tandems", anonymous: .redirectToLogin,
            organiser: .ok, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .GET, path: "/organiser/programmes/{programme}/prompts", anonymous: .redirectToLogin,
            organiser: .ok, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/prompts", anonymous: .unauthorized,
            organiser: .conflict, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/tandems/settings", anonymous: .unauthorized,
            organiser: .conflict, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/tandems/{tandem}/check-in",
            anonymous: .unauthorized, organiser: .conflict, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .GET, path: "/organiser/programmes/{programme}/pairing", anonymous: .redirectToLogin,
            organiser: .ok, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .GET, path: "/organiser/programmes/{programme}/pairing/capacities", anonymous: .redirectToLogin,
            organiser: .ok, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .GET, path: "/organiser/programmes/{programme}/pairing/tandems.csv", anonymous: .redirectToLogin,
            organiser: .ok, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/pairing/recompute", anonymous: .unauthorized,
            organiser: .conflict, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/pairing/assign", anonymous: .unauthorized,
            organiser: .conflict, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/pairing/swap", anonymous: .unauthorized,
            organiser: .conflict, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/pairing/capacities", anonymous: .unauthorized,
            organiser: .conflict, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/pairing/settings", anonymous: .unauthorized,
            organiser: .conflict, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/pairing/publish", anonymous: .unauthorized,
            organiser: .conflict, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/pairing/tandems/{tandem}/unassign",
            anonymous: .unauthorized,
            organiser: .conflict, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/pairing/tandems/{tandem}/pin",
            anonymous: .unauthorized,
            organiser: .conflict, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/pairing/tandems/{tandem}/ban",
            anonymous: .unauthorized,
            organiser: .conflict, mentor: .forbidden, mentee: .forbidden),
        Case(
            method: .POST, path: "/organiser/programmes/{programme}/pairing/tandems/{tandem}/end",
            anonymous: .unauthorized,
            organiser: .conflict, mentor: .forbidden, mentee: .forbidden),
    ]

    static let forms: [String: [String: String]] = [
        "/account/language": ["locale": "en"],
        "/login": ["email": "mentor@test.example"],
        "/organiser/programmes": [
            "name": "Neues Programm", "privacyNotice": "Wir verarbeiten Ihre Angaben nur für dieses Programm.",
        ],
        "/organiser/programmes/{programme}": [
            "name": "Umbenanntes Programm", "privacyNotice": "Wir verarbeiten Ihre Angaben nur für dieses Programm.",
        ],
        "/organiser/programmes/{programme}/phase": ["to": "kickoff"],
        "/programmes/{programme}/apply": ["name": ""],
        "/organiser/programmes/{programme}/applications/decide": ["decision": "waitlisted"],
        "/organiser/programmes/{programme}/members/import": ["csv": "falsch"],
        "/organiser/programmes/{programme}/kickoff/control": ["action": "start"],
        "/organiser/programmes/{programme}/kickoff/video": ["videoMode": "builtIn"],
        "/organiser/programmes/{programme}/kickoff/deadline": ["deadline": "2027-01-20T12:00"],
        "/kickoff/{kickoff}/ratings": ["round": "1", "partner": "{mentorID}", "answer": "yes"],
        "/organiser/programmes/{programme}/kickoff": [
            "startsAt": "2027-01-15T17:00", "rounds": "8", "minutesPerRound": "5", "breakSeconds": "30",
        ],
        "/organiser/programmes/{programme}/kickoff/exclusions": ["mentee": "{menteeID}", "mentor": "{mentorID}"],
        "/organiser/programmes/{programme}/members/import/confirm": ["csv": "falsch"],
        "/organiser/programmes/{programme}/applications/{application}/override": ["reason": "Ausnahme"],
        "/organiser/programmes/{programme}/pairing/recompute": ["revision": "0"],
        "/organiser/programmes/{programme}/pairing/swap": ["revision": "0"],
        "/organiser/programmes/{programme}/pairing/settings": ["revision": "0"],
        "/organiser/programmes/{programme}/pairing/tandems/{tandem}/unassign": ["revision": "0"],
        "/organiser/programmes/{programme}/pairing/tandems/{tandem}/pin": ["revision": "0"],
        "/organiser/programmes/{programme}/pairing/tandems/{tandem}/ban": ["revision": "0"],
        "/account/password": ["password": "ein-sehr-langes-passwort", "confirmation": "ein-sehr-langes-passwort"],
        "/tandem/{tandem}/decline": ["reason": "Die Chemie hat nicht gestimmt."],
        "/tandem/{tandem}/exit": ["reason": "Zu wenig Zeit."],
        "/organiser/programmes/{programme}/pairing/tandems/{tandem}/end": ["reason": "Neu planen.", "revision": "0"],
        "/organiser/programmes/{programme}/pairing/assign": [
            "mentee": "{menteeID}", "mentor": "{mentorID}", "revision": "0",
        ],
        "/organiser/programmes/{programme}/pairing/capacities": ["capacity[{mentorID}]": "2", "revision": "0"],
        "/tandem/{space}/agreement": [
            "goal1": "Mehr Mut zu Experimenten", "sign1": "Ein Pilot pro Quartal", "groundRules": "Vertraulich.",
            "channel": "video", "rhythmWeeks": "4", "endsOn": "{endsOn}",
        ],
        "/tandem/{space}/meetings": ["date": "{meetingDay}", "time": "17:30", "minutes": "60", "place": "Video"],
        "/tandem/{space}/meetings/{meeting}/reschedule": [
            "date": "{meetingDay}", "time": "18:00", "minutes": "45", "place": "Café",
        ],
        "/tandem/{space}/meetings/{meeting}/outcome": ["held": "yes"],
        "/tandem/{space}/notes": ["body": "Erste Notiz"],
        "/tandem/{space}/notes/{note}": ["body": "Geänderte Notiz"],
        "/tandem/{space}/reflections": ["body": "Meine Gedanken"],
        "/tandem/{space}/experiments": [
            "what": "Ein Teams-Kanal statt Rundmails", "owner": "mentee", "dueOn": "{meetingDay}",
        ],
        "/tandem/{space}/experiments/{experiment}": ["status": "running", "happened": "", "learned": ""],
        "/tandem/{space}/prompts/1": ["discussed": "on"],
        "/tandem/{space}/agreement/confirm": ["version": "1"],
        "/tandem/{space}/meetings/{meeting}/accept": ["version": "0"],
        "/organiser/programmes/{programme}/tandems/settings": ["stalledAfterDays": "30"],
        "/organiser/programmes/{programme}/prompts": ["de1": "Frage?"],
    ]

    /// The data every route needs (a failed mail, an application, an invitation, a pending registration, a kickoff
    /// with an exclusion) and a function that puts their ids into a route pattern. Shared with `PhaseAccessTests`.
    struct Scene {
        let fixture: Fixture
        let substitutions: [(String, String)]

        func path(_ pattern: String) -> String {
            substitutions.reduce(pattern) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
        }

        func form(_ pattern: String) -> [String: String] {
            Dictionary(
                uniqueKeysWithValues: (AccessTests.forms[pattern] ?? [:]).map { key, value in
                    (
                        key.replacingOccurrences(of: "{mentorID}", with: fixture.mentor.id!.uuidString),
                        value
                    )
                }
            ).mapValues { value in
                substitutions.reduce(
                    value.replacingOccurrences(of: "{menteeID}", with: fixture.mentee.id!.uuidString)
                        .replacingOccurrences(of: "{mentorID}", with: fixture.mentor.id!.uuidString)
                ) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
            }
        }
    }

    static func makeScene(on app: Application) async throws -> Scene {
        let fixture = try await Fixture.make(on: app.db)
        let failed = OutboxMessage(
            toEmail: "x@test.example", toName: "X", locale: "de", subject: "S", textBody: "T", htmlBody: "H",
            now: Date())
        failed.status = .failed
        try await failed.create(on: app.db)
        let applicant = User(email: "bewerberin@test.example", name: "Bea Bewerberin")
        try await applicant.create(on: app.db)
        let application = MentorApplicationRecord(
            programmeID: try fixture.programme.requireID(), userID: try applicant.requireID(),
            draft: MentorApplicationDraft(
                name: "Bea", email: applicant.email, teamRole: "Dev",
                companyStartDate: CalendarDate(year: 2026, month: 1, day: 1)!,
                tookPartInTalentProgramme: false, expertiseTopics: ["KI"], languages: ["Deutsch"], motivation: "m"),
            result: EligibilityResult(tenureMonths: 1, findings: [.tenureTooShort(months: 1, required: 6)]))
        try await application.create(on: app.db)
        let invitation = Invitation(
            programmeID: try fixture.programme.requireID(), name: "Ina Eingeladen", email: "ina@test.example",
            company: "Ina AG",
            position: "CTO", tokenHash: SecureToken.hash(SecureToken.generate()),
            expiresAt: Date().addingTimeInterval(86400))
        try await invitation.create(on: app.db)
        let registrant = User(email: "reg@test.example", name: "Rita Registriert")
        try await registrant.create(on: app.db)
        let registration = try RegistrationController.makeRegistration(
            .init(company: "R AG", position: "CEO", consent: "on"), programme: fixture.programme,
            userID: try registrant.requireID(), invitationID: nil, status: .pending, now: app.clock.now())
        try await registration.create(on: app.db)
        let kickoff = Kickoff(
            programmeID: try fixture.programme.requireID(), startsAt: Date(), rounds: 8, roundSeconds: 300,
            breakSeconds: 30)
        try await kickoff.create(on: app.db)
        let exclusion = KickoffExclusion(
            kickoffID: try kickoff.requireID(), menteeID: try fixture.mentee.requireID(),
            mentorID: try fixture.mentor.requireID())
        try await exclusion.create(on: app.db)
        // A published tandem of the fixture's mentee and mentor, waiting for both.
        let tandem = Tandem(
            programmeID: try fixture.programme.requireID(), menteeID: try fixture.mentee.requireID(),
            mentorID: try fixture.mentor.requireID(), pinned: false, weight: 0, reasons: [])
        tandem.status = .proposed
        tandem.publishedAt = Date()
        try await tandem.create(on: app.db)
        let space = try await SpaceScene.make(fixture: fixture, app: app)
        let substitutions =
            space.substitutions + [
                ("{tandem}", try tandem.requireID().uuidString),
                ("{failed}", try failed.requireID().uuidString),
                ("{exclusion}", try exclusion.requireID().uuidString),
                ("{kickoff}", try kickoff.requireID().uuidString),
                ("{invitation}", try invitation.requireID().uuidString),
                ("{registration}", try registration.requireID().uuidString),
                ("{code}", fixture.programme.publicCode ?? ""),
                ("{application}", try application.requireID().uuidString),
                ("{programme}", try fixture.programme.requireID().uuidString),
            ]
        return Scene(fixture: fixture, substitutions: substitutions)
    }

    /// A registered route as the pattern the tables use, e.g. `/organiser/programmes/{programme}/kickoff`.
    static func pattern(of route: Route) -> String {
        let path =
            "/"
            + route.path.map { component -> String in
                switch component {
                case .parameter(let name) where name == "messageID": "{failed}"
                case .parameter(let name) where name == "programmeID": "{programme}"
                case .parameter(let name) where name == "applicationID": "{application}"
                case .parameter(let name) where name == "invitationID": "{invitation}"
                case .parameter(let name) where name == "registrationID": "{registration}"
                case .parameter(let name) where name == "decision": "approve"
                case .parameter(let name) where name == "code": "{code}"
                case .parameter(let name) where name == "exclusionID": "{exclusion}"
                case .parameter(let name) where name == "kickoffID": "{kickoff}"
                case .parameter(let name) where name == "tandemID": "{tandem}"
                case .parameter(let name) where name == "meetingID": "{meeting}"
                case .parameter(let name) where name == "noteID": "{note}"
                case .parameter(let name) where name == "experimentID": "{experiment}"
                case .parameter(let name) where name == "month": "1"
                case .parameter(let name) where name == "token" && route.path.first?.description == "calendar": "{feed}"
                case .parameter(let name): ":\(name)"
                default: component.description
                }
            }.joined(separator: "/")
        // The tandem space's routes take an active tandem ({space}); the answers to a proposal the proposed one.
        if path.hasPrefix("/tandem/{tandem}"),
            !["accept", "decline", "exit"].map({ "/tandem/{tandem}/\($0)" }).contains(path)
        {
            return path.replacingOccurrences(of: "/tandem/{tandem}", with: "/tandem/{space}")
        }
        return path == "/" ? "/" : path
    }

    @Test("Each role gets what it may and a clear refusal otherwise", arguments: cases)
    func access(_ route: Case) async throws {
        try await withTestApp { app in
            let scene = try await Self.makeScene(on: app)
            let fixture = scene.fixture
            let path = scene.path(route.path)

            for role in Role.allCases {
                let browser = TestBrowser(app)
                if let user = fixture.user(for: role) { try await browser.signIn(as: user) }
                try await browser.get("/")
                let response =
                    route.method == .GET
                    ? try await browser.get(path)
                    : try await browser.post(path, scene.form(route.path))
                let expected = route.expected(for: role)
                let context = "\(route.method) \(path) as \(role)"
                switch expected {
                case .ok:
                    #expect(response.status == .ok, "\(context)")
                case .redirect:
                    #expect(response.status == .seeOther, "\(context)")
                case .redirectToLogin:
                    #expect(response.status == .seeOther, "\(context)")
                    #expect(response.location?.hasPrefix("/login?next=") == true, "\(context)")
                case .forbidden:
                    #expect(response.status == .forbidden, "\(context)")
                    #expect(response.body.contains("Kein Zugriff") || response.body.contains("No access"), "\(context)")
                case .unprocessable:
                    #expect(response.status == .unprocessableEntity, "\(context)")
                case .conflict:
                    #expect(response.status == .conflict, "\(context)")
                    #expect(response.body.contains("<html"), "\(context)")
                case .unauthorized:
                    #expect(response.status == .unauthorized, "\(context)")
                    #expect(response.body.contains("<html"), "\(context)")
                }
            }
        }
    }

    @Test("The route table covers every registered route")
    func everyRouteIsListed() async throws {
        try await withTestApp { app in
            let listed = Set(Self.cases.map { "\($0.method) \($0.path)" })
            for route in app.routes.all {
                let path = Self.pattern(of: route)
                // The token routes are covered by SignInTests with real tokens.
                // Token routes are covered by SignInTests/InvitationTests with real tokens; the kickoff socket
                // by KickoffLiveTests over a real connection (a stranger's upgrade is refused there).
                // Personal event links: KickoffEventTests.
                if path.hasPrefix("/login/:token") || path.hasPrefix("/invitation/:token")
                    || path.hasPrefix("/event/:token")
                    || path.hasSuffix("/socket")
                {
                    continue
                }
                #expect(listed.contains("\(route.method) \(path)"), "not in the access table: \(route.method) \(path)")
            }
        }
    }
}
