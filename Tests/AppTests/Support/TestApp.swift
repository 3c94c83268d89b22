import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// The package root, so tests find `Resources/` and `Public/` wherever they run from.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

/// Which database the app tests run on: PostgreSQL when `TEST_DATABASE_URL` is set (CI sets it), else SQLite.
/// On PostgreSQL every test gets its own schema, so tests run in parallel without seeing each other.
enum TestDatabase {
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Test apps on PostgreSQL at the same time, at most. Swift Testing starts every test at once and each app opens
    /// its own pool; with 315 tests that went past the server's 400 connections ("too many clients") on a busy
    /// machine. Each app needs a few connections, so 32 apps stay far below the limit and still overlap their waits.
    static let slots = TestSlots(count: 32)
}

/// A counting semaphore for async tests: `acquire` waits for a free slot, `release` hands it to the next waiter.
actor TestSlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(count: Int) { free = count }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// Test logs at `warning` (override with TEST_LOG_LEVEL=info|debug|trace), so CI output stays readable.
private let quietLogging: Void = {
    let level = ProcessInfo.processInfo.environment["TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
}()

/// Boots the same `configure(app)` as production on a fresh, migrated database, runs `body`, cleans up.
/// With `clock`, the app reads the time from it (move it on instead of sleeping or backdating rows).
func withTestApp(
    adjust: (inout AppConfig) -> Void = { _ in },
    clock: ManualClock? = nil,
    _ body: (Application) async throws -> Void
) async throws {
    _ = quietLogging
    var config = AppConfig.defaults
    config.resourcesDirectory = packageRoot
    config.baseURL = "http://mentoring.test"
    config.runOutboxWorker = false
    config.seedDemo = false
    // Tests sign the same people in far more often than people do; RateLimitTests switch the limits on.
    config.rateLimiting = false
    // A fresh key per test app (the key-file path is tested on its own).
    config.dataKey = DataSealer.newKey()
    let sqlitePath = NSTemporaryDirectory() + "mentoring-test-\(UUID().uuidString).sqlite"
    var schema: String?
    if let url = TestDatabase.postgresURL {
        schema = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        config.database = .postgres(url: url)
        config.postgresSchema = schema
        // Tests run in parallel, each with its own app: keep the server's connection budget.
        config.postgresConnectionsPerLoop = 1
    } else {
        config.database = .sqlite(path: sqlitePath)
    }
    adjust(&config)

    if schema != nil { await TestDatabase.slots.acquire() }
    do {
        let app = try await Application.make(.testing)
        if let clock { app.clock = clock.clock }
        do {
            try await configure(app, config: config)
            if let schema {
                try await (app.db as! any SQLDatabase).raw("CREATE SCHEMA \(ident: schema)").run()
            }
            try await app.autoMigrate()
            try await body(app)
        } catch {
            try? await cleanUp(app, schema: schema, sqlitePath: sqlitePath)
            throw error
        }
        try await cleanUp(app, schema: schema, sqlitePath: sqlitePath)
    } catch {
        if schema != nil { await TestDatabase.slots.release() }
        throw error
    }
    if schema != nil { await TestDatabase.slots.release() }
}

/// Drops the test's schema and always shuts the app down, also when dropping fails (an app that is not shut down
/// stops the whole test process with Vapor's "did not shutdown before deinit" assertion).
private func cleanUp(_ app: Application, schema: String?, sqlitePath: String) async throws {
    var dropFailure: (any Error)?
    if let schema {
        do {
            try await (app.db as! any SQLDatabase).raw("DROP SCHEMA \(ident: schema) CASCADE").run()
        } catch {
            dropFailure = error
        }
    }
    try await app.asyncShutdown()
    for suffix in ["", "-wal", "-shm", ".data-key"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) }
    if let dropFailure { throw dropFailure }
}

/// A tiny browser for tests: keeps cookies, remembers the last page's CSRF token, sends forms.
final class TestBrowser: @unchecked Sendable {
    let app: Application
    var cookies: [String: String] = [:]
    var csrf: String?
    var acceptLanguage: String?
    /// Sent as `Accept` when set (e.g. `application/json` for a page script's fetch).
    var accept: String?
    /// Sent as `X-Forwarded-For` when set (as a reverse proxy would).
    var forwardedFor: String?

    init(_ app: Application) { self.app = app }

    struct Page {
        let status: HTTPStatus
        let headers: HTTPHeaders
        let body: String
        var location: String? { headers.first(name: .location) }
    }

    @discardableResult
    func get(_ path: String) async throws -> Page {
        try await send(.GET, path)
    }

