import Fluent
import Foundation
import Mentoring

/// A mentor's application to one programme, with the eligibility result at the time it was checked.
final class MentorApplicationRecord: Model, @unchecked Sendable {
    static let schema = "mentor_applications"

    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Parent(key: "user_id") var user: User
    @Field(key: "team_role") var teamRole: String
    /// ISO day.
    @Field(key: "company_start_date") var companyStartDate: String
    @Field(key: "took_part_in_talent_programme") var tookPartInTalentProgramme: Bool
    /// JSON arrays of strings.
    @Field(key: "expertise_topics") var expertiseTopicsJSON: String
    @Field(key: "languages") var languagesJSON: String
    @Field(key: "motivation") var motivation: String
    @Field(key: "status") var status: ApplicationStatus
    @Field(key: "eligible") var eligible: Bool
    /// JSON array of `EligibilityFinding`.
    @Field(key: "findings") var findingsJSON: String
    @Field(key: "tenure_months") var tenureMonths: Int
    @OptionalField(key: "override_reason") var overrideReason: String?
    @OptionalField(key: "confirmed_at") var confirmedAt: Date?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(programmeID: UUID, userID: UUID, draft: MentorApplicationDraft, result: EligibilityResult) {
        self.$programme.id = programmeID
        self.$user.id = userID
        self.teamRole = draft.teamRole
        self.companyStartDate = draft.companyStartDate.description
        self.tookPartInTalentProgramme = draft.tookPartInTalentProgramme
        self.expertiseTopicsJSON = JSONText.encode(draft.expertiseTopics)
        self.languagesJSON = JSONText.encode(draft.languages)
        self.motivation = draft.motivation
        self.status = .unconfirmed
        self.eligible = result.isEligible
        self.findingsJSON = JSONText.encode(result.findings)
        self.tenureMonths = result.tenureMonths
    }

    var findings: [EligibilityFinding] { JSONText.decode([EligibilityFinding].self, findingsJSON) ?? [] }
    var expertiseTopics: [String] { JSONText.decode([String].self, expertiseTopicsJSON) ?? [] }
    var languages: [String] { JSONText.decode([String].self, languagesJSON) ?? [] }
}
