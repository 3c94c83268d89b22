import Vapor

/// An error a person can meet, shown by the error-page middleware as a page with the HTTP status and the
/// catalogue text in the person's language. A phase has its own type in its folder (`IntakeError`,
/// `KickoffError`); ``AppError`` holds those of the site as a whole (sign-in, access, CSRF).
protocol PageError: AbortError {
    /// Catalogue key of the explanation shown on the error page.
    var messageKey: String { get }
    /// Values for the placeholders of the message (`{1}`, …), e.g. what changed meanwhile.
    var messageArguments: [String] { get }
    /// A page to go back to from the error page (a button with the catalogue text `labelKey`), if the error
    /// belongs to one.
    var backLink: (href: String, labelKey: String)? { get }
}

extension PageError {
    var reason: String { messageKey }
    var messageArguments: [String] { [] }
    var backLink: (href: String, labelKey: String)? { nil }
}

/// Errors of the site as a whole.
enum AppError: PageError, Equatable {
    case signInRequired
    case forbidden
    case csrfFailed
    case notFound
    case invalidEmail
    case loginLinkUnknown
    case loginLinkExpired
    case loginLinkUsed
    case wrongPassword
    case passwordTooShort
    case wrongPhase

    var status: HTTPResponseStatus {
        switch self {
        case .signInRequired: .unauthorized
        case .forbidden, .csrfFailed: .forbidden
        case .notFound, .loginLinkUnknown: .notFound
        case .loginLinkExpired, .loginLinkUsed: .gone
        case .invalidEmail, .passwordTooShort: .badRequest
        case .wrongPassword: .unauthorized
        case .wrongPhase: .conflict
        }
    }

    /// Catalogue key of the explanation shown on the error page.
    var messageKey: String {
        switch self {
        case .signInRequired: "error.signInRequired"
        case .forbidden: "error.403.text"
        case .csrfFailed: "error.csrf"
        case .notFound: "error.404.text"
        case .invalidEmail: "error.invalidEmail"
        case .loginLinkUnknown: "login.link.unknown"
        case .loginLinkExpired: "login.link.expired"
        case .loginLinkUsed: "login.link.used"
        case .wrongPassword: "login.password.wrong"
        case .passwordTooShort: "account.password.tooShort"
        case .wrongPhase: "error.wrongPhase"
        }
    }
}
