import Fluent
import Foundation
import Mentoring

/// A participant said "I'm here" in the lobby.
final class KickoffCheckIn: Model, @unchecked Sendable {
    static let schema = "kickoff_check_ins"

    @ID(key: .id) var id: UUID?
    @Parent(key: "kickoff_id") var kickoff: Kickoff
    @Parent(key: "user_id") var user: User
    @Field(key: "checked_in_at") var checkedInAt: Date

    init() {}

    init(kickoffID: UUID, userID: UUID, at date: Date) {
        self.$kickoff.id = kickoffID
        self.$user.id = userID
        self.checkedInAt = date
    }
}
