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
        return SiteURL.event(token: .value(token)).absolute(app)
    }

    static func resolve(token: String, on db: any Database, now: Date) async throws -> KickoffPass {
        guard !token.isEmpty, token.count < 100,
            let pass = try await KickoffPass.query(on: db).filter(\.$tokenHash == SecureToken.hash(token))
                .with(\.$user).with(\.$kickoff).first(),
            pass.revokedAt == nil
        else { throw KickoffError.eventLinkUnknown }
        guard pass.expiresAt > now, pass.kickoff.closedAt == nil else { throw KickoffError.eventLinkExpired }
        return pass
    }
}
