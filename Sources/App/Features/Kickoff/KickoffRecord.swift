import Foundation
import Mentoring
import Vapor

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
        if kickoff.closedAt != nil { throw KickoffError.closed }
        let state = try kickoff.timeline().state(at: now)
        if state == .finished { throw KickoffError.over }
        if change == .settingsOrWholePlan, state != .notStarted { throw KickoffError.started }
    }
}
