import Leaf
import PropertyBased
import Testing

@testable import App

/// The pages written in Swift: text and attribute values escaped exactly like LeafKit's `#(value)` (the real
/// peer), attributes left out or written as the page needs them.
@Suite("HTML writer")
struct HTMLWriterTests {
    @Test("Text and attribute values are escaped exactly like LeafKit on random text")
    func escapesLikeLeafKit() async {
        let alphabet = HTMLTextTests.alphabet
        await propertyCheck(count: 2_000, input: Gen.int(in: 0..<alphabet.count).array(of: 0...60)) { picks in
            let text = picks.map { alphabet[$0] }.joined()
            var html = HTMLWriter()
            html.element("p", ["title": text], text: text)
            let escaped = text.htmlEscaped()
            #expect(Self.string(html) == "<p title=\"\(escaped)\">\(escaped)</p>", "\(text.debugDescription)")
        }
    }

    @Test("A value cannot leave its attribute or element")
    func injection() {
        var html = HTMLWriter()
        html.open(
            "input", ["name": "goal", "value": "\" autofocus onfocus=\"alert(1)", "title": "'><script>x</script>"])
        html.element("td", text: "</td><script>alert(1)</script>")
        #expect(
            Self.string(html)
                == "<input name=\"goal\" value=\"&quot; autofocus onfocus=&quot;alert(1)\" "
                + "title=\"&#39;&gt;&lt;script&gt;x&lt;/script&gt;\">"
                + "<td>&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>")
    }

    @Test("Attributes: nil leaves one out, a flag has the empty value, order is kept")
    func attributes() {
        var html = HTMLWriter()
        html.element(
            "details", ["class": "space-form", "open": HTMLWriter.flag(true), "hidden": HTMLWriter.flag(false)]
        ) {
            html in
            html.element("summary", ["aria-current": nil], text: "Ändern")
            html.icon("calendar")
            html.csrfField("T0k3n")
            html.text(42)
        }
        #expect(
            Self.string(html)
                == "<details class=\"space-form\" open=\"\"><summary>Ändern</summary>"
                + "<svg class=\"icon\" aria-hidden=\"true\" focusable=\"false\"><use href=\"/icons/sprite.svg#i-calendar\">"
                + "</use></svg><input type=\"hidden\" name=\"_csrf\" value=\"T0k3n\">42</details>")
    }

    static func string(_ html: HTMLWriter) -> String { String(decoding: html.bytes, as: UTF8.self) }
}
