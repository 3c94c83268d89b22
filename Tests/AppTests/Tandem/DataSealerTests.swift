import Fluent
import Foundation
import Testing

@testable import App

@Suite("Sealed text at rest")
struct DataSealerTests {
    @Test("AES-GCM round trip; a changed byte, an unknown key and a bad DATA_KEY are refused")
    func roundTrip() throws {
        let sealer = try DataSealer(key: DataSealer.newKey())
        let text = String(repeating: "Vertraulich: Führung auf Distanz. ", count: 600)
        let sealed = try sealer.seal(text)
        #expect(!sealed.contains("Vertraulich"))
        #expect(try sealer.open(sealed) == text)
        #expect(try sealer.seal(text) != sealed, "a fresh nonce every time")
        var bytes = Array(sealed)
        bytes[bytes.count - 5] = bytes[bytes.count - 5] == "A" ? "B" : "A"
        #expect(throws: DataSealer.Problem.damaged) { try sealer.open(String(bytes)) }
        let other = try DataSealer(key: DataSealer.newKey())
        #expect(throws: DataSealer.Problem.unknownKey(sealer.currentKeyID)) { try other.open(sealed) }
        #expect(throws: (any Error).self) { try DataSealer(key: "zu-kurz") }
        #expect(throws: AppConfig.InvalidSettings.self) { try AppConfig.fromEnvironment(["DATA_KEY": "abc"]) }
    }

    @Test("Development: a key file beside the SQLite file, made once with owner-only permissions")
    func keyFile() throws {
        var config = AppConfig.defaults
        let path = NSTemporaryDirectory() + "sealer-\(UUID().uuidString).sqlite"
        config.database = .sqlite(path: path)
        let first = try DataSealer.make(config: config)
        let file = DataSealer.keyFilePath(forDatabase: path)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let second = try DataSealer.make(config: config)
        #expect(try second.open(try first.seal("gleicher Schlüssel")) == "gleicher Schlüssel")
        config.database = .postgres(url: "postgres://localhost/x")
        #expect(throws: DataSealer.Problem.self) { try DataSealer.make(config: config) }
    }

    @Test("Rotation: with the old key in DATA_KEY_PREVIOUS everything opens; reseal rewrites it with the new key")
    func rotation() async throws {
        let oldKey = DataSealer.newKey()
        let newKey = DataSealer.newKey()
        try await withTestApp(adjust: { $0.dataKey = oldKey }) { app in
            let fixture = try await Fixture.make(on: app.db)
            let scene = try await SpaceScene.make(fixture: fixture, app: app)
            let rotated = try DataSealer(key: newKey, previous: [oldKey])
            let note = try #require(try await TandemNote.query(on: app.db).first())
            #expect(try rotated.open(note.bodySealed) == "Unsere erste Notiz")
            #expect(try await Resealing.run(sealer: rotated, on: app.db) == 4)
            #expect(try await Resealing.run(sealer: rotated, on: app.db) == 0, "nothing left to rewrite")
            let onlyNew = try DataSealer(key: newKey)
            let fresh = try #require(try await TandemNote.find(note.id!, on: app.db))
            #expect(try onlyNew.open(fresh.bodySealed) == "Unsere erste Notiz")
            let meeting = try #require(try await TandemMeeting.find(scene.meeting.id!, on: app.db))
            #expect(try onlyNew.open(meeting.placeSealed) == "https://video.example/raum")
        }
    }
}

@Suite("Request log")
struct RequestLogTests {
    @Test("Tokens in paths are not logged; pages with such a prefix are")
    func redaction() {
        #expect(RequestLogMiddleware.redacted("/calendar/abc123.ics") == "/calendar/…")
        #expect(RequestLogMiddleware.redacted("/login/TOKEN") == "/login/…")
        #expect(RequestLogMiddleware.redacted("/invitation/TOKEN") == "/invitation/…")
        #expect(RequestLogMiddleware.redacted("/event/TOKEN") == "/event/…")
        #expect(RequestLogMiddleware.redacted("/join/CODE") == "/join/…")
        #expect(RequestLogMiddleware.redacted("/login/sent") == "/login/sent")
        #expect(RequestLogMiddleware.redacted("/login/password") == "/login/password")
        #expect(RequestLogMiddleware.redacted("/login") == "/login")
        #expect(RequestLogMiddleware.redacted("/tandem/ABC/notes") == "/tandem/ABC/notes")
        #expect(RequestLogMiddleware.redacted("/") == "/")
    }

    @Test("A key file that exists but cannot be read stops the start instead of being replaced")
    func unreadableKeyFile() throws {
        var config = AppConfig.defaults
        let path = NSTemporaryDirectory() + "sealer-\(UUID().uuidString).sqlite"
        config.database = .sqlite(path: path)
        let file = DataSealer.keyFilePath(forDatabase: path)
        // A directory where the key file should be: it exists, but reading it as a file fails.
        try FileManager.default.createDirectory(atPath: file, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(throws: DataSealer.Problem.self) { try DataSealer.make(config: config) }
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) && isDirectory.boolValue)
    }
}

@Suite("Notes: the Markdown subset")
struct NoteMarkdownTests {
    @Test("Paragraphs, lists, bold and italic; everything else escaped")
    func rendering() {
        #expect(
            NoteMarkdown.html("Hallo **Welt**\nzweite *Zeile*")
                == "<p>Hallo <strong>Welt</strong><br>zweite <em>Zeile</em></p>")
        #expect(NoteMarkdown.html("- eins\n- zwei\n\nEnde") == "<ul><li>eins</li><li>zwei</li></ul><p>Ende</p>")
        #expect(
            NoteMarkdown.html("<script>x</script> & \"q\"")
                == "<p>&lt;script&gt;x&lt;/script&gt; &amp; &quot;q&quot;</p>")
        #expect(NoteMarkdown.html("3 * 4 = 12") == "<p>3 * 4 = 12</p>", "a single star stays")
        #expect(NoteMarkdown.html("**<b>fett</b>**") == "<p><strong>&lt;b&gt;fett&lt;/b&gt;</strong></p>")
        #expect(NoteMarkdown.html("") == "")
    }
}
