import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// A transport that fails on purpose, to test the outbox's retry rules. Real delivery is tested against
/// a real SMTP server in `SMTPDeliveryTests` and `SMTPTests`.
final class FailingTransport: MailTransport, @unchecked Sendable {
    struct Failure: TransientMailError, CustomStringConvertible {
        let isTransient: Bool
        var description: String { isTransient ? "421 try again later" : "550 mailbox unavailable" }
    }
    var failuresLeft: Int
    let transient: Bool
    var delivered: [OutgoingMail] = []

    init(failures: Int, transient: Bool) {
        self.failuresLeft = failures
        self.transient = transient
    }

    func send(_ mail: OutgoingMail, from: String, fromName: String) async throws {
        if failuresLeft > 0 {
            failuresLeft -= 1
            throw Failure(isTransient: transient)
        }
        delivered.append(mail)
    }
}

@Suite("Outbox delivery with retries")
struct OutboxTests {
    static func queue(on app: Application) async throws -> OutboxMessage {
        let user = User(email: "empfaenger@test.example", name: "Empfängerin")
        try await user.create(on: app.db)
        return try await Outbox(app: app).enqueue(
            to: user, template: "mail.login", arguments: ["15"], actionURL: "http://x/login/t", on: app.db)
    }

    @Test("Transient failures are retried with growing back-off, then delivered")
    func transientRetry() async throws {
        try await withTestApp { app in
            let transport = FailingTransport(failures: 2, transient: true)
            app.mailTransport = transport
            let message = try await Self.queue(on: app)
            var now = Date()
            #expect(try await OutboxWorker.deliverDue(app: app, maxAttempts: 5, now: now) == 0)
            var stored = try #require(try await OutboxMessage.find(message.id, on: app.db))
            #expect(stored.status == .pending)
            #expect(stored.attempts == 1)
            #expect(stored.lastError == "421 try again later")
            #expect(abs(stored.nextAttemptAt.timeIntervalSince(now) - 30) < 1)
            // Not due yet: nothing happens.
            #expect(try await OutboxWorker.deliverDue(app: app, maxAttempts: 5, now: now.addingTimeInterval(10)) == 0)
            #expect(try await OutboxMessage.find(message.id, on: app.db)?.attempts == 1)

            now = now.addingTimeInterval(31)
            #expect(try await OutboxWorker.deliverDue(app: app, maxAttempts: 5, now: now) == 0)
            stored = try #require(try await OutboxMessage.find(message.id, on: app.db))
            #expect(stored.attempts == 2)
            #expect(abs(stored.nextAttemptAt.timeIntervalSince(now) - 60) < 1)

            #expect(try await OutboxWorker.deliverDue(app: app, maxAttempts: 5, now: now.addingTimeInterval(61)) == 1)
            stored = try #require(try await OutboxMessage.find(message.id, on: app.db))
            #expect(stored.status == .sent)
            #expect(stored.attempts == 3)
            #expect(stored.sentAt != nil)
            #expect(transport.delivered.count == 1)
            #expect(transport.delivered.first?.subject == "Ihr Anmeldelink für Reverse Mentoring")
        }
    }

    @Test("Permanent failures and exhausted retries end as failed; an organiser can queue it again")
    func permanentFailure() async throws {
        try await withTestApp { app in
            app.mailTransport = FailingTransport(failures: 1, transient: false)
            let message = try await Self.queue(on: app)
            try await OutboxWorker.deliverDue(app: app, maxAttempts: 5)
            #expect(try await OutboxMessage.find(message.id, on: app.db)?.status == .failed)

            let organiser = User(email: "orga@test.example", name: "Orga", isOrganiser: true)
            try await organiser.create(on: app.db)
            let browser = TestBrowser(app)
            try await browser.signIn(as: organiser)
            let page = try await browser.get("/organiser/outbox")
            #expect(page.body.contains("550 mailbox unavailable"))
            #expect(page.body.contains("Fehlgeschlagen"))
            let retry = try await browser.post("/organiser/outbox/\(try message.requireID())/retry")
            #expect(retry.status == .seeOther)
            #expect(try await OutboxMessage.find(message.id, on: app.db)?.status == .pending)
        }
        try await withTestApp { app in
            app.mailTransport = FailingTransport(failures: 10, transient: true)
            let message = try await Self.queue(on: app)
            var now = Date()
            for _ in 0..<3 {
                try await OutboxWorker.deliverDue(app: app, maxAttempts: 3, now: now)
                now = now.addingTimeInterval(3600)
            }
            let stored = try #require(try await OutboxMessage.find(message.id, on: app.db))
            #expect(stored.status == .failed)
            #expect(stored.attempts == 3)
        }
    }

    @Test("Back-off doubles and is capped at one hour")
    func backoff() {
        #expect(OutboxWorker.backoff(afterAttempt: 1) == 30)
        #expect(OutboxWorker.backoff(afterAttempt: 2) == 60)
        #expect(OutboxWorker.backoff(afterAttempt: 5) == 480)
        #expect(OutboxWorker.backoff(afterAttempt: 20) == 3600)
    }

    @Test("E-mails have a text and an HTML part in the recipient's language")
    func composition() async throws {
        try await withTestApp { app in
            let composer = MailComposer(catalogue: app.catalogue, locale: .en)
            let mail = composer.compose(
                key: "mail.login", recipientName: "Ann", arguments: ["15"], actionURL: "http://x/y?a=1&b=2")
            #expect(mail.subject == "Your sign-in link for Reverse Mentoring")
            #expect(mail.textBody.contains("valid for 15 minutes"))
            #expect(mail.textBody.contains("http://x/y?a=1&b=2"))
            #expect(mail.htmlBody.contains("href=\"http://x/y?a=1&amp;b=2\""))
            #expect(mail.htmlBody.contains("<html lang=\"en\">"))
        }
    }
}
