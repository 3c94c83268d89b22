import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Testing

@testable import SMTP

/// The test server (Tests/support/smtp_server.py, started by Tests/support/run_smtp_tests.sh) as described
/// by the environment; `nil` when it is not running, which disables the live tests.
struct LiveServer {
    let host: String
    let port: Int
    let tlsPort: Int?
    let maildir: URL
    let user: String
    let password: String
    let caFile: String?

    static let current: LiveServer? = {
        let env = ProcessInfo.processInfo.environment
        guard let host = env["SMTP_TEST_HOST"], let port = env["SMTP_TEST_PORT"].flatMap(Int.init),
            let maildir = env["SMTP_TEST_MAILDIR"], let user = env["SMTP_TEST_USER"],
            let password = env["SMTP_TEST_PASSWORD"]
        else { return nil }
        return LiveServer(
            host: host, port: port, tlsPort: env["SMTP_TEST_TLS_PORT"].flatMap(Int.init),
            maildir: URL(fileURLWithPath: maildir), user: user, password: password, caFile: env["SMTP_TEST_CA_FILE"])
    }()

    func configuration(
        security: SMTPConfiguration.Security = .startTLS,
        password: String? = nil,
        authMechanisms: [SMTPConfiguration.AuthMechanism] = [.plain, .login]
    ) -> SMTPConfiguration {
        SMTPConfiguration(
            host: host,
            port: security == .tls ? tlsPort ?? port : port,
            security: security,
            username: user,
            password: password ?? self.password,
            authMechanisms: authMechanisms,
            heloName: "tests.mentoring.example",
            timeout: .seconds(10),
            // The server's self-signed certificate (for 127.0.0.1/localhost) is the only trusted root.
            tlsTrustRoots: caFile.map { .file($0) } ?? .default,
            certificateVerification: caFile == nil ? .none : .fullVerification
        )
    }

    /// What the server decoded from the message with `messageID` (its `<n>.json`).
    func received(messageID: String) throws -> [String: Any]? {
        for file in try FileManager.default.contentsOfDirectory(at: maildir, includingPropertiesForKeys: nil)
        where file.pathExtension == "json" {
            let record = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]
            if record?["message_id"] as? String == "<\(messageID)>" { return record }
        }
        return nil
    }
}

func makeEmail(to recipient: String = "juergen@example.de") -> Email {
    Email(
        from: .init(name: "Reverse Mentoring Büro", email: "noreply@mentoring.example"),
        to: [.init(name: "Jürgen Größe", email: recipient)],
        subject: "Grüße! Dein Anmeldelink für „Reverse Mentoring“",
        textBody: "Hallo Jürgen,\n\n.hier dein Link: https://mentoring.example/login/abc\n\nÄÖÜ äöü ß €\n",
        htmlBody: """
            <p>Hallo Jürgen,</p><p><a href="https://mentoring.example/login/abc">Anmelden</a></p>\
            <p>ÄÖÜ äöü ß €</p>
            """,
        messageID: "\(UUID().uuidString)@mentoring.example",
        language: "de"
    )
}

@Suite(
    "SMTP client against the test server",
    .enabled(if: LiveServer.current != nil, "needs Tests/support/run_smtp_tests.sh"))
struct SMTPClientLiveTests {
    let server = LiveServer.current!

    func sendAndCheck(_ configuration: SMTPConfiguration, expectedMechanism: String) async throws {
        let email = makeEmail()
        try await SMTPClient(configuration: configuration).send(email)

        let record = try #require(try server.received(messageID: email.messageID!))
        #expect(record["mail_from"] as? String == "noreply@mentoring.example")
        #expect(record["rcpt_tos"] as? [String] == ["juergen@example.de"])
        #expect(record["subject"] as? String == email.subject)
        #expect(record["from"] as? String == "Reverse Mentoring Büro <noreply@mentoring.example>")
        #expect(record["to"] as? String == "Jürgen Größe <juergen@example.de>")
        #expect(record["content_language"] as? String == "de")
        #expect(record["tls"] as? Bool == true)
        #expect(record["auth_mechanism"] as? String == expectedMechanism)
        #expect((record["text"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == email.textBody)
        #expect((record["html"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == email.htmlBody)
    }

    @Test func sendsWithStartTLSAndAuthPlain() async throws {
        try await sendAndCheck(server.configuration(authMechanisms: [.plain]), expectedMechanism: "PLAIN")
    }

    @Test func sendsWithStartTLSAndAuthLogin() async throws {
        try await sendAndCheck(server.configuration(authMechanisms: [.login]), expectedMechanism: "LOGIN")
    }

