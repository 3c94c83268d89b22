import Foundation
import Testing

@testable import SMTP

@Suite("MIME rendering")
struct MIMEMessageTests {
    let email = Email(
        from: .init(name: "Reverse Mentoring Büro", email: "noreply@mentoring.example"),
        to: [.init(name: "Jürgen Größe", email: "juergen@example.de"), .init(email: "ops@example.de")],
        replyTo: .init(name: "Doe, Jane", email: "jane@example.de"),
        subject: "Grüße: dein Tandem für die Kick-off-Woche steht fest",
        textBody: "Hallo Jürgen,\n.eine Zeile mit Punkt\nÄÖÜ äöü ß\n",
        htmlBody: "<p>Hallo Jürgen,</p><p>ÄÖÜ äöü ß</p>",
        messageID: "fixed-1@mentoring.example",
        date: Date(timeIntervalSince1970: 1_777_989_789),
        language: "de"
    )

    /// Headers unfolded (continuation lines joined), and the body.
    func split(_ message: String) -> (headers: [String], body: String) {
        let parts = message.components(separatedBy: "\r\n\r\n")
        var headers: [String] = []
        for line in parts[0].components(separatedBy: "\r\n") {
            if line.hasPrefix(" "), !headers.isEmpty {
                headers[headers.count - 1] += line
            } else {
                headers.append(line)
            }
        }
        return (headers, parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    func decodeEncodedWords(_ value: String) -> String {
        value.components(separatedBy: " ").map { word in
            guard word.hasPrefix("=?utf-8?B?"), word.hasSuffix("?=") else { return word }
            let base64 = word.dropFirst(10).dropLast(2)
            return String(decoding: Data(base64Encoded: String(base64))!, as: UTF8.self)
        }.joined()
    }

    @Test func usesCRLFOnlyAndShortLines() {
        let message = MIMEMessage.render(email, boundary: "=_b")
        #expect(!message.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!message.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        #expect(message.hasSuffix("--=_b--\r\n"))
        for line in message.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 78, "line too long: \(line)")
        }
    }

    @Test func writesTheRequiredHeaders() {
        let (headers, _) = split(MIMEMessage.render(email, boundary: "=_b"))
        #expect(headers.contains("Date: Tue, 05 May 2026 14:03:09 +0000"))
        #expect(headers.contains("Message-ID: <fixed-1@mentoring.example>"))
        #expect(headers.contains("MIME-Version: 1.0"))
        #expect(headers.contains("Content-Language: de"))
        #expect(headers.contains("Content-Type: multipart/alternative; boundary=\"=_b\""))
        #expect(headers.contains("Reply-To: \"Doe, Jane\" <jane@example.de>"))
    }

