import Fluent
import Foundation
import Mentoring
import Testing
import VaporTesting

@testable import App

/// Around the live rounds: invitations with calendar file and personal links, ratings and private notes,
/// shortlists with deadline and reminders, external meeting links, closing the kickoff.
@Suite("Kickoff invitations, personal links, ratings, shortlists")
struct KickoffEventTests {
    /// Fixture (one mentee, one mentor) plus a second mentor, a 2-round kickoff and its plan.
    static func setUp(_ app: Application, rounds: Int = 2) async throws -> (Fixture, User, Kickoff) {
        let fixture = try await Fixture.make(on: app.db)
        let programmeID = try fixture.programme.requireID()
        let other = User(email: "zweite@test.example", name: "Zora Zweite")
        try await other.create(on: app.db)
        try await Participation(userID: other.requireID(), programmeID: programmeID, role: .mentor).create(on: app.db)
        let kickoff = Kickoff(
            programmeID: programmeID, startsAt: Date().addingTimeInterval(3600), rounds: rounds,
            roundSeconds: 300, breakSeconds: 30)
        try await kickoff.create(on: app.db)
        _ = try await KickoffPlanning.generate(kickoff: kickoff, on: app.db, now: app.clock.now())
        return (fixture, other, kickoff)
    }

    /// Starts the event `secondsAgo` seconds ago (stored like an organiser's control).
    static func start(
        _ kickoff: Kickoff, secondsAgo: TimeInterval, endedAgo: TimeInterval? = nil, on db: any Database
    ) async throws {
        var controls: [KickoffTimeline.Control] = [.start(at: Date().addingTimeInterval(-secondsAgo))]
        if let endedAgo { controls.append(.end(at: Date().addingTimeInterval(-endedAgo))) }
        kickoff.controlsJSON = JSONText.encode(controls)
        try await kickoff.save(on: db)
    }

    static func eventPath(in text: String) -> String? {
        guard let range = text.range(of: "http://mentoring.test/event/") else { return nil }
        return "/event/" + text[range.upperBound...].prefix { !$0.isWhitespace }
    }

    @Test("Invitations: every participant gets the time, an .ics and a personal link that opens the event")
    func invitations() async throws {
        try await withTestApp { app in
            let (fixture, other, kickoff) = try await Self.setUp(app)
            let programmeID = try fixture.programme.requireID(), kickoffID = try kickoff.requireID()
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: fixture.organiser)
            let before = try await OutboxMessage.query(on: app.db).count()
            let sent = try await organiser.post("/organiser/programmes/\(programmeID)/kickoff/invite")
            #expect(sent.status == .seeOther)
            let mails = try await OutboxMessage.query(on: app.db).sort(\.$createdAt).all().dropFirst(before)
            #expect(mails.count == 3)
            #expect(Set(mails.map(\.toEmail)) == [fixture.mentee.email, fixture.mentor.email, other.email])
            let menteeMail = try #require(mails.first { $0.toEmail == fixture.mentee.email })
            #expect(menteeMail.subject.hasPrefix("Your kickoff"), "in the mentee's language (English)")
            let ics = try #require(menteeMail.calendarICS)
            #expect(ics.contains("BEGIN:VEVENT") && ics.contains("SEQUENCE:1"))
            #expect(ics.contains("DTSTART:"))
            let link = try #require(Self.eventPath(in: menteeMail.textBody))
            #expect(ics.replacingOccurrences(of: "\r\n ", with: "").contains("http://mentoring.test" + link))
            let stored = try await KickoffPass.query(on: app.db).all()
            #expect(stored.count == 3)
            #expect(stored.allSatisfy { !link.contains($0.tokenHash) }, "only the hash is stored")

            // Opening the link: a confirming page (mail scanners must not sign in), then the live event.
            let mentee = TestBrowser(app)
            let page = try await mentee.get(link)
            #expect(page.status == .ok)
            #expect(page.body.contains(fixture.mentee.name))
            #expect(try await mentee.get("/dashboard").status == .seeOther, "opening the link alone signs nobody in")
            let entered = try await mentee.post(link)
            #expect(entered.status == .seeOther)
            #expect(entered.location == "/kickoff/\(kickoffID)")
            #expect(try await mentee.get("/kickoff/\(kickoffID)").status == .ok)
            #expect(
                try await mentee.get(link).location == "/kickoff/\(kickoffID)",
                "the link works again (reload, second device)")

