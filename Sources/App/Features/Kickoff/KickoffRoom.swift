import Foundation
import Mentoring
import Vapor

/// One live event in memory: its plan, its people, who is connected. Owned by `KickoffHub` and only ever
/// touched on it (not `Sendable`: the compiler keeps it there); what leaves the hub are values (`StateMessage`).
final class KickoffRoom {
    var timeline: KickoffTimeline
    var meetings: [Int: [UUID: UUID]]  // round → person → partner (both directions)
    var cards: [UUID: KickoffHub.Card]
    var mentees: Set<UUID>
    var sockets: [UUID: [WebSocket]] = [:]
    var ticker: Task<Void, Never>?
    /// When each person's last connection closed, so a reload is not taken for leaving.
    var lastSeen: [UUID: Date] = [:]
    var checkedIn: Set<UUID> = []
    /// Organisers watching; only they get the presence list.
    var organisers: Set<UUID> = []
    /// The participants the current plan was made for (nil: everybody, as planned before the event).
    var plannedFor: Set<UUID>?
    var meetingLinkTemplate: MeetingLinkTemplate?
    var roomSecret = ""
    /// Organisers' presence lists are pushed at most once a second (not on every one of 2,000 connects).
    var presenceDirty = false
    var presencePushedAt = Date.distantPast
    /// One re-plan at a time; reloads wait until its write is done.
    var replanning = false
    /// The start instant the pre-start re-plan was made for (it runs once per start).
    var replannedBeforeStart: Date?

    init(_ loaded: KickoffRoomLoader.Loaded) {
        timeline = loaded.timeline
        meetings = loaded.meetings
        cards = loaded.cards
        mentees = loaded.mentees
        apply(loaded)
    }

    /// Takes over what was read from the database (a reload keeps the connections and the clock).
    func apply(_ loaded: KickoffRoomLoader.Loaded) {
        timeline = loaded.timeline
        meetings = loaded.meetings
        cards = loaded.cards
        mentees = loaded.mentees
        checkedIn = loaded.checkedIn
        meetingLinkTemplate = loaded.meetingLinkTemplate
        roomSecret = loaded.roomSecret
    }

    var connectedParticipants: Int {
        sockets.keys.reduce(0) { $0 + (cards[$1] == nil ? 0 : 1) }
    }

    /// Participants connected now or whose last connection closed less than `grace` ago.
    func present(at now: Date, grace: TimeInterval) -> Set<UUID> {
        Set(
            cards.keys.filter { id in
                sockets[id]?.isEmpty == false || lastSeen[id].map { now.timeIntervalSince($0) < grace } == true
            })
    }

    /// Changes whenever the phase or the round does: the clock pushes a new state then.
    func phaseKey(at now: Date) -> String {
        switch timeline.state(at: now) {
        case .notStarted: "notStarted"
        case .talking(let round, _): "talking-\(round)"
        case .between(let round, _): "between-\(round)"
        case .paused(let round, _, _): "paused-\(round)"
        case .finished: "finished"
        }
    }

    /// How long the clock sleeps: 50 ms, but never past the next switch (it is seen within a few ms).
    func pollDelay(at now: Date) -> TimeInterval {
        let startsAt = timeline.startsAt.flatMap { $0 > now ? $0 : nil }
        guard let next = timeline.nextSwitch(after: now) ?? startsAt else { return 0.05 }
        return min(0.05, max(0.002, next.timeIntervalSince(now) + 0.002))
    }

    /// What `userID` is told at `now`.
    func state(for userID: UUID, at now: Date, connected: Int? = nil) -> KickoffHub.StateMessage {
        let state = timeline.state(at: now)
        let phase: String, remaining: Int?
        switch state {
        case .notStarted: (phase, remaining) = ("notStarted", nil)
        case .talking(_, let left): (phase, remaining) = ("talking", left)
        case .between(_, let left): (phase, remaining) = ("between", left)
        case .paused(_, let left, _): (phase, remaining) = ("paused", left)
        case .finished: (phase, remaining) = ("finished", nil)
        }
        let milliseconds = KickoffHub.milliseconds
        let endsAt =
            timeline.nextSwitch(after: now).map(milliseconds) ?? remaining.map { milliseconds(now) + Int64($0) * 1000 }
        let partnerID = state.round.flatMap { meetings[$0]?[userID] }
        var meetingLink: String?
        if let template = meetingLinkTemplate, let partnerID, let round = state.round {
            let mentee = mentees.contains(userID) ? userID : partnerID
            let mentor = mentee == userID ? partnerID : userID
            meetingLink = template.link(
                room: KickoffHub.roomName(secret: roomSecret, mentee: mentee, mentor: mentor), round: round)
        }
        // The last talk that is over: rateable from the moment it ends.
        let begun = timeline.roundsBegun(at: now)
        let lastOver: Int? =
            switch state {
            case .talking(let round, _), .paused(let round, _, false): round > 1 ? round - 1 : nil
            case .notStarted: nil
            default: begun > 0 ? begun : nil
            }
        let previous = lastOver.flatMap { round in
            meetings[round]?[userID].flatMap { cards[$0] }.map { KickoffHub.PreviousTalk(round: round, partner: $0) }
        }
        return KickoffHub.StateMessage(
            serverTime: milliseconds(now), phase: phase, round: state.round, rounds: timeline.settings.rounds,
            // Before the start: when a scheduled start (e.g. "in 1 minute") begins, for the lobby's countdown.
            endsAt: phase == "finished" ? nil : phase == "notStarted" ? timeline.startsAt.map(milliseconds) : endsAt,
            partner: partnerID.flatMap { cards[$0] },
            caller: mentees.contains(userID), connected: connected ?? connectedParticipants,
            meetingLink: meetingLink, previous: previous, checkedIn: checkedIn.contains(userID),
            presence: organisers.contains(userID) ? presence() : nil)
    }

    /// Organisers only: everybody taking part, by role and name.
    private func presence() -> [KickoffHub.PresenceRow] {
        cards.sorted { ($0.value.role, $0.value.name) < ($1.value.role, $1.value.name) }.map { id, card in
            KickoffHub.PresenceRow(
                name: card.name, role: card.role, connected: sockets[id]?.isEmpty == false,
                checkedIn: checkedIn.contains(id))
        }
    }
}
