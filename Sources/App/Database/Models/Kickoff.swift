import Fluent
import Foundation
import Mentoring

/// A programme's kickoff event: timing, the organisers' controls (the clock's events) and the round plan.
final class Kickoff: Model, @unchecked Sendable {
    static let schema = "kickoffs"

    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "rounds") var rounds: Int
    @Field(key: "round_seconds") var roundSeconds: Int
    @Field(key: "break_seconds") var breakSeconds: Int
    /// JSON array of `KickoffTimeline.Control`.
    @Field(key: "controls") var controlsJSON: String
    @OptionalField(key: "planned_at") var plannedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(programmeID: UUID, startsAt: Date, rounds: Int, roundSeconds: Int, breakSeconds: Int) {
        self.$programme.id = programmeID
        self.startsAt = startsAt
        self.rounds = rounds
        self.roundSeconds = roundSeconds
        self.breakSeconds = breakSeconds
        self.controlsJSON = "[]"
    }

    func timeline() throws -> KickoffTimeline {
        try KickoffTimeline(
            settings: .init(rounds: rounds, roundSeconds: roundSeconds, breakSeconds: breakSeconds),
            controls: JSONText.decode([KickoffTimeline.Control].self, controlsJSON) ?? [])
    }
}

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
