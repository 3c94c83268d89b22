import Fluent
import Foundation
import Mentoring

/// A person's role in one programme: mentor or mentee. One role per person and programme.
final class Participation: Model, @unchecked Sendable {
    static let schema = "participations"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Parent(key: "programme_id") var programme: Programme
    @Field(key: "role") var role: ParticipantRole
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID? = nil, userID: UUID, programmeID: UUID, role: ParticipantRole) {
        self.id = id
        self.$user.id = userID
        self.$programme.id = programmeID
        self.role = role
    }
}
