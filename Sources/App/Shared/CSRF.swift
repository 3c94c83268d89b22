import Leaf
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
        var sent = request.headers.first(name: "X-CSRF-Token")
        if sent == nil {
            // Global middleware runs before the route collects the body: a longer form arrives in several
            // chunks and cannot be decoded until all of it is here. Collect it now, within the route's limit
            // (the route then finds it collected).
            _ = try await request.body.collect(max: request.bodyLimit).get()
            sent = try? request.content.get(String.self, at: Self.formField)
        }
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

/// `#csrf()` in a form: the session's CSRF token. A tag rather than a layout value, so that only pages that
/// render a form start a session (an anonymous visitor reading pages writes no session row).
struct CSRFTokenTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let request = ctx.request else {
            throw Abort(.internalServerError, reason: "#csrf() needs a request")
        }
        return .string(request.csrfToken)
    }
}

extension RoutesBuilder {
    /// A POST route whose form may be larger than the default limit (e.g. a member-list upload). The limit is
    /// recorded on the route, because the CSRF check collects the body before the route does.
    @discardableResult
    func post<Response: AsyncResponseEncodable>(
        _ url: SiteURL, bodyLimit: ByteCount, use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        let route = on(.POST, url.pathComponents, body: .collect(maxSize: bodyLimit), use: closure)
        route.userInfo[BodyLimit.key] = bodyLimit.value
        return route
    }
}

enum BodyLimit {
    static let key = AnySendableHashable("bodyLimit")
    /// Every form without a limit of its own: well above the longest texts (a 10,000-character description
    /// of umlauts is 60 kB percent-encoded), well below what could hurt the server.
    static let forms: ByteCount = "1mb"
}

extension Request {
    /// The body limit of the matched route (see `RoutesBuilder.post(_:bodyLimit:use:)`), else the app's default.
    var bodyLimit: Int {
        route?.userInfo[BodyLimit.key] as? Int ?? application.routes.defaultMaxBodySize.value
    }
}
