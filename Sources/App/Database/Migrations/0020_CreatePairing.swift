import Fluent
import SQLKit

/// The pairing phase: tandems (`tandems`), pairs that must not be proposed again (`pairing_bans`), the board's
/// revision and last optimum (`pairing_boards`), a capacity per mentor and the programme's "both partners confirm"
/// setting.
struct CreatePairing: AsyncMigration {
    static let programmeColumns: [AddedColumn] = [("partners_confirm", .bool, .sql(.default(true)))]
    static let participationColumns: [AddedColumn] = [("capacity", .int, .sql(.default(1)))]
    static let indexes: [MigrationIndex] = [
        ("ix_tandems_programme_status", "tandems", "programme_id, status"),
        ("ix_tandems_mentee", "tandems", "mentee_id"),
        ("ix_tandems_mentor", "tandems", "mentor_id"),
    ]

    func prepare(on database: any Database) async throws {
        try await database.addColumns(Self.programmeColumns, to: "programmes")
        try await database.addColumns(Self.participationColumns, to: "participations")
        try await database.schema("tandems")
            .id()
            .field("programme_id", .uuid, .required, .references("programmes", .id, onDelete: .cascade))
            .field("mentee_id", .uuid, .required, .references("users", .id, onDelete: .cascade))
            .field("mentor_id", .uuid, .required, .references("users", .id, onDelete: .cascade))
            .field("status", .string, .required)
            .field("pinned", .bool, .required)
            .field("weight", .int, .required)
            .field("reasons", .string, .required)
            .field("published_at", .datetime)
            .field("mentee_accepted_at", .datetime)
            .field("mentor_accepted_at", .datetime)
            .field("activated_at", .datetime)
            .field("closed_at", .datetime)
            .field("closed_by", .string)
            .field("closing_reason", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.createIndexes(Self.indexes)
        // A mentee has at most one current tandem per programme: checked by the database too, so two organisers
        // editing at once can never give one person two partners.
        if let sql = database as? any SQLDatabase {
            try await sql.raw(
                """
                CREATE UNIQUE INDEX uq_tandems_current_mentee ON tandems (programme_id, mentee_id) \
                WHERE status IN ('draft', 'proposed', 'active')
                """
            ).run()
        }
        try await database.schema("pairing_bans")
            .id()
            .field("programme_id", .uuid, .required, .references("programmes", .id, onDelete: .cascade))
            .field("mentee_id", .uuid, .required, .references("users", .id, onDelete: .cascade))
            .field("mentor_id", .uuid, .required, .references("users", .id, onDelete: .cascade))
            .field("cause", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "programme_id", "mentee_id", "mentor_id", name: "uq_pairing_bans_pair")
            .create()
        try await database.schema("pairing_boards")
            .id()
            .field("programme_id", .uuid, .required, .references("programmes", .id, onDelete: .cascade))
            .field("revision", .int, .required)
            .field("optimum_weight", .int, .required)
            .field("optimum_paired", .int, .required)
            .field("computed_at", .datetime)
            .field("last_change", .string, .required)
            .field("last_change_by", .string, .required)
            .field("last_change_at", .datetime)
            .unique(on: "programme_id", name: "uq_pairing_boards_programme")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("pairing_boards").delete()
        try await database.schema("pairing_bans").delete()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("DROP INDEX IF EXISTS uq_tandems_current_mentee").run()
        }
        try await database.dropIndexes(Self.indexes)
        try await database.schema("tandems").delete()
        try await database.dropColumns(Self.participationColumns.map(\.name), from: "participations")
        try await database.dropColumns(Self.programmeColumns.map(\.name), from: "programmes")
    }
}
