import Crypto
import Fluent
import Foundation
import QRCode
import Testing
import VaporTesting

@testable import App

/// The outbox delivering through a real SMTP server (aiosmtpd, started by `Tests/support/run_smtp_tests.sh`
/// and `.ci/run`). Skipped when no server is configured.
@Suite("Outbox over real SMTP", .enabled(if: ProcessInfo.processInfo.environment["SMTP_TEST_PORT"] != nil))
struct SMTPDeliveryTests {
    static let env = ProcessInfo.processInfo.environment

    static func smtpConfig(_ config: inout AppConfig, password: String? = env["SMTP_TEST_PASSWORD"]) {
        config.mailTransport = .smtp
        config.smtpHost = env["SMTP_TEST_HOST"] ?? "127.0.0.1"
        config.smtpPort = Int(env["SMTP_TEST_PORT"] ?? "") ?? 0
        config.smtpSecurity = "starttls"
        config.smtpUsername = env["SMTP_TEST_USER"]
        config.smtpPassword = password
        config.smtpInsecureTLS = true
    }

    static func receivedMessages(to address: String) throws -> [[String: Any]] {
        let maildir = try #require(env["SMTP_TEST_MAILDIR"])
        return try FileManager.default.contentsOfDirectory(atPath: maildir).filter { $0.hasSuffix(".json") }.compactMap
        {
            let data = try Data(contentsOf: URL(fileURLWithPath: maildir + "/" + $0))
            let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            let recipients = json?["rcpt_tos"] as? [String] ?? []
            return recipients.contains(address) ? json : nil
        }
    }

    @Test("A sign-in e-mail arrives as multipart text + HTML in the recipient's language, umlauts intact")
    func deliversSignInMail() async throws {
        try await withTestApp(adjust: { Self.smtpConfig(&$0) }) { app in
            let address = "juergen-\(UUID().uuidString.prefix(8))@test.example".lowercased()
            let user = User(email: address, name: "Jürgen Groß", locale: "de")
            try await user.create(on: app.db)
            let link = try await MagicLinks.send(to: user, app: app, on: app.db)
            #expect(try await OutboxWorker.deliverDue(app: app, maxAttempts: 3) == 1)
            let stored = try #require(try await OutboxMessage.query(on: app.db).first())
            #expect(stored.status == .sent)

            let received = try Self.receivedMessages(to: address)
            #expect(received.count == 1)
            let mail = try #require(received.first)
            #expect(mail["subject"] as? String == "Ihr Anmeldelink für Reverse Mentoring")
            #expect((mail["to"] as? String)?.contains("Jürgen Groß") == true)
            #expect((mail["text"] as? String)?.contains(link) == true)
            #expect((mail["text"] as? String)?.contains("Hallo Jürgen Groß") == true)
            #expect((mail["html"] as? String)?.contains("href=\"\(link)\"") == true)
            #expect((mail["content_language"] as? String) == "de")
        }
    }

    @Test("A wrong SMTP password fails the message permanently with the server's answer")
    func wrongPassword() async throws {
        try await withTestApp(adjust: { Self.smtpConfig(&$0, password: "falsch") }) { app in
            let user = User(email: "niemand@test.example", name: "N")
            try await user.create(on: app.db)
            try await MagicLinks.send(to: user, app: app, on: app.db)
            #expect(try await OutboxWorker.deliverDue(app: app, maxAttempts: 3) == 0)
            let stored = try #require(try await OutboxMessage.query(on: app.db).first())
            #expect(stored.status == .failed)
            #expect(stored.attempts == 1)
            #expect(stored.lastError?.contains("535") == true)
        }
    }

    @Test("An unreachable server is a transient failure: retried later")
    func unreachableServer() async throws {
        try await withTestApp(adjust: {
            Self.smtpConfig(&$0); $0.smtpPort = 1
        }) { app in
            let user = User(email: "spaeter@test.example", name: "S")
            try await user.create(on: app.db)
            try await MagicLinks.send(to: user, app: app, on: app.db)
            #expect(try await OutboxWorker.deliverDue(app: app, maxAttempts: 3) == 0)
            let stored = try #require(try await OutboxMessage.query(on: app.db).first())
            #expect(stored.status == .pending)
            #expect(stored.attempts == 1)
            #expect(stored.lastError != nil)
        }
    }
}

extension SMTPDeliveryTests {
    @Test("A personal invitation arrives with its link as an inline QR code PNG")
    func invitationWithQRCode() async throws {
        try await withTestApp(adjust: { Self.smtpConfig(&$0) }) { app in
            let programme = Programme(name: "QR-Programm", description: "", phase: .intake)
            try await programme.create(on: app.db)
            let address = "qr-\(UUID().uuidString.prefix(8))@test.example".lowercased()
            let invitation = Invitation(
                programmeID: try programme.requireID(), name: "Quirin", email: address,
                company: "Q AG", position: "CTO", tokenHash: "", expiresAt: Date())
            let link = try await InvitationController.issueAndSend(
                invitation, programme: programme, app: app, on: app.db)
            #expect(try await OutboxWorker.deliverDue(app: app, maxAttempts: 3) == 1)
            let mail = try #require(try Self.receivedMessages(to: address).first)
            #expect((mail["html"] as? String)?.contains("cid:\(MailComposer.qrContentID)") == true)
            let inline = try #require((mail["inline"] as? [[String: Any]])?.first)
            #expect(inline["content_id"] as? String == MailComposer.qrContentID)
            #expect(inline["content_type"] as? String == "image/png")
            let png = try QRCode(link).png(moduleSize: 6)
            #expect(inline["size"] as? Int == png.count)
            #expect(inline["sha256"] as? String == SHA256.hash(data: png).map { String(format: "%02x", $0) }.joined())
        }
    }
}
