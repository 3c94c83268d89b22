import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite("Sign-in by magic link and password")
struct SignInTests {
    @Test("A known address gets a single-use link by e-mail that signs in and rotates the session")
    func magicLinkSignsIn() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let browser = TestBrowser(app)
            try await browser.get("/login")
            let sessionBefore = browser.cookies["rm_session"]

            let sent = try await browser.post("/login", ["email": "  MENTOR@test.example "])
            #expect(sent.status == .seeOther)
            #expect(sent.location == "/login/sent")

            let mail = try #require(try await OutboxMessage.query(on: app.db).first())
            #expect(mail.toEmail == "mentor@test.example")
            #expect(mail.subject == "Ihr Anmeldelink für Reverse Mentoring")
            #expect(mail.status == .pending)
            let link = try #require(browser.linkPath(in: mail.textBody))
            #expect(mail.htmlBody.contains(link))
            // Only the hash is stored.
            let token = String(link.dropFirst("/login/".count))
            let stored = try #require(try await LoginToken.query(on: app.db).first())
            #expect(stored.tokenHash == SecureToken.hash(token))
            #expect(stored.tokenHash != token)
            #expect(token.count >= 43)

            // Opening the link does not use it up; confirming does.
            let confirm = try await browser.get(link)
            #expect(confirm.status == .ok)
            #expect(confirm.body.contains("Max Mentor"))
            #expect(try await LoginToken.query(on: app.db).first()?.usedAt == nil)
            let done = try await browser.post(link)
            #expect(done.status == .seeOther)
            #expect(done.location == "/dashboard")
            #expect(browser.cookies["rm_session"] != nil)
            #expect(browser.cookies["rm_session"] != sessionBefore)

            let dashboard = try await browser.get("/dashboard")
            #expect(dashboard.status == .ok)
            #expect(dashboard.body.contains("Hallo Max Mentor"))
            #expect(dashboard.body.contains(fixture.programme.name))

