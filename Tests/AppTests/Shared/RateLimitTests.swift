import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite("Rate limits on the forms that send e-mails or check passwords")
struct RateLimitTests {
    static func limited(_ config: inout AppConfig) {
        config.rateLimiting = true
        config.trustForwardedFor = true
    }

    /// A stopped clock: buckets do not refill while a slow test machine works through the requests.
    static func stopClock(_ app: Application) {
        let now = Date()
        app.rateLimiter = RateLimiter(clock: { now })
    }

    @Test("Token bucket: the limit in a window, refilled over time, per key")
    func bucket() async {
        final class Clock: @unchecked Sendable { var now = Date(timeIntervalSince1970: 1_000_000) }
        let clock = Clock()
        let limiter = RateLimiter(clock: { clock.now })
        let rule = RateLimiter.Rule(limit: 2, window: 10)
        #expect(await limiter.take("a", rule) == nil)
        #expect(await limiter.take("a", rule) == nil)
        let wait = await limiter.take("a", rule)
        #expect(wait.map { abs($0 - 5) < 0.001 } == true, "one request every 5 s refills")
        #expect(await limiter.take("b", rule) == nil, "another key has its own bucket")
        clock.now += 5
        #expect(await limiter.take("a", rule) == nil)
        #expect(await limiter.take("a", rule) != nil)
    }

    @Test("Sign-in links: a sixth link for one address within the hour is not sent, and the answer does not show it")
    func signInLinksPerAddress() async throws {
        try await withTestApp(adjust: Self.limited) { app in
            Self.stopClock(app)
            let fixture = try await Fixture.make(on: app.db)
            let browser = TestBrowser(app)
            try await browser.get("/login")
            for attempt in 1...6 {
                let page = try await browser.post("/login", ["email": fixture.mentor.email])
                #expect(page.status == .seeOther && page.location == "/login/sent", "attempt \(attempt)")
            }
            #expect(try await OutboxMessage.query(on: app.db).count() == 5)
            // Somebody else is not affected.
            try await browser.post("/login", ["email": fixture.mentee.email])
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$toEmail == fixture.mentee.email).count() == 1)
        }
    }

    @Test(
        "Sign-in links per client address: the 61st request in ten minutes gets 429 with Retry-After; other clients go on"
    )
    func signInLinksPerClient() async throws {
        try await withTestApp(adjust: Self.limited) { app in
            Self.stopClock(app)
            let browser = TestBrowser(app)
            browser.forwardedFor = "203.0.113.5"
            try await browser.get("/login")
            for index in 1...60 {
                let page = try await browser.post("/login", ["email": "unbekannt\(index)@test.example"])
                #expect(page.status == .seeOther)
            }
            let refused = try await browser.post("/login", ["email": "noch-jemand@test.example"])
            #expect(refused.status == .tooManyRequests)
            #expect(Int(refused.headers.first(name: "Retry-After") ?? "") ?? 0 >= 1)
            #expect(refused.body.contains("Zu viele Versuche"))
            browser.forwardedFor = "203.0.113.6"
            #expect(try await browser.post("/login", ["email": "noch-jemand@test.example"]).status == .seeOther)
        }
    }

    @Test("Without TRUST_FORWARDED_FOR a client cannot pick a new address with the header")
    func forwardedForIgnoredByDefault() async throws {
        try await withTestApp(adjust: { $0.rateLimiting = true }) { app in
            Self.stopClock(app)
            let browser = TestBrowser(app)
            try await browser.get("/login")
            for index in 1...20 {
                browser.forwardedFor = "198.51.100.\(index)"
                #expect(try await browser.post("/login", ["email": "x\(index)@test.example"]).status == .seeOther)
            }
            // 20 of the 60 used; the application form has its own budget of 20 an hour.
            let fixture = try await Fixture.make(on: app.db)
            let id = try fixture.programme.requireID()
            try await browser.get("/programmes/\(id)/apply")
            for index in 1...20 {
                browser.forwardedFor = "198.51.100.\(index)"
                let page = try await browser.post("/programmes/\(id)/apply", ["name": ""])
                #expect(page.status != .tooManyRequests)
            }
            browser.forwardedFor = "198.51.100.99"
            #expect(try await browser.post("/programmes/\(id)/apply", ["name": ""]).status == .tooManyRequests)
        }
    }

    @Test("Password: the 11th attempt for one address in 15 minutes is refused, even with the right password")
    func passwordAttempts() async throws {
        try await withTestApp(adjust: Self.limited) { app in
            Self.stopClock(app)
            let fixture = try await Fixture.make(on: app.db)
            fixture.organiser.passwordHash = try Bcrypt.hash("ein-sehr-langes-passwort")
            try await fixture.organiser.save(on: app.db)
            let browser = TestBrowser(app)
            try await browser.get("/login")
            for _ in 1...10 {
                let wrong = try await browser.post(
                    "/login/password", ["email": fixture.organiser.email, "password": "falsch-falsch-falsch"])
                #expect(wrong.status == .unauthorized)
            }
            let right = try await browser.post(
                "/login/password", ["email": fixture.organiser.email, "password": "ein-sehr-langes-passwort"])
            #expect(right.status == .tooManyRequests)
            #expect(try await browser.get("/dashboard").status != .ok, "not signed in")
        }
    }

    @Test("Registration through the programme link: 30 an hour per client address")
    func registrations() async throws {
        try await withTestApp(adjust: Self.limited) { app in
            Self.stopClock(app)
            let fixture = try await Fixture.make(on: app.db)
            let code = try #require(fixture.programme.publicCode)
            let browser = TestBrowser(app)
            browser.forwardedFor = "203.0.113.7"
            try await browser.get("/join/\(code)")
            for _ in 1...30 {
                #expect(try await browser.post("/join/\(code)", ["name": ""]).status != .tooManyRequests)
            }
            let refused = try await browser.post("/join/\(code)", ["name": ""])
            #expect(refused.status == .tooManyRequests)
            browser.acceptLanguage = "en"
            browser.cookies["rm_lang"] = nil
            let english = try await browser.post("/join/\(code)", ["name": ""])
            #expect(english.status == .tooManyRequests && english.body.contains("Too many attempts"))
        }
    }
}
