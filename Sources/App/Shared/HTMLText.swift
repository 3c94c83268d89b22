import Leaf
import Vapor

/// HTML escaping for text the app's own Leaf tags output (`#t`, `#tp`, `#text`) and for the HTML part of e-mails.
///
/// Why not Leaf's: LeafKit escapes every tag's output scalar by scalar into a new string, which was a tenth
/// of the programme page's CPU time under load. These tags escape with this byte loop instead and tell Leaf
/// their output is already safe (`UnsafeUnescapedLeafTag`). It escapes exactly the five characters LeafKit
/// escapes, the same way; `HTMLTextTests` checks it against LeafKit's `htmlEscaped()` on random text.
enum HTMLText {
    static func escape(_ text: String) -> String {
        let utf8 = text.utf8
        // Most catalogue texts need nothing: return them as they are.
        guard utf8.contains(where: needsEscape) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 32)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): bytes.append(contentsOf: "&#39;".utf8)
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
            || byte == UInt8(ascii: "<")
            || byte == UInt8(ascii: ">")
    }
}

/// `#text(value)` in templates, for long user text (a programme's description, an applicant's motivation): the
/// same escaping as `#(value)`, done by ``HTMLText`` instead of LeafKit's per-scalar escaping, which was 8 % of
/// the programme page's CPU time with a description of a few thousand characters. Nothing for a missing value.
struct TextTag: UnsafeUnescapedLeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard ctx.parameters.count == 1 else {
            throw Abort(.internalServerError, reason: "#text() takes one value")
        }
        let value = ctx.parameters[0]
        return .string(value.isNil ? "" : HTMLText.escape(value.string ?? ""))
    }
}
