import Fluent
import Foundation
import Vapor

/// Opening a personal event link: a page with one button (mail scanners open links too, and must not sign
/// anybody in), then the live event.
struct KickoffPassController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.event(token: .key), use: open)
        routes.post(.event(token: .key), use: enter)
    }

    struct EnterPage: Encodable {
        let token: String
        let action: String
        let name: String
        let programmeName: String
        let startsAt: String
        /// Set when someone else is signed in on this browser: the page then offers to switch.
        let signedInAs: String?
    }

    struct EnterForm: Content {
        /// "1": sign out whoever is signed in and enter as the link's person.
        var `switch`: String?
    }

    @Sendable func open(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let pass = try await KickoffPasses.resolve(token: token, on: req.db, now: req.now)
        if let current = req.currentUser, current.id == pass.$user.id {
            return req.redirect(to: .kickoff(kickoffID: .value(try pass.kickoff.requireID())))
        }
        // Signed in as someone else (a shared computer, or trying the demo in two windows): 409, and an
        // explicit button to sign out and enter as the link's person. Never switched silently.
        let programme = try await pass.kickoff.$programme.get(on: req.db)
        return try await PageRenderer.render(
            "Kickoff/enter",
            EnterPage(
                token: token, action: SiteURL.event(token: .value(token)).path, name: pass.user.name,
                programmeName: programme.name,
                startsAt: req.application.dateFormatting.dateTime(pass.kickoff.startsAt, req.appLocale),
                signedInAs: req.currentUser?.name),
            title: req.t("event.enter.title"), for: req, status: req.currentUser == nil ? .ok : .conflict)
    }

    @Sendable func enter(req: Request) async throws -> Response {
        let pass = try await KickoffPasses.resolve(token: req.parameters.get("token") ?? "", on: req.db, now: req.now)
        if let current = req.currentUser, current.id != pass.$user.id {
            guard (try? req.content.decode(EnterForm.self))?.switch == "1" else {
                throw KickoffError.eventLinkOtherPerson
            }
            // Nothing of the previous person's session carries over; signing in below rotates its id.
            req.auth.logout(User.self)
            req.session.data = SessionData()
        }
        if req.currentUser == nil {
            try req.signIn(pass.user)
            req.appLocale = AppLocale(rawValue: pass.user.locale) ?? req.appLocale
        }
        let response = req.redirect(to: .kickoff(kickoffID: .value(try pass.kickoff.requireID())))
        response.rememberLocale(req.appLocale, secure: req.application.appConfig.secureCookies)
        return response
    }
}
