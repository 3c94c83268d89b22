import Vapor

/// Errors a person can meet while using the site. Each has an HTTP status and a catalogue key for a
/// message in the person's language.
enum AppError: Error, Equatable {
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
    case alreadyRegistered
    case eventLinkUnknown
    case eventLinkExpired
    case eventLinkOtherPerson
    case shortlistNotOpen
    case shortlistDeadlinePassed
    case kickoffClosed
    case kickoffStarted
    case kickoffOver

    var status: HTTPResponseStatus {
        switch self {
        case .signInRequired: .unauthorized
        case .forbidden, .csrfFailed: .forbidden
        case .notFound, .loginLinkUnknown: .notFound
        case .loginLinkExpired, .loginLinkUsed: .gone
        case .invalidEmail, .passwordTooShort: .badRequest
        case .wrongPassword: .unauthorized
        case .wrongPhase, .alreadyRegistered: .conflict
        case .eventLinkUnknown: .notFound
        case .eventLinkExpired: .gone
        case .eventLinkOtherPerson, .shortlistNotOpen, .shortlistDeadlinePassed, .kickoffClosed, .kickoffStarted,
            .kickoffOver:
            .conflict
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
        case .alreadyRegistered: "registration.already"
        case .eventLinkUnknown: "event.link.unknown"
        case .eventLinkExpired: "event.link.expired"
        case .eventLinkOtherPerson: "event.link.otherPerson"
        case .shortlistNotOpen: "shortlist.notOpen"
        case .shortlistDeadlinePassed: "shortlist.deadlinePassed"
        case .kickoffClosed: "kickoff.closedAlready"
        case .kickoffStarted: "kickoff.startedAlready"
        case .kickoffOver: "kickoff.overAlready"
        }
    }
}

extension AppError: AbortError {
    var reason: String { messageKey }
}
