import Fluent

struct UpdateProgrammeAddSettings: AsyncMigration {
    static let columns: [AddedColumn] = [
        ("focus_topics", .string, .sql(.default("[]"))),
        ("contacts", .string, .sql(.default("[]"))),
        ("patron_text", .string, .sql(.default(""))),
        ("rounds_at_kickoff", .int, .sql(.default(8))),
        ("minutes_per_round", .int, .sql(.default(5))),
        ("shortlist_size", .int, .sql(.default(3))),
        ("meeting_rhythm", .string, .sql(.default("monthly"))),
        ("required_talent_programme", .string, nil),
        ("minimum_tenure_months", .int, .sql(.default(6))),
        ("application_deadline", .string, nil),
        ("privacy_notice", .string, .sql(.default(""))),
        ("privacy_notice_version", .int, .sql(.default(1))),
    ]

    func prepare(on database: any Database) async throws {
        try await database.addColumns(Self.columns, to: "programmes")
    }

    func revert(on database: any Database) async throws {
        try await database.dropColumns(Self.columns.map(\.name), from: "programmes")
    }
}
