/// Why a send failed. `description` is meant for an outbox's "last error" column.
public enum SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The step of the SMTP conversation at which the server said no.
    public enum Stage: String, Sendable {
        case greeting
        case ehlo = "EHLO"
        case startTLS = "STARTTLS"
        case mailFrom = "MAIL FROM"
        case rcptTo = "RCPT TO"
        case data = "DATA"
        case message = "end of DATA"
    }

    case connectionFailed(String)
    case connectionClosed
    case timeout
    case tlsFailed(String)
    case startTLSNotOffered
    case authenticationNotSupported(offered: [String])
    case authenticationFailed(code: Int, message: String)
    case rejected(stage: Stage, code: Int, message: String)
    case invalidAddress(String)
    case malformedReply(String)

    /// Whether retrying later may help: 4xx replies and network trouble. 5xx replies, TLS and
    /// configuration problems are permanent until someone changes something.
    public var isTransient: Bool {
        switch self {
        case .connectionFailed, .connectionClosed, .timeout: true
        case .authenticationFailed(let code, _), .rejected(_, let code, _): (400..<500).contains(code)
        case .tlsFailed, .startTLSNotOffered, .authenticationNotSupported, .invalidAddress, .malformedReply: false
        }
    }

    public var description: String {
        switch self {
        case .connectionFailed(let reason): "SMTP: cannot connect: \(reason)"
        case .connectionClosed: "SMTP: the server closed the connection unexpectedly"
        case .timeout: "SMTP: timed out waiting for the server"
        case .tlsFailed(let reason): "SMTP: TLS failed: \(reason)"
        case .startTLSNotOffered: "SMTP: the server does not offer STARTTLS"
        case .authenticationNotSupported(let offered):
            "SMTP: no supported AUTH mechanism (server offers: "
                + (offered.isEmpty ? "none" : offered.joined(separator: " ")) + ")"
        case .authenticationFailed(let code, let message): "SMTP: authentication failed: \(code) \(message)"
        case .rejected(let stage, let code, let message): "SMTP: \(stage.rawValue) rejected: \(code) \(message)"
        case .invalidAddress(let address): "SMTP: invalid address \"\(address)\""
        case .malformedReply(let line): "SMTP: malformed reply \"\(line)\""
        }
    }
}
