import Foundation
import Vapor

/// Token buckets per key (a client address, an e-mail address), in memory. The forms that send e-mails to any
/// address typed in (sign-in links, applications, registrations) and the password form would otherwise let
/// anybody use the server to flood a mailbox or guess passwords. One process keeps its own buckets: with
/// several instances behind a load balancer the limits apply per instance.
actor RateLimiter {
    /// At most `limit` requests in any `window` seconds (refilled continuously).
    struct Rule: Sendable, Equatable {
        let limit: Int
        let window: TimeInterval
    }

    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    private var buckets: [String: Bucket] = [:]
    private var takes = 0
    private let clock: @Sendable () -> Date

    /// `clock` is the app's clock (``AppClock``) in the server; tests may pass a stopped one.
    init(clock: @escaping @Sendable () -> Date) {
        self.clock = clock
    }

    /// Takes one request from `key`'s bucket: nil when allowed, otherwise the seconds until the next is.
    func take(_ key: String, _ rule: Rule) -> TimeInterval? {
        let now = clock()
        let rate = Double(rule.limit) / rule.window
        var bucket = buckets[key] ?? Bucket(tokens: Double(rule.limit), updated: now)
        bucket.tokens = min(Double(rule.limit), bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * rate)
        bucket.updated = now
        defer { prune(now: now) }
        guard bucket.tokens >= 1 else {
            buckets[key] = bucket
            return (1 - bucket.tokens) / rate
        }
        bucket.tokens -= 1
        buckets[key] = bucket
        return nil
    }

    /// Forgets, now and then, buckets untouched for longer than the longest window (they would be full again).
    private func prune(now: Date) {
        takes += 1
        guard takes % 1000 == 0 else { return }
        buckets = buckets.filter { now.timeIntervalSince($0.value.updated) < RateLimits.longestWindow }
    }
}

/// The limits. Generous per client address (a company's mentors may all come through one NAT address on the
/// morning of the kickoff), tight per e-mail address (nobody needs six sign-in links an hour).
enum RateLimits {
    static let signInLinksPerClient = RateLimiter.Rule(limit: 60, window: 10 * 60)
    static let signInLinksPerAddress = RateLimiter.Rule(limit: 5, window: 60 * 60)
    static let passwordAttemptsPerClient = RateLimiter.Rule(limit: 30, window: 10 * 60)
    /// Per address and client (a lock-out per address alone would let anybody lock an organiser out).
    static let passwordAttemptsPerAddress = RateLimiter.Rule(limit: 10, window: 15 * 60)
    /// Beyond this many attempts at one address from any clients, each attempt waits `passwordSlowDown`.
    static let passwordAttemptsPerAddressAnyClient = RateLimiter.Rule(limit: 20, window: 15 * 60)
    static let passwordSlowDown: Duration = .seconds(2)
    static let applicationsPerClient = RateLimiter.Rule(limit: 20, window: 60 * 60)
    static let registrationsPerClient = RateLimiter.Rule(limit: 30, window: 60 * 60)
    /// The longest window above (buckets idle this long are full again and can be forgotten).
    static let longestWindow: TimeInterval = 60 * 60
}

/// 429 with `Retry-After`, shown as the friendly error page.
struct TooManyRequests: AbortError {
    let retryAfter: TimeInterval
    var status: HTTPResponseStatus { .tooManyRequests }
    var reason: String { "Too many requests; retry after \(Int(retryAfter.rounded(.up))) s" }
    var headers: HTTPHeaders { ["Retry-After": String(max(1, Int(retryAfter.rounded(.up))))] }
}

/// Limits a route per client address.
struct RateLimitMiddleware: AsyncMiddleware {
    let name: String
    let rule: RateLimiter.Rule

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await request.rateLimit(name, key: request.clientAddress, rule)
        return try await next.respond(to: request)
    }
}

extension Request {
    /// The client's address: the socket's peer, or with `TRUST_FORWARDED_FOR` the address a reverse proxy
    /// reports (only behind a proxy that sets the header itself; otherwise anybody could pick their own).
    var clientAddress: String {
        let address = application.appConfig.trustForwardedFor ? peerAddress : remoteAddress
        return address?.ipAddress ?? "unknown"
    }

    /// Throws `TooManyRequests` when `key` has used up `rule` for `name` (no-op with `RATE_LIMITS=off`).
    func rateLimit(_ name: String, key: String, _ rule: RateLimiter.Rule) async throws {
        guard let wait = await rateLimited(name, key: key, rule) else { return }
        throw TooManyRequests(retryAfter: wait)
    }

    /// The seconds to wait when `key` has used up `rule` for `name`, nil when the request may go ahead.
    func rateLimited(_ name: String, key: String, _ rule: RateLimiter.Rule) async -> TimeInterval? {
        guard application.appConfig.rateLimiting else { return nil }
        let wait = await application.rateLimiter.take("\(name)|\(key)", rule)
        if let wait {
            logger.notice(
                "Rate limit reached", metadata: ["limit": "\(name)", "retry_after_s": "\(Int(wait.rounded(.up)))"])
        }
        return wait
    }
}

extension Application {
    private struct RateLimiterKey: StorageKey { typealias Value = RateLimiter }
    /// Set once in `configure`.
    var rateLimiter: RateLimiter {
        get { storage[RateLimiterKey.self]! }
        set { storage[RateLimiterKey.self] = newValue }
    }
}
