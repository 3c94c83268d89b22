import Fluent
import Foundation

/// One version of a tandem's agreement. Goals and ground rules are sealed (`DataSealer`); channel, rhythm and end
/// date are plain, because the organisers' overview may show that an agreement exists and when it ends. A version
/// is in force once both partners have confirmed it; a change is a new version, and earlier ones are kept.
final class TandemAgreement: Model, @unchecked Sendable {
    static let schema = "tandem_agreements"

    enum Channel: String, Codable, Sendable, CaseIterable {
        case inPerson = "in-person"
        case video, phone
    }

    /// The sealed part: what organisers never read.
    struct Content: Codable, Sendable, Equatable {
        struct Goal: Codable, Sendable, Equatable {
            var goal: String
            var progressSign: String
        }
        var goals: [Goal]
        var groundRules: String
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "tandem_id") var tandem: Tandem
    @Field(key: "version") var version: Int
    @Field(key: "content_sealed") var contentSealed: String
    @Field(key: "channel") var channel: Channel
    @Field(key: "rhythm_weeks") var rhythmWeeks: Int
    /// `yyyy-MM-dd`.
    @Field(key: "ends_on") var endsOn: String
    @Field(key: "proposed_by") var proposedBy: UUID
    @OptionalField(key: "mentee_confirmed_at") var menteeConfirmedAt: Date?
    @OptionalField(key: "mentor_confirmed_at") var mentorConfirmedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var isConfirmed: Bool { menteeConfirmedAt != nil && mentorConfirmedAt != nil }
}

/// A meeting of a tandem. Either partner proposes; the other accepts or proposes another time (the same meeting
/// with a raised `sequence`, so calendars update it). After its time one of them records whether it was held.
final class TandemMeeting: Model, @unchecked Sendable {
    static let schema = "tandem_meetings"

    enum Status: String, Codable, Sendable, CaseIterable {
        case proposed, accepted, cancelled, held, missed

        /// Planned or done: counts as "a meeting in this month" for the health rules.
        var isPlannedOrHeld: Bool { self == .proposed || self == .accepted || self == .held }
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "tandem_id") var tandem: Tandem
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "minutes") var minutes: Int
    /// The place or video link: sealed, it may be a private address or a meeting room's secret link.
    @Field(key: "place_sealed") var placeSealed: String
    @Field(key: "status") var status: Status
    @Field(key: "proposed_by") var proposedBy: UUID
    @Field(key: "sequence") var sequence: Int
    @OptionalField(key: "outcome_by") var outcomeBy: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var endsAt: Date { startsAt.addingTimeInterval(TimeInterval(minutes * 60)) }
}

/// Text of the tandem space: a shared note (both partners read and write), a private reflection on a meeting, or a
/// final reflection at the end (the author only). The body is sealed.
final class TandemNote: Model, @unchecked Sendable {
    static let schema = "tandem_notes"

    enum Kind: String, Codable, Sendable {
        case shared, reflection, closing
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "tandem_id") var tandem: Tandem
    @Field(key: "kind") var kind: Kind
    @Field(key: "author_id") var authorID: UUID
    @OptionalParent(key: "meeting_id") var meeting: TandemMeeting?
    @Field(key: "body_sealed") var bodySealed: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// Learning by trying: what is tried, by whom, by when, its status and, afterwards, what happened and what the two
/// learned. The texts are sealed; owner, date and status are plain (the overview counts open experiments).
final class TandemExperiment: Model, @unchecked Sendable {
    static let schema = "tandem_experiments"

    enum Owner: String, Codable, Sendable, CaseIterable {
        case mentee, mentor, both
    }

    enum Status: String, Codable, Sendable, CaseIterable {
        case planned, running, done, dropped

        var isOpen: Bool { self == .planned || self == .running }
    }

    struct Content: Codable, Sendable, Equatable {
        var what: String
        var happened: String
        var learned: String
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "tandem_id") var tandem: Tandem
    @Field(key: "content_sealed") var contentSealed: String
    @Field(key: "owner") var owner: Owner
    /// `yyyy-MM-dd`.
    @Field(key: "due_on") var dueOn: String
    @Field(key: "status") var status: Status
    @Field(key: "created_by") var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// A tandem's marks on a month's prompt: discussed, and "could become an insight" (for the insights phase).
final class TandemPromptMark: Model, @unchecked Sendable {
    static let schema = "tandem_prompt_marks"

    @ID(key: .id) var id: UUID?
    @Parent(key: "tandem_id") var tandem: Tandem
    @Field(key: "month") var month: Int
    @OptionalField(key: "discussed_at") var discussedAt: Date?
    @OptionalField(key: "insight_at") var insightAt: Date?

    init() {}

    init(tandemID: UUID, month: Int) {
        self.$tandem.id = tandemID
        self.month = month
    }
}

/// An automatic e-mail already sent to a tandem (or a flag raised for the organisers), once per subject: the
/// monthly prompt, a reminder, the day-after question about a meeting, an experiment's reminder, a check-in.
final class TandemNotice: Model, @unchecked Sendable {
    static let schema = "tandem_notices"

    enum Kind: String, Codable, Sendable {
        case prompt, due, stalled, outcome, experiment
        case checkIn = "check-in"
        case closing
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "tandem_id") var tandem: Tandem
    @Field(key: "kind") var kind: Kind
    /// What the notice was about, e.g. `3` (month), `2027-03` (calendar month), a meeting's or experiment's id.
    @Field(key: "subject") var subject: String
    @Field(key: "sent_at") var sentAt: Date

    init() {}

    init(tandemID: UUID, kind: Kind, subject: String, sentAt: Date) {
        self.$tandem.id = tandemID
        self.kind = kind
        self.subject = subject
        self.sentAt = sentAt
    }
}

/// The organisers' prompt for one month of the tandem year, in German and English, with an optional material link.
final class ProgrammePrompt: Model, @unchecked Sendable {
    static let schema = "programme_prompts"

    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Field(key: "month") var month: Int
    @Field(key: "question_de") var questionDE: String
    @Field(key: "question_en") var questionEN: String
    @OptionalField(key: "material_url") var materialURL: String?

    init() {}

    init(programmeID: UUID, month: Int, questionDE: String, questionEN: String, materialURL: String? = nil) {
        self.$programme.id = programmeID
        self.month = month
        self.questionDE = questionDE
        self.questionEN = questionEN
        self.materialURL = materialURL
    }
}

/// A person's private calendar subscription: an ICS feed of all their tandem meetings at an unguessable URL. Only
/// the token's hash is stored; revoking (or renewing) makes the old URL answer 410.
final class CalendarFeed: Model, @unchecked Sendable {
    static let schema = "calendar_feeds"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "token_hash") var tokenHash: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}

    init(userID: UUID, tokenHash: String) {
        self.$user.id = userID
        self.tokenHash = tokenHash
    }
}
