import Fluent
import Foundation
import Vapor

/// Each person's private calendar subscription: `/calendar/<token>` serves all their tandem meetings as iCalendar,
/// for any calendar app to subscribe to. Only the token's hash is stored; the address is shown once when made, and
/// renewing or revoking it makes the old address answer 410.
struct CalendarFeedController: RouteCollection {
    /// The public feed: anyone with the address (calendar apps send no cookie).
    struct Feed: RouteCollection {
        func boot(routes: any RoutesBuilder) throws {
            routes.get(.calendarFeed(token: .key), use: feed)
        }

        @Sendable func feed(req: Request) async throws -> Response {
            let token = (req.parameters.get("token") ?? "").replacingOccurrences(of: ".ics", with: "")
            guard
                let feed = try await CalendarFeed.query(on: req.db).filter(\.$tokenHash == SecureToken.hash(token))
                    .first(), let user = try await User.find(feed.$user.id, on: req.db)
            else { throw TandemError.unknownFeed }
            guard feed.revokedAt == nil else { throw TandemError.feedRevoked }
            let ics = try await TandemCalendar.feed(for: user, app: req.application, on: req.db)
            let response = Response(status: .ok, body: .init(string: ics))
            response.headers.contentType = HTTPMediaType(
                type: "text", subType: "calendar", parameters: ["charset": "utf-8"])
            response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
            return response
        }
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.post(.accountCalendar, use: create)
        routes.post(.accountCalendarRevoke, use: revoke)
    }

    /// Makes a new address (revoking any earlier one) and shows it once.
    @Sendable func create(req: Request) async throws -> Response {
        let userID = try req.requireUser.requireID()
        let token = SecureToken.generate()
        let now = req.now
        try await req.db.writeTransaction { db in
            try await CalendarFeed.query(on: db).filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
                .set(\.$revokedAt, to: now).update()
            try await CalendarFeed(userID: userID, tokenHash: SecureToken.hash(token)).create(on: db)
        }
        req.flash(
            "success",
            req.t("feed.created", SiteURL.calendarFeed(token: .value(token + ".ics")).absolute(req.application)))
        return req.redirect(to: SiteURL.account.path + "#calendar")
    }

    @Sendable func revoke(req: Request) async throws -> Response {
        let userID = try req.requireUser.requireID()
        let now = req.now
        try await req.db.writeTransaction { db in
            try await CalendarFeed.query(on: db).filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
                .set(\.$revokedAt, to: now).update()
        }
        req.flash("success", req.t("feed.revoked"))
        return req.redirect(to: SiteURL.account.path + "#calendar")
    }

    /// Whether the person has a live feed address, and since when (for the account page).
    static func active(userID: UUID, on db: any Database) async throws -> Date? {
        try await CalendarFeed.query(on: db).filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
            .sort(\.$createdAt, .descending).first()?.createdAt
    }
}
