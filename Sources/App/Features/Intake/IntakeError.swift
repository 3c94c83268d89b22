import Vapor

/// Errors of the intake: registrations through an invitation or the programme-wide link.
enum IntakeError: PageError, Equatable {
    /// The person has already registered for, or takes part in, the programme.
    case alreadyRegistered

    var status: HTTPResponseStatus {
        switch self {
        case .alreadyRegistered: .conflict
        }
    }

    var messageKey: String {
        switch self {
        case .alreadyRegistered: "registration.already"
        }
    }
}
