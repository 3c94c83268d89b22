import Fluent
import Foundation

/// A mentee's registration: profile, consent and how they came (personal invitation or programme link).
/// Registrations through the programme-wide link wait for an organiser's approval.
final class MenteeRegistration: Model, @unchecked Sendable {
    static let schema = "mentee_registrations"

    enum Status: String, Codable, Sendable, CaseIterable {
        case pending, approved, rejected
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Parent(key: "user_id") var user: User
    @OptionalParent(key: "invitation_id") var invitation: Invitation?
    @Field(key: "company") var company: String
    @Field(key: "position") var position: String
    /// JSON arrays of strings.
    @Field(key: "topics") var topicsJSON: String
    @Field(key: "languages") var languagesJSON: String
    @Field(key: "questions") var questions: String
    @Field(key: "status") var status: Status
    @Field(key: "privacy_notice_version") var privacyNoticeVersion: Int
    @Field(key: "consented_at") var consentedAt: Date
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
