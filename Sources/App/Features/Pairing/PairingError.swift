import Vapor

/// Errors of the pairing phase: edits on an outdated board, edits the rules refuse, and partners' answers that
/// come too late or twice. Every one leaves the data as it was.
enum PairingError: PageError, Equatable {
    /// Another organiser changed the board since this page was loaded: what, who, when.
    case boardChanged(change: String, by: String, at: String, board: String)
    case unknownTandem
    case notDraft
    case alreadyPaired
    case pinsConflict(String)
    case notPartner
    case withdrawn
    case alreadyAnswered
    case notActive
    case reasonMissing
    case reasonTooLong(Int)

    var status: HTTPResponseStatus {
        switch self {
        case .unknownTandem: .notFound
        case .notPartner: .forbidden
        case .reasonMissing, .reasonTooLong: .unprocessableEntity
        default: .conflict
        }
    }

    var messageKey: String {
        switch self {
        case .boardChanged: "pairing.error.boardChanged"
        case .unknownTandem: "pairing.error.unknownTandem"
        case .notDraft: "pairing.error.notDraft"
        case .alreadyPaired: "pairing.error.alreadyPaired"
        case .pinsConflict: "pairing.error.pinsConflict"
        case .notPartner: "error.403.text"
        case .withdrawn: "tandem.error.withdrawn"
        case .alreadyAnswered: "tandem.error.alreadyAnswered"
        case .notActive: "tandem.error.notActive"
        case .reasonMissing: "tandem.error.reasonMissing"
        case .reasonTooLong: "tandem.error.reasonTooLong"
        }
    }

    /// The board, reloaded, after an edit on an outdated page.
    var backLink: (href: String, labelKey: String)? {
        if case .boardChanged(_, _, _, let board) = self { return (board, "pairing.error.backToBoard") }
        return nil
    }

    var messageArguments: [String] {
        switch self {
        case .boardChanged(let change, let by, let at, _): [change, by, at]
        case .pinsConflict(let detail): [detail]
        case .reasonTooLong(let limit): [String(limit)]
        default: []
        }
    }
}
