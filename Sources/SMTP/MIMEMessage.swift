import Foundation

/// Renders an ``Email`` as an RFC 5322 / MIME message: `multipart/alternative` with UTF-8 text and HTML parts,
/// base64-encoded, non-ASCII header text as RFC 2047 encoded-words, CRLF line endings throughout.
public enum MIMEMessage {
    /// - Parameter boundary: the multipart boundary; must not occur in the body (base64 never contains `_`).
    public static func render(_ email: Email, boundary: String) -> String {
        var headers: [String] = [
            "Date: \(rfc5322Date(email.date))",
            "Message-ID: <\(sanitized(email.messageID ?? generatedMessageID(from: email.from.email)))>",
            "From: \(encode(email.from))",
            "To: \(email.to.map(encode).joined(separator: ",\r\n "))",
        ]
        if let replyTo = email.replyTo {
            headers.append("Reply-To: \(encode(replyTo))")
        }
        headers.append("Subject: \(encodedWords(email.subject))")
        if let language = email.language {
            headers.append("Content-Language: \(sanitized(language))")
        }
        headers += [
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
        ]
        var lines = headers
        lines.append("")
        for (subtype, body) in [("plain", email.textBody), ("html", email.htmlBody)] {
            lines += [
                "--\(boundary)",
                "Content-Type: text/\(subtype); charset=utf-8",
                "Content-Transfer-Encoding: base64",
                "",
                base64Lines(canonicalLineEndings(body)),
            ]
        }
        lines.append("--\(boundary)--")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// `Tue, 05 May 2026 14:03:09 +0000` (always UTC).
    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int?) -> String { n.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(weekdays[c.weekday! - 1]), \(two(c.day)) \(months[c.month! - 1]) \(c.year!) "
            + "\(two(c.hour)):\(two(c.minute)):\(two(c.second)) +0000"
    }

    /// `Name <a@b>`: the name as-is if it is a plain atom phrase, quoted if it has specials,
    /// encoded-words if it is not ASCII.
    static func encode(_ address: Email.Address) -> String {
        let email = sanitized(address.email)
        guard let rawName = address.name, !rawName.isEmpty else { return email }
        let name = sanitized(rawName)
        let phrase: String
        if !name.unicodeScalars.allSatisfy(\.isASCII) {
            phrase = encodedWords(name)
        } else if name.unicodeScalars.allSatisfy({ isAtext($0) || $0 == " " }) {
            phrase = name
        } else {
            phrase =
                "\""
                + name.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        // Fold before the address rather than let a long name push the line past 76 characters.
        let lastLineLength = phrase.components(separatedBy: "\r\n").last?.utf8.count ?? 0
        return phrase + (lastLineLength + email.utf8.count > 60 ? "\r\n <" : " <") + email + ">"
    }

    /// ASCII text unchanged; anything else as `=?utf-8?B?...?=` words of at most 75 characters,
    /// split between characters, separated by folding white space.
    static func encodedWords(_ text: String) -> String {
        let text = sanitized(text)
        if text.unicodeScalars.allSatisfy({ $0.isASCII }) && !text.contains("=?") {
            return text
        }
        var words: [String] = []
        var chunk: [UInt8] = []
        func flush() {
            if !chunk.isEmpty { words.append("=?utf-8?B?\(Data(chunk).base64EncodedString())?=") }
            chunk = []
        }
        for character in text {
            let bytes = Array(String(character).utf8)
            // 36 bytes of UTF-8 become 48 base64 characters, 60 with `=?utf-8?B?` and `?=`: short enough
            // for the 76-character limit on lines with encoded-words, even after `Subject: `.
            if chunk.count + bytes.count > 36 { flush() }
            chunk += bytes
        }
        flush()
        return words.joined(separator: "\r\n ")
    }

    static func base64Lines(_ text: String) -> String {
        let encoded = Array(Data(text.utf8).base64EncodedString())
        return stride(from: 0, to: encoded.count, by: 76)
            .map { String(encoded[$0..<min($0 + 76, encoded.count)]) }
            .joined(separator: "\r\n")
    }

    /// Text parts travel with CRLF line breaks (RFC 2046 canonical form).
    static func canonicalLineEndings(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n")
    }

    /// Header values must not smuggle in line breaks (header injection).
    static func sanitized(_ value: String) -> String {
        String(value.unicodeScalars.map { $0 == "\r" || $0 == "\n" ? " " : Character($0) })
    }

    static func generatedMessageID(from sender: String) -> String {
        let domain = sender.split(separator: "@").last.map(String.init) ?? "localhost"
        return "\(UUID().uuidString.lowercased())@\(domain)"
    }

    private static func isAtext(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.isASCII else { return false }
        if ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) { return true }
        return "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(scalar)
    }
}
