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
    /// Built-in WebRTC video, or an external meeting link per pair made from `meetingLinkTemplate`.
    @Field(key: "video_mode") var videoMode: VideoMode
    @OptionalField(key: "meeting_link_template") var meetingLinkTemplate: String?
    @OptionalField(key: "shortlist_deadline") var shortlistDeadline: Date?
    @OptionalField(key: "invitations_sent_at") var invitationsSentAt: Date?
    /// Raised with every invitation round, so calendars update the entry instead of adding a second one.
    @Field(key: "invitation_sequence") var invitationSequence: Int
    @OptionalField(key: "reminders_sent_at") var remindersSentAt: Date?
    /// Set when the organiser closes the kickoff (the programme moves on to pairing).
    @OptionalField(key: "closed_at") var closedAt: Date?
    /// Salt for the external meeting rooms' names, so nobody can work out another pair's room.
    @Field(key: "room_secret") var roomSecret: String

    enum VideoMode: String, Codable, Sendable {
        case builtIn, external
    }

    init() {}

    init(programmeID: UUID, startsAt: Date, rounds: Int, roundSeconds: Int, breakSeconds: Int) {
        self.$programme.id = programmeID
        self.startsAt = startsAt
        self.rounds = rounds
        self.roundSeconds = roundSeconds
        self.breakSeconds = breakSeconds
        self.controlsJSON = "[]"
        self.videoMode = .builtIn
        self.invitationSequence = 0
        self.roomSecret = SecureToken.generate()
    }

    /// When the last round ends if nobody pauses or extends (for calendars and link lifetimes).
    var plannedEnd: Date {
        startsAt.addingTimeInterval(TimeInterval(rounds * roundSeconds + max(0, rounds - 1) * breakSeconds))
    }

    func timeline() throws -> KickoffTimeline {
        try KickoffTimeline(
            settings: .init(rounds: rounds, roundSeconds: roundSeconds, breakSeconds: breakSeconds),
            controls: JSONText.decode([KickoffTimeline.Control].self, controlsJSON) ?? [])
    }
}
