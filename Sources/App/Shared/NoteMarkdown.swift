import Leaf
import Vapor

/// The small Markdown subset of the tandem's notes, rendered safely: paragraphs, line breaks, `- ` or `* ` lists,
/// `**bold**` and `*italic*`. Everything is HTML-escaped first and only these few tags are added, so script or
/// HTML in a note shows as text. (Ink, the Markdown library in the mirror, passes raw HTML through by design;
/// for text one person writes and another reads, escaping first and supporting less is the safer trade.)
enum NoteMarkdown {
    static func html(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var html = ""
        var paragraph: [String] = []
        var items: [String] = []
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
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                flushParagraph()
                flushList()
            } else if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") {
                flushParagraph()
                items.append(String(trimmed.dropFirst(2)))
            } else {
                flushList()
                paragraph.append(trimmed)
            }
        }
        flushParagraph()
        flushList()
        return html
    }

    /// Escapes, then turns `**…**` into `<strong>` and `*…*` into `<em>` (pairs on one line only).
    static func inline(_ text: String) -> String {
        var result = HTMLText.escape(text)
        result = replacePairs(in: result, marker: "**", open: "<strong>", close: "</strong>")
        result = replacePairs(in: result, marker: "*", open: "<em>", close: "</em>")
        return result
    }

    private static func replacePairs(in text: String, marker: String, open: String, close: String) -> String {
        var parts = text.components(separatedBy: marker)
        guard parts.count >= 3 else { return text }
        // An unpaired last marker stays as it was.
        let trailing = parts.count % 2 == 0 ? parts.removeLast() : nil
        var result = parts[0]
        for index in stride(from: 1, to: parts.count, by: 2) {
            let inner = parts[index]
            result += inner.isEmpty ? marker + marker : open + inner + close
            result += parts[index + 1]
        }
        if let trailing { result += marker + trailing }
        return result
    }
}

/// `#markdown(value)`: a note rendered with ``NoteMarkdown`` (escaped first; nothing for a missing value).
struct MarkdownTag: UnsafeUnescapedLeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard ctx.parameters.count == 1 else {
            throw Abort(.internalServerError, reason: "#markdown() takes one value")
        }
        let value = ctx.parameters[0]
        return .string(value.isNil ? "" : NoteMarkdown.html(value.string ?? ""))
    }
}
