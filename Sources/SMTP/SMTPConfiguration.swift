import NIOSSL

/// Where and how to deliver: server, transport security and credentials.
public struct SMTPConfiguration: Sendable {
    public enum Security: String, Sendable, CaseIterable {
        /// Plain text; credentials, if any, are sent unencrypted.
        case none
        /// Plain connection upgraded with `STARTTLS` (usually port 587); fails if the server does not offer it.
        case startTLS
        /// TLS from the first byte ("implicit TLS", usually port 465).
        case tls
    }

    public enum AuthMechanism: String, Sendable, CaseIterable {
        case plain = "PLAIN"
        case login = "LOGIN"
    }

    public var host: String
    public var port: Int
    public var security: Security
    /// Used for `AUTH` (PLAIN preferred, else LOGIN) when both username and password are set.
    public var username: String?
    public var password: String?
    /// Mechanisms we may use, most preferred first; the first one the server offers is used.
    public var authMechanisms: [AuthMechanism]
    /// Our name in `EHLO`.
    public var heloName: String
    /// Limit for connecting and for each server reply.
    public var timeout: Duration
    /// Certificates trusted for the server; `.default` is the system store. Tests pass their self-signed cert.
    public var tlsTrustRoots: NIOSSLTrustRoots
    public var certificateVerification: CertificateVerification

    public init(
        host: String,
        port: Int,
        security: Security = .startTLS,
        username: String? = nil,
        password: String? = nil,
        authMechanisms: [AuthMechanism] = [.plain, .login],
        heloName: String = "localhost",
        timeout: Duration = .seconds(30),
        tlsTrustRoots: NIOSSLTrustRoots = .default,
        certificateVerification: CertificateVerification = .fullVerification
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.authMechanisms = authMechanisms
        self.heloName = heloName
        self.timeout = timeout
        self.tlsTrustRoots = tlsTrustRoots
        self.certificateVerification = certificateVerification
    }
}
