import Fluent
import Foundation
import Mentoring

/// One planned 1:1 talk of the kickoff.
final class KickoffMeeting: Model, @unchecked Sendable {
    static let schema = "kickoff_meetings"

    @ID(key: .id) var id: UUID?
    @Parent(key: "kickoff_id") var kickoff: Kickoff
    @Field(key: "round") var round: Int
    @Parent(key: "mentee_id") var mentee: User
    @Parent(key: "mentor_id") var mentor: User
    @Field(key: "fit") var fit: Int

    init() {}

    init(kickoffID: UUID, round: Int, menteeID: UUID, mentorID: UUID, fit: Int) {
        self.$kickoff.id = kickoffID
        self.round = round
        self.$mentee.id = menteeID
        self.$mentor.id = mentorID
        self.fit = fit
    }
}
