import Fluent
import FluentSQLiteDriver

extension Database {
    /// A transaction that is tried again when SQLite refuses it for a concurrent writer. Fluent's SQLite
    /// transactions begin deferred: one that reads first and writes later cannot upgrade its lock when another
    /// connection committed meanwhile (SQLITE_BUSY_SNAPSHOT in WAL mode, a lock deadlock otherwise) and fails
    /// at once instead of waiting — seen when a 300-line import met the outbox worker marking mails sent. The
    /// transaction was rolled back, so running it again is safe; PostgreSQL never takes this path.
    func writeTransaction<T: Sendable>(
        _ closure: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await transaction(closure)
            } catch let error as SQLiteError where Self.isConflict(error) && attempt < 10 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(10 * attempt + Int.random(in: 0..<20)))
            }
        }
    }

    private static func isConflict(_ error: SQLiteError) -> Bool {
        switch error.reason {
        case .busy, .locked, .busyInSnapshot, .busyTimeout, .busyInRecovery: true
        default: false
        }
    }
}
