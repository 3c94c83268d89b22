import NIOCore

/// Writes HTML as bytes, for the layout and the pages people wait for (the dashboard, a programme's page, the
/// tandem space), where Leaf's interpreter was a quarter to a third of the CPU time under load.
///
/// Safe by construction: element names, attribute names and literal markup are `StaticString`s, so only text
/// written in the source goes out unescaped. Every `String` (text or attribute value) is escaped like LeafKit
/// escapes `#(value)` (``HTMLText``). The only doors for ready HTML are ``trustedHTML(_:)-(String)`` (the safe
/// Markdown subset's output) and ``trustedHTML(_:)-(ByteBuffer)`` (a rendered Leaf template).
///
/// Why not Plot (SwiftPackageIndex-Server's HTML DSL, in the mirror): Plot 0.14 writes attribute values
/// unescaped (`name="\(value)"`), which would make every form field pre-filled with a person's text an
/// injection point, and its text escaping keeps `&lt;` typed by a person as an entity.
struct HTMLWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 16_384) {
        bytes.reserveCapacity(capacity)
    }

    /// Markup written in the source, as it is.
    mutating func raw(_ markup: StaticString) {
        markup.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A person's or the catalogue's text, escaped.
    mutating func text(_ value: String) {
        appendEscaped(value)
    }

    mutating func text(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// HTML made by the safe Markdown subset (``NoteMarkdown``), which escapes all text itself.
    mutating func trustedHTML(_ html: String) {
        bytes.append(contentsOf: html.utf8)
    }

    /// A template rendered by Leaf, which escaped its values itself.
    mutating func trustedHTML(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { bytes.append(contentsOf: $0) }
    }

    /// `<tag attributes>`. An attribute whose value is `nil` is left out; a boolean one (`required`, `open`) is
    /// written with the empty value, as HTML defines it (``flag(_:)``).
    mutating func open(_ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String?> = [:]) {
        bytes.append(UInt8(ascii: "<"))
        raw(tag)
        for (name, value) in attributes {
            guard let value else { continue }
            bytes.append(UInt8(ascii: " "))
            raw(name)
            raw("=\"")
            appendEscaped(value)
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: ">"))
    }

    mutating func close(_ tag: StaticString) {
        raw("</")
        raw(tag)
        bytes.append(UInt8(ascii: ">"))
    }

    /// `<tag attributes>content</tag>`.
    mutating func element(
        _ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String?> = [:],
        _ content: (inout HTMLWriter) -> Void
    ) {
        open(tag, attributes)
        content(&self)
        close(tag)
    }

    /// `<tag attributes>text</tag>`, the text escaped.
    mutating func element(
        _ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String?> = [:], text value: String
    ) {
        open(tag, attributes)
        appendEscaped(value)
        close(tag)
    }

    /// An icon from the sprite (`Public/icons/sprite.svg`), hidden from screen readers: the text beside it speaks.
    mutating func icon(_ name: StaticString) {
        raw("<svg class=\"icon\" aria-hidden=\"true\" focusable=\"false\"><use href=\"")
        appendEscaped(StaticAsset.iconSprite)
        raw("#i-")
        raw(name)
        raw("\"></use></svg>")
    }

    /// The hidden CSRF field every form carries. Asking for the token starts a session, so only pages with a
    /// form write one.
    mutating func csrfField(_ token: String) {
        open("input", ["type": "hidden", "name": "_csrf", "value": token])
    }

    /// An attribute that is there or not (`required`, `open`, `selected`).
    static func flag(_ isSet: Bool) -> String? { isSet ? "" : nil }

    var buffer: ByteBuffer { ByteBuffer(bytes: bytes) }

    /// Copies runs without special characters in one piece (most text has none) and replaces the five that LeafKit
    /// escapes.
    private mutating func appendEscaped(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices {
                let entity: StaticString
                switch utf8[index] {
                case UInt8(ascii: "&"): entity = "&amp;"
                case UInt8(ascii: "\""): entity = "&quot;"
                case UInt8(ascii: "'"): entity = "&#39;"
                case UInt8(ascii: "<"): entity = "&lt;"
                case UInt8(ascii: ">"): entity = "&gt;"
                default: continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                raw(entity)
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
    }
}
