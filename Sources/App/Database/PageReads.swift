// swift-format-ignore-file: AlwaysUseLowerCamelCase

// (Row fields are the tables' column names, decoded by SQLKit without CodingKeys tables.)
import Fluent
import Foundation
import Mentoring
import SQLKit
import Vapor

// Reads that run on every view of a busy page, as literal SQL decoded into `Decodable` rows.
//
// Why not Fluent here: Fluent builds each model by reflection (`Mirror` over every property wrapper, per row)
// and SQLKit's query builder escapes every identifier on every call; together they were the largest share of a
// page's CPU time under load (`perf`, page benchmark). Literal SQL with bound values runs on SQLite and
// PostgreSQL alike. Writes, and reads off the hot path, stay with Fluent. A test (`PageReadsTests`) loads the
// same rows both ways and compares them field by field, so a new column cannot be forgotten silently.

extension Database {
    /// The SQL side of the database (both drivers provide one). In a request on SQLite, outside a transaction, the
    /// reads go through ``SQLiteReadConnections`` (one thread hop per query instead of one per row).
    var plainSQL: any SQLDatabase {
        get throws {
            guard let sql = self as? any SQLDatabase else {
                throw Abort(.internalServerError, reason: "database without SQL")
            }
            if !inTransaction, let reads = SQLiteReadConnections.current { return reads.sql }
            return sql
        }
    }

    /// The SQL side of Fluent's own connection, for writes (the read connections refuse them).
    var writingSQL: any SQLDatabase {
        get throws {
            guard let sql = self as? any SQLDatabase else {
                throw Abort(.internalServerError, reason: "database without SQL")
            }
            return sql
        }
    }
}

extension Programme {
    /// Every column of `programmes`, in the model's order.
    static let columns = """
        id, name, description, phase, kickoff_at, duration_months, created_at, focus_topics, contacts, patron_text,
        rounds_at_kickoff, minutes_per_round, shortlist_size, meeting_rhythm, required_talent_programme,
        minimum_tenure_months, application_deadline, privacy_notice, privacy_notice_version, public_code,
        partners_confirm, stalled_after_days
        """

    /// A stored programme as plain values (`Sendable`, so ``Application/programmeRowCache`` can keep it).
    struct Row: Decodable, Sendable {
        let id: UUID
        let name: String
        let description: String
        let phase: ProgrammePhase
        let kickoff_at: Date?
        let duration_months: Int
        let created_at: Date?
        let focus_topics: String
        let contacts: String
        let patron_text: String
        let rounds_at_kickoff: Int
        let minutes_per_round: Int
        let shortlist_size: Int
        let meeting_rhythm: String
        let required_talent_programme: String?
        let minimum_tenure_months: Int
        let application_deadline: String?
        let privacy_notice: String
        let privacy_notice_version: Int
        let public_code: String?
        let partners_confirm: Bool
        let stalled_after_days: Int

        /// A model marked as stored, so that a later `save` updates the row.
        var model: Programme {
            // The empty initialiser: the other one draws a new public code (32 random-number syscalls) for nothing.
            let programme = Programme()
            programme.id = id
            programme.name = name
            programme.description = description
            programme.phase = phase
            programme.kickoffAt = kickoff_at
            programme.durationMonths = duration_months
            programme.createdAt = created_at
            programme.focusTopicsJSON = focus_topics
            programme.contactsJSON = contacts
            programme.patronText = patron_text
            programme.roundsAtKickoff = rounds_at_kickoff
            programme.minutesPerRound = minutes_per_round
            programme.shortlistSize = shortlist_size
            programme.meetingRhythm = meeting_rhythm
            programme.requiredTalentProgramme = required_talent_programme
            programme.minimumTenureMonths = minimum_tenure_months
            programme.applicationDeadline = application_deadline
            programme.privacyNotice = privacy_notice
            programme.privacyNoticeVersion = privacy_notice_version
            programme.publicCode = public_code
            programme.partnersConfirm = partners_confirm
            programme.stalledAfterDays = stalled_after_days
            programme.$id.exists = true
            return programme
        }
    }

    /// One programme by id, or nil.
    static func load(_ id: UUID, on db: any Database) async throws -> Programme? {
        try await db.plainSQL.raw("SELECT \(unsafeRaw: columns) FROM programmes WHERE id = \(bind: id)")
            .first(decoding: Row.self)?.model
    }

    /// The programme for a page view (GET): its row from ``Application/programmeRowCache`` (5 s at most; any write
    /// request and any Fluent change of a programme empty it), a fresh model each time. Writes read the row anew.
    static func loadForReading(_ id: UUID, req: Request) async throws -> Programme? {
        do {
            return try await req.application.programmeRowCache.value(for: id, now: req.now) {
                // An unknown id is not kept: a stranger's guesses must not fill the cache.
                guard
                    let row = try await req.db.plainSQL.raw(
                        "SELECT \(unsafeRaw: columns) FROM programmes WHERE id = \(bind: id)"
                    ).first(decoding: Row.self)
                else { throw AppError.notFound }
                return row
            }.model
        } catch AppError.notFound {
            return nil
        }
    }

    /// Every programme, oldest first.
    static func loadAll(on db: any Database) async throws -> [Programme] {
        try await db.plainSQL.raw("SELECT \(unsafeRaw: columns) FROM programmes ORDER BY created_at, id")
            .all(decoding: Row.self).map(\.model)
    }

