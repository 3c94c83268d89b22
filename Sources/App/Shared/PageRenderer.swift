import Vapor

/// What the shared layout needs on every page: language, navigation for the person's role, flash messages.
struct Layout: Encodable {
    struct NavItem: Encodable {
        let href: String
        let label: String
        let current: Bool
    }
    struct Flash: Codable {
        let kind: String  // "success" | "info" | "error"
        let text: String
    }

    let lang: String
    let title: String
    let userName: String?
    let nav: [NavItem]
    let flashes: [Flash]
    let languageSwitchHref: String
    let languageSwitchLabel: String
    let languageSwitchLang: String
    let links = SiteLinks.shared
}

/// Every page's context: the layout plus one page-specific context struct.
struct Page<Content: Encodable>: Encodable {
    let layout: Layout
    let page: Content
}

enum PageRenderer {
    /// Renders `template` inside the base layout with the page's own context.
    static func render<Content: Encodable>(
        _ template: String, _ content: Content, title: String? = nil, for request: Request,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let layout = makeLayout(title: title ?? request.t("app.name"), for: request)
        let view = try await request.view.render(template, Page(layout: layout, page: content))
        let response = try await view.encodeResponse(status: status, for: request)
        return response
    }

    static func makeLayout(title: String, for request: Request) -> Layout {
        let locale = request.appLocale
        let other: AppLocale = locale == .de ? .en : .de
        let path = request.url.path
        var items: [(String, String)] = []
        if let user = request.currentUser {
            items.append((SiteURL.dashboard.path, "nav.dashboard"))
            if user.isOrganiser { items.append((SiteURL.outbox.path, "nav.outbox")) }
            items.append((SiteURL.account.path, "nav.account"))
        } else {
            items.append((SiteURL.home.path, "nav.home"))
            items.append((SiteURL.login.path, "nav.signIn"))
        }
        return Layout(
            lang: locale.rawValue,
            title: title,
            userName: request.currentUser?.name,
            nav: items.map { .init(href: $0.0, label: request.t($0.1), current: path == $0.0) },
            flashes: request.takeFlashes(),
            languageSwitchHref: path + "?lang=" + other.rawValue,
            languageSwitchLabel: request.t("layout.switchLanguage"),
            languageSwitchLang: other.rawValue)
    }
}

extension Request {
    private static let flashKey = "flash"

    /// Queues a message for the next page this person sees (after a redirect).
    func flash(_ kind: String, _ text: String) {
        var flashes = storedFlashes()
        flashes.append(.init(kind: kind, text: text))
        session.data[Self.flashKey] = String(decoding: (try? JSONEncoder().encode(flashes)) ?? Data(), as: UTF8.self)
    }

    func takeFlashes() -> [Layout.Flash] {
        let flashes = storedFlashes()
        if !flashes.isEmpty { session.data[Self.flashKey] = nil }
        return flashes
    }

    private func storedFlashes() -> [Layout.Flash] {
        guard hasSession, let raw = session.data[Self.flashKey] else { return [] }
        return (try? JSONDecoder().decode([Layout.Flash].self, from: Data(raw.utf8))) ?? []
    }
}
