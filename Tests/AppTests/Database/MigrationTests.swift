import Fluent
import Foundation
import SQLKit
import Testing

@testable import App

/// The migrations on the test database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set): they migrate,
/// revert all and migrate again; each step's revert undoes exactly that step; the names Fluent records stay fixed.
@Suite struct MigrationTests {
    /// The names Fluent records in `_fluent_migrations`, in order. A shipped name must never change: a renamed
    /// migration type would run again on every existing database.
    static let expectedNames = [
        "App.CreateUser",
        "App.CreateProgramme",
        "App.CreateParticipation",
        "App.CreateLoginToken",
        "App.CreateSession",
        "App.CreateOutboxMessage",
        "App.UpdateProgrammeAddSettings",
        "App.CreateAuditEvent",
        "App.CreateMentorApplication",
        "App.UpdateProgrammeAddPublicCode",
        "App.CreateInvitation",
        "App.CreateMenteeRegistration",
        "App.UpdateOutboxAddQRURL",
        "App.CreateKickoff",
        "App.CreateKickoffParticipation",
        "App.AddLookupIndexes",
        "App.AddSessionOwner",
        "App.AddApplicationQueueIndex",
        "App.AddFunnelIndexes",
        "App.CreatePairing",
        "App.CreateTandemYear",
    ]

    /// The tables the migrations create.
    static let expectedTables = [
        "audit_events", "calendar_feeds", "invitations", "kickoff_check_ins", "kickoff_exclusions", "kickoff_meetings",
        "kickoff_passes",
        "kickoff_shortlists", "kickoffs", "login_tokens", "mentee_registrations", "mentor_applications",
        "outbox_messages", "pairing_bans", "pairing_boards",
        "participations", "programme_prompts", "programmes", "sessions", "talk_ratings", "tandem_agreements",
        "tandem_experiments", "tandem_meetings", "tandem_notes", "tandem_notices", "tandem_prompt_marks", "tandems",
        "users",
    ]

    @Test func recordedNamesInOrder() async throws {
        try await withTestApp { app in
            let sql = try #require(app.db as? any SQLDatabase)
            let rows = try await sql.raw("SELECT name FROM _fluent_migrations ORDER BY created_at").all()
            #expect(try rows.map { try $0.decode(column: "name", as: String.self) } == Self.expectedNames)
            // The registered list, in the order `registerMigrations` adds it.
            let registered = try await app.migrator.previewRevertAllBatches().get().map(\.0.name).reversed()
            #expect(Array(registered) == Self.expectedNames)
        }
    }

    @Test func migrateRevertAllMigrateAgain() async throws {
        try await withTestApp { app in
            let sql = try #require(app.db as? any SQLDatabase)
            #expect(try await Self.appTables(sql) == Self.expectedTables)
            let migrated = try await Self.shape(sql)

            try await app.autoRevert()
            #expect(try await Self.appTables(sql) == [])
            #expect(try await Self.shape(sql).filter { !$0.contains("_fluent_migrations") } == [])
            #expect(try await sql.raw("SELECT name FROM _fluent_migrations").all().isEmpty)

            try await app.autoMigrate()
            #expect(try await Self.shape(sql) == migrated)

            // Smoke check: the models work on the re-created tables.
            let fixture = try await Fixture.make(on: app.db)
            let programme = try #require(try await Programme.find(fixture.programme.requireID(), on: app.db))
            #expect(programme.name == "Testprogramm")
            #expect(try await User.query(on: app.db).count() == 3)
            #expect(try await Participation.query(on: app.db).filter(\.$role == .mentor).count() == 1)
        }
    }

