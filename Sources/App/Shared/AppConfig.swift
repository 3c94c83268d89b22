import Foundation

/// Every setting the app reads, decoded once at start-up from the environment (see README, "Configuration").
/// Handlers never read the environment themselves.
public struct AppConfig: Sendable {
    public enum DatabaseChoice: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String)
    }

    public enum MailTransportChoice: String, Sendable {
        case log, smtp
    }

    public var database: DatabaseChoice
    /// Schema for PostgreSQL (`search_path`); tests use one schema per test to run in parallel.
    public var postgresSchema: String?
    /// PostgreSQL connections per event loop (one loop per core). SQLite always uses one per loop: its
    /// queries run on the thread pool and one writer at a time anyway.
    public var postgresConnectionsPerLoop = 4
    /// Public base URL used in e-mailed links, without trailing slash. Defaults to the serve address.
    public var baseURL: String?
    public var mailTransport: MailTransportChoice
    public var mailFrom: String
    public var mailFromName: String
    public var smtpHost: String
    public var smtpPort: Int
    public var smtpSecurity: String
    public var smtpUsername: String?
    public var smtpPassword: String?
    /// Accept a self-signed certificate from the SMTP server (test servers only).
    public var smtpInsecureTLS: Bool
    public var magicLinkLifetime: TimeInterval
    /// How long a personal invitation link stays valid.
    public var invitationLifetime: TimeInterval
    public var sessionIdleTimeout: TimeInterval
    public var sessionMaxAge: TimeInterval
    public var secureCookies: Bool
    public var outboxPollInterval: TimeInterval
    public var outboxMaxAttempts: Int
    public var runOutboxWorker: Bool
    public var timeZone: TimeZone
    public var seedDemo: Bool
    public var resourcesDirectory: String?
    /// STUN/TURN URLs for the kickoff's video calls. Empty: direct connections only (enough on one network).
    public var iceServers: [String] = []
    /// Limits on the forms that send e-mails or check passwords (`RATE_LIMITS=off` for load tests).
    public var rateLimiting = true
    /// Take the client address from `X-Forwarded-For`/`Forwarded` (only behind a reverse proxy that sets it).
    public var trustForwardedFor = false
    /// Base64 of 32 bytes: seals the tandem space's confidential text (`DataSealer`). Without it, SQLite keeps a key
    /// file beside the database (development); PostgreSQL refuses to start.
    public var dataKey: String?
    /// Earlier keys, still able to open what they sealed until `mentoring reseal` has run.
    public var previousDataKeys: [String] = []

    public static let defaults = AppConfig(
        database: .sqlite(path: "mentoring.sqlite"), postgresSchema: nil, baseURL: nil,
        mailTransport: .log, mailFrom: "programm@reverse-mentoring.example", mailFromName: "Reverse Mentoring",
        smtpHost: "127.0.0.1", smtpPort: 25, smtpSecurity: "starttls", smtpUsername: nil, smtpPassword: nil,
        smtpInsecureTLS: false, magicLinkLifetime: 15 * 60, invitationLifetime: 30 * 86400,
        sessionIdleTimeout: 2 * 3600, sessionMaxAge: 12 * 3600,
        secureCookies: false, outboxPollInterval: 5, outboxMaxAttempts: 8, runOutboxWorker: true,
        timeZone: TimeZone(identifier: "Europe/Berlin")!, seedDemo: true, resourcesDirectory: nil
    )

    public struct InvalidSettings: Error, CustomStringConvertible {
        public var problems: [String]
        public var description: String {
            "Invalid configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        }
    }

    /// Reads the environment; collects every problem before failing, so one start shows them all.
    public static func fromEnvironment(
        _ env: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> AppConfig {
        var config = AppConfig.defaults
        var problems: [String] = []

        func int(_ key: String, _ range: ClosedRange<Int>) -> Int? {
            guard let raw = env[key], !raw.isEmpty else { return nil }
            guard let value = Int(raw), range.contains(value) else {
                problems.append("\(key)=\(raw) must be a whole number in \(range.lowerBound)...\(range.upperBound)")
                return nil
            }
            return value
        }
        func bool(_ key: String) -> Bool? {
            guard let raw = env[key]?.lowercased(), !raw.isEmpty else { return nil }
            switch raw {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default:
                problems.append("\(key)=\(raw) must be true or false")
                return nil
            }
        }

        if let url = env["DATABASE_URL"], !url.isEmpty {
            if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
                config.database = .postgres(url: url)
            } else {
                problems.append("DATABASE_URL must start with postgres:// (leave it unset for SQLite)")
            }
        } else if let path = env["SQLITE_PATH"], !path.isEmpty {
            config.database = .sqlite(path: path)
        }
        config.postgresSchema = env["DATABASE_SCHEMA"].flatMap { $0.isEmpty ? nil : $0 }
        if let connections = int("DATABASE_CONNECTIONS_PER_CORE", 1...64) {
            config.postgresConnectionsPerLoop = connections
        }
        if let base = env["BASE_URL"], !base.isEmpty {
            if base.hasPrefix("http://") || base.hasPrefix("https://") {
                config.baseURL = base.hasSuffix("/") ? String(base.dropLast()) : base
            } else {
                problems.append("BASE_URL=\(base) must start with http:// or https://")
            }
        }
        if let transport = env["MAIL_TRANSPORT"], !transport.isEmpty {
            if let choice = MailTransportChoice(rawValue: transport) {
                config.mailTransport = choice
            } else {
                problems.append("MAIL_TRANSPORT=\(transport) must be log or smtp")
            }
        }
        if let from = env["MAIL_FROM"], !from.isEmpty { config.mailFrom = from }
        if let name = env["MAIL_FROM_NAME"], !name.isEmpty { config.mailFromName = name }
        if let host = env["SMTP_HOST"], !host.isEmpty { config.smtpHost = host }
        if let port = int("SMTP_PORT", 1...65535) { config.smtpPort = port }
        if let security = env["SMTP_SECURITY"], !security.isEmpty {
            if ["none", "starttls", "tls"].contains(security) {
                config.smtpSecurity = security
            } else {
                problems.append("SMTP_SECURITY=\(security) must be none, starttls or tls")
            }
        }
        config.smtpUsername = env["SMTP_USERNAME"].flatMap { $0.isEmpty ? nil : $0 }
        config.smtpPassword = env["SMTP_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        if let insecure = bool("SMTP_INSECURE_TLS") { config.smtpInsecureTLS = insecure }
        if config.mailTransport == .smtp, env["SMTP_HOST"]?.isEmpty ?? true {
            problems.append("SMTP_HOST is required when MAIL_TRANSPORT=smtp")
        }
        if let minutes = int("MAGIC_LINK_MINUTES", 1...1440) { config.magicLinkLifetime = TimeInterval(minutes * 60) }
        if let days = int("INVITATION_DAYS", 1...365) { config.invitationLifetime = TimeInterval(days * 86400) }
        if let minutes = int("SESSION_IDLE_MINUTES", 1...10080) {
            config.sessionIdleTimeout = TimeInterval(minutes * 60)
        }
        if let hours = int("SESSION_MAX_HOURS", 1...720) { config.sessionMaxAge = TimeInterval(hours * 3600) }
        if let secure = bool("COOKIE_SECURE") { config.secureCookies = secure }
        if let seconds = int("OUTBOX_POLL_SECONDS", 1...3600) { config.outboxPollInterval = TimeInterval(seconds) }
        if let attempts = int("OUTBOX_MAX_ATTEMPTS", 1...50) { config.outboxMaxAttempts = attempts }
        if let zone = env["TIME_ZONE"], !zone.isEmpty {
            if let tz = TimeZone(identifier: zone) {
                config.timeZone = tz
            } else {
                problems.append("TIME_ZONE=\(zone) is not a known time zone")
            }
        }
        if let demo = bool("DEMO") { config.seedDemo = demo }
        config.resourcesDirectory = env["APP_DIRECTORY"].flatMap { $0.isEmpty ? nil : $0 }
        if let urls = env["ICE_SERVERS"], !urls.isEmpty {
            config.iceServers = urls.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            for url in config.iceServers
            where !(url.hasPrefix("stun:") || url.hasPrefix("turn:") || url.hasPrefix("turns:")) {
                problems.append("ICE_SERVERS entry \(url) must start with stun:, turn: or turns:")
            }
        }

        if let limits = bool("RATE_LIMITS") { config.rateLimiting = limits }
        if let forwarded = bool("TRUST_FORWARDED_FOR") { config.trustForwardedFor = forwarded }
        if let key = env["DATA_KEY"], !key.isEmpty {
            if let data = Data(base64Encoded: key), data.count == 32 {
                config.dataKey = key
            } else {
                problems.append("DATA_KEY must be 32 bytes in base64 (generate one with `mentoring data-key`)")
            }
        }
        if let keys = env["DATA_KEY_PREVIOUS"], !keys.isEmpty {
            config.previousDataKeys = keys.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            for key in config.previousDataKeys where Data(base64Encoded: key)?.count != 32 {
                problems.append("DATA_KEY_PREVIOUS: every key must be 32 bytes in base64")
            }
        }

        if !problems.isEmpty { throw InvalidSettings(problems: problems) }
        return config
    }
}
