import Foundation
import Mentoring
import Vapor

/// The organiser's controls (start, pause, …), shown at the top of the kickoff page and in the live view.
struct ControlRoom: Encodable {
    struct Action: Encodable {
        let value: String
        let label: String
    }
    let state: String?
    let action: String
    /// Where the form returns: "live" (the live view) or "plan" (the kickoff page).
    let returnTo: String
    let actions: [Action]

    static let actionValues = ["startInAMinute", "start", "pause", "resume", "extend", "replan", "end"]

    static func make(programmeID: UUID, state: String?, returnTo: String, req: Request) -> ControlRoom {
        ControlRoom(
            state: state, action: "/organiser/programmes/\(programmeID)/kickoff/control", returnTo: returnTo,
            actions: actionValues.map { .init(value: $0, label: req.t("live.action.\($0)")) })
    }
}

/// What may still change about a kickoff. Who met whom is a record: shortlists, ratings and the pairing
/// rely on it, so nothing may rewrite a round that has begun.
enum KickoffRecord {
    enum Change {
        /// Timing and a whole new plan from round 1: only before the event begins.
        case settingsOrWholePlan
        /// Exclusions, controls and re-planning the rounds still open: until the event is over.
        case openRounds
    }

    /// Throws the error that explains why `change` would rewrite the past, or returns when it may go ahead.
    static func ensure(_ change: Change, _ kickoff: Kickoff, now: Date) throws {
        if kickoff.closedAt != nil { throw AppError.kickoffClosed }
        let state = try kickoff.timeline().state(at: now)
        if state == .finished { throw AppError.kickoffOver }
        if change == .settingsOrWholePlan, state != .notStarted { throw AppError.kickoffStarted }
    }
}
