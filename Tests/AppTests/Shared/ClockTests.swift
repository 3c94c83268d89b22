import Fluent
import Foundation
import Mentoring
import Testing
import VaporTesting

@testable import App

/// The app reads the time from one clock (`app.clock`, `req.now`); tests move a ``ManualClock`` on instead of
/// sleeping or backdating rows.
@Suite("Time is injected")
struct ClockTests {
    /// Where `Date()` (or `Date.now`) may still appear in `Sources/App`: a path (prefix) and the code on the line.
    static let allowed: [(path: String, code: String, reason: String)] = [
        ("Sources/App/Shared/AppClock.swift", "", "the system clock itself and the manual clock's default start"),
        (
            "Sources/App/Shared/BatchedLogging.swift", "var now: @Sendable () -> Date = { Date() }",
            "log timestamps: logging starts before the app and its clock exist"
        ),
        (
            "Sources/App/Features/Kickoff/", "clock: @escaping @Sendable () -> Date = { Date() }",
            "KickoffHub's default (configure passes the app's clock; tests that build their own hub keep real time)"
        ),
    ]

    @Test("No `Date()` in Sources/App outside the clock and the allow-list")
    func noDirectDates() throws {
        let root = URL(fileURLWithPath: packageRoot)
        let sources = root.appendingPathComponent("Sources/App")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        #expect(files.count > 20, "found the sources")
        var found: [String] = []
        for file in files {
            let path = String(file.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            for (index, line) in try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
                .enumerated()
            {
                let code = line.trimmingCharacters(in: .whitespaces)
                guard !code.hasPrefix("//"), code.contains("Date()") || code.contains("Date.now") else { continue }
                if Self.allowed.contains(where: {
                    path.hasPrefix($0.path) && ($0.code.isEmpty || code.contains($0.code))
                }) {
                    continue
                }
                found.append("\(path):\(index + 1): \(code)")
            }
        }
        #expect(found.isEmpty, "read the time from `req.now` or `app.clock.now()`:\n\(found.joined(separator: "\n"))")
    }

    @Test("Sessions end after the idle timeout and the maximum age, by the clock")
    func sessionsExpire() async throws {
        let clock = ManualClock()
        try await withTestApp(clock: clock) { app in
            let fixture = try await Fixture.make(on: app.db)
            let idle = app.appConfig.sessionIdleTimeout, maxAge = app.appConfig.sessionMaxAge
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.mentor)
            // Each request within the idle timeout keeps the session going past it.
            for _ in 1...2 {
                clock.advance(by: idle - 60)
                #expect(try await browser.get("/dashboard").status == .ok)
            }
            clock.advance(by: idle + 1)
            #expect(try await browser.get("/dashboard").status == .seeOther, "idle too long")

            // Active all along, still over after the maximum age.
            let active = TestBrowser(app)
            try await active.signIn(as: fixture.mentor)
            let step = idle / 2
            var elapsed: TimeInterval = 0
            while elapsed + step < maxAge {
                clock.advance(by: step)
                elapsed += step
                #expect(try await active.get("/dashboard").status == .ok)
            }
            clock.advance(by: maxAge - elapsed + 1)
            #expect(try await active.get("/dashboard").status == .seeOther, "older than the maximum age")

            // The background purge uses the same clock.
            let idler = TestBrowser(app)
            try await idler.signIn(as: fixture.mentee)
            #expect(try await UserSession.query(on: app.db).count() > 0)
            clock.advance(by: idle + 1)
            try await DatabaseSessions.purgeExpired(on: app.db, idleTimeout: idle, maxAge: maxAge, now: app.clock.now())
            #expect(try await UserSession.query(on: app.db).count() == 0)
        }
    }

