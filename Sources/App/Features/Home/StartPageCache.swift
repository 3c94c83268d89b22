import Fluent
import NIOConcurrencyHelpers
import Vapor

/// The public start page as an anonymous visitor sees it, rendered at most once a second per language.
///
/// Why: it is the page a mailing to a thousand executives, or a flyer's QR code, sends everyone to at once,
/// and rendering it (a query, Leaf, escaping every programme's description) cost twice a static file. It is
/// the same for every visitor without a session: no name, no flash messages, nothing personal. Any change to a
/// programme empties the cache at once (a Fluent model middleware); the one-second lifetime covers what
/// changes with time alone (an application deadline passing at midnight). Visitors with a session cookie
/// (who may see a flash message or be signed in) always get a fresh render.
final class StartPageCache: Sendable {
    struct Entry {
        let renderedAt: Date
        let generation: Int
        let headers: HTTPHeaders
        let body: ByteBuffer
    }

    static let lifetime: TimeInterval = 1
    private let state = NIOLockedValueBox<(generation: Int, entries: [AppLocale: Entry])>((0, [:]))

    /// The cached page for `locale` if it is fresh.
    func page(for locale: AppLocale, now: Date) -> Response? {
        state.withLockedValue { state in
            guard let entry = state.entries[locale], entry.generation == state.generation,
                now.timeIntervalSince(entry.renderedAt) < Self.lifetime, now >= entry.renderedAt
            else { return nil }
            return Response(status: .ok, headers: entry.headers, body: .init(buffer: entry.body))
        }
    }

    /// Remembers a page rendered at `generation` (read before rendering, so a change during the render wins).
    func store(_ response: Response, for locale: AppLocale, generation: Int, renderedAt: Date) {
        guard response.status == .ok, let body = response.body.buffer else { return }
        state.withLockedValue { state in
            guard generation == state.generation else { return }
            state.entries[locale] = Entry(
                renderedAt: renderedAt, generation: generation, headers: response.headers, body: body)
        }
    }

    var generation: Int { state.withLockedValue { $0.generation } }

    /// Something the start page shows changed.
    func invalidate() {
        state.withLockedValue { state in
            state.generation += 1
            state.entries = [:]
        }
    }
}

/// Empties the start page cache whenever a programme is created, changed or deleted through Fluent.
struct StartPageInvalidation: AsyncModelMiddleware {
    let cache: StartPageCache

    func create(model: Programme, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.create(model, on: db)
        cache.invalidate()
    }

    func update(model: Programme, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.update(model, on: db)
        cache.invalidate()
    }

    func delete(model: Programme, force: Bool, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.delete(model, force: force, on: db)
        cache.invalidate()
    }
}

extension Application {
    private struct StartPageCacheKey: StorageKey { typealias Value = StartPageCache }

    /// One per application (set up in `configure`).
    var startPageCache: StartPageCache {
        if let cache = storage[StartPageCacheKey.self] { return cache }
        let cache = StartPageCache()
        storage[StartPageCacheKey.self] = cache
        return cache
    }
}
