import Fluent
import Vapor

/// The signed-in person for this request, loaded from the session.
struct SessionAuthenticator: AsyncMiddleware {
    static let userKey = "user"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.hasSession, let raw = request.session.data[Self.userKey], let id = UUID(uuidString: raw) {
            // Usually read together with the session (`DatabaseSessions`); a session stored before it named its
            // person (no `user_id` yet) needs the query of its own.
            var user = request.storage[DatabaseSessions.SessionUser.self]
            if user?.id != id { user = try await User.load(id, on: request.db) }
            if let user {
                request.auth.login(user)
                let choseHere =
                    request.query[String.self, at: "lang"] != nil || request.cookies[LocaleMiddleware.cookieName] != nil
                if !choseHere, let preferred = AppLocale(rawValue: user.locale) { request.appLocale = preferred }
            } else {
                request.session.data[Self.userKey] = nil
            }
        }
        return try await next.respond(to: request)
    }
}

extension User: Authenticatable {}

extension Request {
    var currentUser: User? { auth.get(User.self) }

    /// The signed-in person, for routes behind an `AccessGuard`.
    var requireUser: User {
        get throws {
            guard let user = currentUser else { throw AppError.signInRequired }
            return user
        }
    }

    /// Signs the user in and gives the session a fresh id (no session fixation).
    func signIn(_ user: User) throws {
        session.data[SessionAuthenticator.userKey] = try user.requireID().uuidString
        session.data[DatabaseSessions.rotateKey] = "1"
        session.data[CSRF.sessionKey] = SecureToken.generate()
        auth.login(user)
    }

    func signOut() {
        auth.logout(User.self)
        session.destroy()
    }
}

/// Who may use a route group. Declared once per group in `routes.swift`.
enum Access {
    /// Anyone signed in.
    case signedIn
    /// Organisers only.
    case organiser
}

/// Enforces an ``Access`` rule: visitors who are not signed in are sent to the sign-in page,
/// signed-in people without the role get a 403 page.
struct AccessGuard: AsyncMiddleware {
    let access: Access

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let user = request.currentUser else {
            if request.method == .GET {
                let target = request.url.path
                return request.redirect(
                    to: SiteURL.login.path + "?next="
                        + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
            }
            throw AppError.signInRequired
        }
        switch access {
        case .signedIn: break
        case .organiser:
            guard user.isOrganiser else { throw AppError.forbidden }
        }
        return try await next.respond(to: request)
    }
}
