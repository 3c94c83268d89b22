import Fluent
import Foundation

/// An e-mail waiting to be delivered, delivered, or given up on. Every e-mail is written here first
/// so nothing is lost while the SMTP server is down.
final class OutboxMessage: Model, @unchecked Sendable {
    static let schema = "outbox_messages"

    enum Status: String, Codable, Sendable, CaseIterable {
        case pending, sending, sent, failed
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "to_email") var toEmail: String
    @Field(key: "to_name") var toName: String
    @Field(key: "locale") var locale: String
    @Field(key: "subject") var subject: String
    @Field(key: "text_body") var textBody: String
    @Field(key: "html_body") var htmlBody: String
    @Field(key: "status") var status: Status
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?
    /// A link to send along as an inline QR code image (personal invitations); the PNG is made at delivery.
    @OptionalField(key: "qr_url") var qrURL: String?
    /// An iCalendar document sent along as `invite.ics` (kickoff invitations).
    @OptionalField(key: "calendar_ics") var calendarICS: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(
        toEmail: String, toName: String, locale: String, subject: String, textBody: String, htmlBody: String, now: Date
    ) {
        self.toEmail = toEmail
        self.toName = toName
        self.locale = locale
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.status = .pending
        self.attempts = 0
        self.nextAttemptAt = now
    }
}