    @Test(.enabled(if: LiveServer.current?.tlsPort != nil, "needs SMTP_TEST_TLS_PORT"))
    func sendsWithImplicitTLS() async throws {
        try await sendAndCheck(server.configuration(security: .tls), expectedMechanism: "PLAIN")
    }

    @Test func inlineImagesArriveIntact() async throws {
        var email = makeEmail()
        email.htmlBody = """
            <p>Hallo Jürgen,</p><p><img src="cid:qr@mentoring.example" alt="QR-Code"></p>\
            <p><img src="cid:pattern@mentoring.example" alt=""></p>
            """
        email.inlineImages = [
            .init(contentID: "qr@mentoring.example", filename: "einladung-qr.png", data: onePixelPNG),
            // 4000 bytes of every value: 72 lines of base64, nothing a lenient decoder could paper over.
            .init(
                contentID: "pattern@mentoring.example", filename: "pattern.bin", mimeType: "application/octet-stream",
                data: patternBytes(4000)),
        ]
        try await SMTPClient(configuration: server.configuration()).send(email)

        let record = try #require(try server.received(messageID: email.messageID!))
        #expect((record["text"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == email.textBody)
        #expect((record["html"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == email.htmlBody)
        let inline = try #require(record["inline"] as? [[String: Any]])
        try #require(inline.count == 2)
        #expect(inline[0]["content_id"] as? String == "qr@mentoring.example")
        #expect(inline[0]["filename"] as? String == "einladung-qr.png")
        #expect(inline[0]["content_type"] as? String == "image/png")
        #expect(inline[0]["size"] as? Int == onePixelPNG.count)
        #expect(inline[0]["sha256"] as? String == "497790947d4666760ce38f3c00e852c71fdb66cae849bae8e9ede352719e1581")
        #expect(inline[1]["content_id"] as? String == "pattern@mentoring.example")
        #expect(inline[1]["filename"] as? String == "pattern.bin")
        #expect(inline[1]["content_type"] as? String == "application/octet-stream")
        #expect(inline[1]["size"] as? Int == 4000)
        // sha256 of patternBytes(4000), computed with Python's hashlib.
        #expect(inline[1]["sha256"] as? String == "d19ad54c980809aa678ca3e01340e7cbe535233287d5ad441833dfdedd3002fb")
    }

    @Test func messagesWithoutImagesListNoInlineParts() async throws {
        let email = makeEmail()
        try await SMTPClient(configuration: server.configuration()).send(email)
        let record = try #require(try server.received(messageID: email.messageID!))
        #expect((record["inline"] as? [Any])?.isEmpty == true)
    }

    @Test func wrongPasswordIsAPermanentAuthenticationFailure() async throws {
        let error = await #expect(throws: SMTPError.self) {
            try await SMTPClient(configuration: server.configuration(password: "wrong")).send(makeEmail())
        }
        guard case .authenticationFailed(let code, let message) = error else {
            Issue.record("expected authenticationFailed, got \(String(describing: error))")
            return
        }
        #expect(code == 535)
        #expect(message.contains("Authentication credentials invalid"))
        #expect(error?.isTransient == false)
        #expect(error?.description.contains("authentication failed: 535") == true)
    }

    @Test func rejectedRecipientIsPermanent() async throws {
        let error = await #expect(throws: SMTPError.self) {
            try await SMTPClient(configuration: server.configuration()).send(makeEmail(to: "reject@example.de"))
        }
        #expect(error == .rejected(stage: .rcptTo, code: 550, message: "5.1.1 <reject@example.de>: recipient rejected"))
        #expect(error?.isTransient == false)
    }

    @Test func untrustedCertificateFailsTLS() async throws {
        var configuration = server.configuration()
        configuration.tlsTrustRoots = .certificates([])
        configuration.certificateVerification = .fullVerification
        let error = await #expect(throws: SMTPError.self) {
            try await SMTPClient(configuration: configuration).send(makeEmail())
        }
        guard case .tlsFailed = error else {
            Issue.record("expected tlsFailed, got \(String(describing: error))")
            return
        }
        #expect(error?.isTransient == false)
    }

    @Test func authNeedsTLSOnThisServer() async throws {
        // aiosmtpd offers AUTH only after STARTTLS: a plain connection with credentials must not silently skip AUTH.
        let error = await #expect(throws: SMTPError.self) {
            try await SMTPClient(configuration: server.configuration(security: .none)).send(makeEmail())
        }
        #expect(error == .authenticationNotSupported(offered: []))
    }
}
