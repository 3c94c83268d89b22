import Fluent

struct CreateKickoff: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("kickoffs")
            .id()
            .field("programme_id", .uuid, .required, .references("programmes", .id, onDelete: .cascade))
            .field("starts_at", .datetime, .required)
            .field("rounds", .int, .required)
            .field("round_seconds", .int, .required)
            .field("break_seconds", .int, .required)
            .field("controls", .string, .required)
            .field("planned_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "programme_id")
            .create()
        try await database.schema("kickoff_meetings")
            .id()
            .field("kickoff_id", .uuid, .required, .references("kickoffs", .id, onDelete: .cascade))
            .field("round", .int, .required)
            .field("mentee_id", .uuid, .required, .references("users", .id, onDelete: .cascade))
            .field("mentor_id", .uuid, .required, .references("users", .id, onDelete: .cascade))
            .field("fit", .int, .required)
            // Named: PostgreSQL cuts identifiers at 63 bytes, and Fluent's generated names for these two collide.
            .unique(on: "kickoff_id", "round", "mentee_id", name: "uq_kickoff_meetings_round_mentee")
            .unique(on: "kickoff_id", "round", "mentor_id", name: "uq_kickoff_meetings_round_mentor")
            .create()
        try await database.schema("kickoff_exclusions")
            .id()
            .field("kickoff_id", .uuid, .required, .references("kickoffs", .id, onDelete: .cascade))
            .field("mentee_id", .uuid, .required, .references("users", .id, onDelete: .cascade))
            .field("mentor_id", .uuid, .required, .references("users", .id, onDelete: .cascade))
            .unique(on: "kickoff_id", "mentee_id", "mentor_id", name: "uq_kickoff_exclusions_pair")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("kickoff_exclusions").delete()
        try await database.schema("kickoff_meetings").delete()
        try await database.schema("kickoffs").delete()
    }
}
