import Fluent
import Foundation
import SQLKit

/// Key rotation: rewrites every sealed value that an older key sealed with the current `DATA_KEY`, table by table,
/// in one transaction (all or nothing). Run by `mentoring reseal` after setting the new key in `DATA_KEY` and the
/// old one in `DATA_KEY_PREVIOUS`; afterwards the old key can be dropped.
enum Resealing {
    /// Every sealed column, by table.
    static let columns: [(table: String, column: String)] = [
        ("tandem_agreements", "content_sealed"), ("tandem_meetings", "place_sealed"), ("tandem_notes", "body_sealed"),
        ("tandem_experiments", "content_sealed"),
    ]

    private struct Row: Decodable {
        let id: UUID
        let value: String
    }

    /// Returns how many values were rewritten.
    static func run(sealer: DataSealer, on db: any Database) async throws -> Int {
        try await db.transaction { db in
            guard let sql = db as? any SQLDatabase else { return 0 }
            var count = 0
            for (table, column) in columns {
                let rows = try await sql.raw("SELECT id, \(ident: column) AS value FROM \(ident: table)")
                    .all(decoding: Row.self)
                for row in rows where sealer.needsResealing(row.value) {
                    let fresh = try sealer.seal(try sealer.open(row.value))
                    try await sql.raw(
                        "UPDATE \(ident: table) SET \(ident: column) = \(bind: fresh) WHERE id = \(bind: row.id)"
                    ).run()
                    count += 1
                }
            }
            return count
        }
    }
}

extension Server {
    /// `mentoring data-key`: a new random key for `DATA_KEY` (32 bytes, base64).
    public static func newDataKey() -> String { DataSealer.newKey() }

    /// `mentoring reseal`: rewrites values sealed with a previous key (`DATA_KEY_PREVIOUS`) with `DATA_KEY`.
    public static func reseal() async throws -> String {
        var config = try AppConfig.fromEnvironment()
        config.runOutboxWorker = false
        var output = ""
        try await withApplication(config: config) { app in
            try await app.autoMigrate()
            let count = try await Resealing.run(sealer: app.sealer, on: app.db)
            output = "Resealed \(count) values with key \(app.sealer.currentKeyID)."
        }
        return output
    }
}
