import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import NIOTLS

/// A complete (possibly multi-line) server reply, e.g. `250-first` ... `250 last`.
struct SMTPResponse: Sendable, Equatable {
    var code: Int
    /// Text of each line, without the code and separator.
    var lines: [String]

    var message: String { lines.joined(separator: " ") }
    var isPositive: Bool { (200..<400).contains(code) }
}

/// Something to write (nothing for the greeting), and where its reply goes.
struct SMTPRequest: Sendable {
    var payload: ByteBuffer?
    var promise: EventLoopPromise<SMTPResponse>
}

/// Splits the byte stream into lines, without the CRLF (a bare LF is accepted too).
struct SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String
    static let maximumLineLength = 8192

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maximumLineLength {
                throw SMTPError.malformedReply("line longer than \(Self.maximumLineLength) bytes")
            }
            return .needMoreData
        }
        var line = buffer.readString(length: newline - buffer.readerIndex) ?? ""
        buffer.moveReaderIndex(forwardBy: 1)
        if line.utf8.last == UInt8(ascii: "\r") { line.removeLast() }
        context.fireChannelRead(Self.wrapInboundOut(line))
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

/// Matches replies to requests in order, one reply per request, each with a timeout.
/// Replies that arrive before anyone asks (the greeting) are kept until asked for.
final class SMTPResponseHandler: ChannelDuplexHandler {
    typealias InboundIn = String
    typealias OutboundIn = SMTPRequest
    typealias OutboundOut = ByteBuffer

    private let timeout: TimeAmount
    private var waiting = CircularBuffer<(promise: EventLoopPromise<SMTPResponse>, deadline: Scheduled<Void>)>()
    private var unclaimed = CircularBuffer<SMTPResponse>()
    private var partialLines: [String] = []
    private var failure: SMTPError?
    /// Set when the TLS handler (implicit TLS, or after STARTTLS) reports its handshake done.
    private var tlsHandshakeCompleted = false

    private let firstFailure: SMTPFirstFailure

    init(timeout: TimeAmount, firstFailure: SMTPFirstFailure = SMTPFirstFailure()) {
        self.timeout = timeout
        self.firstFailure = firstFailure
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.promise.fail(failure)
            promise?.fail(failure)
            return
        }
        if let response = unclaimed.popFirst() {
            request.promise.succeed(response)
        } else {
            let deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [context] in
                self.fail(.timeout, context: context)
            }
            waiting.append((request.promise, deadline))
        }
        if let payload = request.payload {
            context.write(wrapOutboundOut(payload), promise: promise)
        } else {
            promise?.succeed(())
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = unwrapInboundIn(data)
        let utf8 = Array(line.utf8.prefix(4))
        guard utf8.count >= 3, let code = Int(String(decoding: utf8.prefix(3), as: UTF8.self)),
            (200..<600).contains(code), utf8.count == 3 || utf8[3] == UInt8(ascii: " ") || utf8[3] == UInt8(ascii: "-")
        else {
            fail(.malformedReply(String(line.prefix(200))), context: context)
            return
        }
        partialLines.append(String(line.dropFirst(4)))
        guard utf8.count == 3 || utf8[3] == UInt8(ascii: " ") else { return }  // `250-`: more lines follow
        let response = SMTPResponse(code: code, lines: partialLines)
        partialLines = []
        if let (promise, deadline) = waiting.popFirst() {
            deadline.cancel()
            promise.succeed(response)
        } else {
            unclaimed.append(response)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted? = event as? TLSUserEvent { tlsHandshakeCompleted = true }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        // Closed while a TLS handshake was under way (the handler is in the pipeline, its handshake never
        // completed): that is a TLS failure, whether or not NIOSSL's error event comes first. The server may
        // close first after the client's "bad certificate" alert, and then no error event arrives at all; this
        // was the rare "connection closed" instead of `tlsFailed` (CI, about 1 run in 85).
        let duringHandshake =
            !tlsHandshakeCompleted
            && (try? context.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self)) != nil
        let reason: SMTPError =
            duringHandshake ? .tlsFailed("the connection closed during the TLS handshake") : .connectionClosed
        // The error event, if any, may still be on its way: wait one tick so it can give the precise reason.
        context.eventLoop.assumeIsolated().execute { [context] in
            self.fail(reason, context: context)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(SMTPError(channelError: error), context: context)
    }

    /// Fails everything now waiting and everything asked later, then closes the connection.
    private func fail(_ error: SMTPError, context: ChannelHandlerContext) {
        if failure == nil {
            failure = error
            firstFailure.record(error)
        }
        while let (promise, deadline) = waiting.popFirst() {
            deadline.cancel()
            promise.fail(failure ?? error)
        }
        context.close(promise: nil)
    }
}

/// The first reason a connection failed, shared by the response handler (which learns it) and the connection
/// (which may need it after the handler is gone). First one wins.
final class SMTPFirstFailure: Sendable {
    private let box = NIOLockedValueBox<SMTPError?>(nil)

    func record(_ error: SMTPError) { box.withLockedValue { if $0 == nil { $0 = error } } }
    var error: SMTPError? { box.withLockedValue { $0 } }
}

extension SMTPError {
    /// What a channel error means for sending: TLS errors are `.tlsFailed` wherever they surface (the error
    /// event, or a write the TLS handler fails when its handshake does), anything else a failed connection.
    init(channelError error: any Error) {
        switch error {
        case let error as SMTPError: self = error
        case is NIOSSLError, is BoringSSLError, is NIOSSLExtraError: self = .tlsFailed(String(describing: error))
        default: self = .connectionFailed(String(describing: error))
        }
    }
}
