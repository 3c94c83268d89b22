// swift-format-ignore-file: AlwaysUseLowerCamelCase

import Fluent
import Foundation
import SQLKit

/// A programme's tandems counted by status, in one grouped query (for the cockpit, which is read on every view).
struct TandemCounts: Sendable, Equatable {
    var draft = 0, proposed = 0, active = 0, declined = 0, withdrawn = 0, ended = 0

    /// Tandems that hold a mentee: drafts, proposed and active ones.
    var current: Int { draft + proposed + active }

    private struct Row: Decodable {
        let status: String
        let n: Int
    }

    static func load(programme: UUID, on db: any Database) async throws -> TandemCounts {
        var counts = TandemCounts()
        for row in try await db.plainSQL.raw(
            "SELECT status, COUNT(*) AS n FROM tandems WHERE programme_id = \(bind: programme) GROUP BY status"
        ).all(decoding: Row.self) {
            switch Tandem.Status(rawValue: row.status) {
            case .draft?: counts.draft = row.n
            case .proposed?: counts.proposed = row.n
            case .active?: counts.active = row.n
            case .declined?: counts.declined = row.n
            case .withdrawn?: counts.withdrawn = row.n
            case .ended?: counts.ended = row.n
            case nil: break
            }
        }
        return counts
    }
}