    @Test("The application form closes when the deadline day is over")
    func applicationDeadline() async throws {
        let timeZone = AppConfig.defaults.timeZone
        let clock = ManualClock(try #require(LocalDateTime.parse("2026-03-10T12:00", in: timeZone)))
        try await withTestApp(clock: clock) { app in
            let fixture = try await ApplicationTests.prepare(app)
            let id = try fixture.programme.requireID()
            fixture.programme.applicationDeadline = "2026-03-10"
            try await fixture.programme.save(on: app.db)
            let browser = TestBrowser(app)
            #expect(try await browser.get("/programmes/\(id)/apply").status == .ok, "open on the deadline day")
            clock.advance(by: 11 * 3600 + 59 * 60)  // 23:59
            #expect(try await browser.get("/programmes/\(id)/apply").status == .ok)
            clock.advance(by: 60)  // midnight in Berlin
            let closed = try await browser.get("/programmes/\(id)/apply")
            #expect(closed.status == .conflict)
            #expect(closed.body.contains("Bewerbungsschluss war am 10.03.2026"))
            let late = try await browser.post(
                "/programmes/\(id)/apply", ApplicationTests.form(email: "spaet@firma.example"))
            #expect(late.status == .conflict)
            #expect(try await MentorApplicationRecord.query(on: app.db).count() == 0)
        }
    }

    @Test("Shortlist: open after the event, reminded 24 hours before the deadline, closed after it")
    func shortlistDeadline() async throws {
        let clock = ManualClock()
        try await withTestApp(clock: clock) { app in
            let fixture = try await Fixture.make(on: app.db)
            let programmeID = try fixture.programme.requireID()
            let other = User(email: "zweite@test.example", name: "Zora Zweite")
            try await other.create(on: app.db)
            try await Participation(userID: other.requireID(), programmeID: programmeID, role: .mentor).create(
                on: app.db)
            let startsAt = clock.now.addingTimeInterval(3600)
            let kickoff = Kickoff(
                programmeID: programmeID, startsAt: startsAt, rounds: 2, roundSeconds: 300, breakSeconds: 30)
            kickoff.controlsJSON = JSONText.encode([KickoffTimeline.Control.start(at: startsAt)])
            try await kickoff.create(on: app.db)
            try await KickoffPlanning.generate(kickoff: kickoff, on: app.db, now: app.clock.now())
            let kickoffID = try kickoff.requireID()
            let path = "/kickoff/\(kickoffID)/shortlist"
            let mentee = TestBrowser(app)
            try await mentee.signIn(as: fixture.mentee)
            #expect(try await mentee.get(path).status == .conflict, "not before the event has ended")

            clock.set(kickoff.plannedEnd.addingTimeInterval(60))
            #expect(try await mentee.get(path).status == .ok)
            kickoff.shortlistDeadline = clock.now.addingTimeInterval(2 * 86400)
            try await kickoff.save(on: app.db)
            let met = try await KickoffMeeting.query(on: app.db).filter(\.$mentee.$id == fixture.mentee.requireID())
                .all()
            #expect(met.count == 2)
            let first = met[0].$mentor.id.uuidString
            #expect(try await mentee.post(path, ["choice1": first]).status == .seeOther)

            // Two days before the deadline no reminder is due; 24 hours before it, the mentors who have not
            // answered get one, once.
            let mentors = [fixture.mentor.email, other.email]
            try await ShortlistReminders.sendDue(app: app)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$toEmail ~~ mentors).count() == 0)
            clock.advance(by: 86400 + 60)
            try await ShortlistReminders.sendDue(app: app)
            try await ShortlistReminders.sendDue(app: app)
            let reminded = try await OutboxMessage.query(on: app.db).filter(\.$toEmail ~~ mentors).all().map(\.toEmail)
            #expect(reminded.sorted() == mentors.sorted(), "one each")

            // Until the deadline the shortlist can change; after it, not. (A day later the session has expired too.)
            try await mentee.signIn(as: fixture.mentee)
            #expect(try await mentee.post(path, ["choice1": met[1].$mentor.id.uuidString]).status == .seeOther)
            clock.advance(by: 86400)
            try await mentee.signIn(as: fixture.mentee)
            let late = try await mentee.post(path, ["choice1": first])
            #expect(late.status == .conflict)
            let stored = try await KickoffShortlist.query(on: app.db).filter(\.$user.$id == fixture.mentee.requireID())
                .first()
            #expect(stored?.picks.map(\.uuidString) == [met[1].$mentor.id.uuidString])
        }
    }
}
