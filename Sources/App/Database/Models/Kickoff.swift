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

/// A personal event link: opens the live event as this person. Only the hash is stored; a person may hold
/// several (e-mailed, shown to the organiser), each valid until shortly after the event or revoked.
final class KickoffPass: Model, @unchecked Sendable {
    static let schema = "kickoff_passes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "kickoff_id") var kickoff: Kickoff
    @Parent(key: "user_id") var user: User
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(kickoffID: UUID, userID: UUID, tokenHash: String, expiresAt: Date) {
        self.$kickoff.id = kickoffID
        self.$user.id = userID
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
    }
}

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
