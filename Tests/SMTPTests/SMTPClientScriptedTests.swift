import NIOCore
import NIOPosix
import Testing

@testable import SMTP

/// A scripted SMTP server for replies a real server is hard to provoke into: greets, then answers each
/// command with the reply of the first matching prefix. `|` in a reply splits it into separate writes;
/// the reply `CLOSE` closes the connection instead.
final class ScriptedSMTPServer: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    static let defaultScript: [(String, String)] = [
        ("EHLO", "250-fake.test greets you\r\n250-SIZE 1000|0000\r\n250 8BITMIME\r\n"),
        ("MAIL", "250 OK\r\n"), ("RCPT", "250 OK\r\n"), ("DATA", "354 go ahead\r\n"),
        (".", "250 queued\r\n"), ("QUIT", "221 bye\r\n"),
    ]

    let greeting: String
    let script: [(String, String)]
    private var pending = ""
    private var inData = false

    init(greeting: String, script: [(String, String)]) {
        self.greeting = greeting
        self.script = script
    }

    func channelActive(context: ChannelHandlerContext) {
        reply(greeting, context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        pending += String(buffer: unwrapInboundIn(data))
        while let end = pending.range(of: "\r\n") {
            let line = String(pending[..<end.lowerBound])
            pending.removeSubrange(..<end.upperBound)
            if inData && line != "." { continue }
            inData = false
            let answer = script.first { line.uppercased().hasPrefix($0.0) }?.1 ?? "500 unknown command\r\n"
            if line.uppercased() == "DATA" && answer.hasPrefix("354") { inData = true }
            reply(answer, context: context)
        }
    }

    private func reply(_ text: String, context: ChannelHandlerContext) {
        if text == "CLOSE" {
            context.close(promise: nil)
            return
        }
        for chunk in text.split(separator: "|") {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: String(chunk))), promise: nil)
        }
    }

    /// Runs `body` with the port of a server following `script` (replies override the default script).
    static func with(
        greeting: String = "220 fake.test ESMTP\r\n",
        replies: [(String, String)] = [],
        _ body: (Int) async throws -> Void
    ) async throws {
        let script = replies + defaultScript
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ScriptedSMTPServer(greeting: greeting, script: script))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        do {
            try await body(listener.localAddress!.port!)
        } catch {
            try? await listener.close()
            throw error
        }
        try await listener.close()
    }
}

@Suite("SMTP client against scripted replies")
struct SMTPClientScriptedTests {
    func send(port: Int, security: SMTPConfiguration.Security = .none, username: String? = nil) async throws {
        let configuration = SMTPConfiguration(
            host: "127.0.0.1", port: port, security: security, username: username, password: username.map { _ in "pw" },
            timeout: .seconds(5))
        try await SMTPClient(configuration: configuration).send(makeEmail())
    }

    @Test func sendsWithoutTLSOrAuthAndReadsSplitMultiLineReplies() async throws {
        try await ScriptedSMTPServer.with { port in
            try await send(port: port)
        }
    }

    @Test func startTLSRequiredButNotOffered() async throws {
        try await ScriptedSMTPServer.with { port in
            await #expect(throws: SMTPError.startTLSNotOffered) { try await send(port: port, security: .startTLS) }
        }
    }

    @Test func noCommonAuthMechanism() async throws {
        try await ScriptedSMTPServer.with(replies: [("EHLO", "250-fake.test\r\n250 AUTH CRAM-MD5 XOAUTH2\r\n")]) {
            port in
            await #expect(throws: SMTPError.authenticationNotSupported(offered: ["CRAM-MD5", "XOAUTH2"])) {
                try await send(port: port, username: "mailer")
            }
        }
    }

    @Test(arguments: [
        (
            "421 4.3.2 too busy\r\n", [("", "")],
            SMTPError.rejected(stage: .greeting, code: 421, message: "4.3.2 too busy"), true
        ),
        (
            "220 ok\r\n", [("RCPT", "452 4.2.2 mailbox full\r\n")],
            .rejected(stage: .rcptTo, code: 452, message: "4.2.2 mailbox full"), true
        ),
        (
            "220 ok\r\n", [("DATA", "451 try again later\r\n")],
            .rejected(stage: .data, code: 451, message: "try again later"), true
        ),
        (
            "220 ok\r\n", [(".", "554-5.7.1 looks like spam\r\n554 5.7.1 go away\r\n")],
            .rejected(stage: .message, code: 554, message: "5.7.1 looks like spam 5.7.1 go away"), false
        ),
        ("220 ok\r\n", [("MAIL", "CLOSE")], .connectionClosed, true),
        ("220 ok\r\n", [("EHLO", "hello there\r\n")], .malformedReply("hello there"), false),
    ])
    func failures(greeting: String, replies: [(String, String)], expected: SMTPError, transient: Bool) async throws {
        try await ScriptedSMTPServer.with(greeting: greeting, replies: replies.filter { !$0.0.isEmpty }) { port in
            let error = await #expect(throws: SMTPError.self) { try await send(port: port) }
            #expect(error == expected)
            #expect(error?.isTransient == transient)
        }
    }
}
