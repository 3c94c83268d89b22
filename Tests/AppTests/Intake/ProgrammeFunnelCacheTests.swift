import Fluent
import Foundation
import Mentoring
import SQLKit
import Testing
import VaporTesting

@testable import App

/// The programme cockpit reads its funnel through a cache: a change made through the app shows at once, a change
/// made behind the app's back (a query-builder update, the outbox worker) within the cache's lifetime.
@Suite("Programme funnel cache")
struct ProgrammeFunnelCacheTests {
    static func undecided(_ page: String) -> Int? {
        for n in 0...9 where page.contains("\(n) Bewerbung\(n == 1 ? "" : "en") ohne Entscheidung") { return n }
        return nil
    }

    @Test("The cockpit shows changes through Fluent and write requests at once, other changes within 5 s")
    func freshness() async throws {
        let clock = ManualClock()
        try await withTestApp(clock: clock) { app in
            #expect(try await DemoProgramme.seedIfEmpty(on: app.db, now: clock.now, sealer: app.sealer))
            let programme = try #require(try await Programme.query(on: app.db).first())
            let organiser = try #require(try await User.query(on: app.db).filter(\.$isOrganiser == true).first())
            let browser = TestBrowser(app)
            try await browser.signIn(as: organiser)
            let path = SiteURL.programme(try programme.requireID()).path
            let submitted = try await MentorApplicationRecord.query(on: app.db).filter(\.$status == .submitted).all()
            try #require(submitted.count == 3)
            #expect(Self.undecided(try await browser.get(path).body) == 3)

            // Through a Fluent model: the model middleware empties the cache.
            submitted[0].status = .preselected
            try await submitted[0].save(on: app.db)
            #expect(Self.undecided(try await browser.get(path).body) == 2)

            // Behind the app's back (no model middleware): the cached numbers stay for a moment …
            try await MentorApplicationRecord.query(on: app.db).filter(\.$id == submitted[1].requireID())
                .set(\.$status, to: .declined).update()
            #expect(Self.undecided(try await browser.get(path).body) == 2)
            // … until the cache's lifetime has passed,
            clock.advance(by: 6)
            #expect(Self.undecided(try await browser.get(path).body) == 1)
            // … or any write request (here a review decision, itself a query-builder update) comes in.
            try await MentorApplicationRecord.query(on: app.db).filter(\.$id == submitted[2].requireID())
                .set(\.$status, to: .declined).update()
            #expect(Self.undecided(try await browser.get(path).body) == 1)
            try await browser.post(
                SiteURL.programme(try programme.requireID(), .applicationsDecide).path, ["decision": "preselected"])
            #expect(Self.undecided(try await browser.get(path).body) == nil)
        }
    }

