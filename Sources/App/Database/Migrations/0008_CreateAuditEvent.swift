import Fluent

struct CreateAuditEvent: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("audit_events")
            .id()
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("programme_id", .uuid)
            .field("action", .string, .required)
            .field("details", .string, .required)
            .field("created_at", .datetime)
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema("audit_events").delete() }
}
