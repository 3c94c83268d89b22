import Fluent

struct CreateLoginToken: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("login_tokens")
            .id()
            .field("user_id", .uuid, .required, .references("users", .id, onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema("login_tokens").delete() }
}
