import Fluent
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
    struct Page: Sendable {
        let headers: HTTPHeaders
        let body: ByteBuffer
    }

    static let lifetime: TimeInterval = 1
    private let pages = GenerationCache<AppLocale, Page>(lifetime: StartPageCache.lifetime)

    /// The cached page for `locale` if it is fresh.
    func page(for locale: AppLocale, now: Date) -> Response? {
        pages.value(for: locale, now: now).map {
            Response(status: .ok, headers: $0.headers, body: .init(buffer: $0.body))
        }
    }

    /// Remembers a page rendered at `generation` (read before rendering, so a change during the render wins).
    func store(_ response: Response, for locale: AppLocale, generation: Int, renderedAt: Date) {
        guard response.status == .ok, let body = response.body.buffer else { return }
        pages.store(Page(headers: response.headers, body: body), for: locale, generation: generation, at: renderedAt)
    }

    var generation: Int { pages.generation }

    /// Something the start page shows changed (any change to a programme through Fluent, see `configure`).
    func invalidate() { pages.invalidate() }
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
