import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// The anonymous start page is rendered at most once a second per language, emptied by any programme change.
@Suite("Start page cache")
struct StartPageCacheTests {
    /// Renames a programme behind Fluent's back (no model middleware sees it), to tell a cached page from a fresh one.
    static func renameQuietly(_ programme: Programme, to name: String, on db: any Database) async throws {
        let sql = try #require(db as? any SQLDatabase)
        try await sql.raw("UPDATE programmes SET name = \(bind: name) WHERE id = \(bind: try programme.requireID())")
            .run()
    }

    @Test("Anonymous visitors share one render a second; a programme change through the app shows at once")
    func anonymousShareOneRender() async throws {
        try await withTestApp { app in
            let clock = ManualClock()
            app.clock = clock.clock
            let fixture = try await Fixture.make(on: app.db)
            let first = try await TestBrowser(app).get("/")
            #expect(first.body.contains("Testprogramm"))
            try await Self.renameQuietly(fixture.programme, to: "Stiller Name", on: app.db)
            // Within the second: the same page, from the cache.
            #expect(try await TestBrowser(app).get("/").body.contains("Testprogramm"))
            // A second later: rendered again.
            clock.advance(by: 1.5)
            #expect(try await TestBrowser(app).get("/").body.contains("Stiller Name"))
            // A change through the app empties the cache at once, without waiting.
            let stored = try #require(try await Programme.find(fixture.programme.requireID(), on: app.db))
            stored.name = "Neuer Name"
            try await stored.save(on: app.db)
            #expect(try await TestBrowser(app).get("/").body.contains("Neuer Name"))
        }
    }

    @Test("Visitors with a session, signed-in people, query strings and each language get their own render")
    func personalPagesNotShared() async throws {
        try await withTestApp { app in
            let clock = ManualClock()
            app.clock = clock.clock
            let fixture = try await Fixture.make(on: app.db)
            _ = try await TestBrowser(app).get("/")  // fills the cache (German)
            try await Self.renameQuietly(fixture.programme, to: "Stiller Name", on: app.db)
            let signedIn = TestBrowser(app)
            try await signedIn.signIn(as: fixture.mentee)
            #expect(try await signedIn.get("/").body.contains("Stiller Name"))
            #expect(try await TestBrowser(app).get("/?signedOut=1").body.contains("Stiller Name"))
            let english = TestBrowser(app)
            english.cookies["lang"] = "en"
            let page = try await english.get("/")
            #expect(page.body.contains("Stiller Name") && page.body.contains("lang=\"en\""))
            // The German anonymous page is still the cached one.
            #expect(try await TestBrowser(app).get("/").body.contains("Testprogramm"))
        }
    }
}
