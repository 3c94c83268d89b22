import Fluent

struct CreateProgramme: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // Enums are stored as plain strings (not native enums) so SQLite and PostgreSQL behave alike
        // and new cases need no type migration.
        try await database.schema("programmes")
            .id()
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("phase", .string, .required)
            .field("kickoff_at", .datetime)
            .field("duration_months", .int, .required)
            .field("created_at", .datetime)
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema("programmes").delete() }
}
