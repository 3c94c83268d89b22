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
    /// Renders the Leaf `template` (the page's content) inside the layout, with the page's own context.
    static func render<Content: Encodable>(
        _ template: String, _ content: Content, title: String? = nil, for request: Request,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let layout = makeLayout(title: title ?? request.t("app.name"), for: request)
        let view = try await request.view.render(template, Page(layout: layout, page: content))
        return respond(layout, status: status, for: request) { $0.trustedHTML(view.data) }
    }

    /// A page whose content is written in Swift (``HTMLWriter``), inside the layout: for the pages people wait for.
    static func render(
        title: String, for request: Request, status: HTTPResponseStatus = .ok,
        capacity: Int = 16_384, _ content: (inout HTMLWriter) -> Void
    ) -> Response {
        respond(makeLayout(title: title, for: request), status: status, capacity: capacity, for: request, content)
    }

    private static func respond(
        _ layout: Layout, status: HTTPResponseStatus, capacity: Int = 16_384, for request: Request,
        _ content: (inout HTMLWriter) -> Void
    ) -> Response {
        var html = HTMLWriter(capacity: capacity)
        writeLayout(layout, into: &html, for: request, content)
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(buffer: html.buffer))
    }

    /// The frame of every page: head, header with the navigation, flash messages, main, footer.
    static func writeLayout(
        _ layout: Layout, into html: inout HTMLWriter, for request: Request, _ content: (inout HTMLWriter) -> Void
    ) {
        let appName = request.t("app.name")
        html.raw("<!doctype html>\n")
        html.open("html", ["lang": layout.lang])
        html.raw(
            """

            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>
            """)
        html.text(layout.title + " · " + appName)
        html.raw("</title>\n  ")
        html.open("link", ["rel": "icon", "href": StaticAsset.favicon, "type": "image/svg+xml"])
        html.raw("\n  ")
        html.open("link", ["rel": "stylesheet", "href": StaticAsset.stylesheet])
        html.raw("\n  ")
        html.element("script", ["src": StaticAsset.menuScript]) { _ in }
        html.raw("\n  ")
        html.element("script", ["src": StaticAsset.copyScript, "defer": ""]) { _ in }
        html.raw("\n</head>\n<body>\n  ")
        html.element("a", ["class": "skip-link", "href": "#main"], text: request.t("layout.skipToContent"))
        html.raw("\n  <header class=\"site-header\">\n    <div class=\"wrap header-row\">\n      ")
        html.element("a", ["class": "brand", "href": layout.links.home]) { html in
            html.open("img", ["class": "brand-mark", "src": StaticAsset.favicon, "alt": ""])
            html.text(appName)
        }
        html.raw("\n      ")
        html.open("nav", ["aria-label": request.t("layout.mainNavigation")])
        html.raw(
            "\n        <button type=\"button\" class=\"menu-toggle\" aria-expanded=\"false\" aria-controls=\"site-nav\">"
        )
        html.icon("menu")
        html.text(request.t("layout.menu"))
        html.raw("</button>\n        <ul class=\"nav\" id=\"site-nav\">\n          ")
        for item in layout.nav {
            html.element("li") { html in
                html.element("a", ["href": item.href, "aria-current": item.current ? "page" : nil], text: item.label)
            }
        }
        if layout.userName != nil {
            html.element("li") { html in
                html.element("form", ["method": "post", "action": layout.links.logout, "class": "inline"]) { html in
                    html.csrfField(request.csrfToken)
                    html.element("button", ["type": "submit", "class": "link-button"], text: request.t("nav.signOut"))
                }
            }
        }
        html.element("li") { html in
            html.element(
                "a",
                [
                    "href": layout.languageSwitchHref, "lang": layout.languageSwitchLang,
                    "hreflang": layout.languageSwitchLang,
                ], text: layout.languageSwitchLabel)
        }
        html.raw(
            "\n        </ul>\n      </nav>\n    </div>\n  </header>\n  <main id=\"main\" class=\"wrap\" tabindex=\"-1\">\n"
        )
        for flash in layout.flashes {
            html.element(
                "div", ["class": "flash flash-" + flash.kind, "role": flash.kind == "error" ? "alert" : "status"],
                text: flash.text)
            html.raw("\n")
        }
        content(&html)
        html.raw("\n  </main>\n  <footer class=\"site-footer\">\n    <div class=\"wrap\">\n")
        if let userName = layout.userName {
            html.raw("      ")
            html.element("p", text: request.t("layout.signedInAs", userName))
            html.raw("\n")
        }
        html.raw("      ")
        html.element("p", text: request.t("layout.footer"))
        html.raw("\n    </div>\n  </footer>\n</body>\n</html>\n")
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
