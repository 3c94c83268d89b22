import Fluent
import Foundation
import Mentoring
import SQLKit
import Testing
import VaporTesting

@testable import App

/// The tandem year through the app, as the two partners and the organisers use it: a whole nine-month year on a
/// fixed clock, meetings with their calendar files and feed, what organisers can and cannot see, and bad input.
@Suite("Tandem year")
struct TandemSpaceTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    static func berlinTime(_ text: String) -> Date { LocalDateTime.parse(text, in: berlin)! }

    /// A programme in its tandem year (9 months) with one tandem, active since the clock's now.
    struct Year {
        let fixture: Fixture
        let programme: Programme
        let tandem: Tandem
        var id: UUID { tandem.id! }
        var space: String { "/tandem/\(id)" }
        var overview: String { "/organiser/programmes/\(programme.id!)/tandems" }
    }

    static func makeYear(_ app: Application) async throws -> Year {
        let fixture = try await Fixture.make(on: app.db)
        let scene = try await SpaceScene.make(fixture: fixture, app: app, activeDaysAgo: 0)
        // A clean space: the scene's agreement, meeting, note and experiment are for the access table.
        let tandemID = try scene.tandem.requireID()
        try await TandemAgreement.query(on: app.db).filter(\.$tandem.$id == tandemID).delete()
        try await TandemNote.query(on: app.db).filter(\.$tandem.$id == tandemID).delete()
        try await TandemMeeting.query(on: app.db).filter(\.$tandem.$id == tandemID).delete()
        try await TandemExperiment.query(on: app.db).filter(\.$tandem.$id == tandemID).delete()
        scene.programme.contactsJSON = JSONText.encode([
            ProgrammeSettings.Contact(name: "Olga", email: "orga@test.example")
        ])
        try await scene.programme.save(on: app.db)
        return Year(fixture: fixture, programme: scene.programme, tandem: scene.tandem)
    }

    static func outbox(_ app: Application, to email: String) async throws -> [OutboxMessage] {
        try await OutboxMessage.query(on: app.db).filter(\.$toEmail == email).sort(\.$createdAt).all()
    }

    static func signedIn(_ app: Application, _ user: User) async throws -> TestBrowser {
        let browser = TestBrowser(app)
        try await browser.signIn(as: user)
        return browser
    }

    static func proposeMeeting(
        _ browser: TestBrowser, year: Year, day: String, time: String = "17:00", place: String = "Video-Call"
    ) async throws -> TestBrowser.Page {
        try await browser.get(year.space)
        return try await browser.post(
            "\(year.space)/meetings", ["date": day, "time": time, "minutes": "60", "place": place])
    }

    static func latestMeeting(_ app: Application, _ year: Year) async throws -> TandemMeeting {
        try #require(
            try await TandemMeeting.query(on: app.db).filter(\.$tandem.$id == year.id).sort(\.$createdAt, .descending)
                .first())
    }

    @Test("A nine-month year on a fixed clock: prompts, agreement, meetings, reminders, due, stalled, the end")
    func wholeYear() async throws {
        let clock = ManualClock(Self.berlinTime("2027-03-01T09:00"))
        try await withTestApp(clock: clock) { app in
            let year = try await Self.makeYear(app)
            let mentor = year.fixture.mentor, mentee = year.fixture.mentee

            // Month 1 begins: both get the first prompt (the announcement's first question), each in their language.
            var report = try await TandemYearCare.run(app: app)
            #expect(report.prompts == 1)
            #expect(try await Self.outbox(app, to: mentor.email).last?.subject == "Impulsfrage für Monat 1")
            #expect(try await Self.outbox(app, to: mentee.email).last?.subject == "Prompt for month 1")
            #expect(try await TandemYearCare.run(app: app).prompts == 0, "a prompt is sent once")

            // The agreement: the mentor proposes, the mentee confirms; organisers see only that it is confirmed.
            var mentorBrowser = try await Self.signedIn(app, mentor)
            var menteeBrowser = try await Self.signedIn(app, mentee)
            var page = try await mentorBrowser.get(year.space)
            #expect(page.status == .ok)
            #expect(page.body.contains("Entsteht Innovation durch Tradition oder Tradition durch Innovation?"))
            let proposed = try await mentorBrowser.post(
                "\(year.space)/agreement",
                [
                    "goal1": "Künstliche Intelligenz im Vertrieb verstehen", "sign1": "Ein Pilot bis Juni",
                    "goal2": "Führung auf Distanz", "sign2": "Zwei Team-Experimente", "groundRules": "Vertraulich.",
                    "channel": "video", "rhythmWeeks": "4", "endsOn": "2027-11-30",
                ])
            #expect(proposed.status == .seeOther)
            #expect(
                try await menteeBrowser.post("\(year.space)/agreement/confirm", ["version": "1"]).status == .seeOther)
            page = try await menteeBrowser.get(year.space)
            #expect(page.body.contains("Künstliche Intelligenz im Vertrieb verstehen"))
            #expect(!page.body.contains("Confirm the agreement"))

            // Month by month. Months 4 and 5 have no meeting: a reminder from the 16th, then the tandem stalls.
            let tandemYear = try #require(TandemYear(start: CalendarDate(year: 2027, month: 3, day: 1)!, months: 9))
            var held = 0
            for month in 1...9 {
                let first = tandemYear.firstDay(ofMonth: month)
                clock.set(Self.berlinTime("\(first)T09:00"))
                report = try await TandemYearCare.run(app: app)
                if month > 1 { #expect(report.prompts == 1, "month \(month)'s prompt") }
                // 1 July: 58 days after the last meeting (4 May), the tandem is flagged once.
                #expect(report.stalled == (month == 5 ? 1 : 0), "month \(month)")
                // The clock moved weeks on: sessions have expired, as they would.
                mentorBrowser = try await Self.signedIn(app, mentor)
                menteeBrowser = try await Self.signedIn(app, mentee)
                if month == 4 || month == 5 {
                    clock.set(Self.berlinTime("\(first.adding(days: 15))T09:00"))
                    report = try await TandemYearCare.run(app: app)
                    #expect(report.dueReminders == 1, "month \(month): due from the 16th")
                    #expect(try await TandemYearCare.run(app: app).dueReminders == 0, "once a month")
                    if month == 5 {
                        let organiser = try await Self.signedIn(app, year.fixture.organiser)
                        let overview = try await organiser.get(year.overview)
                        #expect(overview.body.contains("badge-stalled"))
                        // A check-in from the template, once however often clicked.
                        let checkIn = "/organiser/programmes/\(year.programme.id!)/tandems/\(year.id)/check-in"
                        #expect(try await organiser.post(checkIn).status == .seeOther)
                        #expect(try await organiser.post(checkIn).status == .seeOther)
                        let checkIns = try await Self.outbox(app, to: mentor.email).filter {
                            $0.subject == "Wie läuft es in Ihrem Tandem?"
                        }
                        #expect(checkIns.count == 1)
                    }
                    continue
                }
                let meetingDay = first.adding(days: 3)
                #expect(
                    try await Self.proposeMeeting(mentorBrowser, year: year, day: meetingDay.description).status
                        == .seeOther)
                let meeting = try await Self.latestMeeting(app, year)
                try await menteeBrowser.get(year.space)
                #expect(
                    try await menteeBrowser.post("\(year.space)/meetings/\(meeting.id!)/accept", ["version": "0"])
                        .status
                        == .seeOther)
                if month == 1 {
                    // Nobody records it: the day after, both are asked.
                    clock.set(Self.berlinTime("\(meetingDay.adding(days: 1))T09:00"))
                    #expect(try await TandemYearCare.run(app: app).outcomeQuestions == 1)
                    mentorBrowser = try await Self.signedIn(app, mentor)
                } else {
                    clock.set(Self.berlinTime("\(meetingDay)T18:30"))
                    mentorBrowser = try await Self.signedIn(app, mentor)
                }
                try await mentorBrowser.get(year.space)
                let outcome = try await mentorBrowser.post(
                    "\(year.space)/meetings/\(meeting.id!)/outcome", ["held": "yes"])
                #expect(outcome.status == .seeOther, "month \(month)")
                held += 1
                if month == 6 {
                    // Back on track once a meeting was held.
                    let organiser = try await Self.signedIn(app, year.fixture.organiser)
                    let overview = try await organiser.get(year.overview)
                    #expect(overview.body.contains("badge-onTrack"))
                    #expect(overview.body.contains("\(held) in 6"))
                    // The programme cannot close while a tandem is active.
                    try await Programme.query(on: app.db).filter(\.$id == year.programme.id!).set(
                        \.$phase, to: .running
                    )
                    .update()
                    let close = try await organiser.post(
                        "/organiser/programmes/\(year.programme.id!)/phase", ["to": "closed"])
                    #expect(close.status == .conflict)
                }
            }
            #expect(held == 7)

            // The end date: a closing prompt; both write a final reflection; the day after, the tandem ends.
            clock.set(Self.berlinTime("2027-11-30T09:00"))
            report = try await TandemYearCare.run(app: app)
            #expect(report.closingPrompts == 1)
            #expect(try await Self.outbox(app, to: mentee.email).last?.subject == "Closing your tandem year")
            mentorBrowser = try await Self.signedIn(app, mentor)
            try await mentorBrowser.get(year.space)
            #expect(
                try await mentorBrowser.post(
                    "\(year.space)/reflections", ["kind": "closing", "body": "Ich nehme viel Mut mit."]
                ).status == .seeOther)
            clock.set(Self.berlinTime("2027-12-01T09:00"))
            report = try await TandemYearCare.run(app: app)
            #expect(report.ended == 1)
            let ended = try #require(try await Tandem.find(year.id, on: app.db))
            #expect(ended.status == .ended)
            #expect(ended.closedBy == nil)

            // Read-only for the two, still readable.
            menteeBrowser = try await Self.signedIn(app, mentee)
            page = try await menteeBrowser.get(year.space)
            #expect(page.status == .ok)
            #expect(page.body.contains("read-only"))
            let late = try await menteeBrowser.post("\(year.space)/notes", ["body": "Noch etwas"])
            #expect(late.status == .conflict)
            // Every tandem has ended: now the programme can close.
            let organiser = try await Self.signedIn(app, year.fixture.organiser)
            let close = try await organiser.post("/organiser/programmes/\(year.programme.id!)/phase", ["to": "closed"])
            #expect(close.status == .seeOther)
        }
    }

    @Test("Texts at their limits are kept, one character over is refused and changes nothing")
    func limits() async throws {
        let clock = ManualClock(Self.berlinTime("2027-03-01T09:00"))
        try await withTestApp(clock: clock) { app in
            let year = try await Self.makeYear(app)
            let mentor = try await Self.signedIn(app, year.fixture.mentor)
            let rules = String(repeating: "Wir sprechen offen über alles, was uns beschäftigt. ", count: 100)
                .prefix(TandemSpace.Limit.groundRules)
            let goal = String(repeating: "Ziel ", count: 100).prefix(TandemSpace.Limit.goal)
            var form: [String: String] = ["channel": "video", "rhythmWeeks": "4", "endsOn": "2027-11-30"]
            for field in ["goal1", "sign1", "goal2", "sign2", "goal3", "sign3"] { form[field] = String(goal) }
            form["groundRules"] = String(rules)
            try await mentor.get(year.space)
            #expect(try await mentor.post("\(year.space)/agreement", form).status == .seeOther)
            form["groundRules"] = String(rules) + "x"
            try await mentor.get(year.space)
            let refused = try await mentor.post("\(year.space)/agreement", form)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("5000"))
            #expect(try await TandemAgreement.query(on: app.db).count() == 1)
            let stored = try #require(try await TandemAgreement.query(on: app.db).first())
            let content = try app.sealer.open(json: TandemAgreement.Content.self, stored.contentSealed)
            #expect(content.groundRules == String(rules).trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(content.goals.count == 3)

            // The prompt catalogue: twelve months at 500 characters each are saved; a bad link in month 12 saves none.
            let organiser = try await Self.signedIn(app, year.fixture.organiser)
            let prompts = "/organiser/programmes/\(year.programme.id!)/prompts"
            let question = String(repeating: "Frage? ", count: 80).prefix(TandemCareController.promptLimit)
            var catalogue: [String: String] = [:]
            for month in 1...12 {
                catalogue["de\(month)"] = String(question)
                catalogue["en\(month)"] = String(question)
                catalogue["material\(month)"] = "https://material.example/monat-\(month)"
            }
            try await organiser.get(prompts)
            #expect(try await organiser.post(prompts, catalogue).status == .seeOther)
            #expect(try await ProgrammePrompt.query(on: app.db).count() == 12)
            catalogue["de1"] = "Neue Frage?"
            catalogue["material12"] = "javascript:alert(1)"
            try await organiser.get(prompts)
            let bad = try await organiser.post(prompts, catalogue)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("Monat 12"))
            let first = try #require(try await ProgrammePrompt.query(on: app.db).filter(\.$month == 1).first())
            #expect(first.questionDE == String(question).trimmingCharacters(in: .whitespaces), "nothing changed")
        }
    }

    @Test("A missed end date (the worker was down) still sends the closing prompt before the tandem ends")
    func missedEnd() async throws {
        let clock = ManualClock(Self.berlinTime("2027-03-01T09:00"))
        try await withTestApp(clock: clock) { app in
            let year = try await Self.makeYear(app)
            #expect(try await TandemYearCare.run(app: app).prompts == 1)
            // Nine months later and three days past the end (30 November), the first pass since.
            clock.set(Self.berlinTime("2027-12-03T09:00"))
            let report = try await TandemYearCare.run(app: app)
            #expect(report.closingPrompts == 1)
            #expect(report.ended == 1)
            #expect(
                try await Self.outbox(app, to: year.fixture.mentor.email).last?.subject
                    == "Zum Abschluss Ihres Tandemjahres")
            #expect(try await TandemYearCare.run(app: app) == .init(), "nothing twice, nothing for an ended tandem")
        }
    }

    @Test("Meetings: an .ics invitation, updates with a raised SEQUENCE, METHOD:CANCEL, the feed and its revocation")
    func meetingsAndCalendar() async throws {
        let clock = ManualClock(Self.berlinTime("2027-03-01T09:00"))
        try await withTestApp(clock: clock) { app in
            let year = try await Self.makeYear(app)
            let mentor = try await Self.signedIn(app, year.fixture.mentor)
            let mentee = try await Self.signedIn(app, year.fixture.mentee)
            #expect(
                try await Self.proposeMeeting(mentor, year: year, day: "2027-03-10", time: "17:30").status == .seeOther)
            let meeting = try await Self.latestMeeting(app, year)
            // The partner is invited: a tentative request, sequence 0, in Berlin time (16:30 UTC).
            var ics = try #require(try await Self.outbox(app, to: year.fixture.mentee.email).last?.calendarICS)
            #expect(ics.contains("METHOD:REQUEST"))
            #expect(ics.contains("SEQUENCE:0"))
            #expect(ics.contains("STATUS:TENTATIVE"))
            #expect(ics.contains("DTSTART:20270310T163000Z"))
            #expect(ics.contains("UID:meeting-\(meeting.id!.uuidString.lowercased())@reverse-mentoring"))
            // The mentee proposes another time: both get the update with a raised sequence.
            try await mentee.get(year.space)
            let moved = try await mentee.post(
                "\(year.space)/meetings/\(meeting.id!)/reschedule",
                ["date": "2027-03-11", "time": "08:00", "minutes": "45", "place": "Café Kranzler"])
            #expect(moved.status == .seeOther)
            ics = try #require(try await Self.outbox(app, to: year.fixture.mentor.email).last?.calendarICS)
            #expect(ics.contains("SEQUENCE:1"))
            #expect(ics.contains("DTSTART:20270311T070000Z"))
            #expect(ics.contains("LOCATION:Café Kranzler"))
            // Nobody accepts their own proposal.
            try await mentee.get(year.space)
            #expect(
                try await mentee.post("\(year.space)/meetings/\(meeting.id!)/accept", ["version": "1"]).status
                    == .conflict)
            // Confirming the time shown before the change is refused: the partner moved it meanwhile.
            try await mentor.get(year.space)
            #expect(
                try await mentor.post("\(year.space)/meetings/\(meeting.id!)/accept", ["version": "0"]).status
                    == .conflict)
            #expect(
                try await mentor.post("\(year.space)/meetings/\(meeting.id!)/accept", ["version": "1"]).status
                    == .seeOther)
            ics = try #require(try await Self.outbox(app, to: year.fixture.mentee.email).last?.calendarICS)
            #expect(ics.contains("SEQUENCE:2"))
            #expect(ics.contains("STATUS:CONFIRMED"))
            // Cancelled: METHOD:CANCEL to both.
            #expect(try await mentor.post("\(year.space)/meetings/\(meeting.id!)/cancel").status == .seeOther)
            for email in [year.fixture.mentor.email, year.fixture.mentee.email] {
                ics = try #require(try await Self.outbox(app, to: email).last?.calendarICS)
                #expect(ics.contains("METHOD:CANCEL"))
                #expect(ics.contains("SEQUENCE:3"))
                #expect(ics.contains("STATUS:CANCELLED"))
            }
            #expect(SMTPMailTransport.method(of: ics) == "CANCEL")

            // The feed: made on the account page, shown once, revocable (then 410).
            #expect(try await Self.proposeMeeting(mentor, year: year, day: "2027-03-20").status == .seeOther)
            try await mentor.get("/account")
            let made = try await mentor.post("/account/calendar")
            #expect(made.status == .seeOther)
            let account = try await mentor.get("/account")
            let feedPath = try #require(
                TestBrowser.firstMatch(in: account.body, after: "http://mentoring.test").map { path in
                    String(path.prefix { !$0.isWhitespace && $0 != "<" })
                })
            #expect(feedPath.hasPrefix("/calendar/"))
            let anonymous = TestBrowser(app)
            let feed = try await anonymous.get(feedPath)
            #expect(feed.status == .ok)
            #expect(feed.headers.contentType?.subType == "calendar")
            #expect(feed.body.components(separatedBy: "BEGIN:VEVENT").count == 3)
            #expect(!feed.body.contains("METHOD:"))
            #expect(feed.body.contains("Café Kranzler"))
            // The stored hash is not the token.
            #expect(
                try await CalendarFeed.query(on: app.db).filter(\.$tokenHash == String(feedPath.dropFirst(10))).count()
                    == 0)
            try await mentor.get("/account")
            #expect(try await mentor.post("/account/calendar/revoke").status == .seeOther)
            #expect(try await anonymous.get(feedPath).status == .gone)
            #expect(try await anonymous.get("/calendar/unbekannt.ics").status == .notFound)
        }
    }

    @Test("A damaged sealed value shows as unreadable; the rest of the space stays readable")
    func damagedSealedValue() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let scene = try await SpaceScene.make(fixture: fixture, app: app)
            let tandemID = try scene.tandem.requireID()
            for text in ["Erste Notiz", "Zweite Notiz"] {
                let note = TandemNote()
                note.$tandem.id = tandemID
                note.kind = .shared
                note.authorID = try fixture.mentor.requireID()
                note.bodySealed = try app.sealer.seal(text)
                try await note.create(on: app.db)
            }
            let damaged = try #require(
                try await TandemNote.query(on: app.db).all().first {
                    try app.sealer.open($0.bodySealed) == "Zweite Notiz"
                })
            // One character of the ciphertext changed, as a damaged backup would show it: in the middle, where every
            // bit of a base64 character counts (near the end, padding bits may be unused and the change invisible).
            var sealed = Array(damaged.bodySealed)
            let middle = sealed.count / 2
            sealed[middle] = sealed[middle] == "A" ? "B" : "A"
            try await (app.db as! any SQLDatabase).raw(
                "UPDATE tandem_notes SET body_sealed = \(bind: String(sealed)) WHERE id = \(bind: damaged.requireID())"
            ).run()
            try await (app.db as! any SQLDatabase).raw(
                "UPDATE tandem_meetings SET place_sealed = 'kaputt' WHERE tandem_id = \(bind: tandemID)"
            ).run()
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.mentee)
            let page = try await browser.get("/tandem/\(tandemID)")
            #expect(page.status == .ok)
            #expect(page.body.contains("Erste Notiz") && !page.body.contains("Zweite Notiz"))
            #expect(page.body.contains("This text cannot be decrypted"))
        }
    }

    @Test("Bad input: past or out-of-year meetings, long notes, another tandem's things, HTML; nothing changes")
    func badInput() async throws {
        let clock = ManualClock(Self.berlinTime("2027-03-05T09:00"))
        try await withTestApp(clock: clock) { app in
            let year = try await Self.makeYear(app)
            let mentor = try await Self.signedIn(app, year.fixture.mentor)
            let meetingsBefore = try await TandemMeeting.query(on: app.db).count()
            var page = try await Self.proposeMeeting(mentor, year: year, day: "2027-03-04")
            #expect(page.status == .unprocessableEntity)
            #expect(page.body.contains("Vergangenheit"))
            page = try await Self.proposeMeeting(mentor, year: year, day: "2027-03-05", time: "08:00")
            #expect(page.status == .unprocessableEntity, "earlier today")
            // Active since 5 March: the nine-month year ends on 4 December.
            page = try await Self.proposeMeeting(mentor, year: year, day: "2027-12-05")
            #expect(page.status == .unprocessableEntity)
            #expect(page.body.contains("04.12.2027"), "names the end of the year")
            page = try await mentor.post(
                "\(year.space)/meetings", ["date": "2027-03-10", "time": "17:00", "minutes": "500", "place": "x"])
            #expect(page.status == .unprocessableEntity)
            page = try await mentor.post(
                "\(year.space)/meetings", ["date": "2027-03-10", "time": "17:00", "minutes": "60", "place": " "])
            #expect(page.status == .unprocessableEntity)
            #expect(try await TandemMeeting.query(on: app.db).count() == meetingsBefore)

            // Notes: a realistic long note is kept; one character over the limit is refused and changes nothing.
            let long = String(repeating: "Wir haben über Führung auf Distanz gesprochen. ", count: 425)
            #expect(long.count < TandemSpace.Limit.note)
            try await mentor.get(year.space)
            #expect(try await mentor.post("\(year.space)/notes", ["body": long]).status == .seeOther)
            let notesBefore = try await TandemNote.query(on: app.db).count()
            try await mentor.get(year.space)
            page = try await mentor.post(
                "\(year.space)/notes", ["body": String(repeating: "x", count: TandemSpace.Limit.note + 1)])
            #expect(page.status == .unprocessableEntity)
            #expect(page.body.contains("20000"))
            #expect(try await TandemNote.query(on: app.db).count() == notesBefore)

            // A second click on the same form makes no second note and no second meeting (nor invitation).
            try await mentor.get(year.space)
            #expect(try await mentor.post("\(year.space)/notes", ["body": "Doppelt geklickt"]).status == .seeOther)
            let afterFirst = try await TandemNote.query(on: app.db).count()
            #expect(try await mentor.post("\(year.space)/notes", ["body": "Doppelt geklickt"]).status == .seeOther)
            #expect(try await TandemNote.query(on: app.db).count() == afterFirst)
            #expect(try await mentor.post("\(year.space)/notes", ["body": "Etwas Neues"]).status == .seeOther)
            #expect(try await TandemNote.query(on: app.db).count() == afterFirst + 1)
            let mailsBefore = try await Self.outbox(app, to: year.fixture.mentee.email).count
            #expect(try await Self.proposeMeeting(mentor, year: year, day: "2027-03-12").status == .seeOther)
            #expect(try await Self.proposeMeeting(mentor, year: year, day: "2027-03-12").status == .seeOther)
            #expect(try await TandemMeeting.query(on: app.db).count() == meetingsBefore + 1)
            #expect(try await Self.outbox(app, to: year.fixture.mentee.email).count == mailsBefore + 1)
            // The same time with another place is a proposal of its own, not a double click.
            #expect(
                try await Self.proposeMeeting(mentor, year: year, day: "2027-03-12", place: "Büro Köln").status
                    == .seeOther)
            #expect(try await TandemMeeting.query(on: app.db).count() == meetingsBefore + 2)

            // The closing reflection opens in the year's last month, not in its first.
            try await mentor.get(year.space)
            page = try await mentor.post("\(year.space)/reflections", ["kind": "closing", "body": "Zu früh"])
            #expect(page.status == .conflict)
            #expect(page.body.contains("letzten Monat"))
            #expect(try await TandemNote.query(on: app.db).filter(\.$kind == .closing).count() == 0)

            // A meeting that has begun is no longer moved or cancelled (its outcome is asked for instead).
            let begun = TandemMeeting()
            begun.$tandem.id = try year.tandem.requireID()
            begun.startsAt = clock.now.addingTimeInterval(-30 * 60)
            begun.minutes = 60
            begun.placeSealed = try app.sealer.seal("https://video.example/begonnen")
            begun.status = .accepted
            begun.proposedBy = try year.fixture.mentee.requireID()
            begun.sequence = 1
            try await begun.create(on: app.db)
            try await mentor.get(year.space)
            page = try await mentor.post(
                "\(year.space)/meetings/\(begun.id!)/reschedule",
                ["date": "2027-03-10", "time": "17:00", "minutes": "60", "place": "Büro", "sequence": "1"])
            #expect(page.status == .conflict)
            #expect(page.body.contains("schon begonnen"))
            try await mentor.get(year.space)
            #expect(try await mentor.post("\(year.space)/meetings/\(begun.id!)/cancel").status == .conflict)
            let unchanged = try #require(try await TandemMeeting.find(begun.id, on: app.db))
            #expect(unchanged.status == .accepted && unchanged.sequence == 1 && unchanged.startsAt == begun.startsAt)

            // Script and HTML show as text; the Markdown subset renders.
            try await mentor.get(year.space)
            let evil = "<script>alert('x')</script> **wichtig** <img src=x onerror=alert(1)>"
            #expect(try await mentor.post("\(year.space)/notes", ["body": evil]).status == .seeOther)
            page = try await mentor.get(year.space)
            #expect(!page.body.contains("<script>alert"))
            #expect(!page.body.contains("<img src=x"))
            #expect(page.body.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; <strong>wichtig</strong>"))

            // An agreement changed by one partner alone does not count until the other confirms.
            #expect(
                try await mentor.post(
                    "\(year.space)/agreement",
                    [
                        "goal1": "Ziel", "sign1": "Zeichen", "groundRules": "Regeln", "channel": "phone",
                        "rhythmWeeks": "4", "endsOn": "2027-11-30",
                    ]
                ).status == .seeOther)
            try await mentor.get(year.space)
            #expect(try await mentor.post("\(year.space)/agreement/confirm", ["version": "1"]).status == .conflict)
            #expect(try await TandemAgreement.query(on: app.db).all().allSatisfy { !$0.isConfirmed })
            // A goal without its sign of progress is refused.
            page = try await mentor.post(
                "\(year.space)/agreement",
                ["goal1": "Ziel", "groundRules": "R", "channel": "video", "rhythmWeeks": "4", "endsOn": "2027-11-30"])
            #expect(page.status == .unprocessableEntity)
            #expect(try await TandemAgreement.query(on: app.db).count() == 1)

            // Another tandem's note, meeting or experiment: 403, nothing revealed, nothing changed.
            let stranger = User(email: "fremd@test.example", name: "Fritz Fremd")
            try await stranger.create(on: app.db)
            let other = Tandem(
                programmeID: year.programme.id!, menteeID: stranger.id!, mentorID: year.fixture.organiser.id!,
                pinned: false, weight: 0, reasons: [])
            other.status = .active
            other.activatedAt = clock.now
            try await other.create(on: app.db)
            let otherNote = TandemNote()
            otherNote.$tandem.id = other.id!
            otherNote.kind = .shared
            otherNote.authorID = stranger.id!
            otherNote.bodySealed = try app.sealer.seal("Fremde Notiz")
            try await otherNote.create(on: app.db)
            try await mentor.get(year.space)
            page = try await mentor.post("\(year.space)/notes/\(otherNote.id!)", ["body": "übernommen"])
            #expect(page.status == .forbidden)
            #expect(
                try await app.sealer.open(try #require(try await TandemNote.find(otherNote.id!, on: app.db)).bodySealed)
                    == "Fremde Notiz")
            page = try await mentor.get("/tandem/\(other.id!)")
            #expect(page.status == .forbidden)
            #expect(!page.body.contains("Fremde Notiz"))
            // The partner's private reflection is not theirs to edit either.
            let mentee = try await Self.signedIn(app, year.fixture.mentee)
            try await mentee.get(year.space)
            #expect(try await mentee.post("\(year.space)/reflections", ["body": "Nur für mich"]).status == .seeOther)
            let reflection = try #require(try await TandemNote.query(on: app.db).filter(\.$kind == .reflection).first())
            try await mentor.get(year.space)
            #expect(try await mentor.post("\(year.space)/notes/\(reflection.id!)", ["body": "x"]).status == .forbidden)
            #expect(!(try await mentor.get(year.space)).body.contains("Nur für mich"))
        }
    }
}

