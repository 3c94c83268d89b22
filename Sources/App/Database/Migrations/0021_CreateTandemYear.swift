import Fluent
import SQLKit

/// The tandem year: each tandem's agreement (every version kept), meetings, shared notes and private reflections,
/// experiments, marks on the monthly prompts, the automatic notices already sent; the programme's prompt catalogue;
/// each person's calendar feed; the programme's "stalled after" days. Confidential text is stored sealed
/// (`DataSealer`): the columns named `*_sealed`.
struct CreateTandemYear: AsyncMigration {
    static let programmeColumns: [AddedColumn] = [("stalled_after_days", .int, .sql(.default(45)))]
    static let indexes: [MigrationIndex] = [
        ("ix_tandem_agreements_tandem", "tandem_agreements", "tandem_id, version"),
        ("ix_tandem_meetings_tandem", "tandem_meetings", "tandem_id, starts_at"),
        ("ix_tandem_meetings_status", "tandem_meetings", "status, starts_at"),
        ("ix_tandem_notes_tandem", "tandem_notes", "tandem_id, kind, created_at"),
        ("ix_tandem_experiments_tandem", "tandem_experiments", "tandem_id, status"),
        ("ix_calendar_feeds_user", "calendar_feeds", "user_id"),
    ]

    func prepare(on database: any Database) async throws {
        try await database.addColumns(Self.programmeColumns, to: "programmes")
        try await database.schema("tandem_agreements")
            .id()
            .field("tandem_id", .uuid, .required, .references("tandems", .id, onDelete: .cascade))
            .field("version", .int, .required)
            .field("content_sealed", .string, .required)
            .field("channel", .string, .required)
            .field("rhythm_weeks", .int, .required)
            .field("ends_on", .string, .required)
            .field("proposed_by", .uuid, .required)
            .field("mentee_confirmed_at", .datetime)
            .field("mentor_confirmed_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "tandem_id", "version", name: "uq_tandem_agreements_version")
            .create()
        try await database.schema("tandem_meetings")
            .id()
            .field("tandem_id", .uuid, .required, .references("tandems", .id, onDelete: .cascade))
            .field("starts_at", .datetime, .required)
            .field("minutes", .int, .required)
            .field("place_sealed", .string, .required)
            .field("status", .string, .required)
            .field("proposed_by", .uuid, .required)
            .field("sequence", .int, .required)
            .field("outcome_by", .uuid)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema("tandem_notes")
            .id()
            .field("tandem_id", .uuid, .required, .references("tandems", .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("author_id", .uuid, .required)
            .field("meeting_id", .uuid, .references("tandem_meetings", .id, onDelete: .setNull))
            .field("body_sealed", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema("tandem_experiments")
            .id()
            .field("tandem_id", .uuid, .required, .references("tandems", .id, onDelete: .cascade))
            .field("content_sealed", .string, .required)
            .field("owner", .string, .required)
            .field("due_on", .string, .required)
            .field("status", .string, .required)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema("tandem_prompt_marks")
            .id()
            .field("tandem_id", .uuid, .required, .references("tandems", .id, onDelete: .cascade))
            .field("month", .int, .required)
            .field("discussed_at", .datetime)
            .field("insight_at", .datetime)
            .unique(on: "tandem_id", "month", name: "uq_tandem_prompt_marks_month")
            .create()
        try await database.schema("tandem_notices")
            .id()
            .field("tandem_id", .uuid, .required, .references("tandems", .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("subject", .string, .required)
            .field("sent_at", .datetime, .required)
            .unique(on: "tandem_id", "kind", "subject", name: "uq_tandem_notices_once")
            .create()
        try await database.schema("programme_prompts")
            .id()
            .field("programme_id", .uuid, .required, .references("programmes", .id, onDelete: .cascade))
            .field("month", .int, .required)
            .field("question_de", .string, .required)
            .field("question_en", .string, .required)
            .field("material_url", .string)
            .unique(on: "programme_id", "month", name: "uq_programme_prompts_month")
            .create()
        try await database.schema("calendar_feeds")
            .id()
            .field("user_id", .uuid, .required, .references("users", .id, onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("created_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash", name: "uq_calendar_feeds_token")
            .create()
        try await database.createIndexes(Self.indexes)
    }

    func revert(on database: any Database) async throws {
        try await database.dropIndexes(Self.indexes)
        for table in [
            "calendar_feeds", "programme_prompts", "tandem_notices", "tandem_prompt_marks", "tandem_experiments",
            "tandem_notes", "tandem_meetings", "tandem_agreements",
        ] {
            try await database.schema(table).delete()
        }
        try await database.dropColumns(Self.programmeColumns.map(\.name), from: "programmes")
    }
}
