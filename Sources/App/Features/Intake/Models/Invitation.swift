import Fluent
import Foundation

/// A personal invitation of an executive (mentee) to register for a programme. Only the token's hash is
/// stored; a new token is made when the invitation is sent again or printed.
final class Invitation: Model, @unchecked Sendable {
    static let schema = "invitations"

    enum Status: String, Codable, Sendable, CaseIterable {
        case invited, registered, revoked
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Field(key: "name") var name: String
    @Field(key: "email") var email: String
    @Field(key: "company") var company: String
    @Field(key: "position") var position: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @Field(key: "status") var status: Status
    @OptionalField(key: "registered_at") var registeredAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(
        programmeID: UUID, name: String, email: String, company: String, position: String, tokenHash: String,
        expiresAt: Date
    ) {
        self.$programme.id = programmeID
        self.name = name
        self.email = email
        self.company = company
        self.position = position
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
        self.status = .invited
    }
}
