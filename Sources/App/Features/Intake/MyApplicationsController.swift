import Fluent
import Mentoring
import QRCode
import Vapor

/// A signed-in person's own applications and their state.
struct MyApplicationsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.myApplications, use: list)
    }

    struct Page: Encodable {
        let rows: [Row]
    }
    struct Row: Encodable {
        let programme: String
        let status: String
        let findings: [String]
    }

    @Sendable func list(req: Request) async throws -> Response {
        let user = try req.currentUser.orThrow(AppError.signInRequired)
        let records = try await MentorApplicationRecord.query(on: req.db)
            .filter(\.$user.$id == user.requireID()).with(\.$programme).all()
        let rows = records.map {
            Row(
                programme: $0.programme.name, status: req.t("application.status.\($0.status.rawValue)"),
                findings: $0.eligible ? [] : $0.findings.map { MentorApplications.describe($0, req: req) })
        }
        return try await PageRenderer.render(
            "Intake/my-applications", Page(rows: rows), title: req.t("application.mine.title"), for: req)
    }
}
