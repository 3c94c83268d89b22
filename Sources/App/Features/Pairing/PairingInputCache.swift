// swift-format-ignore-file: AlwaysUseLowerCamelCase

import Fluent
import Foundation
import Mentoring
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// What the pairing board reads that only the intake and the kickoff write: the people's profiles and the kickoff's
/// shortlists, marks and answers (some 20,000 rows for a thousand pairs, most of the board's time). Kept per
/// programme together with a fingerprint of the tables it comes from: each table's row count and latest change
/// time, read in one small query on every view. Any insert, delete or change with a timestamp (a new participant,
/// registration or application, a changed answer or shortlist) changes the fingerprint, and the next view reads
/// everything again. Tandems, bans, capacities and names are never cached: the board reads them on every view.
final class PairingInputCache: Sendable {
    struct Fingerprint: Hashable, Sendable, Decodable {
        let participations: Int
        let participations_at: Double?
        let registrations: Int
        let registrations_at: Double?
        let applications: Int
        let applications_at: Double?
        let ratings: Int
        let ratings_at: Double?
        let shortlists: Int
        let shortlists_at: Double?
    }

    /// The cached part, keyed as `PairingInput` keys people (the UUID's upper-case text).
    struct Part: Sendable {
        var menteeProfiles: [UUID: PairingData.MenteeProfile] = [:]
        var mentorProfiles: [UUID: PairingData.MentorProfile] = [:]
        var shortlists: [String: [String]] = [:]
        var marks: Set<PairID> = []
        var menteeAnswers: [PairID: ContinueAnswer] = [:]
        var mentorAnswers: [PairID: ContinueAnswer] = [:]
    }

    private let entries = NIOLockedValueBox<[UUID: (Fingerprint, Part)]>([:])
    /// Programmes kept at most; the oldest goes first.
    static let capacity = 16

    func value(for programme: UUID, fingerprint: Fingerprint) -> Part? {
        entries.withLockedValue { entries in
            guard let (stored, value) = entries[programme], stored == fingerprint else { return nil }
            return value
        }
    }

    func store(_ value: Part, for programme: UUID, fingerprint: Fingerprint) {
        entries.withLockedValue { entries in
            if entries[programme] == nil, entries.count >= Self.capacity, let any = entries.keys.first {
                entries[any] = nil
            }
            entries[programme] = (fingerprint, value)
        }
    }

    /// Row counts and latest change times (as numbers: SQLite keeps times as seconds, PostgreSQL as timestamps) of
    /// the tables the cached part comes from.
    static func fingerprint(programme: UUID, on db: any Database) async throws -> Fingerprint {
        let sql = try db.plainSQL
        let seconds = { (column: String) in
            sql.dialect.name == "sqlite" ? "MAX(\(column))" : "EXTRACT(EPOCH FROM MAX(\(column)))::float8"
        }
        let kickoffs = "SELECT id FROM kickoffs WHERE programme_id = "
        return try await sql.raw(
            """
            SELECT
              (SELECT COUNT(*) FROM participations WHERE programme_id = \(bind: programme)) AS participations,
              (SELECT \(unsafeRaw: seconds("created_at")) FROM participations WHERE programme_id = \(bind: programme))
                AS participations_at,
              (SELECT COUNT(*) FROM mentee_registrations WHERE programme_id = \(bind: programme)) AS registrations,
              (SELECT \(unsafeRaw: seconds("created_at")) FROM mentee_registrations WHERE programme_id = \(bind: programme))
                AS registrations_at,
              (SELECT COUNT(*) FROM mentor_applications WHERE programme_id = \(bind: programme)) AS applications,
              (SELECT \(unsafeRaw: seconds("created_at")) FROM mentor_applications WHERE programme_id = \(bind: programme))
                AS applications_at,
              (SELECT COUNT(*) FROM talk_ratings WHERE kickoff_id IN (\(unsafeRaw: kickoffs)\(bind: programme))) AS ratings,
              (SELECT \(unsafeRaw: seconds("updated_at")) FROM talk_ratings
                WHERE kickoff_id IN (\(unsafeRaw: kickoffs)\(bind: programme))) AS ratings_at,
              (SELECT COUNT(*) FROM kickoff_shortlists WHERE kickoff_id IN (\(unsafeRaw: kickoffs)\(bind: programme)))
                AS shortlists,
              (SELECT \(unsafeRaw: seconds("submitted_at")) FROM kickoff_shortlists
                WHERE kickoff_id IN (\(unsafeRaw: kickoffs)\(bind: programme))) AS shortlists_at
            """
        ).first(decoding: Fingerprint.self)!
    }
}

extension Application {
    private struct PairingInputCacheKey: StorageKey { typealias Value = PairingInputCache }

    /// The pairing board's cached kickoff input by programme (see ``PairingInputCache``).
    var pairingInputCache: PairingInputCache {
        if let cache = storage[PairingInputCacheKey.self] { return cache }
        let cache = PairingInputCache()
        storage[PairingInputCacheKey.self] = cache
        return cache
    }
}