    @Test("The cockpit's audit lines: a change through Fluent shows at once, one behind the app's back within 5 s")
    func cockpitFacts() async throws {
        let clock = ManualClock()
        try await withTestApp(clock: clock) { app in
            let fixture = try await Fixture.make(on: app.db)
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.organiser)
            let id = try fixture.programme.requireID()
            let path = SiteURL.programme(id).path
            #expect(!(try await browser.get(path).body.contains("Cache-Probe")))
            // Through Fluent (as every audit entry is written): the model middleware empties the cache.
            try await AuditEvent(
                actor: fixture.organiser, programmeID: id, action: "programme.updated", details: "Cache-Probe"
            )
            .create(on: app.db)
            #expect(try await browser.get(path).body.contains("Cache-Probe"))
            // Behind the app's back: the cached lines stay for a moment, then the new text shows.
            try await (app.db as? any SQLDatabase)?.raw("UPDATE audit_events SET details = 'Hinter dem Rücken'").run()
            #expect(try await browser.get(path).body.contains("Cache-Probe"))
            clock.advance(by: 6)
            let page = try await browser.get(path).body
            #expect(page.contains("Hinter dem Rücken") && !page.contains("Cache-Probe"))
        }
    }

    @Test("Page views read the programme through the cache; writes and unknown ids go to the database")
    func programmeRows() async throws {
        let clock = ManualClock()
        try await withTestApp(clock: clock) { app in
            let fixture = try await Fixture.make(on: app.db)
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.organiser)
            let id = try fixture.programme.requireID()
            let path = SiteURL.programme(id).path
            #expect(try await browser.get(path).body.contains(fixture.programme.name))
            // Renamed behind the app's back: the page keeps the cached name for a moment, then shows the new one.
            try await (app.db as? any SQLDatabase)?.raw("UPDATE programmes SET name = 'Umbenannt im Hintergrund'").run()
            #expect(try await browser.get(path).body.contains(fixture.programme.name))
            clock.advance(by: 6)
            #expect(try await browser.get(path).body.contains("Umbenannt im Hintergrund"))
            // Through Fluent: at once.
            let programme = try #require(try await Programme.find(id, on: app.db))
            programme.name = "Umbenannt mit Fluent"
            try await programme.save(on: app.db)
            #expect(try await browser.get(path).body.contains("Umbenannt mit Fluent"))
            // An unknown id is a 404 page and leaves nothing in the cache.
            let unknown = UUID()
            let missing = try await browser.get(SiteURL.programme(unknown).path)
            #expect(missing.status == .notFound)
            #expect(app.programmeRowCache.value(for: unknown, now: clock.now) == nil)
            #expect(app.programmeRowCache.value(for: id, now: clock.now)?.name == "Umbenannt mit Fluent")
        }
    }

    @Test("The tandem space's prompt catalogue: a change through the app shows at once, one behind its back within 5 s")
    func promptCatalogue() async throws {
        let clock = ManualClock()
        try await withTestApp(clock: clock) { app in
            let fixture = try await Fixture.make(on: app.db)
            let scene = try await SpaceScene.make(fixture: fixture, app: app)
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.mentor)
            let path = "/tandem/\(try scene.tandem.requireID())"
            let programmeID = try scene.programme.requireID()
            let first = try #require(DiscussionPrompts.defaults.first).german
            #expect(try await browser.get(path).body.contains(HTMLText.escape(first)))
            // Written behind the app's back: the space keeps the cached catalogue for a moment, then shows the new one.
            try await (app.db as? any SQLDatabase)?.raw(
                """
                INSERT INTO programme_prompts (id, programme_id, month, question_de, question_en, material_url)
                VALUES (\(bind: UUID()), \(bind: programmeID), 1, 'Frage im Hintergrund', 'Background question', NULL)
                """
            ).run()
            #expect(try await browser.get(path).body.contains(HTMLText.escape(first)))
            clock.advance(by: 6)
            #expect(try await browser.get(path).body.contains("Frage im Hintergrund"))
            // Through Fluent: at once.
            let prompt = try #require(try await ProgrammePrompt.query(on: app.db).first())
            prompt.questionDE = "Frage mit Fluent"
            try await prompt.save(on: app.db)
            #expect(try await browser.get(path).body.contains("Frage mit Fluent"))
        }
    }

    @Test("A value computed across an invalidation is not kept")
    func generationGuard() {
        let cache = GenerationCache<Int, String>(lifetime: 10)
        let now = Date(timeIntervalSince1970: 1_000)
        let generation = cache.generation
        cache.invalidate()
        cache.store("stale", for: 1, generation: generation, at: now)
        #expect(cache.value(for: 1, now: now) == nil)
        cache.store("fresh", for: 1, generation: cache.generation, at: now)
        #expect(cache.value(for: 1, now: now.addingTimeInterval(9)) == "fresh")
        #expect(cache.value(for: 1, now: now.addingTimeInterval(10)) == nil)
    }

    @Test("After expiry one caller recomputes while the others keep the previous value; an invalidation waits for none")
    func oneRefresher() async throws {
        struct Failure: Error {}
        let cache = GenerationCache<Int, String>(lifetime: 5)
        let start = Date(timeIntervalSince1970: 1_000)
        #expect(try await cache.value(for: 1, now: start) { "first" } == "first")
        let later = start.addingTimeInterval(6)
        guard case .stale("first", refresh: true) = cache.lookup(1, now: later) else {
            Issue.record("the first caller after expiry refreshes")
            return
        }
        // While that caller computes, everybody else gets the previous value at once.
        #expect(try await cache.value(for: 1, now: later) { "not computed" } == "first")
        cache.store("second", for: 1, generation: cache.generation, at: later)
        #expect(try await cache.value(for: 1, now: later) { "not computed" } == "second")
        // A failed refresh lets the next caller try again.
        let muchLater = later.addingTimeInterval(6)
        await #expect(throws: Failure.self) { try await cache.value(for: 1, now: muchLater) { throw Failure() } }
        #expect(try await cache.value(for: 1, now: muchLater) { "third" } == "third")
        // After an invalidation nobody sees the old value.
        cache.invalidate()
        #expect(try await cache.value(for: 1, now: muchLater) { "after the change" } == "after the change")
    }
}
