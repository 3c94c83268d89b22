import Fluent
import FluentSQLiteDriver
import Foundation
import Testing
import VaporTesting

@testable import App

/// The direct SQLite reads (`SQLiteReadConnections`): page views use them, they read what Fluent reads, they refuse
/// writes, and they see every commit. SQLite only: on PostgreSQL the app has none and these tests return early.
@Suite("Direct SQLite reads")
struct SQLiteReadConnectionsTests {
    @Test("A page view reads through the read connections: the session, the tandem and everything in its space")
    func pageViewsUseThem() async throws {
        try await withTestApp { app in
            guard let reads = app.sqliteReads else { return }
            let fixture = try await Fixture.make(on: app.db)
            let scene = try await SpaceScene.make(fixture: fixture, app: app)
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.mentee)
            let path = "/tandem/\(try scene.tandem.requireID())"
            _ = try await browser.get(path)  // the first view may write the session's form token
            let before = reads.readsServed
            let page = try await browser.get(path)
            #expect(page.status == .ok && page.body.contains("https://video.example/raum"))
            // Session, tandem, partner, agreements, meetings, prompt marks, notes, experiments (the programme and its
            // prompt catalogue come from the 5-second caches).
            #expect(reads.readsServed - before >= 8)
        }
    }

    @Test("A write through a read connection fails and changes nothing")
    func writesFail() async throws {
        try await withTestApp { app in
            guard let reads = app.sqliteReads else { return }
            let fixture = try await Fixture.make(on: app.db)
            await #expect(throws: SQLiteReadError.self) {
                try await reads.sql.raw("DELETE FROM users").run()
            }
            await #expect(throws: SQLiteReadError.self) {
                try await reads.sql.raw("UPDATE users SET name = 'x' WHERE id = \(bind: fixture.mentor.requireID())")
                    .run()
            }
            #expect(try await User.query(on: app.db).count() == 3)
            #expect(try await User.find(fixture.mentor.id, on: app.db)?.name == fixture.mentor.name)
        }
    }

    @Test("A read sees the last commit; in a transaction, reads see the transaction's own writes")
    func freshness() async throws {
        try await withTestApp { app in
            guard let reads = app.sqliteReads else { return }
            try await SQLiteReadConnections.$current.withValue(reads) {
                for n in 0..<20 {
                    let user = User(email: "frisch-\(n)@test.example", name: "Frisch \(n)")
                    try await user.create(on: app.db)
                    #expect(try await User.load(user.requireID(), on: app.db)?.name == "Frisch \(n)")
                    user.name = "Geändert \(n)"
                    try await user.save(on: app.db)
                    #expect(try await User.load(user.requireID(), on: app.db)?.name == "Geändert \(n)")
                }
                let before = reads.readsServed
                try await app.db.transaction { db in
                    let user = User(email: "transaktion@test.example", name: "In der Transaktion")
                    try await user.create(on: db)
                    // Not committed yet: only the transaction's own connection can see it.
                    #expect(try await User.load(user.requireID(), on: db)?.name == "In der Transaktion")
                }
                #expect(reads.readsServed == before, "a read in a transaction used a read connection")
            }
        }
    }

    @Test("Values of every SQLite type come back as through Fluent's connection")
    func valuesAsFluent() async throws {
        try await withTestApp { app in
            guard let reads = app.sqliteReads else { return }
            struct Row: Decodable, Equatable {
                let i: Int
                let f: Double
                let t: String
                let b: Data
                let n: String?
                let d: Date
                let u: UUID
            }
            let text = String(repeating: "Grüße „aus“ Köln 👋🏽 <b>&amp;</b> ", count: 60)
            let blob = Data((0..<600).map { UInt8($0 % 256) })
            let uuid = UUID()
            let date = Date(timeIntervalSince1970: 1_800_000_123.25)
            let query: SQLQueryString = """
                SELECT \(bind: -42) AS i, \(bind: 3.5) AS f, \(bind: text) AS t, \(bind: blob) AS b,
                \(bind: String?.none) AS n, \(bind: date) AS d, \(bind: uuid) AS u
                """
            let direct = try await reads.sql.raw(query).first(decoding: Row.self)
            let fluent = try await (app.db as! any SQLDatabase).raw(query).first(decoding: Row.self)
            #expect(direct == fluent)
            #expect(direct?.t == text && direct?.b == blob && direct?.u == uuid && direct?.n == nil)
            // The typed column reads of the row types give the same.
            let row = try #require(try await reads.sql.raw(query).first())
            #expect(row is DirectSQLiteRow)
            #expect(try row.value("i", as: Int.self) == -42 && row.value("t", as: String.self) == text)
            #expect(try row.value("d", as: Date.self) == date && row.uuid("u") == uuid)
            #expect(try row.optionalValue("n", as: String.self) == nil && row.optionalUUID("n") == nil)
            #expect(throws: DecodingError.self) { try row.uuid("t") }
            #expect(throws: DecodingError.self) { try row.value("missing", as: Int.self) }
        }
    }

    @Test("A bad statement gives SQLite's message, and the connection reads on")
    func badStatement() async throws {
        try await withTestApp { app in
            guard let reads = app.sqliteReads else { return }
            do {
                _ = try await reads.sql.raw("SELECT nope FROM users").all()
                Issue.record("no error")
            } catch let error as SQLiteReadError {
                #expect(error.description.contains("no such column: nope"))
            }
            for _ in 0..<4 {
                #expect(
                    try await reads.sql.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(
                        column: "n", as: Int.self) == 0)
            }
        }
    }

    @Test("Many reads at once each get their own rows, also past the statement cache's bound")
    func concurrentAndManyStatements() async throws {
        try await withTestApp { app in
            guard let reads = app.sqliteReads else { return }
            var users: [User] = []
            for n in 0..<50 {
                let user = User(email: "parallel-\(n)@test.example", name: "Parallel \(n)")
                try await user.create(on: app.db)
                users.append(user)
            }
            let ids = try users.map { try $0.requireID() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for round in 0..<400 {
                    let index = round % ids.count
                    let id = ids[index]
                    group.addTask {
                        // Distinct statement texts (a comment with the round) go past the cache's 128 statements.
                        let row = try await reads.sql.raw(
                            "SELECT name FROM users WHERE id = \(bind: id) -- \(unsafeRaw: String(round % 300))"
                        ).first()
                        #expect(try row?.decode(column: "name", as: String.self) == "Parallel \(index)")
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}
