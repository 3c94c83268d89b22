import Vapor

/// Errors of the kickoff: personal event links, the shortlist and changes to an event that has begun or ended.
enum KickoffError: PageError, Equatable {
    case eventLinkUnknown
    case eventLinkExpired
    case eventLinkOtherPerson
    case shortlistNotOpen
    case shortlistDeadlinePassed
    case closed
    case started
    case over

    var status: HTTPResponseStatus {
        switch self {
        case .eventLinkUnknown: .notFound
        case .eventLinkExpired: .gone
        case .eventLinkOtherPerson, .shortlistNotOpen, .shortlistDeadlinePassed, .closed, .started, .over: .conflict
        }
    }

    var messageKey: String {
        switch self {
        case .eventLinkUnknown: "event.link.unknown"
        case .eventLinkExpired: "event.link.expired"
        case .eventLinkOtherPerson: "event.link.otherPerson"
        case .shortlistNotOpen: "shortlist.notOpen"
        case .shortlistDeadlinePassed: "shortlist.deadlinePassed"
        case .closed: "kickoff.closedAlready"
        case .started: "kickoff.startedAlready"
        case .over: "kickoff.overAlready"
        }
    }
}
