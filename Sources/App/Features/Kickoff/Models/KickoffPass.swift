import Fluent
import Foundation
import Mentoring

/// A personal event link: opens the live event as this person. Only the hash is stored; a person may hold
/// several (e-mailed, shown to the organiser), each valid until shortly after the event or revoked.
final class KickoffPass: Model, @unchecked Sendable {
    static let schema = "kickoff_passes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "kickoff_id") var kickoff: Kickoff
    @Parent(key: "user_id") var user: User
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(kickoffID: UUID, userID: UUID, tokenHash: String, expiresAt: Date) {
        self.$kickoff.id = kickoffID
        self.$user.id = userID
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
    }
}