            // Someone else signed in opens the mentee's link: 409 and an explicit offer to switch, never silently.
            let mentor = TestBrowser(app)
            try await mentor.signIn(as: fixture.mentor)
            let foreign = try await mentor.get(link)
            #expect(foreign.status == .conflict)
            #expect(foreign.body.contains("Sie sind als \(fixture.mentor.name) angemeldet"))
            #expect(foreign.body.contains("Abmelden und als \(fixture.mentee.name) eintreten"))
            let refused = try await mentor.post(link)
            #expect(refused.status == .conflict && refused.body.contains("anderen Person"), "no switch without asking")
            #expect(try await mentor.get("/dashboard").body.contains(fixture.mentor.name))
            // Asked for: this browser signs out and enters as the mentee (one person trying the demo in two windows).
            let switched = try await mentor.post(link, ["switch": "1"])
            #expect(switched.status == .seeOther && switched.location == "/kickoff/\(kickoffID)")
            let dashboard = try await mentor.get("/dashboard")
            #expect(dashboard.body.contains(fixture.mentee.name) && !dashboard.body.contains(fixture.mentor.name))
            // Unknown and expired links.
            #expect(try await TestBrowser(app).get("/event/nicht-echt").status == .notFound)
            for pass in stored { pass.expiresAt = Date().addingTimeInterval(-1); try await pass.save(on: app.db) }
            let expired = try await TestBrowser(app).get(link)
            #expect(expired.status == .gone)

