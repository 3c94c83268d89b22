import Fluent

struct CreateMentorApplication: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("mentor_applications")
            .id()
            .field("programme_id", .uuid, .required, .references("programmes", .id, onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", .id, onDelete: .cascade))
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
    func revert(on database: any Database) async throws { try await database.schema("mentor_applications").delete() }
}
