import Fluent
import Foundation
import Vapor

/// An e-mail ready for a transport.
struct OutgoingMail: Sendable {
    var toEmail: String
    var toName: String
    var subject: String
    var textBody: String
    var htmlBody: String
    /// Language of the body ("de"/"en"), sent as `Content-Language`.
    var language: String? = nil
    /// When set, the HTML shows this link as a QR code image (content id ``MailComposer/qrContentID``).
    var qrURL: String? = nil
    /// An iCalendar document attached as `invite.ics` (text/calendar; method=PUBLISH).
    var calendarICS: String? = nil
}

/// Delivers one e-mail. Errors that may pass (server busy, network) should conform to ``TransientMailError``
/// so the outbox retries them; any other error gives up after the first attempt.
protocol MailTransport: Sendable {
    func send(_ mail: OutgoingMail, from: String, fromName: String) async throws
}

protocol TransientMailError: Error {
    var isTransient: Bool { get }
}

/// Development transport: writes the e-mail to the log instead of sending it.
struct LogMailTransport: MailTransport {
    let logger: Logger

    func send(_ mail: OutgoingMail, from: String, fromName: String) async throws {
        logger.notice(
            "E-mail (not sent, MAIL_TRANSPORT=log)",
            metadata: [
                "to": "\(mail.toEmail)", "subject": "\(mail.subject)", "text": "\(mail.textBody)",
            ])
    }
}

extension Application {
    private struct MailTransportKey: StorageKey { typealias Value = any MailTransport }
    var mailTransport: any MailTransport {
        get { storage[MailTransportKey.self] ?? LogMailTransport(logger: logger) }
        set { storage[MailTransportKey.self] = newValue }
    }
}