    @Test func encodesUmlautsInSubjectAndNames() throws {
        let (headers, _) = split(MIMEMessage.render(email, boundary: "=_b"))
        let subject = try #require(headers.first { $0.hasPrefix("Subject: ") })
        #expect(subject.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(decodeEncodedWords(String(subject.dropFirst(9))) == email.subject)
        let to = try #require(headers.first { $0.hasPrefix("To: ") })
        #expect(to.hasSuffix(" <juergen@example.de>, ops@example.de"))
        #expect(
            decodeEncodedWords(String(to.dropFirst(4).prefix { $0 != "<" }).trimmingCharacters(in: .whitespaces))
                == "Jürgen Größe")
    }

    @Test func splitsLongEncodedWordsBetweenCharacters() {
        let text = String(repeating: "äöü€😀", count: 20)
        let words = MIMEMessage.encodedWords(text).components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        for word in words {
            #expect(word.count <= 75)
            #expect(
                Data(base64Encoded: String(word.dropFirst(10).dropLast(2))).flatMap {
                    String(data: $0, encoding: .utf8)
                } != nil)
        }
        #expect(decodeEncodedWords(words.joined(separator: " ")) == text)
    }

    @Test(arguments: [
        ("Plain Name", "Plain Name <a@b.de>"),
        ("Doe, Jane", "\"Doe, Jane\" <a@b.de>"),
        ("Say \"hi\"", "\"Say \\\"hi\\\"\" <a@b.de>"),
        ("Zoë", "=?utf-8?B?Wm/Dqw==?= <a@b.de>"),
    ])
    func formatsAddresses(name: String, expected: String) {
        #expect(MIMEMessage.encode(.init(name: name, email: "a@b.de")) == expected)
    }

    @Test func keepsLineBreaksOutOfHeaders() {
        var hostile = email
        hostile.subject = "Hi\r\nBcc: victim@example.com"
        hostile.from.name = "X\nBcc: other@example.com"
        let message = MIMEMessage.render(hostile, boundary: "=_b")
        #expect(!message.contains("\r\nBcc:"))
    }

    @Test func bodiesAreBase64WithCanonicalLineBreaks() throws {
        let (_, body) = split(MIMEMessage.render(email, boundary: "=_b"))
        let parts = body.components(separatedBy: "--=_b")
        #expect(parts.count == 4)  // preamble, text, html, closing "--"
        let text = parts[1].components(separatedBy: "\r\n\r\n")
        #expect(text[0].contains("Content-Type: text/plain; charset=utf-8"))
        #expect(text[0].contains("Content-Transfer-Encoding: base64"))
        let decoded = try #require(Data(base64Encoded: text[1].replacingOccurrences(of: "\r\n", with: "")))
        #expect(String(decoding: decoded, as: UTF8.self) == email.textBody.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    /// The exact bytes of a message without inline images, pinned so that features added later leave it alone.
    @Test func rendersTheSameBytesAsBefore() {
        let expected = [
            "Date: Tue, 05 May 2026 14:03:09 +0000",
            "Message-ID: <fixed-1@mentoring.example>",
            "From: =?utf-8?B?UmV2ZXJzZSBNZW50b3JpbmcgQsO8cm8=?=",
            " <noreply@mentoring.example>",
            "To: =?utf-8?B?SsO8cmdlbiBHcsO2w59l?= <juergen@example.de>,",
            " ops@example.de",
            "Reply-To: \"Doe, Jane\" <jane@example.de>",
            "Subject: =?utf-8?B?R3LDvMOfZTogZGVpbiBUYW5kZW0gZsO8ciBkaWUgS2ljay1v?=",
            " =?utf-8?B?ZmYtV29jaGUgc3RlaHQgZmVzdA==?=",
            "Content-Language: de",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"=_b\"",
            "",
            "--=_b",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
            "SGFsbG8gSsO8cmdlbiwNCi5laW5lIFplaWxlIG1pdCBQdW5rdA0Kw4TDlsOcIMOkw7bDvCDDnw0K",
            "--=_b",
            "Content-Type: text/html; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
            "PHA+SGFsbG8gSsO8cmdlbiw8L3A+PHA+w4TDlsOcIMOkw7bDvCDDnzwvcD4=",
            "--=_b--",
        ]
        #expect(MIMEMessage.render(email, boundary: "=_b") == expected.joined(separator: "\r\n") + "\r\n")
    }

    /// The parts of a multipart body between exact `--boundary` lines, each as unfolded headers and body;
    /// `nil` without the closing `--boundary--`.
    func parts(_ body: String, boundary: String) -> [(headers: [String], body: String)]? {
        var parts: [[String]] = []
        var current: [String]? = nil  // nil: in the preamble
        for line in body.components(separatedBy: "\r\n") {
            if line == "--\(boundary)" || line == "--\(boundary)--" {
                if let current { parts.append(current) }
                if line.hasSuffix("--") { return parts.map { split($0.joined(separator: "\r\n")) } }
                current = []
            } else {
                current?.append(line)
            }
        }
        return nil
    }

    func base64Decoded(_ body: String) -> [UInt8]? {
        Data(base64Encoded: body.replacingOccurrences(of: "\r\n", with: "")).map(Array.init)
    }

    var emailWithImages: Email {
        var email = email
        email.htmlBody = "<p>Hallo Jürgen,</p><p><img src=\"cid:qr@mentoring.example\" alt=\"QR-Code\"></p>"
        email.inlineImages = [
            .init(contentID: "qr@mentoring.example", filename: "einladung-qr.png", data: onePixelPNG),
            .init(contentID: "logo@mentoring.example", filename: "logo.png", data: patternBytes(1000)),
        ]
        return email
    }

    @Test func inlineImagesGoIntoAMultipartRelatedWithTheHTML() throws {
        let email = emailWithImages
        let message = MIMEMessage.render(email, boundary: "=_b")
        let (headers, body) = split(message)
        #expect(headers.contains("Content-Type: multipart/alternative; boundary=\"=_b\""))

        let alternative = try #require(parts(body, boundary: "=_b"))
        try #require(alternative.count == 2)
        #expect(
            alternative[0].headers == ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64"])
        #expect(
            base64Decoded(alternative[0].body)
                == Array(email.textBody.replacingOccurrences(of: "\n", with: "\r\n").utf8))
        #expect(alternative[1].headers == ["Content-Type: multipart/related; type=\"text/html\"; boundary=\"rel=_b\""])

        let related = try #require(parts(alternative[1].body, boundary: "rel=_b"))
        try #require(related.count == 3)
        #expect(related[0].headers == ["Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: base64"])
        #expect(base64Decoded(related[0].body) == Array(email.htmlBody.utf8))
        for (part, image) in zip(related.dropFirst(), email.inlineImages) {
            #expect(
                part.headers == [
                    "Content-Type: image/png; name=\"\(image.filename)\"",
                    "Content-Transfer-Encoding: base64",
                    "Content-ID: <\(image.contentID)>",
                    "Content-Disposition: inline; filename=\"\(image.filename)\"",
                ])
            let lines = part.body.components(separatedBy: "\r\n")
            #expect(lines.dropLast().allSatisfy { $0.count == 76 } && lines.last!.count <= 76)
            #expect(base64Decoded(part.body) == image.data)
        }
    }

    @Test func nestedBoundaryIsNoExtensionOfTheOuterOne() {
        // RFC 2046 matches delimiter lines by prefix: no line may start with a delimiter unless it is one.
        let message = MIMEMessage.render(emailWithImages, boundary: "=_b")
        let lines = message.components(separatedBy: "\r\n")
        for boundary in ["=_b", "rel=_b"] {
            let delimiters = lines.filter { $0.hasPrefix("--\(boundary)") }
            #expect(delimiters.allSatisfy { $0 == "--\(boundary)" || $0 == "--\(boundary)--" }, "\(delimiters)")
            #expect(delimiters.filter { $0.hasSuffix("--") }.count == 1)
        }
        #expect(lines.filter { $0 == "--=_b" }.count == 2)
        #expect(lines.filter { $0 == "--rel=_b" }.count == 3)
        #expect(!message.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(message.hasSuffix("--rel=_b--\r\n--=_b--\r\n"))
        for line in lines {
            #expect(line.utf8.count <= 78, "line too long: \(line)")
        }
    }

    @Test func foldsLongParametersOfThePartHeaders() throws {
        // As SMTPClient makes them: `=_rm_` and 32 hex digits.
        let boundary = "=_rm_0123456789abcdef0123456789abcdef"
        var email = emailWithImages
        email.inlineImages[0].filename = String(repeating: "qr-code-", count: 7) + "png"
        let message = MIMEMessage.render(email, boundary: boundary)
        #expect(
            message.contains(
                "\r\nContent-Type: multipart/related; type=\"text/html\";\r\n boundary=\"rel\(boundary)\"\r\n"))
        #expect(message.contains("\r\nContent-Type: image/png;\r\n name=\"\(email.inlineImages[0].filename)\"\r\n"))
        let alternative = try #require(parts(split(message).body, boundary: boundary))
        try #require(alternative.count == 2)
        #expect(
            alternative[1].headers == [
                "Content-Type: multipart/related; type=\"text/html\"; boundary=\"rel\(boundary)\""
            ])
        let related = try #require(parts(alternative[1].body, boundary: "rel\(boundary)"))
        try #require(related.count == 3)
        #expect(related[1].headers.first == "Content-Type: image/png; name=\"\(email.inlineImages[0].filename)\"")
        #expect(base64Decoded(related[1].body) == onePixelPNG)
        // Every line this feature adds stays within 78 characters (the outer Content-Type line is older).
        let body = message.components(separatedBy: "--\(boundary)\r\n").dropFirst().joined()
        for line in body.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 78, "line too long: \(line)")
        }
    }

    @Test func sanitizesImageHeaderValues() throws {
        var email = emailWithImages
        email.inlineImages = [
            .init(
                contentID: "<qr code@x>\r\nBcc: victim@example.com", filename: "Grüße QR\r\nX: y.png",
                mimeType: "image/png\r\nBcc: other@example.com", data: onePixelPNG),
            .init(contentID: "a@b", filename: "a.png", mimeType: "IMAGE/PNG", data: []),
        ]
        let message = MIMEMessage.render(email, boundary: "=_b")
        #expect(!message.contains("\r\nBcc:"))
        #expect(!message.contains("\r\nX:"))
        let alternative = try #require(parts(split(message).body, boundary: "=_b"))
        try #require(alternative.count == 2)
        let related = try #require(parts(alternative[1].body, boundary: "rel=_b"))
        try #require(related.count == 3)
        #expect(
            related[1].headers == [
                "Content-Type: application/octet-stream; name=\"Gr__e_QR__X__y.png\"",
                "Content-Transfer-Encoding: base64",
                "Content-ID: <qrcode@xBccvictim@example.com>",
                "Content-Disposition: inline; filename=\"Gr__e_QR__X__y.png\"",
            ])
        #expect(related[2].headers.first == "Content-Type: image/png; name=\"a.png\"")
        #expect(related[2].body == "")
    }

    /// A calendar entry (with its own CRLF line breaks and umlauts) and a binary file.
    var emailWithAttachments: Email {
        var email = emailWithImages
        email.attachments = [
            .init(
                filename: "kickoff.ics", mimeType: "text/calendar",
                contentTypeParameters: ["method": "PUBLISH", "charset": "utf-8"],
                data: Array("BEGIN:VCALENDAR\r\nSUMMARY:Kick-off für Jürgen\\, Größe\r\nEND:VCALENDAR\r\n".utf8)),
            .init(filename: "programm.pdf", mimeType: "application/pdf", data: patternBytes(3000)),
        ]
        return email
    }

    @Test func attachmentsWrapTheMessageInAMultipartMixed() throws {
        let email = emailWithAttachments
        let message = MIMEMessage.render(email, boundary: "=_b")
        let (headers, body) = split(message)
        #expect(headers.contains("Content-Type: multipart/mixed; boundary=\"mix=_b\""))
        #expect(!headers.contains { $0.hasPrefix("Content-Type: multipart/alternative") })
        #expect(headers.contains("MIME-Version: 1.0"))

        let mixed = try #require(parts(body, boundary: "mix=_b"))
        try #require(mixed.count == 3)
        #expect(mixed[0].headers == ["Content-Type: multipart/alternative; boundary=\"=_b\""])
        // The first part is exactly the message body without attachments.
        var withoutAttachments = email
        withoutAttachments.attachments = []
        #expect(mixed[0].body + "\r\n" == split(MIMEMessage.render(withoutAttachments, boundary: "=_b")).body)
        let alternative = try #require(parts(mixed[0].body, boundary: "=_b"))
        try #require(alternative.count == 2)
        #expect(alternative[1].headers == ["Content-Type: multipart/related; type=\"text/html\"; boundary=\"rel=_b\""])
        #expect(try #require(parts(alternative[1].body, boundary: "rel=_b")).count == 3)

        #expect(
            mixed[1].headers == [
                "Content-Type: text/calendar; charset=\"utf-8\"; method=\"PUBLISH\"; name=\"kickoff.ics\"",
                "Content-Transfer-Encoding: base64",
                "Content-Disposition: attachment; filename=\"kickoff.ics\"",
            ])
        #expect(base64Decoded(mixed[1].body) == email.attachments[0].data)
        #expect(
            mixed[2].headers == [
                "Content-Type: application/pdf; name=\"programm.pdf\"",
                "Content-Transfer-Encoding: base64",
                "Content-Disposition: attachment; filename=\"programm.pdf\"",
            ])
        let lines = mixed[2].body.components(separatedBy: "\r\n")
        #expect(lines.dropLast().allSatisfy { $0.count == 76 } && lines.last!.count <= 76)
        #expect(base64Decoded(mixed[2].body) == email.attachments[1].data)
    }

    @Test func attachmentsWithoutInlineImagesHoldThePlainAlternative() throws {
        var email = email
        email.attachments = [.init(filename: "a.txt", mimeType: "text/plain", data: Array("Grüße\r\n".utf8))]
        let (headers, body) = split(MIMEMessage.render(email, boundary: "=_b"))
        #expect(headers.contains("Content-Type: multipart/mixed; boundary=\"mix=_b\""))
        let mixed = try #require(parts(body, boundary: "mix=_b"))
        try #require(mixed.count == 2)
        let alternative = try #require(parts(mixed[0].body, boundary: "=_b"))
        #expect(
            alternative.map(\.headers.first)
                == ["Content-Type: text/plain; charset=utf-8", "Content-Type: text/html; charset=utf-8"])
        #expect(mixed[1].headers.first == "Content-Type: text/plain; name=\"a.txt\"")
        #expect(base64Decoded(mixed[1].body) == Array("Grüße\r\n".utf8))
    }

    @Test func threeBoundariesNoneAPrefixOfAnother() {
        // As SMTPClient makes them: `=_rm_` and 32 hex digits.
        let boundary = "=_rm_0123456789abcdef0123456789abcdef"
        let message = MIMEMessage.render(emailWithAttachments, boundary: boundary)
        let lines = message.components(separatedBy: "\r\n")
        for (name, count) in [(boundary, 2), ("rel" + boundary, 3), ("mix" + boundary, 3)] {
            let delimiters = lines.filter { $0.hasPrefix("--\(name)") }
            #expect(delimiters.allSatisfy { $0 == "--\(name)" || $0 == "--\(name)--" }, "\(delimiters)")
            #expect(delimiters.filter { $0 == "--\(name)--" }.count == 1)
            #expect(delimiters.filter { $0 == "--\(name)" }.count == count)
        }
        #expect(message.hasSuffix("--mix\(boundary)--\r\n"))
        #expect(!message.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!message.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        // Every line after the top-level headers stays within 78 characters (long parameters are folded).
        for line in split(message).body.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 78, "line too long: \(line)")
        }
        #expect(message.contains("\r\nContent-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"\r\n"))
    }

    @Test func sanitizesAttachmentHeaderValues() throws {
        var email = email
        email.attachments = [
            .init(
                filename: "Einladung für\r\nBcc: x.ics", mimeType: "Text/Calendar\r\nBcc: victim@example.com",
                contentTypeParameters: [
                    "METHOD": "PUBLISH\r\nBcc: other@example.com", "name": "evil.exe", "Ch arset": "\"utf-8\"\\",
                    "ümlaut": "ä", "é": "dropped", "charset": "second",
                ],
                data: [0, 1, 2])
        ]
        let message = MIMEMessage.render(email, boundary: "=_b")
        #expect(!message.contains("\r\nBcc:"))
        let mixed = try #require(parts(split(message).body, boundary: "mix=_b"))
        try #require(mixed.count == 2)
        #expect(
            mixed[1].headers == [
                "Content-Type: application/octet-stream; charset=\"_utf-8__\"; method=\"PUBLISH__Bcc:"
                    + " other@example.com\"; mlaut=\"_\"; name=\"Einladung_f_r__Bcc__x.ics\"",
                "Content-Transfer-Encoding: base64",
                "Content-Disposition: attachment; filename=\"Einladung_f_r__Bcc__x.ics\"",
            ])
        #expect(base64Decoded(mixed[1].body) == [0, 1, 2])
    }

    @Test func dotStuffingAndTerminator() {
        let stuffed = SMTPClient.dotStuffed("a\r\n.b\r\n..c\r\n.\r\n")
        #expect(stuffed == "a\r\n..b\r\n...c\r\n..\r\n.\r\n")
    }

    @Test func generatesAMessageIDFromTheSenderDomain() {
        var anonymous = email
        anonymous.messageID = nil
        let (headers, _) = split(MIMEMessage.render(anonymous, boundary: "=_b"))
        #expect(headers.contains { $0.hasPrefix("Message-ID: <") && $0.hasSuffix("@mentoring.example>") })
    }
}

