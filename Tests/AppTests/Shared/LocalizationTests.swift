import Foundation
import Testing
import VaporTesting

@testable import App

@Suite("German first, English too")
struct LocalizationTests {
    static func catalogue(_ locale: String) throws -> [String: String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Resources/Localization/\(locale).json"))
        return try JSONDecoder().decode([String: String].self, from: data)
    }

    @Test("German and English catalogues have the same keys, none empty")
    func cataloguesMatch() throws {
        let de = try Self.catalogue("de"), en = try Self.catalogue("en")
        #expect(
            Set(de.keys) == Set(en.keys),
            "only de: \(Set(de.keys).subtracting(en.keys)), only en: \(Set(en.keys).subtracting(de.keys))")
        #expect(de.values.allSatisfy { !$0.isEmpty })
        #expect(en.values.allSatisfy { !$0.isEmpty })
    }

    @Test("Every key used in templates and code is in the catalogue")
    func usedKeysExist() throws {
        let de = try Self.catalogue("de")
        var used: Set<String> = []
        let patterns = [
            #"#t\("([a-zA-Z0-9_.]+)""#, #"\.t\("([a-zA-Z0-9_.]+)""#, #"Key: "([a-zA-Z0-9_.]+)""#,
            #"^\s*case \.[a-zA-Z]+: "([a-z0-9]+\.[a-zA-Z0-9_.]+)""#,
        ]
        for folder in ["/Resources/Views", "/Sources/App"] {
            let enumerator = FileManager.default.enumerator(atPath: packageRoot + folder)
            while let file = enumerator?.nextObject() as? String {
                guard file.hasSuffix(".leaf") || file.hasSuffix(".swift") else { continue }
                let text = try String(contentsOfFile: packageRoot + folder + "/" + file, encoding: .utf8)
                for pattern in patterns {
                    let regex = try NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
                    for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                        used.insert(String(text[Range(match.range(at: 1), in: text)!]))
                    }
                }
            }
        }
        // Counted texts (`#tp("key", n)`, `.tp("key", n)`) need both forms.
        let pluralPatterns = [#"#tp\("([a-zA-Z0-9_.]+)""#, #"\.tp\("([a-zA-Z0-9_.]+)""#]
        for folder in ["/Resources/Views", "/Sources/App"] {
            let enumerator = FileManager.default.enumerator(atPath: packageRoot + folder)
            while let file = enumerator?.nextObject() as? String {
                guard file.hasSuffix(".leaf") || file.hasSuffix(".swift") else { continue }
                let text = try String(contentsOfFile: packageRoot + folder + "/" + file, encoding: .utf8)
                for pattern in pluralPatterns {
                    let regex = try NSRegularExpression(pattern: pattern)
                    for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                        let key = String(text[Range(match.range(at: 1), in: text)!])
                        used.insert(key + ".one")
                        used.insert(key + ".other")
                    }
                }
            }
        }
        #expect(used.count > 50)
        let missing = used.filter { de[$0] == nil && !$0.hasSuffix(".") && $0 != "key" && !$0.hasPrefix("key.") }
        #expect(missing.isEmpty, "missing keys: \(missing.sorted())")
    }

    @Test("German by default, Accept-Language on first visit, an explicit choice sticks")
    func languageChoice() async throws {
        try await withTestApp { app in
            let german = try await TestBrowser(app).get("/")
            #expect(german.body.contains("<html lang=\"de\">"))
            #expect(german.body.contains("Anmelden"))
            #expect(german.headers.first(name: .contentLanguage) == "de")

            let browser = TestBrowser(app)
            browser.acceptLanguage = "fr-FR, en;q=0.8, de;q=0.5"
            let english = try await browser.get("/")
            #expect(english.body.contains("<html lang=\"en\">"))
            #expect(english.body.contains("Sign in"))

            let switched = try await browser.get("/login?lang=de")
            #expect(switched.body.contains("<html lang=\"de\">"))
            #expect(browser.cookies["lang"] == "de")
            let after = try await browser.get("/")
            #expect(after.body.contains("<html lang=\"de\">"), "cookie beats Accept-Language")
        }
    }

    @Test("After sign-in, pages follow the person's saved language unless this browser chose one")
    func signedInLanguage() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.mentee)  // prefers English
            #expect(browser.cookies["lang"] == "en")
            #expect(try await browser.get("/dashboard").body.contains("<html lang=\"en\">"))
            browser.cookies["lang"] = nil
            #expect(
                try await browser.get("/account").body.contains("<html lang=\"en\">"), "the saved preference applies")
            #expect(try await browser.get("/dashboard?lang=de").body.contains("<html lang=\"de\">"))
            #expect(
                try await browser.get("/dashboard").body.contains("<html lang=\"de\">"), "this browser's choice sticks")
        }
    }

    @Test(
        "Accept-Language parsing honours quality values",
        arguments: [
            ("en-US,en;q=0.9", AppLocale.en), ("de-DE", .de), ("fr, en;q=0.1", .en), ("en;q=0.2, de;q=0.9", .de),
            ("fr", nil), ("", nil), ("en;q=0", nil),
        ] as [(String, AppLocale?)])
    func acceptLanguage(header: String, expected: AppLocale?) {
        #expect(AppLocale.preferred(acceptLanguage: header) == expected)
    }

    @Test("Error pages are friendly, in both languages")
    func errorPages() async throws {
        try await withTestApp { app in
            let browser = TestBrowser(app)
            let german = try await browser.get("/gibt-es-nicht")
            #expect(german.status == .notFound)
            #expect(german.body.contains("Seite nicht gefunden"))
            #expect(german.body.contains("<html lang=\"de\">"))
            let english = try await browser.get("/does-not-exist?lang=en")
            #expect(english.status == .notFound)
            #expect(english.body.contains("Page not found"))
        }
    }

    @Test("A server error shows a friendly 500 page without internals, in both languages")
    func serverErrorPage() async throws {
        struct Boom: Error {}
        try await withTestApp { app in
            app.get("boom") { _ -> String in throw Boom() }
            let browser = TestBrowser(app)
            let german = try await browser.get("/boom")
            #expect(german.status == .internalServerError)
            #expect(german.body.contains("Ein Fehler ist aufgetreten"))
            #expect(!german.body.contains("Boom"))
            let english = try await browser.get("/boom?lang=en")
            #expect(english.body.contains("Something went wrong"))
        }
    }

    @Test("Dates are German by default, in Europe/Berlin time")
    func germanDates() {
        let formatting = DateFormatting(timeZone: TimeZone(identifier: "Europe/Berlin")!)
        let date = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15 08:00:00 UTC
        #expect(formatting.dateTime(date, .de) == "15.01.2027, 09:00")
        #expect(formatting.date(date, .de) == "15. Januar 2027")
        #expect(formatting.dateTime(date, .en).contains("15/01/2027"))
    }
}
