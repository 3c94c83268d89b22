import Fluent
import Foundation
import Mentoring
import Testing
import VaporTesting

@testable import App

/// The organisers' dashboard reads its programmes and outbox numbers through a cache shared by all organisers: a
/// change made through the app shows at once, one behind the app's back (the outbox worker) within 5 s.
@Suite("Organiser dashboard cache")
struct OrganiserOverviewCacheTests {
    @Test("New programmes, participants and write requests show at once; the worker's mail within 5 s")
    func freshness() async throws {
        let clock = ManualClock()
        try await withTestApp(clock: clock) { app in
            let fixture = try await Fixture.make(on: app.db)
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.organiser)
            func dashboard() async throws -> String { try await browser.get(SiteURL.dashboard.path).body }
            let before = try await dashboard()
            #expect(before.contains(fixture.programme.name))
            let pending = try await OutboxMessage.query(on: app.db).filter(\.$status == .pending).count()
            #expect(before.contains("Postausgang: \(pending) wartend, 0 fehlgeschlagen"))

            // A programme made through Fluent (as the form and the CLI do) shows at once.
            let second = Programme(name: "Zweites Programm für den Cache", description: "")
            try await second.create(on: app.db)
            #expect(try await dashboard().contains("Zweites Programm für den Cache"))

            // A participant counts at once.
            let user = User(email: "neu.mentee@test.example", name: "Neu Mentee")
            try await user.create(on: app.db)
            try await Participation(userID: user.requireID(), programmeID: second.requireID(), role: .mentee)
                .create(on: app.db)
            let row = try #require(
                try await dashboard().components(separatedBy: "Zweites Programm für den Cache").last?
                    .components(separatedBy: "</tr>").first)
            #expect(row.contains("data-label=\"Mentees\">1</td>"))

            // The worker gives up on an e-mail behind the app's back: the number stays for a moment …
            try await OutboxMessage.query(on: app.db).set(\.$status, to: .failed).update()
            #expect(try await dashboard().contains("Postausgang: \(pending) wartend, 0 fehlgeschlagen"))
            // … until the cache's 5 s have passed,
            clock.advance(by: 6)
            #expect(try await dashboard().contains("Postausgang: 0 wartend, \(pending) fehlgeschlagen"))
            // … or a write request comes in (here an organiser queues the failed mail again).
            try await OutboxMessage.query(on: app.db).set(\.$status, to: .pending).update()
            #expect(try await dashboard().contains("Postausgang: 0 wartend, \(pending) fehlgeschlagen"))
            try await browser.post(SiteURL.accountLanguage.path, ["locale": "de"])
            #expect(try await dashboard().contains("Postausgang: \(pending) wartend, 0 fehlgeschlagen"))
        }
    }
}