            // Sending again raises the calendar SEQUENCE, so calendars update the entry.
            try await organiser.post("/organiser/programmes/\(programmeID)/kickoff/invite")
            let again = try await OutboxMessage.query(on: app.db).sort(\.$createdAt).all().last
            #expect(again?.calendarICS?.contains("SEQUENCE:2") == true)
        }
    }

    @Test("The organiser's list of personal links; each link opens the event for that person")
    func personalLinks() async throws {
        try await withTestApp { app in
            let (fixture, other, kickoff) = try await Self.setUp(app)
            let programmeID = try fixture.programme.requireID()
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: fixture.organiser)
            let page = try await organiser.post("/organiser/programmes/\(programmeID)/kickoff/links")
            #expect(page.status == .ok)
            #expect(page.body.contains(other.name) && page.body.contains(fixture.mentee.name))
            let paths = page.body.components(separatedBy: "href=\"http://mentoring.test/event/").dropFirst()
                .map { "/event/" + $0.prefix { $0 != "\"" } }
            #expect(paths.count == 3)
            let visitor = TestBrowser(app)
            let entered = try await visitor.post(try #require(paths.first), csrf: true)
            #expect(entered.location == "/kickoff/\(try kickoff.requireID())")
        }
    }

    @Test("Ratings: only for talks held, with a known answer; notes stay private")
    func ratings() async throws {
        try await withTestApp { app in
            let (fixture, _, kickoff) = try await Self.setUp(app)
            let kickoffID = try kickoff.requireID()
            let meetings = try await KickoffMeeting.query(on: app.db).sort(\.$round).all()
            let round1 = try #require(meetings.first { $0.round == 1 })
            let round2 = try #require(meetings.first { $0.round == 2 })
            let mentee = TestBrowser(app)
            try await mentee.signIn(as: fixture.mentee)
            mentee.accept = "application/json"
            let path = "/kickoff/\(kickoffID)/ratings"
            func rate(
                _ round: Int, _ partner: UUID, _ answer: String = "yes", note: String = ""
            ) async throws -> TestBrowser.Page {
                try await mentee.post(
                    path, ["round": String(round), "partner": partner.uuidString, "answer": answer, "note": note])
            }
            // Before the event: no talk held yet.
            var reply = try await rate(1, round1.$mentor.id)
            #expect(reply.status == .unprocessableEntity)
            #expect(reply.body.contains("not take place"))
            try await Self.start(kickoff, secondsAgo: 10, on: app.db)  // round 1 is running
            reply = try await rate(1, round1.$mentor.id, note: "Sehr klar – <b>KI</b>-Beispiele")
            #expect(reply.status == .ok)
            #expect(try await rate(2, round2.$mentor.id).status == .unprocessableEntity, "round 2 has not begun")
            #expect(try await rate(1, round2.$mentor.id).status == .unprocessableEntity, "not the round-1 partner")
            #expect(try await rate(1, round1.$mentor.id, "vielleicht").status == .unprocessableEntity)
            #expect(
                try await rate(1, round1.$mentor.id, note: String(repeating: "x", count: 2001)).status
                    == .unprocessableEntity)
            #expect(
                try await rate(1, round1.$mentor.id, "maybe", note: "Sehr klar – <b>KI</b>-Beispiele").status == .ok)
            let stored = try await TalkRating.query(on: app.db).all()
            #expect(stored.count == 1, "a second answer updates the first")
            #expect(stored.first?.answer == .maybe)

            // The organiser can neither rate nor read notes anywhere.
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: fixture.organiser)
            #expect(
                try await organiser.post(
                    path, ["round": "1", "partner": round1.$mentor.id.uuidString, "answer": "yes"]
                ).status == .forbidden)
            try await Self.start(kickoff, secondsAgo: 10_000, on: app.db)  // over: shortlists and completion show
            for page in [
                "/organiser/programmes/\(try fixture.programme.requireID())/kickoff", "/kickoff/\(kickoffID)",
                "/organiser/programmes/\(try fixture.programme.requireID())",
            ] {
                let body = try await organiser.get(page).body
                #expect(!body.contains("KI</b>-Beispiele") && !body.contains("KI&lt;/b&gt;-Beispiele"), "\(page)")
            }
            // The mentee sees their own note, escaped.
            let own = try await mentee.get("/kickoff/\(kickoffID)/shortlist")
            #expect(own.body.contains("Sehr klar – &lt;b&gt;KI&lt;/b&gt;-Beispiele"))
            // … and in their data export (GDPR Art. 15), with the answer.
            mentee.accept = nil
            let export = try await mentee.get("/account/export")
            #expect(export.body.contains("Sehr klar") && export.body.contains("\"answer\" : \"maybe\""))
        }
    }

    @Test("Shortlists: after the event, only people met, at most the size; deadline, reminders, completion, closing")
    func shortlists() async throws {
        try await withTestApp { app in
            let (fixture, other, kickoff) = try await Self.setUp(app)
            let programmeID = try fixture.programme.requireID(), kickoffID = try kickoff.requireID()
            let path = "/kickoff/\(kickoffID)/shortlist"
            let mentee = TestBrowser(app)
            try await mentee.signIn(as: fixture.mentee)
            #expect(try await mentee.get(path).status == .conflict, "not before the event has ended")
            // Ended by the organiser in round 2.
            try await Self.start(kickoff, secondsAgo: 400, endedAgo: 30, on: app.db)
            let page = try await mentee.get(path)
            #expect(page.status == .ok)
            let met = try await KickoffMeeting.query(on: app.db).filter(\.$mentee.$id == fixture.mentee.requireID())
                .all()
            #expect(met.count == 2, "both rounds had begun")
            let stranger = UUID().uuidString
            var reply = try await mentee.post(path, ["choice1": stranger])
            #expect(reply.status == .unprocessableEntity)
            #expect(reply.body.contains("only choose people you met"))
            let a = met[0].$mentor.id.uuidString, b = met[1].$mentor.id.uuidString
            reply = try await mentee.post(path, ["choice1": a, "choice2": b, "choice3": a, "choice4": b])
            #expect(reply.status == .unprocessableEntity)
            #expect(reply.body.contains("at most 3"))
            reply = try await mentee.post(path, ["choice1": a, "choice2": a])
            #expect(reply.status == .unprocessableEntity)
            #expect(try await KickoffShortlist.query(on: app.db).count() == 0, "nothing stored after bad input")
            reply = try await mentee.post(path, ["choice1": b, "choice2": a])
            #expect(reply.status == .seeOther)
            let saved = try #require(try await KickoffShortlist.query(on: app.db).first())
            #expect(saved.picks.map(\.uuidString) == [b, a])

            // A mentor marks mentees (any number, only those met).
            let mentor = TestBrowser(app)
            try await mentor.signIn(as: other)
            #expect(try await mentor.post(path, pairs: [("marks[]", stranger)]).status == .unprocessableEntity)
            #expect(
                try await mentor.post(path, pairs: [("marks[]", try fixture.mentee.requireID().uuidString)]).status
                    == .seeOther)

            // The organiser sees completion (who, not what), sets a deadline and reminds the rest.
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: fixture.organiser)
            let overview = try await organiser.get("/organiser/programmes/\(programmeID)/kickoff")
            #expect(overview.body.contains("Abgegeben: 1 von 1 Mentees, 1 von 2 Mentor:innen."))
            // (The planned start was an hour from now; a deadline must come after it.)
            let early = LocalDateTime.format(kickoff.startsAt.addingTimeInterval(-60), in: app.appConfig.timeZone)
            try await organiser.post("/organiser/programmes/\(programmeID)/kickoff/deadline", ["deadline": early])
            #expect(
                try await Kickoff.find(kickoffID, on: app.db)?.shortlistDeadline == nil, "refused: before the event")
            let deadline = LocalDateTime.format(Date().addingTimeInterval(7200), in: app.appConfig.timeZone)
            #expect(
                try await organiser.post(
                    "/organiser/programmes/\(programmeID)/kickoff/deadline", ["deadline": deadline]
                ).status == .seeOther)
            #expect(try await Kickoff.find(kickoffID, on: app.db)?.shortlistDeadline != nil)
            let before = try await OutboxMessage.query(on: app.db).count()
            try await organiser.post("/organiser/programmes/\(programmeID)/kickoff/reminders")
            let reminders = try await OutboxMessage.query(on: app.db).sort(\.$createdAt).all().dropFirst(before)
            #expect(reminders.map(\.toEmail) == [fixture.mentor.email], "only the one still open")
            // The automatic reminder (24 h before the deadline) goes out once per deadline.
            try await organiser.post("/organiser/programmes/\(programmeID)/kickoff/deadline", ["deadline": deadline])
            try await ShortlistReminders.sendDue(app: app)
            try await ShortlistReminders.sendDue(app: app)
            let afterAutomatic = try await OutboxMessage.query(on: app.db).count()
            #expect(afterAutomatic == before + 2)

            // After the deadline: refused, nothing changed.
            let stored = try #require(try await Kickoff.find(kickoffID, on: app.db))
            stored.shortlistDeadline = Date().addingTimeInterval(-60)
            try await stored.save(on: app.db)
            let late = try await mentee.post(path, ["choice1": a])
            #expect(late.status == .conflict)
            #expect(
                try await KickoffShortlist.query(on: app.db).filter(\.$user.$id == fixture.mentee.requireID()).first()?
                    .picks.map(\.uuidString) == [b, a])

            // Closing needs the kickoff phase; then the programme moves on to pairing.
            try await organiser.post("/organiser/programmes/\(programmeID)/kickoff/close")
            #expect(try await Programme.find(programmeID, on: app.db)?.phase == .intake)
            fixture.programme.phase = .kickoff
            try await fixture.programme.save(on: app.db)
            try await organiser.post("/organiser/programmes/\(programmeID)/kickoff/close")
            #expect(try await Programme.find(programmeID, on: app.db)?.phase == .pairing)
            #expect(try await mentee.post(path, ["choice1": a]).status == .conflict)
        }
    }

    @Test("External meeting links: a bad template is refused; a good one gives each pair its own room")
    func externalLinks() async throws {
        try await withTestApp { app in
            let (fixture, _, kickoff) = try await Self.setUp(app)
            let programmeID = try fixture.programme.requireID(), kickoffID = try kickoff.requireID()
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: fixture.organiser)
            let videoPath = "/organiser/programmes/\(programmeID)/kickoff/video"
            try await organiser.post(
                videoPath, ["videoMode": "external", "meetingLinkTemplate": "http://meet.example/{room}"])
            #expect(try await Kickoff.find(kickoffID, on: app.db)?.videoMode == .builtIn, "refused: not https")
            #expect(try await organiser.get("/organiser/programmes/\(programmeID)/kickoff").body.contains("https://"))
            try await organiser.post(
                videoPath, ["videoMode": "external", "meetingLinkTemplate": "https://meet.jit.si/rm-{room}"])
            #expect(try await Kickoff.find(kickoffID, on: app.db)?.videoMode == .external)

            try await Self.start(kickoff, secondsAgo: 10, on: app.db)
            let hub = app.kickoffHub
            try await hub.load(kickoffID: kickoffID, on: app.db)
            let round1 = try #require(try await KickoffMeeting.query(on: app.db).filter(\.$round == 1).first())
            let menteeState = try #require(await hub.state(for: round1.$mentee.id, kickoffID: kickoffID))
            let mentorState = try #require(await hub.state(for: round1.$mentor.id, kickoffID: kickoffID))
            let link = try #require(menteeState.meetingLink)
            #expect(link.hasPrefix("https://meet.jit.si/rm-") && link.count == "https://meet.jit.si/rm-".count + 20)
            #expect(mentorState.meetingLink == link, "both partners get the same room")
            #expect(!link.contains(fixture.mentee.name) && !link.contains(round1.$mentee.id.uuidString))
        }
    }

    @Test("Re-planning for one no-show changes only the next partners it must: the others keep their announced talk")
    func replanIsStable() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let programmeID = try fixture.programme.requireID()
            var mentors = [try fixture.mentor.requireID()]
            for index in 1...3 {
                for role in [ParticipantRole.mentee, .mentor] {
                    let user = User(email: "\(role.rawValue)\(index)@test.example", name: "\(role.rawValue) \(index)")
                    try await user.create(on: app.db)
                    try await Participation(userID: user.requireID(), programmeID: programmeID, role: role).create(
                        on: app.db)
                    if role == .mentor { mentors.append(try user.requireID()) }
                }
            }
            let kickoff = Kickoff(
                programmeID: programmeID, startsAt: Date().addingTimeInterval(3600), rounds: 3,
                roundSeconds: 300, breakSeconds: 30)
            try await kickoff.create(on: app.db)
            try await KickoffPlanning.generate(kickoff: kickoff, on: app.db, now: app.clock.now())
            func partners(round: Int) async throws -> [UUID: UUID] {
                let talks = try await KickoffMeeting.query(on: app.db).filter(\.$round == round).all()
                return Dictionary(uniqueKeysWithValues: talks.map { ($0.$mentee.id, $0.$mentor.id) })
            }
            let announced = try await partners(round: 2)
            #expect(announced.count == 4, "4 mentees × 4 mentors: everybody talks in round 2")

            // Nothing changed: re-planning keeps round 2 as announced.
            try await KickoffPlanning.generate(kickoff: kickoff, on: app.db, firstOpenRound: 2, now: app.clock.now())
            #expect(try await partners(round: 2) == announced)

            // One mentor stays away: only their round-2 mentee loses the partner; the other three keep theirs.
            let absent = mentors[1]
            try await KickoffPlanning.generate(
                kickoff: kickoff, on: app.db, firstOpenRound: 2, absent: [absent], now: app.clock.now())
            let after = try await partners(round: 2)
            let changed = announced.keys.filter { after[$0] != announced[$0] }
            #expect(changed == announced.keys.filter { announced[$0] == absent })
            #expect(!after.values.contains(absent))
        }
    }

    @Test("Re-planning: the rounds not begun are planned again for those present; talks held stay")
    func replanKeepsHeld() async throws {
        try await withTestApp { app in
            let (fixture, other, kickoff) = try await Self.setUp(app, rounds: 2)
            let plan = try await KickoffMeeting.query(on: app.db).sort(\.$round).all()
            #expect(plan.count == 2)
            // Round 1 was held; the round-2 partner is gone: the mentee has nobody left to meet in round 2.
            let held = try #require(plan.first { $0.round == 1 })
            let absent: UUID =
                held.$mentor.id == fixture.mentor.id ? try other.requireID() : try fixture.mentor.requireID()
            _ = try await KickoffPlanning.generate(
                kickoff: kickoff, on: app.db, firstOpenRound: 2, absent: [absent], now: app.clock.now())
            let after = try await KickoffMeeting.query(on: app.db).sort(\.$round).all()
            #expect(after.count == 1)
            #expect(after.first?.id == held.id, "the talk held stays as it was")
            // The absent mentor comes back: round 2 is planned with them again.
            _ = try await KickoffPlanning.generate(
                kickoff: kickoff, on: app.db, firstOpenRound: 2, absent: [], now: app.clock.now())
            let back = try await KickoffMeeting.query(on: app.db).filter(\.$round == 2).all()
            #expect(back.map(\.$mentor.id) == [absent])
        }
    }
}
