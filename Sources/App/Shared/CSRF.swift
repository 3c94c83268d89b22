import Vapor

/// Synchroniser-token CSRF protection: every session has a random token, every form sends it back as
/// `_csrf` (or the `X-CSRF-Token` header), and every unsafe request without the matching token is refused.
struct CSRF: AsyncMiddleware {
    static let sessionKey = "csrf"
    static let formField = "_csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if [.GET, .HEAD, .OPTIONS].contains(request.method) {
            return try await next.respond(to: request)
        }
        let expected = request.hasSession ? request.session.data[Self.sessionKey] : nil
        let sent = request.headers.first(name: "X-CSRF-Token")
            ?? (try? request.content.get(String.self, at: Self.formField))
        guard let expected, let sent, SecureToken.constantTimeEquals(expected, sent) else {
            throw AppError.csrfFailed
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// The session's CSRF token, created on first use (which also starts a session).
    var csrfToken: String {
        if let token = session.data[CSRF.sessionKey] { return token }
        let token = SecureToken.generate()
        session.data[CSRF.sessionKey] = token
        return token
    }
}
