import NIOCore
import NIOPosix
import Testing

@testable import SMTP

/// Failures that need no SMTP server: a closed port, and a server that never answers.
@Suite("SMTP client network failures")
struct SMTPClientNetworkTests {
    @Test func connectionRefusedIsTransient() async throws {
        // Bind a port, then close it: nothing listens there any more.
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(listener.localAddress?.port)
        try await listener.close()

        let client = SMTPClient(configuration: .init(host: "127.0.0.1", port: port, security: .none))
        let error = await #expect(throws: SMTPError.self) { try await client.send(makeEmail()) }
        guard case .connectionFailed = error else {
            Issue.record("expected connectionFailed, got \(String(describing: error))")
            return
        }
        #expect(error?.isTransient == true)
    }

    @Test func silentServerTimesOut() async throws {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        defer { listener.close(promise: nil) }
        let port = try #require(listener.localAddress?.port)

        let client = SMTPClient(
            configuration: .init(host: "127.0.0.1", port: port, security: .none, timeout: .milliseconds(300)))
        let started = ContinuousClock.now
        let error = await #expect(throws: SMTPError.self) { try await client.send(makeEmail()) }
        #expect(error == .timeout)
        #expect(error?.isTransient == true)
        // Generous: with the whole suite running in parallel on 2 cores the timer fires late, never 60 times late.
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    @Test(arguments: [
        (SMTPError.rejected(stage: .rcptTo, code: 450, message: "mailbox busy"), true),
        (.rejected(stage: .rcptTo, code: 550, message: "no such user"), false),
        (.authenticationFailed(code: 454, message: "try later"), true),
        (.authenticationFailed(code: 535, message: "bad credentials"), false),
        (.connectionClosed, true),
        (.startTLSNotOffered, false),
    ])
    func transientMeansFourHundredsAndNetwork(error: SMTPError, transient: Bool) {
        #expect(error.isTransient == transient)
    }

    @Test func rejectsAddressesThatWouldBreakTheEnvelope() async {
        let client = SMTPClient(configuration: .init(host: "127.0.0.1", port: 1, security: .none))
        await #expect(throws: SMTPError.invalidAddress("a@b.de>\r\nRCPT TO:<x@y.de")) {
            try await client.send(makeEmail(to: "a@b.de>\r\nRCPT TO:<x@y.de"))
        }
    }
}
