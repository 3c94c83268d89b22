import Fluent

struct CreateParticipation: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("participations")
            .id()
            .field("user_id", .uuid, .required, .references("users", .id, onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references("programmes", .id, onDelete: .cascade))
            .field("role", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "user_id", "programme_id")
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema("participations").delete() }
}
