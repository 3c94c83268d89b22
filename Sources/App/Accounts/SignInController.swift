import Fluent
import Mentoring
import SQLKit
import Vapor

/// Sign-in by e-mailed magic link (everyone) or by password (organisers who set one), and sign-out.
struct SignInController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.login, use: form)
        routes.grouped(RateLimitMiddleware(name: "signin-link", rule: RateLimits.signInLinksPerClient))
            .post(.login, use: requestLink)
        routes.get(.loginSent, use: sent)
        routes.grouped(RateLimitMiddleware(name: "password", rule: RateLimits.passwordAttemptsPerClient))
            .post(.loginPassword, use: passwordSignIn)
        routes.get(.loginLink(token: .key), use: confirm)
        routes.post(.loginLink(token: .key), use: consume)
        routes.post(.logout, use: signOut)
    }

    struct FormPage: Encodable {
        let email: String
        let next: String
        let error: String?
    }

    struct SignInForm: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    @Sendable func form(req: Request) async throws -> Response {
        if req.currentUser != nil { return req.redirect(to: .dashboard) }
        let next = Self.safeNext(req.query[String.self, at: "next"])
        return try await PageRenderer.render(
            "Accounts/login", FormPage(email: "", next: next, error: nil), title: req.t("login.title"), for: req)
    }

    /// Always answers the same way whether or not the address is known, so the form reveals nobody.
    @Sendable func requestLink(req: Request) async throws -> Response {
        let form = try req.content.decode(SignInForm.self)
        let next = Self.safeNext(form.next)
        guard case .success(let email) = EmailAddress.normalise(form.email ?? "") else {
            return try await PageRenderer.render(
                "Accounts/login", FormPage(email: form.email ?? "", next: next, error: req.t("error.invalidEmail")),
                title: req.t("login.title"), for: req, status: .badRequest)
        }
        // A sixth link within the hour is not sent, but the answer stays the same (it reveals nobody).
        if await req.rateLimited("signin-link-address", key: email, RateLimits.signInLinksPerAddress) != nil {
            return req.redirect(to: .loginSent)
        }
        if let user = try await User.query(on: req.db).filter(\.$email == email).first() {
            try await MagicLinks.send(to: user, next: next, app: req.application, on: req.db)
        } else {
            req.logger.info("Sign-in link requested for unknown address")
        }
        return req.redirect(to: .loginSent)
    }

    @Sendable func sent(req: Request) async throws -> Response {
        try await PageRenderer.render("Accounts/login-sent", Empty(), title: req.t("login.sent.title"), for: req)
    }

    struct ConfirmPage: Encodable {
        let token: String
        let action: String
        let name: String
        let next: String
    }

    /// Shows a button instead of signing in on GET: mail scanners (e.g. Safe Links) open links before the
    /// person does, and must not use up the single-use token.
    @Sendable func confirm(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let record = try await MagicLinks.usable(token: token, on: req.db, now: req.now)
        let user = try await record.$user.get(on: req.db)
        return try await PageRenderer.render(
            "Accounts/login-confirm",
            ConfirmPage(
                token: token, action: SiteURL.loginLink(token: .value(token)).path, name: user.name,
                next: Self.safeNext(req.query[String.self, at: "next"])),
            title: req.t("login.confirm.title"), for: req)
    }

    @Sendable func consume(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let user = try await MagicLinks.consume(token: token, on: req.db, now: req.now)
        // Opening the e-mailed link proves the address: pending mentor applications count as confirmed.
        try await MentorApplications.confirmPending(for: user, on: req.db, now: req.now)
        try req.signIn(user)
        req.appLocale = AppLocale(rawValue: user.locale) ?? req.appLocale
        req.flash("success", req.t("login.success", user.name))
        let form = try? req.content.decode(SignInForm.self)
        let response = req.redirect(to: Self.safeNext(form?.next), redirectType: .normal)
        response.rememberLocale(req.appLocale, secure: req.application.appConfig.secureCookies)
        return response
    }

    @Sendable func passwordSignIn(req: Request) async throws -> Response {
        let form = try req.content.decode(SignInForm.self)
        let next = Self.safeNext(form.next)
        let email = (try? EmailAddress.normalise(form.email ?? "").get()) ?? ""
        // Per address *and* client, so that nobody can lock an organiser out by guessing from elsewhere;
        // guesses at one address from many clients are slowed down instead of refused.
        try await req.rateLimit(
            "password-address", key: email + "|" + req.clientAddress, RateLimits.passwordAttemptsPerAddress)
        if await req.rateLimited(
            "password-address-any-client", key: email, RateLimits.passwordAttemptsPerAddressAnyClient) != nil
        {
            try await Task.sleep(for: RateLimits.passwordSlowDown)
        }
        let user = email.isEmpty ? nil : try await User.query(on: req.db).filter(\.$email == email).first()
        let password = form.password ?? ""
        // Verify against a dummy hash when there is no user, so timing does not reveal who exists.
        let hash = user?.passwordHash ?? Self.dummyHash
        // On the thread pool: bcrypt takes ~0.2 s of CPU and would stall every request on this executor.
        let matches = (try? await req.password.async.verify(password, created: hash).get()) ?? false
        guard let user, user.isOrganiser, user.passwordHash != nil, matches else {
            return try await PageRenderer.render(
                "Accounts/login", FormPage(email: form.email ?? "", next: next, error: req.t("login.password.wrong")),
                title: req.t("login.title"), for: req, status: .unauthorized)
        }
        try req.signIn(user)
        req.appLocale = AppLocale(rawValue: user.locale) ?? req.appLocale
        req.flash("success", req.t("login.success", user.name))
        let response = req.redirect(to: next)
        response.rememberLocale(req.appLocale, secure: req.application.appConfig.secureCookies)
        return response
    }

    @Sendable func signOut(req: Request) async throws -> Response {
        req.signOut()
        return req.redirect(to: "/?signedOut=1")
    }

    private static let dummyHash = (try? Bcrypt.hash("no user has this password")) ?? ""

    /// Only local paths, so the sign-in flow cannot be turned into an open redirect.
    static func safeNext(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.hasPrefix("/\\"), !raw.contains("\r"),
            !raw.contains("\n")
        else { return SiteURL.dashboard.path }
        return raw
    }
}

struct Empty: Encodable {}
