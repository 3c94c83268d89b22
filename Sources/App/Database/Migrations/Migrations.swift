import Foundation
import Fluent
import Mentoring
import SQLKit

/// The one ordered list of migrations. Append only; never edit a shipped migration.
func registerMigrations(_ migrations: Migrations) {
    migrations.add(CreateUser())
    migrations.add(CreateProgramme())
    migrations.add(CreateParticipation())
    migrations.add(CreateLoginToken())
    migrations.add(CreateSession())
    migrations.add(CreateOutboxMessage())
    migrations.add(UpdateProgrammeAddSettings())
    migrations.add(CreateAuditEvent())
    migrations.add(CreateMentorApplication())
    migrations.add(UpdateProgrammeAddPublicCode())
    migrations.add(CreateInvitation())
    migrations.add(CreateMenteeRegistration())
    migrations.add(UpdateOutboxAddQRURL())
    migrations.add(CreateKickoff())
    migrations.add(CreateKickoffParticipation())
    migrations.add(AddLookupIndexes())
    migrations.add(AddSessionOwner())
}

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

/// Indexes for the lookups pages make on every view: participants of a programme by role, a programme's
/// audit log newest first, the outbox by status, sessions by last use (the purge), a person's participations
/// and applications. Unique constraints already index token hashes and (programme, person) pairs.
/// Raw SQL with literal names: the same statements work on SQLite and PostgreSQL, and renaming a model
/// later must not rewrite this step.
struct AddLookupIndexes: AsyncMigration {
    static let indexes: [(name: String, table: String, columns: String)] = [
        ("ix_participations_programme_role", "participations", "programme_id, role"),
        ("ix_participations_user", "participations", "user_id"),
        ("ix_audit_events_programme_created", "audit_events", "programme_id, created_at"),
        ("ix_outbox_messages_status_next", "outbox_messages", "status, next_attempt_at"),
        ("ix_sessions_last_seen", "sessions", "last_seen_at"),
        ("ix_mentor_applications_user", "mentor_applications", "user_id"),
        ("ix_mentee_registrations_user", "mentee_registrations", "user_id"),
        ("ix_kickoff_meetings_kickoff_round", "kickoff_meetings", "kickoff_id, round"),
    ]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes {
            try await sql.raw("CREATE INDEX IF NOT EXISTS \(unsafeRaw: index.name) ON \(unsafeRaw: index.table) (\(unsafeRaw: index.columns))").run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes {
            try await sql.raw("DROP INDEX IF EXISTS \(unsafeRaw: index.name)").run()
        }
    }
}

struct CreateUser: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema)
            .id()
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("locale", .string, .required)
            .field("is_organiser", .bool, .required)
            .field("password_hash", .string)
            .field("created_at", .datetime)
            .unique(on: "email")
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema(User.schema).delete() }
}

struct CreateProgramme: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // Enums are stored as plain strings (not native enums) so SQLite and PostgreSQL behave alike
        // and new cases need no type migration.
        try await database.schema(Programme.schema)
            .id()
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("phase", .string, .required)
            .field("kickoff_at", .datetime)
            .field("duration_months", .int, .required)
            .field("created_at", .datetime)
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema(Programme.schema).delete() }
}

struct CreateParticipation: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Participation.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("role", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "user_id", "programme_id")
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema(Participation.schema).delete() }
}

struct CreateLoginToken: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LoginToken.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema(LoginToken.schema).delete() }
}

struct CreateSession: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserSession.schema)
            .id()
            .field("id_hash", .string, .required)
            .field("data", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .unique(on: "id_hash")
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema(UserSession.schema).delete() }
}

struct CreateOutboxMessage: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema)
            .id()
            .field("to_email", .string, .required)
            .field("to_name", .string, .required)
            .field("locale", .string, .required)
            .field("subject", .string, .required)
            .field("text_body", .string, .required)
            .field("html_body", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("last_error", .string)
            .field("next_attempt_at", .datetime, .required)
            .field("sent_at", .datetime)
            .field("created_at", .datetime)
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema(OutboxMessage.schema).delete() }
}

