import Fluent
import Mentoring
import Vapor

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