@Suite("Tandem space confidentiality")
struct TandemConfidentialityTests {
    @Test("A marker in every confidential field reaches no organiser page, no export and not the database file")
    func markersStayInTheSpace() async throws {
        try await withTestApp { app in
            let scene = try await AccessTests.makeScene(on: app)
            let tandem = try #require(try await Tandem.query(on: app.db).filter(\.$status == .active).first())
            let space = "/tandem/\(tandem.id!)"
            let marker = "VERTRAULICH" + UUID().uuidString.prefix(8)
            let mentor = try await TandemSpaceTests.signedIn(app, scene.fixture.mentor)
            let mentee = try await TandemSpaceTests.signedIn(app, scene.fixture.mentee)
            let today = CalendarDate.today(in: TandemSpaceTests.berlin, now: app.clock.now())

            // Every confidential field: goals, signs of progress, ground rules, shared note, reflection, experiment
            // (what, what happened, what was learned).
            try await mentor.get(space)
            var response = try await mentor.post(
                "\(space)/agreement",
                [
                    "goal1": "\(marker)-ziel", "sign1": "\(marker)-zeichen", "goal2": "\(marker)-ziel2",
                    "sign2": "\(marker)-zeichen2", "groundRules": "\(marker)-regeln", "channel": "video",
                    "rhythmWeeks": "4", "endsOn": today.adding(days: 100).description,
                ])
            #expect(response.status == .seeOther)
            try await mentee.get(space)
            #expect(try await mentee.post("\(space)/agreement/confirm", ["version": "2"]).status == .seeOther)
            try await mentor.get(space)
            #expect(try await mentor.post("\(space)/notes", ["body": "\(marker)-notiz"]).status == .seeOther)
            try await mentee.get(space)
            #expect(try await mentee.post("\(space)/reflections", ["body": "\(marker)-reflexion"]).status == .seeOther)
            try await mentee.get(space)
            response = try await mentee.post(
                "\(space)/experiments",
                ["what": "\(marker)-experiment", "owner": "mentee", "dueOn": today.adding(days: 20).description])
            #expect(response.status == .seeOther)
            let experiment = try #require(
                try await TandemExperiment.query(on: app.db).filter(\.$tandem.$id == tandem.id!)
                    .sort(\.$createdAt, .descending).first())
            try await mentee.get(space)
            response = try await mentee.post(
                "\(space)/experiments/\(experiment.id!)",
                ["status": "done", "happened": "\(marker)-passiert", "learned": "\(marker)-gelernt"])
            #expect(response.status == .seeOther)
            // The two see it.
            let page = try await mentor.get(space)
            #expect(page.body.contains("\(marker)-ziel"))
            #expect(page.body.contains("\(marker)-gelernt"))
            #expect(!page.body.contains("\(marker)-reflexion"), "the mentee's reflection is hers alone")

            // Every page an organiser can open, for both programmes, and every export.
            let organiser = try await TandemSpaceTests.signedIn(app, scene.fixture.organiser)
            var checked = 0
            for programmeID in [scene.fixture.programme.id!, tandem.$programme.id] {
                for route in app.routes.all where route.method == .GET {
                    var path = AccessTests.pattern(of: route)
                    guard path.hasPrefix("/organiser") || ["/dashboard", "/account/export", "/"].contains(path) else {
                        continue
                    }
                    path = scene.path(path.replacingOccurrences(of: "{programme}", with: programmeID.uuidString))
                    for variant in path.hasSuffix(".csv") ? [path, path + "?format=excel"] : [path] {
                        let response = try await organiser.get(variant)
                        #expect(response.status.code < 500, "\(variant)")
                        #expect(!response.body.contains(marker), "\(variant) shows confidential text")
                        checked += 1
                    }
                }
            }
            #expect(checked > 20)
            // The audit log and the outbox are tables organisers read through pages; check them at the source too.
            for event in try await AuditEvent.query(on: app.db).all() { #expect(!event.details.contains(marker)) }
            for mail in try await OutboxMessage.query(on: app.db).all() {
                #expect(!mail.textBody.contains(marker) && !mail.htmlBody.contains(marker), "\(mail.subject)")
            }

            // The database itself: no table holds the text (a dump or a backup shows none of it).
            let sql = try #require(app.db as? any SQLDatabase)
            let tables = try await MigrationTests.appTables(sql)
            for table in tables {
                let rows = try await sql.raw("SELECT * FROM \(ident: table)").all()
                for row in rows {
                    for column in row.allColumns {
                        if let text = try? row.decode(column: column, as: String?.self) {
                            #expect(!text.contains(marker), "\(table).\(column)")
                        }
                    }
                }
            }
            if case .sqlite(let path) = app.appConfig.database {
                // And the raw file, with its write-ahead log.
                for file in [path, path + "-wal"] {
                    guard let bytes = FileManager.default.contents(atPath: file) else { continue }
                    #expect(bytes.range(of: Data(marker.utf8)) == nil, "\(file) contains the marker")
                }
            }
            // The partner's own export holds what they wrote, opened.
            let export = try await mentee.get("/account/export")
            #expect(export.body.contains("\(marker)-reflexion"))
            #expect(export.body.contains("\(marker)-notiz"))
            let mentorExport = try await mentor.get("/account/export")
            #expect(!mentorExport.body.contains("\(marker)-reflexion"), "not the partner's reflection")
        }
    }
}
