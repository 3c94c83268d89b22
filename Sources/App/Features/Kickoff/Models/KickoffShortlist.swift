import Fluent
import Foundation
import Mentoring

/// After the event: a mentee's ranked mentors, or a mentor's marked mentees (user ids, JSON array).
final class KickoffShortlist: Model, @unchecked Sendable {
    static let schema = "kickoff_shortlists"

    @ID(key: .id) var id: UUID?
    @Parent(key: "kickoff_id") var kickoff: Kickoff
    @Parent(key: "user_id") var user: User
    @Field(key: "picks") var picksJSON: String
    @Field(key: "submitted_at") var submittedAt: Date

    init() {}

    init(kickoffID: UUID, userID: UUID, picks: [UUID], at date: Date) {
        self.$kickoff.id = kickoffID
        self.$user.id = userID
        self.picksJSON = JSONText.encode(picks.map(\.uuidString))
        self.submittedAt = date
    }

    var picks: [UUID] { (JSONText.decode([String].self, picksJSON) ?? []).compactMap(UUID.init(uuidString:)) }
}
