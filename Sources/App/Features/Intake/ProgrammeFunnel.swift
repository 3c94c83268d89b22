import Fluent
import Foundation
import SQLKit
import Vapor

// swift-format-ignore: AlwaysUseLowerCamelCase
// The fields are the statement's column names, decoded by SQLKit without a CodingKeys table.
/// A programme's numbers from invitation to preselection, and what waits for an organiser, in one statement (the
/// programme page shows them on every view; before, the member page counted with six queries).
/// `PageReadsTests` checks each number against Fluent's count of the same rows.
struct ProgrammeFunnel: Decodable, Equatable {
    /// Invitations not revoked.
    let invited: Int
    let registered: Int
    let approved: Int
    let pending_registrations: Int
    /// Applications confirmed by their applicant (any status but `unconfirmed`).
    let applied: Int
    let eligible: Int
    /// Confirmed applications without an organiser's decision yet.
    let undecided: Int
    let preselected: Int
    let mentors: Int
    let mentees: Int
    /// Failed e-mails of the whole site (the outbox is not per programme).
    let failed_mail: Int

    static func load(programme id: UUID, on db: any Database) async throws -> ProgrammeFunnel {
        let row = try await db.plainSQL.raw(
            """
            SELECT
              (SELECT COUNT(*) FROM invitations WHERE programme_id = \(bind: id) AND status <> 'revoked') AS invited,
              (SELECT COUNT(*) FROM mentee_registrations WHERE programme_id = \(bind: id)) AS registered,
              (SELECT COUNT(*) FROM mentee_registrations WHERE programme_id = \(bind: id) AND status = 'approved') AS approved,
              (SELECT COUNT(*) FROM mentee_registrations WHERE programme_id = \(bind: id) AND status = 'pending')
                AS pending_registrations,
              (SELECT COUNT(*) FROM mentor_applications WHERE programme_id = \(bind: id) AND status <> 'unconfirmed') AS applied,
              (SELECT COUNT(*) FROM mentor_applications WHERE programme_id = \(bind: id) AND status <> 'unconfirmed'
                AND eligible = \(bind: true)) AS eligible,
              (SELECT COUNT(*) FROM mentor_applications WHERE programme_id = \(bind: id) AND status = 'submitted') AS undecided,
              (SELECT COUNT(*) FROM mentor_applications WHERE programme_id = \(bind: id) AND status = 'preselected') AS preselected,
              (SELECT COUNT(*) FROM participations WHERE programme_id = \(bind: id) AND role = 'mentor') AS mentors,
              (SELECT COUNT(*) FROM participations WHERE programme_id = \(bind: id) AND role = 'mentee') AS mentees,
              (SELECT COUNT(*) FROM outbox_messages WHERE status = 'failed') AS failed_mail
            """
        ).first(decoding: ProgrammeFunnel.self)
        guard let row else { throw Abort(.internalServerError, reason: "the funnel query returned no row") }
        return row
    }
}
