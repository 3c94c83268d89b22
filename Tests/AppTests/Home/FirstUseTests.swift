import Fluent
import Foundation
import Mentoring
import Testing
import VaporTesting

@testable import App

/// The defects found when the app was first used for real (issue "First real use"), each tested the way it
/// showed: realistic sizes, real HTTP, the kickoff after its end.
@Suite("First real use")
struct FirstUseTests {
    /// About 2,000 characters of German motivation, with umlauts (6 bytes each percent-encoded) and line breaks.
    /// Exactly the documented maximum (`MentorApplicationDraft.motivationLimit`, 2,000 characters).
    static let longMotivation =
        String(
            String(
                repeating:
                    "Ich möchte Führungskräften zeigen, wie wir im Team mit KI, Daten und Social Media arbeiten – offen, kritisch und gern auch mit Überraschungen.\n",
                count: 15
            )
            .prefix(MentorApplicationDraft.motivationLimit - 1)) + "."

    @Test("A long application form is accepted over real HTTP, with the CSRF field last (the body arrives in pieces)")
    func longFormOverRealHTTP() async throws {
        #expect(Self.longMotivation.count == MentorApplicationDraft.motivationLimit)
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let programmeID = try fixture.programme.requireID()
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            do {
                let port = try #require(app.http.server.shared.localAddress?.port)
                let base = "http://127.0.0.1:\(port)"
                // The form page starts the session and carries the token.
                let form = try await app.client.get(URI(string: "\(base)/programmes/\(programmeID)/apply"))
                let cookie = try #require(form.headers.setCookie?["rm_session"]?.string)
                let html = form.body.map { String(buffer: $0) } ?? ""
                let token = try #require(TestBrowser.firstMatch(in: html, after: "name=\"_csrf\" value=\""))
                // A description that is long on purpose (200 kB) forces a streamed body on any machine.
                let fields: [(String, String)] = [
                    ("name", "Lena Langtext"), ("email", "lena@test.example"), ("teamRole", "Data Engineering"),
                    ("companyStartDate", "2024-01-01"), ("tookPartInTalentProgramme", "yes"),
                    ("expertiseTopics", "KI, Daten"), ("languages", "Deutsch"),
                    ("motivation", Self.longMotivation), ("padding", String(repeating: "ä", count: 35_000)),
                    ("_csrf", token),
                ]
                let body = fields.map { "\(TestBrowser.formEncode($0.0))=\(TestBrowser.formEncode($0.1))" }.joined(
                    separator: "&")
                #expect(body.utf8.count > 200_000)
                let response = try await app.client.post(URI(string: "\(base)/programmes/\(programmeID)/apply")) {
                    request in
                    request.headers.contentType = .urlEncodedForm
                    request.headers.add(name: .cookie, value: "rm_session=\(cookie)")
                    request.body = ByteBuffer(string: body)
                }
                #expect(response.status != .forbidden, "refused as a CSRF failure")
                let stored = try await MentorApplicationRecord.query(on: app.db).filter(
                    \.$motivation == Self.longMotivation
                ).count()
                let any = try await MentorApplicationRecord.query(on: app.db).count()
                #expect(
                    any == 1,
                    "the application was stored (status \(response.status)): \(response.body.map { String(buffer: $0) }?.prefix(3000) ?? "")"
                )
                #expect(stored == 1, "with the whole motivation")
            } catch {
                await app.server.shutdown()
                throw error
            }
            await app.server.shutdown()
        }
    }

    @Test("Reading pages writes no session: anonymous visitors get none, signed-in ones refresh at most once a minute")
    func readingWritesNoSession() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            for _ in 0..<20 { _ = try await TestBrowser(app).get("/") }
            let anonymous = TestBrowser(app)
            for _ in 0..<5 { #expect(try await anonymous.get("/").status == .ok) }
            #expect(try await UserSession.query(on: app.db).count() == 0, "no session rows for reading the start page")
            #expect(anonymous.cookies["rm_session"] == nil)

            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.organiser)
            let session = try #require(try await UserSession.query(on: app.db).first())
            let lastSeen = session.lastSeenAt
            for _ in 0..<5 { #expect(try await browser.get("/dashboard").status == .ok) }
            let after = try #require(
                try await UserSession.query(on: app.db).filter(\.$id == session.requireID()).first())
            #expect(after.lastSeenAt == lastSeen, "reading pages within a minute writes nothing")
            #expect(try await UserSession.query(on: app.db).count() == 1)
        }
    }

    @Test("Wrong passwords from one client do not lock the organiser out for another client")
    func passwordLimitPerAddressAndClient() async throws {
        try await withTestApp(adjust: {
            $0.rateLimiting = true; $0.trustForwardedFor = true
        }) { app in
            let fixture = try await Fixture.make(on: app.db)
            fixture.organiser.passwordHash = try await app.password.async.hash("ein-sehr-langes-passwort").get()
            try await fixture.organiser.save(on: app.db)
            let attacker = TestBrowser(app)
            attacker.forwardedFor = "203.0.113.7"
            for _ in 0..<11 {
                _ = try await attacker.post(
                    "/login/password", ["email": fixture.organiser.email, "password": "falsch-falsch-falsch"])
            }
            let locked = try await attacker.post(
                "/login/password", ["email": fixture.organiser.email, "password": "ein-sehr-langes-passwort"])
            #expect(locked.status == .tooManyRequests, "the guessing client is limited")
            let organiser = TestBrowser(app)
            organiser.forwardedFor = "198.51.100.20"
            let signedIn = try await organiser.post(
                "/login/password", ["email": fixture.organiser.email, "password": "ein-sehr-langes-passwort"])
            #expect(signedIn.status == .seeOther, "the organiser, from her own client, still gets in")
        }
    }

    @Test("After the kickoff (ended, closed) its plan, exclusions and controls are refused and who met whom stays")
    func kickoffRecordIsFixed() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let programmeID = try fixture.programme.requireID()
            let kickoff = Kickoff(
                programmeID: programmeID, startsAt: Date(), rounds: 1, roundSeconds: 60, breakSeconds: 0)
            try await kickoff.create(on: app.db)
            try await KickoffPlanning.generate(kickoff: kickoff, on: app.db, now: app.clock.now())
            let kickoffID = try kickoff.requireID()
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: fixture.organiser)
            let base = "/organiser/programmes/\(programmeID)/kickoff"
            // Before the start a new plan is fine.
            #expect(try await organiser.post(base + "/plan").status == .seeOther)
            let planned = try await KickoffMeeting.query(on: app.db).filter(\.$kickoff.$id == kickoffID).all().map {
                "\($0.$mentee.id)-\($0.$mentor.id)-\($0.round)"
            }
            #expect(planned.count == 1)

            // It started and ended.
            let hub = app.kickoffHub
            try await hub.control(.start(at: await hub.now()), kickoffID: kickoffID, on: app.db)
            try await hub.control(.end(at: await hub.now()), kickoffID: kickoffID, on: app.db)
            let replan = try await organiser.post(base + "/plan")
            #expect(replan.status == .conflict)
            #expect(replan.body.contains("vorbei"))
            #expect(try await organiser.post(base + "/control", ["action": "replan"]).status == .conflict)
            #expect(try await organiser.post(base + "/control", ["action": "start"]).status == .conflict)
            let exclusion = try await organiser.post(
                base + "/exclusions",
                ["mentee": fixture.mentee.requireID().uuidString, "mentor": fixture.mentor.requireID().uuidString])
            #expect(exclusion.status == .conflict)
            #expect(try await KickoffExclusion.query(on: app.db).count() == 0)

            // Closed: still refused, still the same record.
            kickoff.closedAt = Date()
            try await kickoff.save(on: app.db)
            #expect(try await organiser.post(base + "/plan").status == .conflict)
            let after = try await KickoffMeeting.query(on: app.db).filter(\.$kickoff.$id == kickoffID).all().map {
                "\($0.$mentee.id)-\($0.$mentor.id)-\($0.round)"
            }
            #expect(after == planned, "who met whom is unchanged")
        }
    }

    @Test("A kickoff that has begun keeps its timing and plan; re-planning the open rounds is the control room's job")
    func startedKickoffKeepsItsPlan() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let programmeID = try fixture.programme.requireID()
            let kickoff = Kickoff(
                programmeID: programmeID, startsAt: Date(), rounds: 2, roundSeconds: 600, breakSeconds: 0)
            try await kickoff.create(on: app.db)
            try await KickoffPlanning.generate(kickoff: kickoff, on: app.db, now: app.clock.now())
            try await app.kickoffHub.control(
                .start(at: await app.kickoffHub.now()), kickoffID: kickoff.requireID(), on: app.db)
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: fixture.organiser)
            let refused = try await organiser.post("/organiser/programmes/\(programmeID)/kickoff/plan")
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("begonnen"))
        }
    }

    @Test("Participants have a home: phase, next step, next date and a link to each thing that is theirs")
    func participantHome() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let programmeID = try fixture.programme.requireID()
            fixture.programme.phase = .kickoff
            try await fixture.programme.save(on: app.db)
            let starts = Date().addingTimeInterval(3 * 86400)
            let kickoff = Kickoff(
                programmeID: programmeID, startsAt: starts, rounds: 1, roundSeconds: 60, breakSeconds: 0)
            try await kickoff.create(on: app.db)
            let kickoffID = try kickoff.requireID()

            let mentor = TestBrowser(app)
            try await mentor.signIn(as: fixture.mentor)
            let before = try await mentor.get("/dashboard")
            #expect(before.body.contains("Testprogramm"))
            #expect(before.body.contains("Ihr nächster Schritt"))
            #expect(before.body.contains("href=\"/kickoff/\(kickoffID)\""), "the lobby is linked")
            #expect(before.body.contains(app.dateFormatting.dateTime(starts, .de)), "the next date")
            #expect(before.body.contains("aria-current=\"step\""))

            // After the event: the shortlist is where to go.
            try await app.kickoffHub.control(.start(at: await app.kickoffHub.now()), kickoffID: kickoffID, on: app.db)
            try await app.kickoffHub.control(.end(at: await app.kickoffHub.now()), kickoffID: kickoffID, on: app.db)
            let after = try await mentor.get("/dashboard")
            #expect(after.body.contains("href=\"/kickoff/\(kickoffID)/shortlist\""))
            #expect(after.body.contains("Mentees markieren"))

            // Someone who only applied sees the state of the application and its page.
            let applicant = User(email: "bewerberin@test.example", name: "Bea Bewerberin")
            try await applicant.create(on: app.db)
            let draft = MentorApplicationDraft(
                name: applicant.name, email: applicant.email, teamRole: "Data",
                companyStartDate: try #require(CalendarDate(parsing: "2020-01-01")),
                tookPartInTalentProgramme: true, expertiseTopics: ["KI"], languages: ["Deutsch"], motivation: "Darum.")
            let record = MentorApplicationRecord(
                programmeID: programmeID, userID: try applicant.requireID(), draft: draft,
                result: EligibilityResult(tenureMonths: 80, findings: []))
            record.status = .submitted
            try await record.create(on: app.db)
            let browser = TestBrowser(app)
            try await browser.signIn(as: applicant)
            let home = try await browser.get("/dashboard")
            #expect(home.body.contains("prüft Ihre Bewerbung"))
            #expect(home.body.contains("href=\"/applications\""))
        }
    }

    @Test("The start page links the application form while applications are open, and only then")
    func startPageLinksApplication() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let programmeID = try fixture.programme.requireID()
            let open = try await TestBrowser(app).get("/")
            #expect(open.body.contains("href=\"/programmes/\(programmeID)/apply\""))
            fixture.programme.phase = .kickoff
            try await fixture.programme.save(on: app.db)
            let closed = try await TestBrowser(app).get("/")
            #expect(closed.body.contains("Testprogramm"))
            #expect(!closed.body.contains("/apply\""))
        }
    }

    @Test("Counted texts use the right form in both languages")
    func plurals() async throws {
        try await withTestApp { app in
            let catalogue = app.catalogue
            #expect(catalogue.plural("kickoff.rounds", count: 1, .de) == "1 Runde")
            #expect(catalogue.plural("kickoff.rounds", count: 4, .de) == "4 Runden")
            #expect(catalogue.plural("kickoff.minutes", count: 1, .de) == "1 Minute")
            #expect(catalogue.plural("programme.durationMonths", count: 1, .de) == "1 Monat")
            #expect(catalogue.plural("kickoff.sharedTopics", count: 1, .en) == "1 shared topic")
            #expect(catalogue.plural("kickoff.talks", count: 1_000, .de) == "1.000 Gespräche")
            let fixture = try await Fixture.make(on: app.db)
            fixture.programme.roundsAtKickoff = 4
            fixture.programme.minutesPerRound = 1
            try await fixture.programme.save(on: app.db)
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: fixture.organiser)
            let page = try await organiser.get("/organiser/programmes/\(fixture.programme.requireID())")
            #expect(page.body.contains("4 Runden à 1 Minute<"))
        }
    }

    @Test("The programme page shows the kickoff's own settings once it exists")
    func oneSourceOfTruth() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let programmeID = try fixture.programme.requireID()
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: fixture.organiser)
            let saved = try await organiser.post(
                "/organiser/programmes/\(programmeID)/kickoff",
                [
                    "startsAt": LocalDateTime.format(Date().addingTimeInterval(7 * 86400), in: app.appConfig.timeZone),
                    "rounds": "4", "minutesPerRound": "1", "breakSeconds": "10",
                ])
            #expect(saved.status == .seeOther)
            let page = try await organiser.get("/organiser/programmes/\(programmeID)")
            #expect(page.body.contains("4 Runden à 1 Minute<"))
            let past = try await organiser.post(
                "/organiser/programmes/\(programmeID)/kickoff",
                [
                    "startsAt": "2020-01-01T10:00", "rounds": "4", "minutesPerRound": "1", "breakSeconds": "10",
                ])
            #expect(past.status == .unprocessableEntity)
            #expect(past.body.contains("Vergangenheit"))
        }
    }

    @Test("The review queue shows 50 applications a page; the page links keep search, filter and sort")
    func reviewQueuePages() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let programmeID = try fixture.programme.requireID()
            let start = try #require(CalendarDate(parsing: "2020-01-01"))
            for index in 0..<120 {
                let user = User(email: "bewerbung\(index)@test.example", name: String(format: "Bewerberin %03d", index))
                try await user.create(on: app.db)
                let draft = MentorApplicationDraft(
                    name: user.name, email: user.email, teamRole: "Data", companyStartDate: start,
                    tookPartInTalentProgramme: true,
                    expertiseTopics: ["KI"], languages: ["Deutsch"], motivation: "Darum.")
                let record = MentorApplicationRecord(
                    programmeID: programmeID, userID: try user.requireID(), draft: draft,
                    result: EligibilityResult(tenureMonths: 80, findings: []))
                record.status = .submitted
                try await record.create(on: app.db)
            }
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: fixture.organiser)
            let base = "/organiser/programmes/\(programmeID)/applications"
            let first = try await organiser.get(base + "?sort=name&status=submitted")
            #expect(first.body.components(separatedBy: "name=\"ids[]\"").count - 1 == 50)
            #expect(first.body.contains("1–50 von 120 · Seite 1 von 3"))
            #expect(first.body.contains("Bewerberin 000") && !first.body.contains("Bewerberin 050"))
            #expect(first.body.contains("sort=name&amp;status=submitted&amp;page=2"), "the next link keeps the filters")
            let last = try await organiser.get(base + "?sort=name&status=submitted&page=3")
            #expect(last.body.components(separatedBy: "name=\"ids[]\"").count - 1 == 20)
            #expect(last.body.contains("Bewerberin 119"))
            #expect(last.body.contains("rel=\"prev\"") && !last.body.contains("rel=\"next\""))
            #expect(try await organiser.get(base + "?page=99").status == .ok, "a page past the end shows the last one")
        }
    }

    @Test("Confirmations say what will happen; wording fits the programme (consent, months, pause lists)")
    func confirmationsAndWording() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let programmeID = try fixture.programme.requireID()
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: fixture.organiser)

            // Moving on asks first and warns about what is missing.
            fixture.programme.phase = .pairing
            try await fixture.programme.save(on: app.db)
            let pairing = try await organiser.get("/organiser/programmes/\(programmeID)")
            #expect(pairing.body.contains("id=\"phase-confirm\">"))
            #expect(pairing.body.contains("lässt sich nicht rückgängig machen"))
            #expect(pairing.body.contains("Es gibt noch keine Tandems"))

            // Closing the kickoff says how many shortlists are still open (two people, none submitted).
            fixture.programme.phase = .kickoff
            try await fixture.programme.save(on: app.db)
            let kickoff = Kickoff(
                programmeID: programmeID, startsAt: Date(), rounds: 1, roundSeconds: 60, breakSeconds: 0)
            try await kickoff.create(on: app.db)
            try await KickoffPlanning.generate(kickoff: kickoff, on: app.db, now: app.clock.now())
            try await app.kickoffHub.control(
                .start(at: await app.kickoffHub.now()), kickoffID: kickoff.requireID(), on: app.db)
            try await app.kickoffHub.control(
                .end(at: await app.kickoffHub.now()), kickoffID: kickoff.requireID(), on: app.db)
            let plan = try await organiser.get("/organiser/programmes/\(programmeID)/kickoff")
            #expect(plan.body.contains("2 Personen haben ihre Auswahl noch nicht abgegeben."))
            #expect(plan.body.contains("Jetzt für alle beenden") == false, "a closed-out event offers no end button")
            #expect(!plan.body.contains("; </p>"), "no trailing separator in pause lists")

            // A consent checkbox left empty says what to do, not "please fill in".
            fixture.programme.phase = .intake
            try await fixture.programme.save(on: app.db)
            let code = try #require(fixture.programme.publicCode)
            let visitor = TestBrowser(app)
            try await visitor.get("/join/\(code)")
            let refused = try await visitor.post(
                "/join/\(code)", ["name": "Uwe", "email": "uwe@firma.example", "company": "Uwe KG", "position": "CEO"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("Ohne Ihre Einwilligung können wir Sie nicht registrieren."))
            #expect(!refused.body.contains("Bitte ausfüllen"))

            // The printed invitation names the programme's months, not "a year".
            fixture.programme.durationMonths = 9
            try await fixture.programme.save(on: app.db)
            let invitation = Invitation(
                programmeID: programmeID, name: "Ina", email: "ina@x.example", company: "I", position: "CTO",
                tokenHash: "x", expiresAt: Date().addingTimeInterval(86400))
            try await invitation.create(on: app.db)
            try await organiser.get("/organiser/programmes/\(programmeID)/members")
            let printed = try await organiser.post(
                "/organiser/programmes/\(programmeID)/members/\(try invitation.requireID())/print")
            #expect(printed.body.contains("begleiten Sie 9 Monate lang"))
            #expect(!printed.body.contains("ein Jahr"))
        }
    }

    @Test("A large round plan is shown folded: counts per round, one person's talks on request")
    func largePlanFolded() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let programmeID = try fixture.programme.requireID()
            for index in 0..<45 {
                for role in [ParticipantRole.mentee, .mentor] {
                    let user = User(
                        email: "\(role.rawValue)\(index)@gross.example",
                        name: "\(role == .mentee ? "Mentee" : "Mentor") \(index)")
                    try await user.create(on: app.db)
                    try await Participation(userID: user.requireID(), programmeID: programmeID, role: role).create(
                        on: app.db)
                }
            }
            let kickoff = Kickoff(
                programmeID: programmeID, startsAt: Date().addingTimeInterval(86400), rounds: 8, roundSeconds: 300,
                breakSeconds: 30)
            try await kickoff.create(on: app.db)
            try await KickoffPlanning.generate(kickoff: kickoff, on: app.db, now: app.clock.now())
            #expect(try await KickoffMeeting.query(on: app.db).count() > KickoffPlanController.fullPlanLimit)
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: fixture.organiser)
            let base = "/organiser/programmes/\(programmeID)/kickoff"
            let folded = try await organiser.get(base)
            #expect(folded.body.contains("46 Gespräche · 0 pausieren"))
            #expect(!folded.body.contains("↔"), "no talk is listed until a person is chosen")
            let mentee = try #require(
                try await User.query(on: app.db).filter(\.$email == "mentee7@gross.example").first())
            let personal = try await organiser.get(base + "?person=\(try mentee.requireID())")
            #expect(personal.body.contains("Gespräche von Mentee 7:"))
            #expect(
                personal.body.components(separatedBy: "<li>Mentee 7 ↔").count - 1 == 8, "her eight talks, one a round")
        }
    }
}
