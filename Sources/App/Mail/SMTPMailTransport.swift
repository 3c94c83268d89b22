import Foundation
import NIOSSL
import QRCode
import SMTP

/// Delivers outbox e-mails through an SMTP server (see `SMTP_*` settings in the README).
struct SMTPMailTransport: MailTransport {
    let client: SMTPClient

    init(config: AppConfig) {
        let security: SMTPConfiguration.Security =
            switch config.smtpSecurity {
            case "none": .none
            case "tls": .tls
            default: .startTLS
            }
        client = SMTPClient(
            configuration: SMTPConfiguration(
                host: config.smtpHost, port: config.smtpPort, security: security,
                username: config.smtpUsername, password: config.smtpPassword,
                heloName: URL(string: config.baseURL ?? "")?.host ?? "localhost",
                certificateVerification: config.smtpInsecureTLS ? .none : .fullVerification))
    }

    func send(_ mail: OutgoingMail, from: String, fromName: String) async throws {
        var images: [Email.InlineImage] = []
        if let url = mail.qrURL {
            images.append(
                .init(
                    contentID: MailComposer.qrContentID, filename: "qr-code.png",
                    data: try QRCode(url).png(moduleSize: 6)))
        }
        let email = Email(
            from: .init(name: fromName, email: from), to: [.init(name: mail.toName, email: mail.toEmail)],
            subject: mail.subject, textBody: mail.textBody, htmlBody: mail.htmlBody, language: mail.language,
            inlineImages: images,
            attachments: mail.calendarICS.map {
                [
                    Email.Attachment(
                        filename: "invite.ics", mimeType: "text/calendar",
                        contentTypeParameters: ["method": Self.method(of: $0), "charset": "utf-8"], data: Array($0.utf8)
                    )
                ]
            } ?? [])
        try await client.send(email)
    }
}

extension SMTPMailTransport {
    /// The document's own `METHOD` (`REQUEST`, `CANCEL`, …) for the attachment's content type, `PUBLISH` if none:
    /// mail clients offer "accept" or "remove from calendar" by it.
    static func method(of ics: String) -> String {
        for line in ics.split(separator: "\r\n") where line.hasPrefix("METHOD:") {
            return String(line.dropFirst("METHOD:".count))
        }
        return "PUBLISH"
    }
}

extension SMTPError: TransientMailError {}
