import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Sends e-mails over SMTP, one connection per message:
/// EHLO, optional STARTTLS, optional AUTH (PLAIN preferred, else LOGIN), MAIL FROM, RCPT TO, DATA, QUIT.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration
    private let eventLoopGroup: any EventLoopGroup

    public init(
        configuration: SMTPConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
    }

    /// Delivers `email` to the server; throws ``SMTPError`` (see ``SMTPError/isTransient``) on failure.
    public func send(_ email: Email) async throws {
        let recipients = try email.to.map { try Self.validated($0.email) }
        let sender = try Self.validated(email.from.email)
        guard !recipients.isEmpty else { throw SMTPError.invalidAddress("(no recipients)") }
        let boundary = "=_rm_\(UUID().uuidString.replacingOccurrences(of: "-", with: ""))"
        let message = MIMEMessage.render(email, boundary: boundary)

        let connection = try await connect()
        do {
            try await connection.expect([220], at: .greeting, for: nil)
            var capabilities = try await connection.ehlo(configuration.heloName)
            if configuration.security == .startTLS {
                guard capabilities.keys.contains("STARTTLS") else { throw SMTPError.startTLSNotOffered }
                try await connection.expect([220], at: .startTLS, for: "STARTTLS")
                try await connection.addTLS { try makeTLSHandler() }
                capabilities = try await connection.ehlo(configuration.heloName)
            }
            if let username = configuration.username, let password = configuration.password {
                try await connection.authenticate(
                    username: username,
                    password: password,
                    offered: capabilities["AUTH"] ?? [],
                    preferring: configuration.authMechanisms
                )
            }
            try await connection.expect([250], at: .mailFrom, for: "MAIL FROM:<\(sender)>")
            for recipient in recipients {
                try await connection.expect([250, 251], at: .rcptTo, for: "RCPT TO:<\(recipient)>")
            }
            try await connection.expect([354], at: .data, for: "DATA")
            try await connection.expect([250], at: .message, payload: Self.dotStuffed(message))
            _ = try? await connection.request(ByteBuffer(string: "QUIT\r\n"))
        } catch {
            connection.channel.close(promise: nil)
            throw error
        }
        try? await connection.channel.close()
    }

    private func connect() async throws -> Connection {
        let timeout = TimeAmount.nanoseconds(
            Int64(configuration.timeout.components.seconds) * 1_000_000_000
                + configuration.timeout.components.attoseconds / 1_000_000_000)
        var tlsHandler: (@Sendable () throws -> NIOSSLClientHandler)? = nil
        if configuration.security == .tls {
            tlsHandler = { try makeTLSHandler() }
        }
        let firstFailure = SMTPFirstFailure()
        let bootstrap = ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(timeout)
            .channelInitializer { [tlsHandler] channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsHandler { try channel.pipeline.syncOperations.addHandler(tlsHandler()) }
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(SMTPLineDecoder()),
                        SMTPResponseHandler(timeout: timeout, firstFailure: firstFailure)
                    )
                }
            }
        do {
            return Connection(
                channel: try await bootstrap.connect(host: configuration.host, port: configuration.port).get(),
                firstFailure: firstFailure)
        } catch ChannelError.connectTimeout {
            throw SMTPError.timeout
        } catch let error as SMTPError {
            throw error  // e.g. the TLS configuration could not be built
        } catch {
            throw SMTPError.connectionFailed("\(configuration.host):\(configuration.port): \(error)")
        }
    }

    private func makeTLSHandler() throws -> NIOSSLClientHandler {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = configuration.tlsTrustRoots
        tls.certificateVerification = configuration.certificateVerification
        do {
            let context = try NIOSSLContext(configuration: tls)
            // SNI must not carry an IP address; the certificate is then checked against the IP itself.
            let isIP = (try? SocketAddress(ipAddress: configuration.host, port: 0)) != nil
            return try NIOSSLClientHandler(context: context, serverHostname: isIP ? nil : configuration.host)
        } catch {
            throw SMTPError.tlsFailed(String(describing: error))
        }
    }

    /// Addresses go into `MAIL FROM:<...>` verbatim: ASCII, no spaces, brackets or line breaks.
    static func validated(_ address: String) throws -> String {
        let forbidden: Set<Unicode.Scalar> = [" ", "<", ">", "\r", "\n", "\t"]
        guard address.contains("@"), address.unicodeScalars.allSatisfy({ $0.isASCII && !forbidden.contains($0) })
        else { throw SMTPError.invalidAddress(address) }
        return address
    }

    /// RFC 5321 4.5.2: a line starting with "." gets another one; the message ends with CRLF "." CRLF.
    static func dotStuffed(_ message: String) -> String {
        var lines = message.components(separatedBy: "\r\n")
        if lines.last == "" { lines.removeLast() }
        return lines.map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n") + "\r\n.\r\n"
    }
}