    private struct Counts: Decodable {
        let mentor_count: Int
        let mentee_count: Int
    }

    /// Every programme, oldest first, with its numbers of mentors and mentees: one query for the dashboard.
    static func loadAllWithCounts(
        on db: any Database
    ) async throws -> [(programme: Programme, mentors: Int, mentees: Int)] {
        let rows = try await db.plainSQL.raw(
            """
            SELECT \(unsafeRaw: columns),
              (SELECT COUNT(*) FROM participations p WHERE p.programme_id = programmes.id AND p.role = \(bind: ParticipantRole.mentor.rawValue)) AS mentor_count,
              (SELECT COUNT(*) FROM participations p WHERE p.programme_id = programmes.id AND p.role = \(bind: ParticipantRole.mentee.rawValue)) AS mentee_count
            FROM programmes ORDER BY created_at, id
            """
        ).all()
        return try rows.map { row in
            let counts = try row.decode(model: Counts.self)
            return (try row.decode(model: Row.self).model, counts.mentor_count, counts.mentee_count)
        }
    }

    /// The programmes the public start page shows (neither draft nor closed), by name.
    static func loadPublic(on db: any Database) async throws -> [Programme] {
        try await db.plainSQL.raw(
            """
            SELECT \(unsafeRaw: columns) FROM programmes
            WHERE phase <> \(bind: ProgrammePhase.draft.rawValue) AND phase <> \(bind: ProgrammePhase.closed.rawValue)
            ORDER BY name, id
            """
        ).all(decoding: Row.self).map(\.model)
    }
}

extension Application {
    private struct ProgrammeRowCacheKey: StorageKey { typealias Value = GenerationCache<UUID, Programme.Row> }

    /// Programme rows by id for page views (``Programme/loadForReading(_:req:)``), made in `configure`.
    var programmeRowCache: GenerationCache<UUID, Programme.Row> { generationCache(ProgrammeRowCacheKey.self) }
}

/// The facts of a kickoff the programme page shows.
struct KickoffFacts: Decodable, Sendable {
    let starts_at: Date
    let rounds: Int
    let round_seconds: Int
    let closed_at: Date?
    let shortlist_deadline: Date?

    static func load(programme: UUID, on db: any Database) async throws -> KickoffFacts? {
        try await db.plainSQL.raw(
            """
            SELECT starts_at, rounds, round_seconds, closed_at, shortlist_deadline FROM kickoffs WHERE programme_id = \(bind: programme) LIMIT 1
            """
        ).first(decoding: KickoffFacts.self)
    }
}

/// One line of a programme's audit log as the programme page lists it.
struct AuditLine: Decodable, Sendable {
    let actor_name: String
    let action: String
    let details: String
    let created_at: Date?

    /// The newest `limit` entries.
    static func latest(programme: UUID, limit: Int, on db: any Database) async throws -> [AuditLine] {
        try await db.plainSQL.raw(
            """
            SELECT actor_name, action, details, created_at FROM audit_events WHERE programme_id = \(bind: programme)
            ORDER BY created_at DESC LIMIT \(literal: limit)
            """
        ).all(decoding: AuditLine.self)
    }
}

/// A row of `users` as the literal-SQL reads select it, and the stored model made from it.
struct UserRow: Decodable {
    let id: UUID
    let email: String
    let name: String
    let locale: String
    let is_organiser: Bool
    let password_hash: String?
    let created_at: Date?

    /// The select list for table alias `table`; with a `prefix` every column is renamed `<prefix><column>`
    /// (decode with `decode(model:prefix:)`), for rows that join users to something else.
    static func columns(of table: String, prefix: String = "") -> String {
        ["id", "email", "name", "locale", "is_organiser", "password_hash", "created_at"]
            .map { prefix.isEmpty ? "\(table).\($0)" : "\(table).\($0) AS \(prefix)\($0)" }.joined(separator: ", ")
    }

    /// A model marked as stored, so that a later `save` updates the row.
    var model: User {
        let user = User(id: id, email: email, name: name, locale: locale, isOrganiser: is_organiser)
        user.passwordHash = password_hash
        user.createdAt = created_at
        user.$id.exists = true
        return user
    }
}

extension User {
    /// One person by id: the signed-in person when the session was stored before it named its person, a tandem
    /// partner.
    static func load(_ id: UUID, on db: any Database) async throws -> User? {
        try await db.plainSQL.raw("SELECT \(unsafeRaw: UserRow.columns(of: "u")) FROM users u WHERE u.id = \(bind: id)")
            .first(decoding: UserRow.self)?.model
    }

    private struct ParticipantRow: Decodable {
        let role: String
    }

    /// Everybody taking part in a programme with their role: one joined query (the kickoff pages list all of
    /// them; Fluent's eager load built a thousand models by reflection per view).
    static func participants(programme: UUID, on db: any Database) async throws -> [(user: User, role: ParticipantRole)]
    {
        let rows = try await db.plainSQL.raw(
            """
            SELECT \(unsafeRaw: UserRow.columns(of: "u")), p.role FROM participations p JOIN users u ON u.id = p.user_id
            WHERE p.programme_id = \(bind: programme)
            """
        ).all()
        return try rows.compactMap { row in
            guard let role = ParticipantRole(rawValue: try row.decode(model: ParticipantRow.self).role) else {
                return nil
            }
            return (try row.decode(model: UserRow.self).model, role)
        }
    }
}
