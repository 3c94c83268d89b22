import Fluent

/// Personal event links, check-ins, talk ratings with private notes, shortlists, the external meeting-link
/// option, the shortlist deadline and closing the kickoff; the outbox learns calendar attachments.
struct CreateKickoffParticipation: AsyncMigration {
    static let kickoffColumns: [AddedColumn] = [
        ("video_mode", .string, .sql(.default("builtIn"))),
        ("meeting_link_template", .string, nil),
        ("shortlist_deadline", .datetime, nil),
        ("invitations_sent_at", .datetime, nil),
        ("invitation_sequence", .int, .sql(.default(0))),
        ("reminders_sent_at", .datetime, nil),
        ("closed_at", .datetime, nil),
        ("room_secret", .string, .sql(.default(""))),
    ]

    func prepare(on database: any Database) async throws {
        try await database.addColumns(Self.kickoffColumns, to: "kickoffs")
        try await database.schema("outbox_messages").field("calendar_ics", .string).update()
        try await database.schema("kickoff_passes")
            .id()
            .field("kickoff_id", .uuid, .required, .references("kickoffs", .id, onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", .id, onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema("kickoff_check_ins")
            .id()
            .field("kickoff_id", .uuid, .required, .references("kickoffs", .id, onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", .id, onDelete: .cascade))
            .field("checked_in_at", .datetime, .required)
            .unique(on: "kickoff_id", "user_id", name: "uq_kickoff_check_ins_person")
            .create()
        try await database.schema("talk_ratings")
            .id()
            .field("kickoff_id", .uuid, .required, .references("kickoffs", .id, onDelete: .cascade))
            .field("round", .int, .required)
            .field("rater_id", .uuid, .required, .references("users", .id, onDelete: .cascade))
            .field("partner_id", .uuid, .required, .references("users", .id, onDelete: .cascade))
            .field("answer", .string, .required)
            .field("note", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "kickoff_id", "round", "rater_id", name: "uq_talk_ratings_round_rater")
            .create()
        try await database.schema("kickoff_shortlists")
            .id()
            .field("kickoff_id", .uuid, .required, .references("kickoffs", .id, onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", .id, onDelete: .cascade))
            .field("picks", .string, .required)
            .field("submitted_at", .datetime, .required)
            .unique(on: "kickoff_id", "user_id", name: "uq_kickoff_shortlists_person")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["kickoff_shortlists", "talk_ratings", "kickoff_check_ins", "kickoff_passes"] {
            try await database.schema(table).delete()
        }
        try await database.schema("outbox_messages").deleteField("calendar_ics").update()
        try await database.dropColumns(Self.kickoffColumns.map(\.name), from: "kickoffs")
    }
}
