import Fluent
import Foundation
import SQLKit
import Vapor

// swift-format-ignore: AlwaysUseLowerCamelCase
// The fields are the statement's column names, decoded by SQLKit without a CodingKeys table.
/// A programme's numbers from invitation to preselection, and what waits for an organiser, in one statement (the
/// programme page shows them on every view, through a short-lived cache; before, the member page counted with
/// six queries).
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

    private struct Count: Decodable {
        let source: String
        let key: String
        let eligible: Int
        let n: Int
    }

    /// One pass over each table's (programme, status) index, grouped; see migration 0019 for the covering indexes.
    static func load(programme id: UUID, on db: any Database) async throws -> ProgrammeFunnel {
        let rows = try await db.plainSQL.raw(
            """
            SELECT 'application' AS source, status AS key, CASE WHEN eligible THEN 1 ELSE 0 END AS eligible, COUNT(*) AS n
              FROM mentor_applications WHERE programme_id = \(bind: id) GROUP BY status, eligible
            UNION ALL SELECT 'registration', status, 0, COUNT(*) FROM mentee_registrations
              WHERE programme_id = \(bind: id) GROUP BY status
            UNION ALL SELECT 'invitation', status, 0, COUNT(*) FROM invitations WHERE programme_id = \(bind: id) GROUP BY status
            UNION ALL SELECT 'participation', role, 0, COUNT(*) FROM participations WHERE programme_id = \(bind: id) GROUP BY role
            UNION ALL SELECT 'outbox', status, 0, COUNT(*) FROM outbox_messages WHERE status = 'failed' GROUP BY status
            """
        ).all(decoding: Count.self)
        var invited = 0, registered = 0, approved = 0, pending = 0, applied = 0, eligible = 0, undecided = 0
        var preselected = 0, mentors = 0, mentees = 0, failed = 0
        for row in rows {
            switch (row.source, row.key) {
            case ("application", "unconfirmed"): break
            case ("application", let status):
                applied += row.n
                if row.eligible == 1 { eligible += row.n }
                if status == "submitted" { undecided += row.n }
                if status == "preselected" { preselected += row.n }
            case ("registration", let status):
                registered += row.n
                if status == "approved" { approved += row.n }
                if status == "pending" { pending += row.n }
            case ("invitation", "revoked"): break
            case ("invitation", _): invited += row.n
            case ("participation", "mentor"): mentors += row.n
            case ("participation", "mentee"): mentees += row.n
            case ("outbox", _): failed += row.n
            default: break
            }
        }
        return ProgrammeFunnel(
            invited: invited, registered: registered, approved: approved, pending_registrations: pending,
            applied: applied, eligible: eligible, undecided: undecided, preselected: preselected, mentors: mentors,
            mentees: mentees, failed_mail: failed)
    }

    /// The funnel from ``Application/funnelCache`` (at most 5 s old; any change through the app empties it).
    static func cached(programme id: UUID, req: Request) async throws -> ProgrammeFunnel {
        try await req.application.funnelCache.value(for: id, now: req.now) {
            try await load(programme: id, on: req.db)
        }
    }
}

/// Empties the page caches (programme rows, funnels, cockpit facts, tandem health, the organisers' dashboard) after every request that may
/// write (anything but GET and HEAD): query-builder updates such as the review queue's decisions bypass the
/// Fluent model middleware. What changes without a request (the outbox worker giving up on an e-mail) shows
/// within the caches' 5 s.
struct WritesInvalidateCaches: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method != .GET, request.method != .HEAD else { return try await next.respond(to: request) }
        defer {
            request.application.funnelCache.invalidate()
            request.application.tandemHealthCache.invalidate()
            request.application.organiserOverviewCache.invalidate()
            request.application.cockpitCache.invalidate()
            request.application.programmeRowCache.invalidate()
            request.application.promptCatalogueCache.invalidate()
        }
        return try await next.respond(to: request)
    }
}

extension Application {
    private struct FunnelCacheKey: StorageKey { typealias Value = GenerationCache<UUID, ProgrammeFunnel> }

    /// Programme funnels by programme id, read by the programme page on every view (set up in `configure`).
    var funnelCache: GenerationCache<UUID, ProgrammeFunnel> { generationCache(FunnelCacheKey.self) }
}
