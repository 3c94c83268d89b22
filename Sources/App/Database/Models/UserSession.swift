import Fluent
import Foundation

/// A browser session. The cookie carries a random id; only its SHA-256 is stored here.
final class UserSession: Model, @unchecked Sendable {
    static let schema = "sessions"

    @ID(key: .id) var id: UUID?
    @Field(key: "id_hash") var idHash: String
    /// JSON of Vapor's `SessionData` (user id, CSRF token, flash messages).
    @Field(key: "data") var data: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date
    /// The person signed in with this session (from `data`), so that reading the session reads the person too.
    @OptionalField(key: "user_id") var userID: UUID?

    init() {}

    init(idHash: String, data: String, userID: UUID?, now: Date) {
        self.idHash = idHash
        self.data = data
        self.userID = userID
        self.createdAt = now
        self.lastSeenAt = now
    }
}