struct UpdateProgrammeAddSettings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // SQLite can add only one column per ALTER TABLE, so one update per column.
        let columns: [(String, DatabaseSchema.DataType, DatabaseSchema.FieldConstraint?)] = [
            ("focus_topics", .string, .sql(.default("[]"))),
            ("contacts", .string, .sql(.default("[]"))),
            ("patron_text", .string, .sql(.default(""))),
            ("rounds_at_kickoff", .int, .sql(.default(8))),
            ("minutes_per_round", .int, .sql(.default(5))),
            ("shortlist_size", .int, .sql(.default(3))),
            ("meeting_rhythm", .string, .sql(.default("monthly"))),
            ("required_talent_programme", .string, nil),
            ("minimum_tenure_months", .int, .sql(.default(6))),
            ("application_deadline", .string, nil),
            ("privacy_notice", .string, .sql(.default(""))),
            ("privacy_notice_version", .int, .sql(.default(1))),
        ]
        for (name, type, constraint) in columns {
            var builder = database.schema(Programme.schema)
            if let constraint {
                builder = builder.field(.definition(name: .key(.init(stringLiteral: name)), dataType: type, constraints: [.required, constraint]))
            } else {
                builder = builder.field(.init(stringLiteral: name), type)
            }
            try await builder.update()
        }
    }

    func revert(on database: any Database) async throws {
        for name in ["focus_topics", "contacts", "patron_text", "rounds_at_kickoff", "minutes_per_round", "shortlist_size",
                     "meeting_rhythm", "required_talent_programme", "minimum_tenure_months", "application_deadline",
                     "privacy_notice", "privacy_notice_version"] {
            try await database.schema(Programme.schema).deleteField(.init(stringLiteral: name)).update()
        }
    }
}

struct CreateAuditEvent: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema)
            .id()
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("programme_id", .uuid)
            .field("action", .string, .required)
            .field("details", .string, .required)
            .field("created_at", .datetime)
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema(AuditEvent.schema).delete() }
}

struct CreateMentorApplication: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MentorApplicationRecord.schema)
            .id()
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("team_role", .string, .required)
            .field("company_start_date", .string, .required)
            .field("took_part_in_talent_programme", .bool, .required)
            .field("expertise_topics", .string, .required)
            .field("languages", .string, .required)
            .field("motivation", .string, .required)
            .field("status", .string, .required)
            .field("eligible", .bool, .required)
            .field("findings", .string, .required)
            .field("tenure_months", .int, .required)
            .field("override_reason", .string)
            .field("confirmed_at", .datetime)
            .field("decided_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "programme_id", "user_id")
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema(MentorApplicationRecord.schema).delete() }
}

struct UpdateProgrammeAddPublicCode: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Programme.schema).field("public_code", .string).update()
        // Raw SQL, not the model: the model may have gained columns that later migrations add.
        let sql = database as! any SQLDatabase
        for row in try await sql.select().column("id").from(Programme.schema).all() {
            let id = try row.decode(column: "id", as: UUID.self)
            try await sql.update(Programme.schema).set("public_code", to: SQLBind(SecureToken.generate()))
                .where("id", .equal, SQLBind(id)).run()
        }
    }
    func revert(on database: any Database) async throws {
        try await database.schema(Programme.schema).deleteField("public_code").update()
    }
}

struct CreateInvitation: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Invitation.schema)
            .id()
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("name", .string, .required)
            .field("email", .string, .required)
            .field("company", .string, .required)
            .field("position", .string, .required)
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("status", .string, .required)
            .field("registered_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "programme_id", "email")
            .unique(on: "token_hash")
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema(Invitation.schema).delete() }
}

struct CreateMenteeRegistration: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MenteeRegistration.schema)
            .id()
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("invitation_id", .uuid, .references(Invitation.schema, .id, onDelete: .setNull))
            .field("company", .string, .required)
            .field("position", .string, .required)
            .field("topics", .string, .required)
            .field("languages", .string, .required)
            .field("questions", .string, .required)
            .field("status", .string, .required)
            .field("privacy_notice_version", .int, .required)
            .field("consented_at", .datetime, .required)
            .field("created_at", .datetime)
            .unique(on: "programme_id", "user_id")
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema(MenteeRegistration.schema).delete() }
}

struct UpdateOutboxAddQRURL: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema).field("qr_url", .string).update()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema).deleteField("qr_url").update()
    }
}

