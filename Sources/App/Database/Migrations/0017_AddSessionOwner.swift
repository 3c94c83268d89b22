import Fluent
import SQLKit

/// Sessions name the person signed in (`user_id`, NULL when nobody is): a request reads its session and its
/// person in one query, and a person's sessions can be ended by id. No foreign key: SQLite cannot drop a
/// column that has one (revert), and a session whose person is gone reads as signed out anyway (LEFT JOIN).
/// Raw SQL with literal names; SQLite stores UUIDs as blobs like Fluent's `.uuid`.
struct AddSessionOwner: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let type = sql.dialect.name == "sqlite" ? "BLOB" : "UUID"
        try await sql.raw("ALTER TABLE sessions ADD COLUMN user_id \(unsafeRaw: type)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS ix_sessions_user ON sessions (user_id)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX IF EXISTS ix_sessions_user").run()
        try await sql.raw("ALTER TABLE sessions DROP COLUMN user_id").run()
    }
}
