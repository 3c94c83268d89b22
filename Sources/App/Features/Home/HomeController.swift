import Fluent
import Mentoring
import Vapor

/// The public start page: what the programme is, and the way in.
struct HomeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: index)
    }

    struct HomePage: Encodable {
        let signedIn: Bool
        let signedOut: Bool
        let programmes: [ProgrammeTeaser]
    }
    struct ProgrammeTeaser: Encodable {
        let name: String
        let description: String
        let phase: String
    }

    @Sendable func index(req: Request) async throws -> Response {
        let programmes = try await Programme.query(on: req.db)
            .filter(\.$phase != .draft).filter(\.$phase != .closed).sort(\.$name).all()
        let page = HomePage(
            signedIn: req.currentUser != nil,
            signedOut: req.query[String.self, at: "signedOut"] != nil,
            programmes: programmes.map {
                .init(name: $0.name, description: $0.description, phase: req.t("phase.\($0.phase.rawValue)"))
            })
        return try await PageRenderer.render("Home/index", page, title: req.t("home.title"), for: req)
    }
}

/// `GET /healthz`: 200 with "ok" when the database answers, 503 otherwise.
enum HealthController {
    @Sendable static func check(req: Request) async throws -> Response {
        do {
            _ = try await User.query(on: req.db).count()
            return Response(status: .ok, body: "ok\n")
        } catch {
            req.logger.error("Health check failed", metadata: ["error": "\(error)"])
            return Response(status: .serviceUnavailable, body: "database unavailable\n")
        }
    }
}
