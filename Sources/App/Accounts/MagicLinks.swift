import Fluent
import Mentoring
import SQLKit
import Vapor

/// Creating, checking and using magic sign-in links.
enum MagicLinks {
    /// Creates a token, stores its hash and queues the e-mail. Returns the link (for the demo's console output).
    @discardableResult
    static func send(
        to user: User, next: String? = nil, app: Application, on db: any Database, now: Date? = nil
    ) async throws -> String {
        let now = now ?? app.clock.now()
        let link = try await create(for: user, next: next, app: app, on: db, now: now)
        let minutes = Int(app.appConfig.magicLinkLifetime / 60)
        try await Outbox(app: app).enqueue(
            to: user, template: "mail.login", arguments: [String(minutes)], actionURL: link, on: db, now: now)
        return link
    }

    static func create(
        for user: User, next: String? = nil, app: Application, on db: any Database, now: Date? = nil
    ) async throws -> String {
        let now = now ?? app.clock.now()
        let token = SecureToken.generate()
        try await LoginToken(
            userID: try user.requireID(), tokenHash: SecureToken.hash(token),
            expiresAt: now.addingTimeInterval(app.appConfig.magicLinkLifetime)
        ).create(on: db)
        var link = SiteURL.loginLink(token: .value(token)).absolute(app)
        if let next, next != SiteURL.dashboard.path {
            link += "?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }
        return link
    }

    static func usable(token: String, on db: any Database, now: Date) async throws -> LoginToken {
        guard !token.isEmpty,
            let record = try await LoginToken.query(on: db)
                .filter(\.$tokenHash == SecureToken.hash(token)).first()
        else { throw AppError.loginLinkUnknown }
        if record.usedAt != nil { throw AppError.loginLinkUsed }
        if record.expiresAt <= now { throw AppError.loginLinkExpired }
        return record
    }

    /// Marks the token used in one conditional UPDATE, so two clicks at once cannot both sign in.
    static func consume(token: String, on db: any Database, now: Date) async throws -> User {
        let record = try await usable(token: token, on: db, now: now)
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let rows = try await sql.update(LoginToken.schema)
            .set("used_at", to: SQLBind(now))
            .where("token_hash", .equal, SQLBind(record.tokenHash))
            .where("used_at", .is, SQLLiteral.null)
            .returning("user_id")
            .all()
        guard let row = rows.first else { throw AppError.loginLinkUsed }
        let userID = try row.decode(column: "user_id", as: UUID.self)
        guard let user = try await User.find(userID, on: db) else { throw AppError.loginLinkUnknown }
        return user
    }
}

extension Application {
    /// Base of every e-mailed link. Comes from configuration, never from the request's Host header
    /// (which an attacker could set to steer someone's sign-in link to their own server).
    var publicBaseURL: String {
        appConfig.baseURL ?? "http://127.0.0.1:8080"
    }
}
