import Fluent
import Foundation
import Vapor

/// Personal event links: `/event/<token>` opens the live kickoff as that person, without a password or a
/// sign-in e-mail on the day. Tokens are random (256 bits) and stored hashed; a person may hold several
/// (the e-mailed one, one the organiser showed), each valid until a day after the planned end or revoked.
enum KickoffPasses {
    /// How long after the planned end a link still opens the event (for the shortlist afterwards).
    static let validityAfterEnd: TimeInterval = 86400

    static func issue(kickoff: Kickoff, userID: UUID, app: Application, on db: any Database) async throws -> String {
        let token = SecureToken.generate()
        try await KickoffPass(
            kickoffID: try kickoff.requireID(), userID: userID, tokenHash: SecureToken.hash(token),
            expiresAt: max(kickoff.plannedEnd, app.clock.now()).addingTimeInterval(validityAfterEnd)
        ).create(on: db)
        return app.publicBaseURL + "/event/" + token
    }

    static func resolve(token: String, on db: any Database, now: Date) async throws -> KickoffPass {
        guard !token.isEmpty, token.count < 100,
              let pass = try await KickoffPass.query(on: db).filter(\.$tokenHash == SecureToken.hash(token))
                .with(\.$user).with(\.$kickoff).first(),
              pass.revokedAt == nil
        else { throw AppError.eventLinkUnknown }
        guard pass.expiresAt > now, pass.kickoff.closedAt == nil else { throw AppError.eventLinkExpired }
        return pass
    }
}

/// Opening a personal event link: a page with one button (mail scanners open links too, and must not sign
/// anybody in), then the live event.
struct KickoffPassController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("event", ":token", use: open)
        routes.post("event", ":token", use: enter)
    }

    struct EnterPage: Encodable {
        let token: String
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
            return req.redirect(to: "/kickoff/\(try pass.kickoff.requireID())")
        }
        // Signed in as someone else (a shared computer, or trying the demo in two windows): 409, and an
        // explicit button to sign out and enter as the link's person. Never switched silently.
        let programme = try await pass.kickoff.$programme.get(on: req.db)
        return try await PageRenderer.render(
            "Kickoff/enter",
            EnterPage(token: token, name: pass.user.name, programmeName: programme.name,
                      startsAt: req.application.dateFormatting.dateTime(pass.kickoff.startsAt, req.appLocale),
                      signedInAs: req.currentUser?.name),
            title: req.t("event.enter.title"), for: req, status: req.currentUser == nil ? .ok : .conflict)
    }

    @Sendable func enter(req: Request) async throws -> Response {
        let pass = try await KickoffPasses.resolve(token: req.parameters.get("token") ?? "", on: req.db, now: req.now)
        if let current = req.currentUser, current.id != pass.$user.id {
            guard (try? req.content.decode(EnterForm.self))?.switch == "1" else { throw AppError.eventLinkOtherPerson }
            // Nothing of the previous person's session carries over; signing in below rotates its id.
            req.auth.logout(User.self)
            req.session.data = SessionData()
        }
        if req.currentUser == nil {
            try req.signIn(pass.user)
            req.appLocale = AppLocale(rawValue: pass.user.locale) ?? req.appLocale
        }
        let response = req.redirect(to: "/kickoff/\(try pass.kickoff.requireID())")
        response.rememberLocale(req.appLocale, secure: req.application.appConfig.secureCookies)
        return response
    }
}
