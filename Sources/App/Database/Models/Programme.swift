import Fluent
import Foundation
import Mentoring

/// One run of reverse mentoring with its settings and phase.
final class Programme: Model, @unchecked Sendable {
    static let schema = "programmes"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "description") var description: String
    @Field(key: "phase") var phase: ProgrammePhase
    @OptionalField(key: "kickoff_at") var kickoffAt: Date?
    @Field(key: "duration_months") var durationMonths: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    // Settings added by UpdateProgrammeAddSettings.
    /// JSON array of strings.
    @Field(key: "focus_topics") var focusTopicsJSON: String
    /// JSON array of `{name, email}`.
    @Field(key: "contacts") var contactsJSON: String
    @Field(key: "patron_text") var patronText: String
    @Field(key: "rounds_at_kickoff") var roundsAtKickoff: Int
    @Field(key: "minutes_per_round") var minutesPerRound: Int
    @Field(key: "shortlist_size") var shortlistSize: Int
    /// Only "monthly" today; kept as a column so other rhythms need no migration.
    @Field(key: "meeting_rhythm") var meetingRhythm: String
    @OptionalField(key: "required_talent_programme") var requiredTalentProgramme: String?
    @Field(key: "minimum_tenure_months") var minimumTenureMonths: Int
    /// ISO day, e.g. "2026-12-31".
    @OptionalField(key: "application_deadline") var applicationDeadline: String?
    @Field(key: "privacy_notice") var privacyNotice: String
    /// Raised whenever the privacy notice text changes; consents record the version they agreed to.
    @Field(key: "privacy_notice_version") var privacyNoticeVersion: Int
    /// Random code in the programme-wide registration link (for a flyer or a members' group). Not a secret
    /// that grants access: registrations through it wait for approval.
    @OptionalField(key: "public_code") var publicCode: String?
    /// Pairing: both partners confirm a published tandem before it is active (default on).
    @Field(key: "partners_confirm") var partnersConfirm: Bool
    /// Tandem year: a tandem without a held meeting for this many days is flagged to the organisers (default 45).
    @Field(key: "stalled_after_days") var stalledAfterDays: Int

    @Children(for: \.$programme) var participations: [Participation]

    init() {}

    init(
        id: UUID? = nil, name: String, description: String, phase: ProgrammePhase = .draft,
        kickoffAt: Date? = nil, durationMonths: Int = 9
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.phase = phase
        self.kickoffAt = kickoffAt
        self.durationMonths = durationMonths
        self.focusTopicsJSON = "[]"
        self.contactsJSON = "[]"
        self.patronText = ""
        self.roundsAtKickoff = 8
        self.minutesPerRound = 5
        self.shortlistSize = 3
        self.meetingRhythm = "monthly"
        self.requiredTalentProgramme = nil
        self.minimumTenureMonths = EligibilityRules.defaultMinimumTenureMonths
        self.applicationDeadline = nil
        self.privacyNotice = ""
        self.privacyNoticeVersion = 1
        self.publicCode = SecureToken.generate()
        self.partnersConfirm = true
        self.stalledAfterDays = TandemHealthRules().stalledAfterDays
    }
}
