import Fluent
import SQLKit

/// Indexes for the lookups pages make on every view: participants of a programme by role, a programme's
/// audit log newest first, the outbox by status, sessions by last use (the purge), a person's participations
/// and applications. Unique constraints already index token hashes and (programme, person) pairs.
/// Raw SQL with literal names: the same statements work on SQLite and PostgreSQL, and renaming a model
/// later must not rewrite this step.
struct AddLookupIndexes: AsyncMigration {
    static let indexes: [MigrationIndex] = [
        ("ix_participations_programme_role", "participations", "programme_id, role"),
        ("ix_participations_user", "participations", "user_id"),
        ("ix_audit_events_programme_created", "audit_events", "programme_id, created_at"),
        ("ix_outbox_messages_status_next", "outbox_messages", "status, next_attempt_at"),
        ("ix_sessions_last_seen", "sessions", "last_seen_at"),
        ("ix_mentor_applications_user", "mentor_applications", "user_id"),
        ("ix_mentee_registrations_user", "mentee_registrations", "user_id"),
        ("ix_kickoff_meetings_kickoff_round", "kickoff_meetings", "kickoff_id, round"),
    ]

    func prepare(on database: any Database) async throws { try await database.createIndexes(Self.indexes) }

    func revert(on database: any Database) async throws { try await database.dropIndexes(Self.indexes) }
}
