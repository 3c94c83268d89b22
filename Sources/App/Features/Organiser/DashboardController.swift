import Fluent
import Mentoring
import SQLKit
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
        var rows: [ProgrammeRow] = []
        var pending = 0, failed = 0
        if user.isOrganiser {
            // One grouped count for all programmes and one for the outbox, instead of a count (or a load of
            // hundreds of rows) per programme.
            let sql = try (req.db as? any SQLDatabase).orThrow(Abort(.internalServerError))
            let counts = try await sql.select().column("programme_id").column("role")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from(Participation.schema).groupBy("programme_id").groupBy("role").all()
            var participants: [String: Int] = [:]
            for count in counts {
                let key = "\(try count.decode(column: "programme_id", as: UUID.self))-\(try count.decode(column: "role", as: String.self))"
                participants[key] = try count.decode(column: "n", as: Int.self)
            }
            for programme in try await Programme.query(on: req.db).sort(\.$createdAt).all() {
                let id = try programme.requireID()
                rows.append(ProgrammeRow(
                    name: programme.name, phase: req.t("phase.\(programme.phase.rawValue)"),
                    kickoff: programme.kickoffAt.map { formatting.dateTime($0, locale) },
                    mentors: participants["\(id)-mentor"] ?? 0, mentees: participants["\(id)-mentee"] ?? 0, role: nil,
                    duration: req.tp("programme.durationMonths", programme.durationMonths),
                    href: "/organiser/programmes/\(id)"))
            }
            let mail = try await sql.select().column("status").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from(OutboxMessage.schema).where("status", .in, [OutboxMessage.Status.pending.rawValue, OutboxMessage.Status.failed.rawValue])
                .groupBy("status").all()
            for row in mail {
                let count = try row.decode(column: "n", as: Int.self)
                switch try row.decode(column: "status", as: String.self) {
                case OutboxMessage.Status.pending.rawValue: pending = count
                default: failed = count
                }
            }
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
