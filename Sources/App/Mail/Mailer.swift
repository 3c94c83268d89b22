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
        logger.notice("E-mail (not sent, MAIL_TRANSPORT=log)", metadata: [
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

/// Writes e-mails into the outbox. Composition happens here, in the recipient's language.
struct Outbox {
    let app: Application

    /// Queues a message built from catalogue keys: `<key>.subject`, `<key>.intro`, an optional action button
    /// and `<key>.outro`. User-supplied text in `arguments` is HTML-escaped for the HTML part.
    @discardableResult
    func enqueue(
        to user: User, template key: String, arguments: [String] = [], actionURL: String? = nil,
        withQRCode: Bool = false, calendarICS: String? = nil, on db: any Database, now: Date? = nil
    ) async throws -> OutboxMessage {
        let now = now ?? app.clock.now()
        let locale = AppLocale(rawValue: user.locale) ?? .default
        let mail = MailComposer(catalogue: app.catalogue, locale: locale)
            .compose(key: key, recipientName: user.name, arguments: arguments, actionURL: actionURL, withQRCode: withQRCode)
        let message = OutboxMessage(
            toEmail: user.email, toName: user.name, locale: locale.rawValue, subject: mail.subject,
            textBody: mail.textBody, htmlBody: mail.htmlBody, now: now)
        message.qrURL = withQRCode ? actionURL : nil
        message.calendarICS = calendarICS
        try await message.create(on: db)
        return message
    }
}

extension Request {
    var outbox: Outbox { Outbox(app: application) }
}

/// Builds multipart-ready text and HTML bodies from catalogue strings.
struct MailComposer {
    let catalogue: Catalogue
    let locale: AppLocale

    static let qrContentID = "qr@reverse-mentoring"

    func compose(key: String, recipientName: String, arguments: [String], actionURL: String?, withQRCode: Bool = false) -> OutgoingMail {
        let t = { (k: String) in catalogue.text(k, locale, arguments) }
        let greeting = catalogue.text("mail.greeting", locale, [recipientName])
        let subject = t("\(key).subject")
        let intro = t("\(key).intro")
        let outro = t("\(key).outro")
        let signature = catalogue.text("mail.signature", locale)
        let actionLabel = t("\(key).action")

        var text = "\(greeting)\n\n\(intro)\n\n"
        if let actionURL { text += "\(actionLabel):\n\(actionURL)\n\n" }
        text += "\(outro)\n\n\(signature)\n"

        let e = HTMLEscaping.escape
        var html = """
            <!doctype html><html lang="\(locale.rawValue)"><head><meta charset="utf-8"><title>\(e(subject))</title></head>
            <body style="font-family: Arial, sans-serif; color: #1a1a1a; line-height: 1.5; max-width: 600px;">
            <p>\(e(greeting))</p><p>\(e(intro))</p>
            """
        if let actionURL {
            html += """
                <p><a href="\(e(actionURL))" style="display: inline-block; background: #0b5394; color: #ffffff; \
                padding: 10px 18px; border-radius: 4px; text-decoration: none;">\(e(actionLabel))</a></p>
                <p style="font-size: 13px; color: #444;">\(e(actionURL))</p>
                """
            if withQRCode {
                html += """
                    <p><img src="cid:\(Self.qrContentID)" width="200" height="200" \
                    alt="\(e(catalogue.text("mail.qrAlt", locale)))"></p>
                    """
            }
        }
        html += "<p>\(e(outro))</p><p>\(e(signature).replacingOccurrences(of: "\n", with: "<br>"))</p></body></html>"
        return OutgoingMail(
            toEmail: "", toName: recipientName, subject: subject, textBody: text, htmlBody: html, language: locale.rawValue)
    }
}

enum HTMLEscaping {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