    /// Posts a form. The CSRF token from the last page is added unless `csrf: false`.
    @discardableResult
    func post(_ path: String, _ form: [String: String] = [:], csrf withToken: Bool = true) async throws -> Page {
        try await post(path, pairs: form.map { ($0.key, $0.value) }, csrf: withToken)
    }

    /// Posts a form whose fields may repeat (e.g. `ids[]`).
    @discardableResult
    func post(_ path: String, pairs: [(String, String)], csrf withToken: Bool = true) async throws -> Page {
        var fields = pairs
        if withToken, !fields.contains(where: { $0.0 == "_csrf" }) {
            if csrf == nil { try await get("/login") }  // a page with a form, which starts a session
            fields.append(("_csrf", csrf ?? ""))
        }
        let body = fields.map { key, value in
            "\(Self.formEncode(key))=\(Self.formEncode(value))"
        }.joined(separator: "&")
        return try await send(.POST, path, body: body, contentType: "application/x-www-form-urlencoded")
    }

    func send(
        _ method: HTTPMethod, _ path: String, body: String? = nil, contentType: String? = nil
    ) async throws -> Page {
        var headers = HTTPHeaders()
        if !cookies.isEmpty {
            headers.add(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let acceptLanguage { headers.add(name: .acceptLanguage, value: acceptLanguage) }
        if let accept { headers.add(name: .accept, value: accept) }
        if let forwardedFor { headers.add(name: .xForwardedFor, value: forwardedFor) }
        if let contentType { headers.add(name: .contentType, value: contentType) }
        let response = try await app.testing().sendRequest(
            method, path, headers: headers, body: body.map { ByteBuffer(string: $0) })
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";").first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if header.lowercased().contains("expires=thu, 01 jan 1970") || parts[1].isEmpty {
                cookies[parts[0]] = nil
            } else {
                cookies[parts[0]] = parts[1]
            }
        }
        let text = response.body.getString(at: response.body.readerIndex, length: response.body.readableBytes) ?? ""
        if let token = Self.firstMatch(in: text, after: "name=\"_csrf\" value=\"") { csrf = token }
        return Page(status: response.status, headers: response.headers, body: text)
    }

    static func firstMatch(in text: String, after marker: String) -> String? {
        guard let range = text.range(of: marker) else { return nil }
        let rest = text[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Test people, one per role.
enum Role: String, CaseIterable, Sendable {
    case anonymous, organiser, mentor, mentee
}

struct Fixture {
    let programme: Programme
    let organiser: User
    let mentor: User
    let mentee: User

    static func make(on db: any Database) async throws -> Fixture {
        let programme = Programme(name: "Testprogramm", description: "Zum Testen", phase: .intake)
        try await programme.create(on: db)
        let organiser = User(email: "orga@test.example", name: "Olga Organisatorin", isOrganiser: true)
        let mentor = User(email: "mentor@test.example", name: "Max Mentor")
        let mentee = User(email: "mentee@test.example", name: "Erika Mentee", locale: "en")
        for user in [organiser, mentor, mentee] { try await user.create(on: db) }
        try await Participation(userID: mentor.requireID(), programmeID: programme.requireID(), role: .mentor).create(
            on: db)
        try await Participation(userID: mentee.requireID(), programmeID: programme.requireID(), role: .mentee).create(
            on: db)
        return Fixture(programme: programme, organiser: organiser, mentor: mentor, mentee: mentee)
    }

    func user(for role: Role) -> User? {
        switch role {
        case .anonymous: nil
        case .organiser: organiser
        case .mentor: mentor
        case .mentee: mentee
        }
    }
}

extension TestBrowser {
    /// Signs in the way a person does: request a link, take it from the outbox, open it, confirm.
    func signIn(as user: User) async throws {
        try await get("/login")
        let before = try await OutboxMessage.query(on: app.db).count()
        let requested = try await post("/login", ["email": user.email])
        #expect(requested.status == .seeOther)
        let messages = try await OutboxMessage.query(on: app.db).sort(\.$createdAt).all()
        #expect(messages.count == before + 1)
        let link = try #require(messages.last.flatMap { linkPath(in: $0.textBody) })
        let confirm = try await get(link)
        #expect(confirm.status == .ok)
        let done = try await post(link)
        #expect(done.status == .seeOther)
        // Signing in issues a new CSRF token; pick it up like a browser following the redirect would.
        try await get("/")
    }

    /// The path of the sign-in link in an e-mail body.
    func linkPath(in text: String) -> String? {
        guard let range = text.range(of: "http://mentoring.test/login/") else { return nil }
        let token = text[range.upperBound...].prefix { !$0.isWhitespace }
        return "/login/" + token
    }
}
