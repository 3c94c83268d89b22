import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite("CSRF, escaping and security headers")
struct SecurityTests {
    @Test("A form without the CSRF token, or with a wrong one, is refused with a clear 403 page")
    func csrfRequired() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.mentor)
            try await browser.get("/account")
            let missing = try await browser.post("/account/language", ["locale": "en"], csrf: false)
            #expect(missing.status == .forbidden)
            #expect(missing.body.contains("Sicherheitsprüfung"))
            let wrong = try await browser.post("/account/language", ["locale": "en", "_csrf": "falsch"])
            #expect(wrong.status == .forbidden)
            #expect(try await User.find(fixture.mentor.id, on: app.db)?.locale == "de")
            let anonymous = TestBrowser(app)
            let login = try await anonymous.post("/login", ["email": fixture.mentor.email], csrf: false)
            #expect(login.status == .forbidden)
            #expect(try await OutboxMessage.query(on: app.db).count() == 1)  // only the sign-in above
        }
    }

    @Test("Every form on every page carries the CSRF token")
    func formsCarryToken() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let failed = OutboxMessage(
                toEmail: "a@test.example", toName: "A", locale: "de", subject: "S", textBody: "T", htmlBody: "H",
                now: Date())
            failed.status = .failed
            try await failed.create(on: app.db)
            let browser = TestBrowser(app)
            for path in ["/", "/login"] {
                let page = try await browser.get(path)
                #expect(Self.formsWithoutToken(page.body) == 0, "\(path)")
            }
            try await browser.signIn(as: fixture.organiser)
            for path in ["/", "/dashboard", "/account", "/organiser/outbox"] {
                let page = try await browser.get(path)
                #expect(page.body.contains("<form"), "\(path)")
                #expect(Self.formsWithoutToken(page.body) == 0, "\(path)")
            }
        }
    }

    static func formsWithoutToken(_ html: String) -> Int {
        html.components(separatedBy: "<form").dropFirst().filter { form in
            let body = form.components(separatedBy: "</form>").first ?? ""
            return !body.contains("name=\"_csrf\" value=\"") || body.contains("name=\"_csrf\" value=\"\"")
        }.count
    }

    @Test("User text is escaped everywhere it is shown")
    func userTextEscaped() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            fixture.mentor.name = "<script>alert('x')</script>"
            try await fixture.mentor.save(on: app.db)
            fixture.programme.name = "<img src=x onerror=alert(1)>"
            // A long description through `#text` (the fast escaping): every special character, umlauts, 4,000+ characters.
            fixture.programme.description = String(repeating: "Über <b>\"Führung\"</b> & 'Technik' ", count: 120)
            try await fixture.programme.save(on: app.db)
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.mentor)
            for path in ["/dashboard", "/account", "/"] {
                let page = try await browser.get(path)
                #expect(!page.body.contains("<script>alert"), "\(path)")
                #expect(!page.body.contains("<img src=x"), "\(path)")
            }
            let dashboard = try await browser.get("/dashboard")
            #expect(dashboard.body.contains("&lt;script&gt;"))
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: fixture.organiser)
            let programme = try await organiser.get(SiteURL.programme(try fixture.programme.requireID()).path)
            #expect(!programme.body.contains("<b>"))
            // Both pages are written in Swift (HTMLWriter), not Leaf: the name in text, title and attributes.
            let organiserDashboard = try await organiser.get("/dashboard")
            for page in [programme, organiserDashboard] {
                #expect(!page.body.contains("<img src=x"))
                #expect(page.body.contains("&lt;img src=x onerror=alert(1)&gt;"))
            }
            #expect(
                programme.body.contains(
                    String(
                        repeating: "Über &lt;b&gt;&quot;Führung&quot;&lt;/b&gt; &amp; &#39;Technik&#39; ", count: 120)))
            // And in the HTML e-mail.
            let mail = try #require(try await OutboxMessage.query(on: app.db).first())
            #expect(!mail.htmlBody.contains("<script>"))
            #expect(mail.htmlBody.contains("&lt;script&gt;"))
        }
    }

    @Test("Pages send security headers and HttpOnly, SameSite session cookies")
    func headers() async throws {
        try await withTestApp { app in
            let browser = TestBrowser(app)
            let page = try await browser.get("/login")
            #expect(page.headers.first(name: "Content-Security-Policy")?.contains("default-src 'self'") == true)
            #expect(page.headers.first(name: "X-Frame-Options") == "DENY")
            #expect(page.headers.first(name: "Referrer-Policy") == "no-referrer")
            #expect(page.headers.first(name: "X-Request-ID")?.isEmpty == false)
            let cookie = try #require(page.headers[.setCookie].first { $0.hasPrefix("rm_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
        }
        try await withTestApp(adjust: { $0.secureCookies = true }) { app in
            let page = try await TestBrowser(app).get("/login")
            let cookie = try #require(page.headers[.setCookie].first { $0.hasPrefix("rm_session=") })
            #expect(cookie.contains("Secure"))
        }
    }

    @Test("Tokens are long, random and never equal")
    func tokens() {
        let tokens = (0..<1000).map { _ in SecureToken.generate() }
        #expect(Set(tokens).count == 1000)
        #expect(tokens.allSatisfy { $0.count == 43 && !$0.contains("+") && !$0.contains("/") && !$0.contains("=") })
        #expect(SecureToken.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SecureToken.constantTimeEquals("abc", "abc"))
        #expect(!SecureToken.constantTimeEquals("abc", "abd"))
        #expect(!SecureToken.constantTimeEquals("abc", "abcd"))
    }
}
