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
