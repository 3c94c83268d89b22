import Leaf
import PropertyBased
import Testing
import VaporTesting

@testable import App

/// The app's own escaping (`HTMLText`) against its real peer, LeafKit's `htmlEscaped()`, and the one-pass
/// catalogue substitution.
@Suite("HTML text and catalogue arguments")
struct HTMLTextTests {
    /// Characters that matter: the five escaped ones, umlauts, multi-scalar and astral characters, braces.
    static let alphabet: [String] = [
        "a", "Ä", "ß", "&", "\"", "'", "<", ">", " ", "\n", "é", "e\u{301}", "👩🏽‍💻", "{1}", "{", "}", ";", "#",
    ]

    @Test("Escapes exactly like LeafKit on random text")
    func sameAsLeafKit() async {
        await propertyCheck(count: 2_000, input: Gen.int(in: 0..<Self.alphabet.count).array(of: 0...60)) { picks in
            let text = picks.map { Self.alphabet[$0] }.joined()
            #expect(HTMLText.escape(text) == text.htmlEscaped(), "\(text.debugDescription)")
        }
        let long = String(repeating: "Führung & Technik <neu> \"gedacht\" – Jürgen's Team. ", count: 200)
        #expect(HTMLText.escape(long) == long.htmlEscaped())
        #expect(HTMLText.escape("") == "")
    }

    @Test("Catalogue arguments are placed in one pass: an argument's own text is not substituted again")
    func catalogueArguments() {
        let catalogue = Catalogue(strings: [
            .de: [
                "two": "{1} trifft {2}", "repeat": "{1}, {1}!", "braces": "{0} {x} {12} {", "none": "Hallo",
            ]
        ])
        #expect(catalogue.text("two", .de, ["Anna", "Ben"]) == "Anna trifft Ben")
        #expect(catalogue.text("two", .de, ["{2}", "Ben"]) == "{2} trifft Ben")
        #expect(catalogue.text("repeat", .de, ["Hallo"]) == "Hallo, Hallo!")
        #expect(catalogue.text("braces", .de, ["a"]) == "{0} {x} {12} {")
        #expect(catalogue.text("none", .de, ["a"]) == "Hallo")
        #expect(catalogue.text("two", .de, ["Anna"]) == "Anna trifft {2}")
        #expect(catalogue.text("missing.key", .en) == "missing.key")
    }

    @Test("User text inside a #t argument is escaped on the page (the printed invitation greets by name)")
    func translateTagEscapes() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let id = try fixture.programme.requireID()
            let invitation = Invitation(
                programmeID: id, name: "<b>Jürgen</b> & \"Co\"", email: "x@test.example", company: "Firma",
                position: "CTO", tokenHash: "", expiresAt: Date())
            _ = try await InvitationController.issueAndSend(
                invitation, programme: fixture.programme, app: app, on: app.db)
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: fixture.organiser)
            try await organiser.get("/organiser/programmes/\(id)/members")
            let printed = try await organiser.post(
                "/organiser/programmes/\(id)/members/\(try invitation.requireID())/print")
            #expect(printed.status == .ok)
            #expect(!printed.body.contains("<b>Jürgen"))
            #expect(printed.body.contains("&lt;b&gt;Jürgen&lt;/b&gt; &amp; &quot;Co&quot;"))
        }
    }
}
