import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import NIOSSL
import Vapor

extension Application {
    private struct AppConfigKey: StorageKey { typealias Value = AppConfig }
    /// The configuration decoded at start-up.
    public var appConfig: AppConfig {
        get { storage[AppConfigKey.self] ?? .defaults }
        set { storage[AppConfigKey.self] = newValue }
    }

    private struct DateFormattingKey: StorageKey { typealias Value = DateFormatting }
    var dateFormatting: DateFormatting {
        storage[DateFormattingKey.self] ?? DateFormatting(timeZone: appConfig.timeZone)
    }
}

/// Sets up the whole application: database, migrations, views, sessions, middleware, mail, routes.
/// Production, `serve` and the tests all call this same function.
public func configure(_ app: Application, config: AppConfig) async throws {
    app.appConfig = config
    if let directory = config.resourcesDirectory {
        app.directory = DirectoryConfiguration(workingDirectory: directory.hasSuffix("/") ? directory : directory + "/")
    }

    switch config.database {
    case .sqlite(let path):
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
    case .postgres(let url):
        var postgres = try SQLPostgresConfiguration(url: url)
        if let schema = config.postgresSchema { postgres.searchPath = [schema, "public"] }
        app.databases.use(.postgres(configuration: postgres), as: .psql)
    }
    registerMigrations(app.migrations)

    app.catalogue = try Catalogue.load(from: app.directory.resourcesDirectory + "Localization/")
    app.views.use(.leaf)
    app.leaf.tags["t"] = TranslateTag()
    app.leaf.tags["tp"] = PluralTag()
    app.leaf.tags["csrf"] = CSRFTokenTag()

    app.sessions.configuration = SessionsConfiguration(cookieName: "rm_session") { id in
        // No Expires: a browser-session cookie; the server enforces idle and absolute timeouts.
        HTTPCookies.Value(string: id.string, path: "/", isSecure: config.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }
    let sessions = DatabaseSessions(idleTimeout: config.sessionIdleTimeout, maxAge: config.sessionMaxAge)

    app.routes.defaultMaxBodySize = BodyLimit.forms
    app.middleware = Middlewares()
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(ErrorMiddleware.default(environment: app.environment))  // last resort, e.g. database down
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory))
    app.middleware.use(SessionsMiddleware(session: sessions, configuration: app.sessions.configuration))
    app.middleware.use(LocaleMiddleware(secureCookies: config.secureCookies))
    app.middleware.use(ErrorPageMiddleware(environment: app.environment))
    app.middleware.use(SessionAuthenticator())
    app.middleware.use(CSRF())

    switch config.mailTransport {
    case .log:
        app.mailTransport = LogMailTransport(logger: app.logger)
    case .smtp:
        app.mailTransport = SMTPMailTransport(config: config)
    }
    app.lifecycle.use(OutboxWorker(config: config))
    app.kickoffHub = KickoffHub(database: { [weak app] in app?.db })
    app.rateLimiter = RateLimiter()

    try routes(app)
}
