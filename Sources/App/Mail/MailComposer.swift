import Fluent
import Foundation
import Vapor

/// Builds multipart-ready text and HTML bodies from catalogue strings.
struct MailComposer {
    let catalogue: Catalogue
    let locale: AppLocale

    static let qrContentID = "qr@reverse-mentoring"

    func compose(
        key: String, recipientName: String, arguments: [String], actionURL: String?, withQRCode: Bool = false
    ) -> OutgoingMail {
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

        let e = HTMLText.escape
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
            toEmail: "", toName: recipientName, subject: subject, textBody: text, htmlBody: html,
            language: locale.rawValue)
    }
}
