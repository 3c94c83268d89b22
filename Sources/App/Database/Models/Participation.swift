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
    /// Mentors: how many tandems they take on (default 1, 0 = not available). Unused for mentees.
    @Field(key: "capacity") var capacity: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID? = nil, userID: UUID, programmeID: UUID, role: ParticipantRole) {
        self.id = id
        self.$user.id = userID
        self.$programme.id = programmeID
        self.role = role
        self.capacity = 1
    }
}
