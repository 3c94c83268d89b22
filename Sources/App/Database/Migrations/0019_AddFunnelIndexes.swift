import Fluent
import SQLKit

/// Covering indexes for the programme funnel (`ProgrammeFunnel`): counting a programme's applications,
/// registrations and invitations by status reads the index alone, not the rows with their long texts.
struct AddFunnelIndexes: AsyncMigration {
    static let indexes: [MigrationIndex] = [
        ("ix_mentor_applications_programme_status", "mentor_applications", "programme_id, status, eligible"),
        ("ix_mentee_registrations_programme_status", "mentee_registrations", "programme_id, status"),
        ("ix_invitations_programme_status", "invitations", "programme_id, status"),
    ]

    func prepare(on database: any Database) async throws { try await database.createIndexes(Self.indexes) }

    func revert(on database: any Database) async throws { try await database.dropIndexes(Self.indexes) }
}
