import Fluent
import Foundation
import Vapor

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
            .compose(
                key: key, recipientName: user.name, arguments: arguments, actionURL: actionURL, withQRCode: withQRCode)
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