/// One open SMTP connection: sends a command, waits for its reply.
private struct Connection: Sendable {
    let channel: any Channel
    /// Why the connection failed, as the response handler saw it: kept outside the pipeline, because a command
    /// written after the channel closed never reaches the (by then removed) handler.
    let firstFailure: SMTPFirstFailure

    func request(_ payload: ByteBuffer?) async throws -> SMTPResponse {
        let promise = channel.eventLoop.makePromise(of: SMTPResponse.self)
        channel.writeAndFlush(SMTPRequest(payload: payload, promise: promise)).whenFailure { [channel] error in
            // A failed write usually comes with the reason on the error path (e.g. a TLS handshake that failed
            // while this command waited for it), which the response handler reports. Give that a tick to
            // arrive, so that the reply fails with the reason rather than "connection closed" at random.
            channel.eventLoop.execute { [firstFailure] in
                switch error {
                case is SMTPError, is NIOSSLError, is BoringSSLError, is NIOSSLExtraError:
                    promise.fail(SMTPError(channelError: error))
                default: promise.fail(firstFailure.error ?? SMTPError.connectionClosed)
                }
            }
        }
        do {
            return try await promise.futureResult.get()
        } catch let error as SMTPError {
            throw error
        } catch {
            throw SMTPError.connectionFailed(String(describing: error))
        }
    }

    @discardableResult
    func expect(_ codes: Set<Int>, at stage: SMTPError.Stage, for command: String?) async throws -> SMTPResponse {
        try await expect(codes, at: stage, payload: command.map { $0 + "\r\n" })
    }

    @discardableResult
    func expect(_ codes: Set<Int>, at stage: SMTPError.Stage, payload: String?) async throws -> SMTPResponse {
        let response = try await request(payload.map { ByteBuffer(string: $0) })
        guard codes.contains(response.code) else {
            throw SMTPError.rejected(stage: stage, code: response.code, message: response.message)
        }
        return response
    }

    /// Sends EHLO; returns the extensions offered, keyword (upper-cased) to parameters.
    func ehlo(_ name: String) async throws -> [String: [String]] {
        let response = try await expect([250], at: .ehlo, for: "EHLO \(name)")
        var capabilities: [String: [String]] = [:]
        for line in response.lines.dropFirst() {
            // `AUTH=PLAIN LOGIN` is an old spelling of `AUTH PLAIN LOGIN`.
            let words = line.replacingOccurrences(of: "=", with: " ").split(separator: " ").map(String.init)
            guard let keyword = words.first?.uppercased() else { continue }
            capabilities[keyword, default: []] += words.dropFirst().map { $0.uppercased() }
        }
        return capabilities
    }

    /// Puts TLS in front of everything; the handler buffers our next command until the handshake is done.
    func addTLS(_ makeHandler: @escaping @Sendable () throws -> NIOSSLClientHandler) async throws {
        try await channel.eventLoop.submit { [channel] in
            try channel.pipeline.syncOperations.addHandler(try makeHandler(), position: .first)
        }.get()
    }

    func authenticate(
        username: String,
        password: String,
        offered: [String],
        preferring mechanisms: [SMTPConfiguration.AuthMechanism]
    ) async throws {
        func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        func check(_ response: SMTPResponse, _ code: Int) throws {
            guard response.code == code else {
                throw SMTPError.authenticationFailed(code: response.code, message: response.message)
            }
        }
        switch mechanisms.first(where: { offered.contains($0.rawValue) }) {
        case .plain:
            try check(
                try await request(ByteBuffer(string: "AUTH PLAIN \(base64("\0\(username)\0\(password)"))\r\n")), 235)
        case .login:
            try check(try await request(ByteBuffer(string: "AUTH LOGIN\r\n")), 334)
            try check(try await request(ByteBuffer(string: base64(username) + "\r\n")), 334)
            try check(try await request(ByteBuffer(string: base64(password) + "\r\n")), 235)
        case nil:
            throw SMTPError.authenticationNotSupported(offered: offered)
        }
    }
}