/// A valid 1×1 RGBA PNG (70 bytes; SHA-256 497790947d4666760ce38f3c00e852c71fdb66cae849bae8e9ede352719e1581).
let onePixelPNG: [UInt8] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
    0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00,
    0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0x64, 0x60, 0xF8, 0x5F, 0x0F, 0x00, 0x02, 0x87, 0x01, 0x80,
    0xEB, 0x47, 0xBA, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
]

/// `count` bytes cycling through all 256 values: `(7 * i + 3) % 256`.
func patternBytes(_ count: Int) -> [UInt8] {
    (0..<count).map { UInt8((7 * $0 + 3) % 256) }
}

/// The rendered message read back by a real MIME parser: Python's standard `email` package.
@Suite(
    "MIME rendering read by Python's email package",
    .enabled(if: PythonEmailParser.python3 != nil, "python3 not found on PATH: the MIME round trip is not checked"))
struct MIMEMessagePythonTests {
    @Test func textHTMLInlineImageAndAttachmentsRoundTrip() throws {
        var email = MIMEMessageTests().emailWithAttachments
        email.inlineImages.removeLast()
        let boundary = "=_rm_\(UUID().uuidString.replacingOccurrences(of: "-", with: ""))"
        let parsed = try PythonEmailParser.parse(MIMEMessage.render(email, boundary: boundary))

        #expect(parsed.defects.isEmpty, "\(parsed.defects)")
        #expect(parsed.subject == email.subject)
        #expect(parsed.text == email.textBody.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(parsed.html == email.htmlBody)
        #expect(
            parsed.tree == [
                "multipart/mixed",
                "  multipart/alternative",
                "    text/plain",
                "    multipart/related",
                "      text/html",
                "      image/png inline einladung-qr.png <qr@mentoring.example>",
                "  text/calendar attachment kickoff.ics",
                "  application/pdf attachment programm.pdf",
            ])
        try #require(parsed.attachments.count == 2)
        for (received, sent) in zip(parsed.attachments, email.attachments) {
            #expect(received.filename == sent.filename)
            #expect(received.contentType == sent.mimeType)
            #expect(received.data == sent.data)
        }
        #expect(parsed.attachments[0].parameters == ["charset": "utf-8", "method": "PUBLISH", "name": "kickoff.ics"])
        #expect(parsed.attachments[1].parameters == ["name": "programm.pdf"])
        let image = try #require(parsed.inline.first)
        #expect(image.data == onePixelPNG)
        #expect(image.filename == "einladung-qr.png")
    }
}

