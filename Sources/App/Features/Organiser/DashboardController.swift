import Fluent
import Mentoring
import Vapor

/// The first page after sign-in: organisers see every programme with its numbers, participants their own.
struct DashboardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("dashboard", use: show)
    }

    struct DashboardPage: Encodable {
        let greeting: String
        let isOrganiser: Bool
        let programmes: [ProgrammeRow]
        let pendingMail: Int
        let failedMail: Int
        let cards: [ParticipantHome.Card]
        let phaseLabels: [String]
    }
    struct ProgrammeRow: Encodable {
        let name: String
        let phase: String
        let kickoff: String?
        let mentors: Int
        let mentees: Int
        let role: String?
        let duration: String
        let href: String?
    }

    @Sendable func show(req: Request) async throws -> Response {
        let user = try req.currentUser.orThrow(AppError.signInRequired)
        let locale = req.appLocale
        let formatting = req.application.dateFormatting
        func row(_ programme: Programme, role: ParticipantRole?) async throws -> ProgrammeRow {
            let participations = try await programme.$participations.get(on: req.db)
            return ProgrammeRow(
                name: programme.name,
                phase: req.t("phase.\(programme.phase.rawValue)"),
                kickoff: programme.kickoffAt.map { formatting.dateTime($0, locale) },
                mentors: participations.filter { $0.role == .mentor }.count,
                mentees: participations.filter { $0.role == .mentee }.count,
                role: role.map { req.t("role.\($0.rawValue)") },
                duration: req.tp("programme.durationMonths", programme.durationMonths),
                href: user.isOrganiser ? "/organiser/programmes/\(try programme.requireID())" : nil)
        }
        var rows: [ProgrammeRow] = []
        var pending = 0, failed = 0
        if user.isOrganiser {
            for programme in try await Programme.query(on: req.db).sort(\.$createdAt).all() {
                rows.append(try await row(programme, role: nil))
            }
            pending = try await OutboxMessage.query(on: req.db).filter(\.$status == .pending).count()
            failed = try await OutboxMessage.query(on: req.db).filter(\.$status == .failed).count()
        }
        let cards = user.isOrganiser ? [] : try await ParticipantHome.cards(for: user, req: req)
        let page = DashboardPage(
            greeting: req.t("dashboard.greeting", user.name), isOrganiser: user.isOrganiser, programmes: rows,
            pendingMail: pending, failedMail: failed, cards: cards,
            phaseLabels: ["intake", "kickoff", "pairing", "running", "closed"].map { req.t("phase.\($0)") })
        return try await PageRenderer.render("Dashboard/show", page, title: req.t("dashboard.title"), for: req)
    }
}

extension Optional {
    func orThrow(_ error: @autoclosure () -> any Error) throws -> Wrapped {
        guard let value = self else { throw error() }
        return value
    }
}
