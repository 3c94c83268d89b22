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
            // One query for the programmes with their counts and one for the outbox, instead of a count (or a load
            // of hundreds of rows) per programme.
            for (programme, mentors, mentees) in try await Programme.loadAllWithCounts(on: req.db) {
                let id = try programme.requireID()
                rows.append(
                    ProgrammeRow(
                        name: programme.name, phase: req.t("phase.\(programme.phase.rawValue)"),
                        kickoff: programme.kickoffAt.map { formatting.dateTime($0, locale) },
                        mentors: mentors, mentees: mentees,
                        duration: req.tp("programme.durationMonths", programme.durationMonths),
                        href: SiteURL.programme(id).path))
            }
            struct StatusCount: Decodable { let status: String; let n: Int }
            let mail = try await req.db.plainSQL.raw(
                """
                SELECT status, COUNT(*) AS n FROM outbox_messages
                WHERE status IN (\(bind: OutboxMessage.Status.pending.rawValue), \(bind: OutboxMessage.Status.failed.rawValue))
                GROUP BY status
                """
            ).all(decoding: StatusCount.self)
            for row in mail {
                if row.status == OutboxMessage.Status.pending.rawValue { pending = row.n } else { failed = row.n }
            }
        }
        let cards = user.isOrganiser ? [] : try await ParticipantHome.cards(for: user, req: req)
        let page = DashboardPage(
            greeting: req.t("dashboard.greeting", user.name), isOrganiser: user.isOrganiser, programmes: rows,
            pendingMail: pending, failedMail: failed, cards: cards,
            phaseLabels: ["intake", "kickoff", "pairing", "running", "closed"].map { req.t("phase.\($0)") })
        return PageRenderer.render(title: req.t("dashboard.title"), for: req) { page.write(into: &$0, for: req) }
    }
}
