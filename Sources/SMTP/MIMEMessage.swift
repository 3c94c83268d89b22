import Foundation

/// Renders an ``Email`` as an RFC 5322 / MIME message: `multipart/alternative` with UTF-8 text and HTML parts,
/// base64-encoded, non-ASCII header text as RFC 2047 encoded-words, CRLF line endings throughout.
/// With inline images, the HTML part and the images go into a `multipart/related` part instead (RFC 2387);
/// with attachments, all of that becomes the first part of a `multipart/mixed`, followed by the files:
///
///     multipart/mixed                                  (only with attachments)
///     ├── multipart/alternative
///     │   ├── text/plain
///     │   └── multipart/related; type="text/html"      (only with inline images; otherwise just text/html)
///     │       ├── text/html
///     │       └── image/png (Content-ID, Content-Disposition: inline), one per image
///     └── e.g. text/calendar (Content-Disposition: attachment), one per attachment
public enum MIMEMessage {
    /// - Parameter boundary: the multipart boundary; must not occur in the body (base64 never contains `_`).
    ///   The `multipart/alternative` part uses it; the nested `multipart/related` part, if any, uses
    ///   `"rel" + boundary`, and the `multipart/mixed` around it all, if there are attachments, `"mix" + boundary`.
    ///   Without attachments the output is the same as before attachments existed.
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
        headers.append("MIME-Version: 1.0")
        var lines = headers
        if email.attachments.isEmpty {
            lines += ["Content-Type: multipart/alternative; boundary=\"\(boundary)\"", ""]
            lines += alternativePart(email, boundary: boundary)
        } else {
            // A prefix, like "rel": RFC 2046 matches a delimiter line by prefix, so `--B_mix` would end part `B`.
            let mixed = "mix" + boundary
            lines += [
                contentType("multipart/mixed", [("boundary", mixed)]),
                "",
                "--\(mixed)",
                contentType("multipart/alternative", [("boundary", boundary)]),
                "",
            ]
            lines += alternativePart(email, boundary: boundary)
            for attachment in email.attachments {
                lines += ["--\(mixed)"] + attachmentPart(attachment)
            }
            lines.append("--\(mixed)--")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The body of the `multipart/alternative` part, from its first delimiter line to its closing one.
    private static func alternativePart(_ email: Email, boundary: String) -> [String] {
        var lines = ["--\(boundary)"] + textPart("plain", email.textBody)
        if email.inlineImages.isEmpty {
            lines += ["--\(boundary)"] + textPart("html", email.htmlBody)
        } else {
            // Not `boundary + suffix`: RFC 2046 matches a delimiter line by prefix, so `--B_rel` would end part `B`.
            let related = "rel" + boundary
            lines += [
                "--\(boundary)",
                contentType("multipart/related", [("type", "text/html"), ("boundary", related)]),
                "",
                "--\(related)",
            ]
            lines += textPart("html", email.htmlBody)
            for image in email.inlineImages {
                lines += ["--\(related)"] + imagePart(image)
            }
            lines.append("--\(related)--")
        }
        lines.append("--\(boundary)--")
        return lines
    }

    private static func textPart(_ subtype: String, _ body: String) -> [String] {
        [
            "Content-Type: text/\(subtype); charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
            base64Lines(canonicalLineEndings(body)),
        ]
    }

    private static func imagePart(_ image: Email.InlineImage) -> [String] {
        let filename = safeFilename(image.filename)
        return [
            contentType(safeMIMEType(image.mimeType), [("name", filename)]),
            "Content-Transfer-Encoding: base64",
            "Content-ID: <\(safeContentID(image.contentID))>",
            header("Content-Disposition", "inline", [("filename", filename)]),
            "",
            base64Lines(image.data),
        ]
    }

    private static func attachmentPart(_ attachment: Email.Attachment) -> [String] {
        let filename = safeFilename(attachment.filename)
        let parameters = safeParameters(attachment.contentTypeParameters).filter { $0.0 != "name" }
        return [
            contentType(safeMIMEType(attachment.mimeType), parameters + [("name", filename)]),
            "Content-Transfer-Encoding: base64",
            header("Content-Disposition", "attachment", [("filename", filename)]),
            "",
            base64Lines(attachment.data),
        ]
    }

    private static func contentType(_ type: String, _ parameters: [(String, String)]) -> String {
        header("Content-Type", type, parameters)
    }

    /// `Name: value; a="x"; b="y"`, each parameter on a continuation line once the line would pass 76 characters.
    /// Parameter values are quoted and must not contain `"` or `\`.
    static func header(_ name: String, _ value: String, _ parameters: [(String, String)]) -> String {
        var result = "\(name): \(value)"
        var lineLength = result.utf8.count
        for (key, parameterValue) in parameters {
            let parameter = "\(key)=\"\(parameterValue)\""
            if lineLength + 2 + parameter.utf8.count > 76 {
                result += ";\r\n " + parameter
                lineLength = 1 + parameter.utf8.count
            } else {
                result += "; " + parameter
                lineLength += 2 + parameter.utf8.count
            }
        }
        return result
    }

    /// The characters of a message ID (RFC 5322 `dot-atom-text` and `@`); anything else is dropped.
    static func safeContentID(_ contentID: String) -> String {
        String(String.UnicodeScalarView(contentID.unicodeScalars.filter { isAtext($0) || $0 == "." || $0 == "@" }))
    }

    /// ASCII letters, digits, `.`, `-` and `_`; anything else becomes `_` (no RFC 2231 encoding needed).
    static func safeFilename(_ filename: String) -> String {
        String(
            String.UnicodeScalarView(
                filename.unicodeScalars.map { scalar in
                    isAlphanumeric(scalar) || ".-_".unicodeScalars.contains(scalar) ? scalar : "_"
                }))
    }

    /// `type/subtype` made of RFC 2045 token characters, lower-cased; otherwise `application/octet-stream`.
    static func safeMIMEType(_ mimeType: String) -> String {
        let parts = mimeType.lowercased().split(separator: "/", omittingEmptySubsequences: false)
        let isToken = { (part: Substring) in !part.isEmpty && part.unicodeScalars.allSatisfy(isTokenCharacter) }
        return parts.count == 2 && parts.allSatisfy(isToken) ? parts.joined(separator: "/") : "application/octet-stream"
    }

    /// Sorted by name; names reduced to lower-case RFC 2045 token characters (dropped if nothing is left, and
    /// all but the first of names that became equal), values to printable ASCII without `"` and `\` (anything
    /// else becomes `_`), so they can go in quotes.
    static func safeParameters(_ parameters: [String: String]) -> [(String, String)] {
        var seen: Set<String> = []
        return parameters.compactMap { name, value -> (String, String)? in
            let name = String(
                String.UnicodeScalarView(name.lowercased().unicodeScalars.filter { isTokenCharacter($0) }))
            guard !name.isEmpty else { return nil }
            let value = String(
                String.UnicodeScalarView(
                    value.unicodeScalars.map { scalar in
                        (" "..."~").contains(scalar) && scalar != "\"" && scalar != "\\" ? scalar : "_"
                    }))
            return (name, value)
        }
        .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        .filter { seen.insert($0.0).inserted }
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
        base64Lines(Array(text.utf8))
    }

    /// Base64 in lines of 76 characters (RFC 2045 6.8), joined by CRLF, without a trailing line break.
    static func base64Lines(_ bytes: [UInt8]) -> String {
        let encoded = Array(Data(bytes).base64EncodedString())
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
        isAlphanumeric(scalar) || "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(scalar)
    }

    /// RFC 2045 `token` characters.
    private static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isAlphanumeric(scalar) || "!#$%&'*+-.^_`{|}~".unicodeScalars.contains(scalar)
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
