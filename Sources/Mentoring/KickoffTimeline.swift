import Foundation

/// The kickoff's clock, as a pure state machine. The server is the only clock: every client shows what
/// `state(at:)` says for the server's time (corrected by the client's measured offset).
///
/// Rounds run back to back with a short break between them. Organisers can start, pause, resume, extend the
/// current round and end the event; every control is an event with a time, so the state at any moment follows
/// from the events alone (and survives restarts when the events are stored).
public struct KickoffTimeline: Sendable, Equatable {
    public struct Settings: Sendable, Equatable {
        public var rounds: Int
        public var roundSeconds: Int
        public var breakSeconds: Int

        public init(rounds: Int, roundSeconds: Int, breakSeconds: Int) {
            self.rounds = rounds
            self.roundSeconds = roundSeconds
            self.breakSeconds = breakSeconds
        }
    }

    public enum Control: Sendable, Equatable, Codable {
        case start(at: Date)
        case pause(at: Date)
        case resume(at: Date)
        /// Adds seconds to the round running (or paused) at `at`.
        case extend(seconds: Int, at: Date)
        case end(at: Date)

        public var time: Date {
            switch self {
            case .start(let at), .pause(let at), .resume(let at), .extend(_, let at), .end(let at): at
            }
        }
    }

    public enum State: Sendable, Equatable {
        case notStarted
        /// `round` is 1-based; `remaining` seconds until it ends.
        case talking(round: Int, remaining: Int)
        /// Between rounds; `nextRound` starts in `remaining` seconds.
        case between(nextRound: Int, remaining: Int)
        case paused(round: Int, remaining: Int, inBreak: Bool)
        case finished

        /// The round whose partner should be shown (the next one during a break).
        public var round: Int? {
            switch self {
            case .talking(let round, _), .paused(let round, _, _): round
            case .between(let next, _): next
            case .notStarted, .finished: nil
            }
        }
    }

    public enum ControlError: Error, Equatable, Sendable {
        case notStarted, alreadyStarted, notPaused, alreadyPaused, finished, invalidExtension, outOfOrder
    }

    public let settings: Settings
    public private(set) var controls: [Control] = []

    public init(settings: Settings, controls: [Control] = []) throws(ControlError) {
        self.settings = settings
        for control in controls { try apply(control) }
    }

    /// Applies an organiser's control, refusing ones that make no sense now (so nothing changes).
    public mutating func apply(_ control: Control) throws(ControlError) {
        if let last = controls.last, control.time < last.time { throw .outOfOrder }
        let now = state(at: control.time)
        switch (control, now) {
        case (_, .finished): throw .finished
        case (.start, .notStarted): break
        case (.start, _): throw .alreadyStarted
        case (_, .notStarted): throw .notStarted
        case (.pause, .paused): throw .alreadyPaused
        case (.pause, _): break
        case (.resume, .paused): break
        case (.resume, _): throw .notPaused
        case (.extend(let seconds, _), _) where seconds <= 0 || seconds > 3600: throw .invalidExtension
        case (.extend, .talking), (.extend, .paused(_, _, false)): break
        case (.extend, _): throw .invalidExtension
        case (.end, _): break
        }
        controls.append(control)
    }

    /// The state at `time`.
    public func state(at time: Date) -> State { evaluate(at: time).state }

    /// How many rounds have begun talking by `time` (0 before the start). Talks of these rounds count as held:
    /// they stay when the remaining rounds are re-planned, may be rated, and their partners may be shortlisted.
    public func roundsBegun(at time: Date) -> Int {
        switch state(at: time) {
        case .notStarted: return 0
        case .talking(let round, _), .paused(let round, _, false): return round
        case .between(let next, _), .paused(let next, _, true): return next - 1
        case .finished:
            // Ended early by the organiser: the rounds begun until that moment.
            if case .end(let at)? = controls.last, at <= time {
                return roundsBegun(at: at.addingTimeInterval(-0.001))
            }
            return settings.rounds
        }
    }

    /// When the clock starts (or started): the time of the start control, nil before one is given.
    public var startsAt: Date? {
        if case .start(let at)? = controls.first { return at }
        return nil
    }

    /// Whether the event has ended (all rounds over, or ended by the organiser).
    public func isFinished(at time: Date) -> Bool { state(at: time) == .finished }

    /// When the current round or break ends, while the clock runs (nil before the start, while paused and
    /// after the end). The server pushes the next state to every client at that moment.
    public func nextSwitch(after time: Date) -> Date? {
        let (state, exact) = evaluate(at: time)
        switch state {
        case .talking, .between: return exact.map { time.addingTimeInterval($0) }
        case .notStarted, .paused, .finished: return nil
        }
    }

    private func evaluate(at time: Date) -> (state: State, exactRemaining: TimeInterval?) {
        guard case .start(let startedAt)? = controls.first, time >= startedAt else { return (.notStarted, nil) }
        // Elapsed "running" seconds since start, minus pauses, plus the extensions granted to each round.
        var running: TimeInterval = 0
        var cursor = startedAt
        var paused = false
        var extensions: [Int: Int] = [:]
        for control in controls.dropFirst() where control.time <= time {
            switch control {
            case .pause(let at):
                running += at.timeIntervalSince(cursor)
                paused = true
            case .resume(let at):
                cursor = at
                paused = false
            case .extend(let seconds, let at):
                let elapsed = running + (paused ? 0 : at.timeIntervalSince(cursor))
                if let round = position(elapsed: elapsed, extensions: extensions).round {
                    extensions[round, default: 0] += seconds
                }
            case .end:
                return (.finished, nil)
            case .start:
                break
            }
        }
        if !paused { running += time.timeIntervalSince(cursor) }
        let position = position(elapsed: running, extensions: extensions)
        guard let round = position.round else { return (.finished, nil) }
        let remaining = Int(position.remaining.rounded(.up))
        if paused {
            return (.paused(round: round, remaining: remaining, inBreak: position.inBreak), position.remaining)
        }
        return (
            position.inBreak
                ? .between(nextRound: round, remaining: remaining) : .talking(round: round, remaining: remaining),
            position.remaining
        )
    }

    /// Where `elapsed` running seconds fall: in round r (talking), or in the break before round r.
    private func position(
        elapsed: TimeInterval, extensions: [Int: Int]
    ) -> (round: Int?, remaining: TimeInterval, inBreak: Bool) {
        var offset: TimeInterval = 0
        for round in 1...max(1, settings.rounds) {
            if round > 1 {
                let breakEnd = offset + TimeInterval(settings.breakSeconds)
                if elapsed < breakEnd { return (round, breakEnd - elapsed, true) }
                offset = breakEnd
            }
            let roundEnd = offset + TimeInterval(settings.roundSeconds + extensions[round, default: 0])
            if elapsed < roundEnd { return (round, roundEnd - elapsed, false) }
            offset = roundEnd
        }
        return (nil, 0, false)
    }
}
