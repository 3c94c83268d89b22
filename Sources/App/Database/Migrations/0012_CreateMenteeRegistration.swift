import Fluent

struct CreateMenteeRegistration: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("mentee_registrations")
            .id()
            .field("programme_id", .uuid, .required, .references("programmes", .id, onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", .id, onDelete: .cascade))
            .field("invitation_id", .uuid, .references("invitations", .id, onDelete: .setNull))
            .field("company", .string, .required)
            .field("position", .string, .required)
            .field("topics", .string, .required)
            .field("languages", .string, .required)
            .field("questions", .string, .required)
            .field("status", .string, .required)
            .field("privacy_notice_version", .int, .required)
            .field("consented_at", .datetime, .required)
            .field("created_at", .datetime)
            .unique(on: "programme_id", "user_id")
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema("mentee_registrations").delete() }
}
