import Fluent

struct UpdateOutboxAddQRURL: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("outbox_messages").field("qr_url", .string).update()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("outbox_messages").deleteField("qr_url").update()
    }
}
