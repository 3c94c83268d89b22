import Fluent
import Mentoring
import SQLKit
import Vapor

/// The first page after sign-in: organisers see every programme with its numbers, participants their own.
struct DashboardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.dashboard, use: show)
    }

    struct DashboardPage {
        let greeting: String
        let isOrganiser: Bool
        let programmes: [ProgrammeRow]
        let pendingMail: Int
        let failedMail: Int
        let cards: [ParticipantHome.Card]
        let phaseLabels: [String]
    }
    struct ProgrammeRow {
        let name: String
        let phase: String
        let kickoff: String?
        let mentors: Int
        let mentees: Int
        let duration: String
        let href: String?
    }

    @Sendable func show(req: Request) async throws -> Response {
        let user = try req.currentUser.orThrow(AppError.signInRequired)
        let locale = req.appLocale
        let formatting = req.application.dateFormatting
        var rows: [ProgrammeRow] = []
        var pending = 0, failed = 0
        if user.isOrganiser {
            let overview = try await OrganiserOverview.cached(req: req)
            rows = overview.programmes.map { programme in
                ProgrammeRow(
                    name: programme.name, phase: req.t("phase.\(programme.phase.rawValue)"),
                    kickoff: programme.kickoffAt.map { formatting.dateTime($0, locale) },
                    mentors: programme.mentors, mentees: programme.mentees,
                    duration: req.tp("programme.durationMonths", programme.durationMonths),
                    href: SiteURL.programme(programme.id).path)
            }
            pending = overview.pendingMail
            failed = overview.failedMail
        }
        let cards = user.isOrganiser ? [] : try await ParticipantHome.cards(for: user, req: req)
        let page = DashboardPage(
            greeting: req.t("dashboard.greeting", user.name), isOrganiser: user.isOrganiser, programmes: rows,
            pendingMail: pending, failedMail: failed, cards: cards,
            phaseLabels: ["intake", "kickoff", "pairing", "running", "closed"].map { req.t("phase.\($0)") })
        return PageRenderer.render(title: req.t("dashboard.title"), for: req) { page.write(into: &$0, for: req) }
    }
}

/// What every organiser's dashboard shows, the same for all of them: the programmes with their counts and the
/// outbox's numbers. Kept 5 s in ``Application/organiserOverviewCache``; any write through the app empties it
/// (``WritesInvalidateCaches``, and Fluent changes of programmes and participations), so an organiser sees their
/// own change at once; what the outbox worker does shows within the 5 s.
struct OrganiserOverview: Sendable {
    struct ProgrammeCounts: Sendable {
        let id: UUID
        let name: String
        let phase: ProgrammePhase
        let kickoffAt: Date?
        let durationMonths: Int
        let mentors, mentees: Int
    }
    let programmes: [ProgrammeCounts]
    let pendingMail: Int
    let failedMail: Int

    static func cached(req: Request) async throws -> OrganiserOverview {
        try await req.application.organiserOverviewCache.value(for: 0, now: req.now) {
            try await load(on: req.db)
        }
    }

    /// One query for the programmes with their counts and one for the outbox, instead of a count (or a load of
    /// hundreds of rows) per programme.
    static func load(on db: any Database) async throws -> OrganiserOverview {
        let programmes = try await Programme.loadAllWithCounts(on: db).map { programme, mentors, mentees in
            ProgrammeCounts(
                id: try programme.requireID(), name: programme.name, phase: programme.phase,
                kickoffAt: programme.kickoffAt, durationMonths: programme.durationMonths, mentors: mentors,
                mentees: mentees)
        }
        struct StatusCount: Decodable { let status: String; let n: Int }
        let mail = try await db.plainSQL.raw(
            """
            SELECT status, COUNT(*) AS n FROM outbox_messages
            WHERE status IN (\(bind: OutboxMessage.Status.pending.rawValue), \(bind: OutboxMessage.Status.failed.rawValue))
            GROUP BY status
            """
        ).all(decoding: StatusCount.self)
        var pending = 0, failed = 0
        for row in mail {
            if row.status == OutboxMessage.Status.pending.rawValue { pending = row.n } else { failed = row.n }
        }
        return OrganiserOverview(programmes: programmes, pendingMail: pending, failedMail: failed)
    }
}

extension Application {
    private struct OrganiserOverviewCacheKey: StorageKey { typealias Value = GenerationCache<Int, OrganiserOverview> }

    /// The organisers' dashboard facts (one entry), made in `configure` before requests run in parallel.
    var organiserOverviewCache: GenerationCache<Int, OrganiserOverview> {
        generationCache(OrganiserOverviewCacheKey.self)
    }
}
