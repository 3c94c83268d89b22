import Fluent
import Foundation

/// A pair the board must not propose again: banned by the organisers, or a tandem that was declined or ended
/// ("not again").
final class PairingBan: Model, @unchecked Sendable {
    static let schema = "pairing_bans"

    enum Cause: String, Codable, Sendable {
        case organiser, declined, ended
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Parent(key: "mentee_id") var mentee: User
    @Parent(key: "mentor_id") var mentor: User
    @Field(key: "cause") var cause: Cause
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(programmeID: UUID, menteeID: UUID, mentorID: UUID, cause: Cause) {
        self.$programme.id = programmeID
        self.$mentee.id = menteeID
        self.$mentor.id = mentorID
        self.cause = cause
    }
}
