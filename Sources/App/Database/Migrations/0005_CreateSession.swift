import Fluent

struct CreateSession: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("sessions")
            .id()
            .field("id_hash", .string, .required)
            .field("data", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .unique(on: "id_hash")
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema("sessions").delete() }
}