/// Runs `python3` with a script that parses a message with `email.policy.default` and prints what it found.
enum PythonEmailParser {
    struct Part: Decodable {
        var contentType: String
        var parameters: [String: String]
        var filename: String?
        var data: [UInt8]

        enum CodingKeys: String, CodingKey {
            case contentType = "content_type"
            case parameters, filename, data
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            contentType = try container.decode(String.self, forKey: .contentType)
            parameters = try container.decode([String: String].self, forKey: .parameters)
            filename = try container.decodeIfPresent(String.self, forKey: .filename)
            data = Array(try container.decode(Data.self, forKey: .data))  // base64 in the JSON
        }
    }

    struct Result: Decodable {
        /// One line per part, indented by depth: content type, then disposition, file name and Content-ID if any.
        var tree: [String]
        /// Defects Python's parser noted in any part (e.g. a missing closing boundary).
        var defects: [String]
        var subject: String
        var text: String
        var html: String
        var attachments: [Part]
        var inline: [Part]
    }

    static let python3: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("python3") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    static let script = """
        import base64, email, email.policy, json, sys
        message = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
        tree, defects = [], []
        def visit(part, depth):
            line = part.get_content_type()
            if not part.is_multipart():
                extra = [part.get_content_disposition(), part.get_filename(), part["Content-ID"]]
                line += "".join(" " + str(x) for x in extra if x)
            tree.append("  " * depth + line)
            defects.extend(type(d).__name__ for d in part.defects)
            for child in part.iter_parts():
                visit(child, depth + 1)
        visit(message, 0)
        def describe(part):
            return {"content_type": part.get_content_type(),
                    "parameters": {k: v for k, v in part.get_params()[1:]},
                    "filename": part.get_filename(),
                    "data": base64.b64encode(part.get_payload(decode=True)).decode()}
        inline = [describe(p) for p in message.walk()
                  if not p.is_multipart() and p.get_content_disposition() == "inline"]
        print(json.dumps({
            "tree": tree, "defects": defects, "subject": str(message["Subject"]),
            "text": message.get_body(("plain",)).get_content(), "html": message.get_body(("html",)).get_content(),
            "attachments": [describe(p) for p in message.iter_attachments()], "inline": inline}))
        """

    static func parse(_ message: String) throws -> Result {
        let python3 = try #require(python3)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mime-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("message.eml")
        let output = directory.appendingPathComponent("out.json")
        let errors = directory.appendingPathComponent("err.txt")
        try Data(message.utf8).write(to: input)
        try Data().write(to: output)
        try Data().write(to: errors)

        let process = Process()
        process.executableURL = python3
        process.arguments = ["-c", script, input.path]
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        process.waitUntilExit()
        let stderr = String(decoding: try Data(contentsOf: errors), as: UTF8.self)
        try #require(process.terminationStatus == 0, "python3 failed: \(stderr)")
        return try JSONDecoder().decode(Result.self, from: Data(contentsOf: output))
    }
}
