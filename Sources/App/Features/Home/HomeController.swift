import Fluent
import Mentoring
import Vapor

/// The public start page: what the programme is, and the way in.
struct HomeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.home, use: index)
    }

    struct HomePage: Encodable {
        let signedIn: Bool
        let signedOut: Bool
        let programmes: [ProgrammeTeaser]
        /// The first programme open for applications: the start page's main call to action.
        let applyHref: String?
    }
    struct ProgrammeTeaser: Encodable {
        let name: String
        let description: String
        let phase: String
        /// While applications are open: the public application form and its deadline.
        let applyHref: String?
        let applyUntil: String?
    }

    @Sendable func index(req: Request) async throws -> Response {
        // Anonymous visitors without a session all see the same page (see `StartPageCache`).
        let cookieName = req.application.sessions.configuration.cookieName
        let cacheable = req.cookies[cookieName] == nil && req.currentUser == nil && req.url.query == nil
        let cache = req.application.startPageCache
        let now = req.now
        if cacheable, let page = cache.page(for: req.appLocale, now: now) { return page }
        let generation = cache.generation
        let response = try await render(req: req)
        if cacheable { cache.store(response, for: req.appLocale, generation: generation, renderedAt: now) }
        return response
    }

    private func render(req: Request) async throws -> Response {
        let programmes = try await Programme.loadPublic(on: req.db)
        let teasers = try programmes.map { programme in
            let open = ApplicationController.closedReason(programme, req: req) == nil
            let deadline = programme.applicationDeadlineDate
            return ProgrammeTeaser(
                name: programme.name, description: programme.description,
                phase: req.t("phase.\(programme.phase.rawValue)"),
                applyHref: open ? SiteURL.apply(programmeID: .value(try programme.requireID())).path : nil,
                applyUntil: open
                    ? deadline.map { req.t("home.applyUntil", req.appLocale == .de ? $0.german : $0.description) }
                    : nil)
        }
        let page = HomePage(
            signedIn: req.currentUser != nil, signedOut: req.query[String.self, at: "signedOut"] != nil,
            programmes: teasers, applyHref: teasers.first { $0.applyHref != nil }?.applyHref)
        return try await PageRenderer.render("Home/index", page, title: req.t("home.title"), for: req)
    }
}
