import Fluent
import Foundation
import Mentoring

/// A pair the organiser does not want to meet at the kickoff (e.g. same company).
final class KickoffExclusion: Model, @unchecked Sendable {
    static let schema = "kickoff_exclusions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "kickoff_id") var kickoff: Kickoff
    @Parent(key: "mentee_id") var mentee: User
    @Parent(key: "mentor_id") var mentor: User

    init() {}

    init(kickoffID: UUID, menteeID: UUID, mentorID: UUID) {
        self.$kickoff.id = kickoffID
        self.$mentee.id = menteeID
        self.$mentor.id = mentorID
    }
}