    /// Applies the migrations one by one outside Fluent's log; after each step reverts it, checks the schema is
    /// exactly what it was before the step, and applies it again. A programme row exists from step 2 on, so
    /// columns are added to and dropped from a table with data, and the public code backfill has a row to fill.
    @Test func eachStepRevertsExactly() async throws {
        try await withTestApp { app in
            // One connection throughout: SQLite checks `ALTER TABLE … ADD` against the connection's cached schema, so
            // adding a column that another connection has just dropped fails ("duplicate column name") until this
            // connection reads again. Fluent's migrator also runs a whole batch on one connection.
            let db = app.db
            let sql = try #require(db as? any SQLDatabase)
            try await app.autoRevert()
            let steps = try await app.migrator.previewPrepareBatch().get().map(\.0)
            #expect(steps.map(\.name) == Self.expectedNames)
            let empty = try await Self.shape(sql)

            for step in steps {
                let before = try await Self.shape(sql)
                try await step.prepare(on: db).get()
                let after = try await Self.shape(sql)
                #expect(after != before, "\(step.name) changes nothing")
                try await step.revert(on: db).get()
                #expect(try await Self.shape(sql) == before, "\(step.name) does not revert exactly")
                try await step.prepare(on: db).get()
                #expect(try await Self.shape(sql) == after, "\(step.name) does not apply again the same way")
                if step.name == "App.CreateProgramme" {
                    try await sql.raw(
                        """
                        INSERT INTO programmes (id, name, description, phase, duration_months)
                        VALUES (\(bind: UUID()), 'Alt', '', 'intake', 12)
                        """
                    ).run()
                }
            }
            let codes = try await sql.raw("SELECT public_code FROM programmes").all()
                .map { try $0.decode(column: "public_code", as: String?.self) }
            #expect(codes.count == 1 && codes.allSatisfy { $0?.isEmpty == false })

            for step in steps.reversed() { try await step.revert(on: db).get() }
            #expect(try await Self.shape(sql) == empty)
            #expect(try await Self.appTables(sql) == [])
        }
    }

    // MARK: Reading the schema

    static func isSQLite(_ sql: any SQLDatabase) -> Bool { sql.dialect.name == "sqlite" }

    /// The tables in the test database other than Fluent's log, sorted.
    static func appTables(_ sql: any SQLDatabase) async throws -> [String] {
        let query: SQLQueryString =
            isSQLite(sql)
            ? "SELECT name AS line FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            : "SELECT table_name::text AS line FROM information_schema.tables WHERE table_schema = current_schema()"
        return try await lines(sql, query).filter { $0 != "_fluent_migrations" }
    }

    /// Every column (type, nullability, default), index and constraint in the test database, one line each, sorted:
    /// equal shapes mean equal schemas for the app's purposes (column order and SQLite's stored DDL text aside).
    static func shape(_ sql: any SQLDatabase) async throws -> [String] {
        var result: [String] = []
        if isSQLite(sql) {
            result += try await lines(
                sql,
                """
                SELECT 'column ' || m.name || '.' || p.name || ' ' || p.type || ' notnull=' || p."notnull"
                    || ' default=' || COALESCE(p.dflt_value, '-') || ' pk=' || p.pk AS line
                FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'
                """)
            result += try await lines(
                sql,
                """
                SELECT 'index ' || m.name || ' on ' || m.tbl_name || ' (' || (SELECT group_concat(i.name, ',')
                    FROM (SELECT name FROM pragma_index_info(m.name) ORDER BY seqno) i) || ')' AS line
                FROM sqlite_master m WHERE m.type = 'index'
                """)
            result += try await lines(
                sql,
                """
                SELECT 'fk ' || m.name || '.' || f."from" || ' -> ' || f."table" || '.' || f."to"
                    || ' on delete ' || f.on_delete AS line
                FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'
                """)
        } else {
            result += try await lines(
                sql,
                """
                SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' nullable=' || is_nullable
                    || ' default=' || COALESCE(column_default, '-') AS line
                FROM information_schema.columns WHERE table_schema = current_schema()
                """)
            result += try await lines(
                sql,
                """
                SELECT 'index ' || tablename || ' ' || indexdef AS line FROM pg_indexes WHERE schemaname = current_schema()
                """)
            result += try await lines(
                sql,
                """
                SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line
                FROM pg_constraint WHERE connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
                """)
        }
        return result.sorted()
    }

    static func lines(_ sql: any SQLDatabase, _ query: SQLQueryString) async throws -> [String] {
        try await sql.raw(query).all().map { try $0.decode(column: "line", as: String.self) }.sorted()
    }
}