            // The same link again: used.
            let other = TestBrowser(app)
            try await other.get("/")
            let again = try await other.get(link)
            #expect(again.status == .gone)
            #expect(again.body.contains("bereits verwendet"))
            let reuse = try await other.post(link)
            #expect(reuse.status == .gone)
        }
    }

    @Test("The e-mail comes in the recipient's language")
    func mailInRecipientsLanguage() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let browser = TestBrowser(app)
            try await browser.post("/login", ["email": fixture.mentee.email])
            let mail = try #require(try await OutboxMessage.query(on: app.db).first())
            #expect(mail.locale == "en")
            #expect(mail.subject == "Your sign-in link for Reverse Mentoring")
            #expect(mail.textBody.contains("Hello Erika Mentee"))
        }
    }

    @Test("Unknown address: same answer, nothing stored, nothing sent")
    func unknownAddressRevealsNothing() async throws {
        try await withTestApp { app in
            let browser = TestBrowser(app)
            let response = try await browser.post("/login", ["email": "nobody@test.example"])
            #expect(response.status == .seeOther)
            #expect(response.location == "/login/sent")
            #expect(try await OutboxMessage.query(on: app.db).count() == 0)
            #expect(try await LoginToken.query(on: app.db).count() == 0)
        }
    }

    @Test(
        "Malformed e-mail address gets a clear 400 page and writes nothing",
        arguments: [
            "", "kein-at-zeichen", "a@b", "two@@test.example", "mit leer@test.example", "x@-bad.example",
        ])
    func malformedAddress(email: String) async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(on: app.db)
            let browser = TestBrowser(app)
            let response = try await browser.post("/login", ["email": email])
            #expect(response.status == .badRequest)
            #expect(response.body.contains("Bitte geben Sie eine gültige E-Mail-Adresse ein"))
            #expect(response.body.contains("aria-invalid=\"true\""))
            #expect(try await OutboxMessage.query(on: app.db).count() == 0)
            #expect(try await LoginToken.query(on: app.db).count() == 0)
        }
    }

    @Test("Expired and unknown links get their own pages and statuses, in English too")
    func expiredAndUnknownLinks() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let link = try await MagicLinks.create(
                for: fixture.mentor, app: app, on: app.db, now: Date().addingTimeInterval(-16 * 60))
            let path = String(link.dropFirst("http://mentoring.test".count))
            let browser = TestBrowser(app)
            let expired = try await browser.get(path)
            #expect(expired.status == .gone)
            #expect(expired.body.contains("abgelaufen"))
            #expect(try await browser.post(path).status == .gone)

            let unknown = try await browser.get("/login/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
            #expect(unknown.status == .notFound)
            #expect(unknown.body.contains("nicht bekannt"))

            browser.acceptLanguage = "en-GB,en;q=0.9"
            browser.cookies["lang"] = nil
            let english = try await browser.get(path)
            #expect(english.body.contains("This sign-in link has expired"))
            #expect(try await LoginToken.query(on: app.db).filter(\.$usedAt != nil).count() == 0)
        }
    }

    @Test("Organisers can set a password and sign in with it; others cannot")
    func passwordSignIn() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: fixture.organiser)
            try await organiser.get("/account")
            let short = try await organiser.post("/account/password", ["password": "kurz", "confirmation": "kurz"])
            #expect(short.status == .badRequest)
            #expect(short.body.contains("mindestens 12 Zeichen"))
            let mismatch = try await organiser.post(
                "/account/password", ["password": "ein-langes-passwort", "confirmation": "ein-anderes-passwort"])
            #expect(mismatch.status == .seeOther)
            #expect(try await User.find(fixture.organiser.id, on: app.db)?.passwordHash == nil)
            let saved = try await organiser.post(
                "/account/password", ["password": "ein-langes-passwort", "confirmation": "ein-langes-passwort"])
            #expect(saved.status == .seeOther)
            let hash = try #require(try await User.find(fixture.organiser.id, on: app.db)?.passwordHash)
            #expect(hash.hasPrefix("$2"))

            let fresh = TestBrowser(app)
            try await fresh.get("/login")
            let wrong = try await fresh.post(
                "/login/password", ["email": fixture.organiser.email, "password": "falsch-falsch-falsch"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.contains("E-Mail-Adresse oder Passwort ist falsch"))
            let right = try await fresh.post(
                "/login/password", ["email": fixture.organiser.email, "password": "ein-langes-passwort"])
            #expect(right.status == .seeOther)
            #expect(try await fresh.get("/organiser/outbox").status == .ok)

            // A mentor with a password hash (e.g. demoted organiser) still cannot use password sign-in.
            fixture.mentor.passwordHash = hash
            try await fixture.mentor.save(on: app.db)
            let mentor = TestBrowser(app)
            try await mentor.get("/login")
            let denied = try await mentor.post(
                "/login/password", ["email": fixture.mentor.email, "password": "ein-langes-passwort"])
            #expect(denied.status == .unauthorized)
        }
    }

    @Test("Sign-out ends the session on the server")
    func signOut() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.mentor)
            let oldCookie = try #require(browser.cookies["rm_session"])
            try await browser.get("/dashboard")
            let out = try await browser.post("/logout")
            #expect(out.status == .seeOther)
            #expect(
                try await UserSession.query(on: app.db).filter(\.$idHash == SecureToken.hash(oldCookie)).count() == 0)
            // Replaying the old cookie does not sign in.
            let replay = TestBrowser(app)
            replay.cookies["rm_session"] = oldCookie
            let response = try await replay.get("/dashboard")
            #expect(response.status == .seeOther)
            #expect(response.location?.hasPrefix("/login") == true)
        }
    }

    @Test("Sessions expire after the idle timeout and after their maximum age")
    func sessionsExpire() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            for field in ["last_seen_at", "created_at"] {
                let browser = TestBrowser(app)
                try await browser.signIn(as: fixture.mentor)
                #expect(try await browser.get("/dashboard").status == .ok)
                let cookie = try #require(browser.cookies["rm_session"])
                let record = try #require(
                    try await UserSession.query(on: app.db)
                        .filter(\.$idHash == SecureToken.hash(cookie)).first())
                let past = Date().addingTimeInterval(-13 * 3600)
                if field == "last_seen_at" { record.lastSeenAt = past } else { record.createdAt = past }
                try await record.save(on: app.db)
                let response = try await browser.get("/dashboard")
                #expect(response.status == .seeOther, "session should have expired via \(field)")
            }
        }
    }

    @Test("Sign-in only redirects to local paths")
    func noOpenRedirect() {
        #expect(SignInController.safeNext("//evil.example/x") == "/dashboard")
        #expect(SignInController.safeNext("https://evil.example") == "/dashboard")
        #expect(SignInController.safeNext("/\\evil.example") == "/dashboard")
        #expect(SignInController.safeNext(nil) == "/dashboard")
        #expect(SignInController.safeNext("/account") == "/account")
    }
}
