import Fluent

struct CreateInvitation: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("invitations")
            .id()
            .field("programme_id", .uuid, .required, .references("programmes", .id, onDelete: .cascade))
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
    func revert(on database: any Database) async throws { try await database.schema("invitations").delete() }
}