struct CreateKickoff: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Kickoff.schema)
            .id()
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("starts_at", .datetime, .required)
            .field("rounds", .int, .required)
            .field("round_seconds", .int, .required)
            .field("break_seconds", .int, .required)
            .field("controls", .string, .required)
            .field("planned_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "programme_id")
            .create()
        try await database.schema(KickoffMeeting.schema)
            .id()
            .field("kickoff_id", .uuid, .required, .references(Kickoff.schema, .id, onDelete: .cascade))
            .field("round", .int, .required)
            .field("mentee_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("mentor_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("fit", .int, .required)
            // Named: PostgreSQL cuts identifiers at 63 bytes, and Fluent's generated names for these two collide.
            .unique(on: "kickoff_id", "round", "mentee_id", name: "uq_kickoff_meetings_round_mentee")
            .unique(on: "kickoff_id", "round", "mentor_id", name: "uq_kickoff_meetings_round_mentor")
            .create()
        try await database.schema(KickoffExclusion.schema)
            .id()
            .field("kickoff_id", .uuid, .required, .references(Kickoff.schema, .id, onDelete: .cascade))
            .field("mentee_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("mentor_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .unique(on: "kickoff_id", "mentee_id", "mentor_id", name: "uq_kickoff_exclusions_pair")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(KickoffExclusion.schema).delete()
        try await database.schema(KickoffMeeting.schema).delete()
        try await database.schema(Kickoff.schema).delete()
    }
}

/// Personal event links, check-ins, talk ratings with private notes, shortlists, the external meeting-link
/// option, the shortlist deadline and closing the kickoff; the outbox learns calendar attachments.
struct CreateKickoffParticipation: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // SQLite can add only one column per ALTER TABLE, so one update per column.
        let kickoffColumns: [(String, DatabaseSchema.DataType, DatabaseSchema.FieldConstraint?)] = [
            ("video_mode", .string, .sql(.default("builtIn"))),
            ("meeting_link_template", .string, nil),
            ("shortlist_deadline", .datetime, nil),
            ("invitations_sent_at", .datetime, nil),
            ("invitation_sequence", .int, .sql(.default(0))),
            ("reminders_sent_at", .datetime, nil),
            ("closed_at", .datetime, nil),
            ("room_secret", .string, .sql(.default(""))),
        ]
        for (name, type, constraint) in kickoffColumns {
            var builder = database.schema(Kickoff.schema)
            if let constraint {
                builder = builder.field(.definition(name: .key(.init(stringLiteral: name)), dataType: type, constraints: [.required, constraint]))
            } else {
                builder = builder.field(.init(stringLiteral: name), type)
            }
            try await builder.update()
        }
        try await database.schema(OutboxMessage.schema).field("calendar_ics", .string).update()
        try await database.schema(KickoffPass.schema)
            .id()
            .field("kickoff_id", .uuid, .required, .references(Kickoff.schema, .id, onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema(KickoffCheckIn.schema)
            .id()
            .field("kickoff_id", .uuid, .required, .references(Kickoff.schema, .id, onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("checked_in_at", .datetime, .required)
            .unique(on: "kickoff_id", "user_id", name: "uq_kickoff_check_ins_person")
            .create()
        try await database.schema(TalkRating.schema)
            .id()
            .field("kickoff_id", .uuid, .required, .references(Kickoff.schema, .id, onDelete: .cascade))
            .field("round", .int, .required)
            .field("rater_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("partner_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("answer", .string, .required)
            .field("note", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "kickoff_id", "round", "rater_id", name: "uq_talk_ratings_round_rater")
            .create()
        try await database.schema(KickoffShortlist.schema)
            .id()
            .field("kickoff_id", .uuid, .required, .references(Kickoff.schema, .id, onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("picks", .string, .required)
            .field("submitted_at", .datetime, .required)
            .unique(on: "kickoff_id", "user_id", name: "uq_kickoff_shortlists_person")
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [KickoffShortlist.schema, TalkRating.schema, KickoffCheckIn.schema, KickoffPass.schema] {
            try await database.schema(schema).delete()
        }
        try await database.schema(OutboxMessage.schema).deleteField("calendar_ics").update()
        for name in ["video_mode", "meeting_link_template", "shortlist_deadline", "invitations_sent_at", "invitation_sequence",
                     "reminders_sent_at", "closed_at", "room_secret"] {
            try await database.schema(Kickoff.schema).deleteField(.init(stringLiteral: name)).update()
        }
    }
}
