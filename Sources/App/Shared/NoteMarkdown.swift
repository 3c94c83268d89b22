import Vapor

/// The small Markdown subset of the tandem's notes, rendered safely: paragraphs, line breaks, `- ` or `* ` lists,
/// `**bold**` and `*italic*`. Everything is HTML-escaped first and only these few tags are added, so script or
/// HTML in a note shows as text. (Ink, the Markdown library in the mirror, passes raw HTML through by design;
/// for text one person writes and another reads, escaping first and supporting less is the safer trade.)
enum NoteMarkdown {
    // Byte loops rather than Foundation's `components(separatedBy:)` and `replacingOccurrences`: with a year of
    // notes those were a quarter of the tandem space's CPU time under load.
    static func html(_ text: String) -> String {
        var html = ""
        var paragraph: [Substring] = []
        var items: [Substring] = []
        func flushParagraph() {
            guard !paragraph.isEmpty else { return }
            html += "<p>" + paragraph.map(inline).joined(separator: "<br>") + "</p>"
            paragraph = []
        }
        func flushList() {
            guard !items.isEmpty else { return }
            html += "<ul>" + items.map { "<li>" + inline($0) + "</li>" }.joined() + "</ul>"
            items = []
        }
        func take(_ rawLine: Substring) {
            let line = rawLine.trimmingSpaces
            if line.isEmpty {
                flushParagraph()
                flushList()
            } else if line.hasPrefix("- ") || line.hasPrefix("* ") {
                flushParagraph()
                items.append(line.dropFirst(2))
            } else {
                flushList()
                paragraph.append(line)
            }
        }
        // Lines end at LF, CR LF or CR, found byte by byte (splitting by Character was a tenth of the page).
        let utf8 = text.utf8
        var lineStart = utf8.startIndex
        var index = lineStart
        while index < utf8.endIndex {
            let byte = utf8[index]
            guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
                index = utf8.index(after: index)
                continue
            }
            take(text[lineStart..<index])
            index = utf8.index(after: index)
            if byte == UInt8(ascii: "\r"), index < utf8.endIndex, utf8[index] == UInt8(ascii: "\n") {
                index = utf8.index(after: index)
            }
            lineStart = index
        }
        take(text[lineStart..<utf8.endIndex])
        flushParagraph()
        flushList()
        return html
    }

    /// Escapes, then turns `**…**` into `<strong>` and `*…*` into `<em>` (pairs on one line only).
    static func inline(_ text: Substring) -> String {
        let escaped = HTMLText.escape(String(text))
        guard escaped.utf8.contains(UInt8(ascii: "*")) else { return escaped }
        let strong = pairs(Array(escaped.utf8), marker: 2, open: Array("<strong>".utf8), close: Array("</strong>".utf8))
        let em = pairs(strong, marker: 1, open: Array("<em>".utf8), close: Array("</em>".utf8))
        return String(decoding: em, as: UTF8.self)
    }

    /// Replaces consecutive pairs of `*` runs of length `marker` (left to right, not overlapping) with `open`…`close`;
    /// an empty pair and an unpaired last marker stay as they were.
    private static func pairs(_ bytes: [UInt8], marker: Int, open: [UInt8], close: [UInt8]) -> [UInt8] {
        let star = UInt8(ascii: "*")
        var positions: [Int] = []
        var index = 0
        while index + marker <= bytes.count {
            // The first byte decides for nearly every position; the slice is looked at only after a star.
            if bytes[index] == star, bytes[index..<index + marker].allSatisfy({ $0 == star }) {
                positions.append(index)
                index += marker
            } else {
                index += 1
            }
        }
        guard positions.count >= 2 else { return bytes }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 16)
        var last = 0
        var pair = 0
        while pair + 1 < positions.count {
            let (from, to) = (positions[pair], positions[pair + 1])
            result += bytes[last..<from]
            if to == from + marker {
                result += bytes[from..<to + marker]
            } else {
                result += open
                result += bytes[from + marker..<to]
                result += close
            }
            last = to + marker
            pair += 2
        }
        result += bytes[last...]
        return result
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs (bytes: both are ASCII).
    fileprivate var trimmingSpaces: Substring {
        let utf8 = self.utf8
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = utf8.startIndex, end = utf8.endIndex
        while start < end, isSpace(utf8[start]) { start = utf8.index(after: start) }
        while start < end, isSpace(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        return self[start..<end]
    }
}
