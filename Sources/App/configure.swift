import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import NIOSSL
import SQLKit
import Vapor

extension Application {
    private struct AppConfigKey: StorageKey { typealias Value = AppConfig }
    /// The configuration decoded at start-up.
    public var appConfig: AppConfig {
        get { storage[AppConfigKey.self] ?? .defaults }
        set { storage[AppConfigKey.self] = newValue }
    }

    private struct DateFormattingKey: StorageKey { typealias Value = DateFormatting }
    /// Made once in `configure` (its formatters are reused by every request).
    var dateFormatting: DateFormatting {
        get { storage[DateFormattingKey.self] ?? DateFormatting(timeZone: appConfig.timeZone) }
        set { storage[DateFormattingKey.self] = newValue }
    }
}

/// Sets up the whole application: database, migrations, views, sessions, middleware, mail, routes.
/// Production, `serve` and the tests all call this same function.
public func configure(_ app: Application, config: AppConfig) async throws {
    app.appConfig = config
    app.dateFormatting = DateFormatting(timeZone: config.timeZone)
    if let directory = config.resourcesDirectory {
        app.directory = DirectoryConfiguration(workingDirectory: directory.hasSuffix("/") ? directory : directory + "/")
    }

    switch config.database {
    case .sqlite(let path):
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
    case .postgres(let url):
        var postgres = try SQLPostgresConfiguration(url: url)
        if let schema = config.postgresSchema { postgres.searchPath = [schema, "public"] }
        app.databases.use(
            .postgres(configuration: postgres, maxConnectionsPerEventLoop: config.postgresConnectionsPerLoop), as: .psql
        )
    }
    app.sealer = try DataSealer.make(config: config)
    registerMigrations(app.migrations)
    // Made here, before any request, so that request handlers only ever read it.
    app.databases.middleware.use(InvalidateOnChange<Programme>(invalidate: app.startPageCache.invalidate))
    // The organisers' dashboard lists programmes with their participants (also changed by the CLI and the demo).
    let overview = app.organiserOverviewCache
    app.databases.middleware.use(InvalidateOnChange<Programme>(invalidate: overview.invalidate))
    app.databases.middleware.use(InvalidateOnChange<Programme>(invalidate: app.programmeRowCache.invalidate))
    app.databases.middleware.use(InvalidateOnChange<Participation>(invalidate: overview.invalidate))
    // The programme funnel counts these rows; a change through Fluent empties its cache at once.
    _ = app.pairingInputCache  // created here, before requests run in parallel
    let funnels = app.funnelCache
    app.databases.middleware.use(InvalidateOnChange<Invitation>(invalidate: funnels.invalidate))
    app.databases.middleware.use(InvalidateOnChange<MenteeRegistration>(invalidate: funnels.invalidate))
    app.databases.middleware.use(InvalidateOnChange<MentorApplicationRecord>(invalidate: funnels.invalidate))
    app.databases.middleware.use(InvalidateOnChange<Participation>(invalidate: funnels.invalidate))
    // The programme cockpit's kickoff facts, audit lines and tandem counts.
    let cockpit = app.cockpitCache
    app.databases.middleware.use(InvalidateOnChange<Kickoff>(invalidate: cockpit.invalidate))
    app.databases.middleware.use(InvalidateOnChange<AuditEvent>(invalidate: cockpit.invalidate))
    app.databases.middleware.use(InvalidateOnChange<Tandem>(invalidate: cockpit.invalidate))
    // The organisers' tandem overview reads these; the clockwork changes them without a request.
    let health = app.tandemHealthCache
    app.databases.middleware.use(InvalidateOnChange<Tandem>(invalidate: health.invalidate))
    app.databases.middleware.use(InvalidateOnChange<TandemMeeting>(invalidate: health.invalidate))
    app.databases.middleware.use(InvalidateOnChange<TandemAgreement>(invalidate: health.invalidate))
    app.databases.middleware.use(InvalidateOnChange<TandemExperiment>(invalidate: health.invalidate))
    app.databases.middleware.use(InvalidateOnChange<TandemNotice>(invalidate: health.invalidate))
    // The tandem space shows the programme's prompt catalogue (organisers edit it; the CLI and demo write it too).
    app.databases.middleware.use(InvalidateOnChange<ProgrammePrompt>(invalidate: app.promptCatalogueCache.invalidate))
    if case .sqlite(let path) = config.database {
        try await tuneSQLite(app)
        let reads = try SQLiteReadConnections.open(
            path: path, count: System.coreCount, eventLoopGroup: app.eventLoopGroup, logger: app.logger)
        app.sqliteReads = reads
        app.lifecycle.use(SQLiteReadConnectionsLifecycle(connections: reads))
    }

    app.catalogue = try Catalogue.load(from: app.directory.resourcesDirectory + "Localization/")
    app.views.use(.leaf)
    app.leaf.tags["t"] = TranslateTag()
    app.leaf.tags["tp"] = PluralTag()
    app.leaf.tags["csrf"] = CSRFTokenTag()
    app.leaf.tags["text"] = TextTag()

    app.sessions.configuration = SessionsConfiguration(cookieName: "rm_session") { id in
        // No Expires: a browser-session cookie; the server enforces idle and absolute timeouts.
        HTTPCookies.Value(
            string: id.string, path: "/", isSecure: config.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }
    let sessions = DatabaseSessions(idleTimeout: config.sessionIdleTimeout, maxAge: config.sessionMaxAge)

    app.routes.defaultMaxBodySize = BodyLimit.forms
    app.middleware = Middlewares()
    app.middleware.use(RequestLogMiddleware(logLevel: .info))
    app.middleware.use(ErrorMiddleware.default(environment: app.environment))  // last resort, e.g. database down
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory))
    app.middleware.use(SessionsMiddleware(session: sessions, configuration: app.sessions.configuration))
    app.middleware.use(LocaleMiddleware(secureCookies: config.secureCookies))
    app.middleware.use(ErrorPageMiddleware(environment: app.environment))
    app.middleware.use(SessionAuthenticator())
    app.middleware.use(CSRF())
    app.middleware.use(WritesInvalidateCaches())
    // Last, so that no future-based middleware runs between it and the route: a task-local value does not cross
    // an `EventLoopFuture` callback (placed first, the reads of half the requests went through the pool again).
    if let reads = app.sqliteReads { app.middleware.use(SQLiteReadsMiddleware(connections: reads)) }

    switch config.mailTransport {
    case .log:
        app.mailTransport = LogMailTransport(logger: app.logger)
    case .smtp:
        app.mailTransport = SMTPMailTransport(config: config)
    }
    app.lifecycle.use(OutboxWorker(config: config))
    // Both read `app.clock` at every use, so a test may install its clock after `configure`.
    let now: @Sendable () -> Date = { [weak app] in (app?.clock ?? .system).now() }
    app.kickoffHub = KickoffHub(clock: now, database: { [weak app] in app?.db })
    app.rateLimiter = RateLimiter(clock: now)

    try routes(app)
}

/// SQLite for a server: write-ahead logging (readers never wait for a writer, a commit is one append) and
/// `synchronous=NORMAL` (safe with WAL: a power cut may lose the last commits, never corrupt the file).
/// Foreign keys are on and a busy connection retries (SQLiteNIO's defaults). The pool keeps one connection
/// per event loop, so the per-connection pragma is set on each loop's connection.
private func tuneSQLite(_ app: Application) async throws {
    guard let sql = app.db(.sqlite) as? any SQLDatabase else { return }
    try await sql.raw("PRAGMA journal_mode=WAL").run()
    for eventLoop in app.eventLoopGroup.makeIterator() {
        guard let database = app.databases.database(.sqlite, logger: app.logger, on: eventLoop) as? any SQLDatabase
        else { continue }
        try await database.raw("PRAGMA synchronous=NORMAL").run()
    }
}
