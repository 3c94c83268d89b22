import Fluent
import Foundation
import Mentoring

/// The quick answer after a talk ("would like to continue") and a private note. The note is the rater's
/// alone: no page shows it to anybody else, organisers included.
final class TalkRating: Model, @unchecked Sendable {
    static let schema = "talk_ratings"

    @ID(key: .id) var id: UUID?
    @Parent(key: "kickoff_id") var kickoff: Kickoff
    @Field(key: "round") var round: Int
    @Parent(key: "rater_id") var rater: User
    @Parent(key: "partner_id") var partner: User
    @Field(key: "answer") var answer: ContinueAnswer
    @Field(key: "note") var note: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(kickoffID: UUID, round: Int, raterID: UUID, partnerID: UUID, answer: ContinueAnswer, note: String) {
        self.$kickoff.id = kickoffID
        self.round = round
        self.$rater.id = raterID
        self.$partner.id = partnerID
        self.answer = answer
        self.note = note
    }
}
