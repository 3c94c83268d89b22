import Vapor

/// Errors of the tandem space and the organisers' tandem pages. Every one leaves the data as it was; another
/// tandem's things answer 403 without saying whether they exist.
enum TandemError: PageError, Equatable {
    case notPartner
    case notYetActive
    case readOnly
    case meetingInPast
    case meetingBeforeStart
    case meetingAfterEnd(String)
    case badMeetingTime
    case badLength
    case fieldMissing(String)
    case tooLong(field: String, limit: Int)
    case badDate(String)
    case nothingToConfirm
    case ownProposal
    case meetingNotOpen
    case notYetHeld
    case meetingBegun
    case closingNotYet
    case changedMeanwhile
    case unknownFeed
    case feedRevoked
    case notEnded
    case badPrompt(month: Int, why: String)

    var status: HTTPResponseStatus {
        switch self {
        case .notPartner: .forbidden
        case .unknownFeed: .notFound
        case .feedRevoked: .gone
        case .readOnly, .notYetActive, .nothingToConfirm, .ownProposal, .meetingNotOpen, .notYetHeld, .notEnded,
            .changedMeanwhile, .meetingBegun, .closingNotYet:
            .conflict
        default: .unprocessableEntity
        }
    }

    var messageKey: String {
        switch self {
        case .notPartner: "error.403.text"
        case .notYetActive: "space.error.notYetActive"
        case .readOnly: "space.error.readOnly"
        case .meetingInPast: "space.error.meetingInPast"
        case .meetingBeforeStart: "space.error.meetingBeforeStart"
        case .meetingAfterEnd: "space.error.meetingAfterEnd"
        case .badMeetingTime: "space.error.badMeetingTime"
        case .badLength: "space.error.badLength"
        case .fieldMissing: "space.error.fieldMissing"
        case .tooLong: "space.error.tooLong"
        case .badDate: "space.error.badDate"
        case .nothingToConfirm: "space.error.nothingToConfirm"
        case .ownProposal: "space.error.ownProposal"
        case .meetingNotOpen: "space.error.meetingNotOpen"
        case .notYetHeld: "space.error.notYetHeld"
        case .meetingBegun: "space.error.meetingBegun"
        case .closingNotYet: "space.error.closingNotYet"
        case .changedMeanwhile: "space.error.changedMeanwhile"
        case .unknownFeed: "feed.error.unknown"
        case .feedRevoked: "feed.error.revoked"
        case .notEnded: "care.error.notEnded"
        case .badPrompt: "prompts.error.bad"
        }
    }

    var messageArguments: [String] {
        switch self {
        case .meetingAfterEnd(let end): [end]
        case .fieldMissing(let field): [field]
        case .tooLong(let field, let limit): [field, String(limit)]
        case .badDate(let field): [field]
        case .badPrompt(let month, let why): [String(month), why]
        default: []
        }
    }
}
