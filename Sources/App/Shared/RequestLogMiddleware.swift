import Vapor

/// One log line per request, like Vapor's `RouteLoggingMiddleware`, but with the secret in a path replaced by `…`:
/// a calendar feed's address, a sign-in, invitation or event link is a credential, and whoever reads the logs must
/// not be able to use it.
struct RequestLogMiddleware: AsyncMiddleware {
    let logLevel: Logger.Level

    /// First path segments whose next segment is a secret token.
    static let secretAfter: Set<Substring> = ["calendar", "login", "invitation", "event", "join"]

    static func redacted(_ path: String) -> String {
        var segments = path.split(separator: "/", omittingEmptySubsequences: false)
        // The path's first segment is empty (it starts with a slash); after "login", "password" and "sent" are
        // pages, not tokens.
        if segments.count >= 3, secretAfter.contains(segments[1]), !["sent", "password"].contains(segments[2]) {
            segments[2] = "…"
        }
        return segments.joined(separator: "/")
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        request.logger.log(level: logLevel, "\(request.method) \(Self.redacted(request.url.path))")
        return try await next.respond(to: request)
    }
}
