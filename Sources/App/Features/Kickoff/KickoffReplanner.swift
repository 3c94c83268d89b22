import Fluent
import Foundation
import Mentoring
import Vapor

/// Re-planning during the event, the parts that do not need the hub: which rounds are still open, computing
/// the plan for the people present (off the hub: a plan for 2,000 people takes a moment, and meanwhile the
/// clock keeps ticking and switches go out on time), merging it with the talks already held, and storing it.
/// `KickoffHub.replanForPresent` decides when, and applies the result to its room.
enum KickoffReplanner {
    /// A plan computed for the rounds from `firstOpenRound` on, not yet stored.
    struct Computed: Sendable {
        let kickoff: Kickoff
        let proposal: KickoffPlanning.Proposal
    }

    /// The first round that has not begun in `state`: the first one a re-plan may change (rounds + 1: none).
    static func firstOpenRound(in state: KickoffTimeline.State, rounds: Int) -> Int {
        switch state {
        case .talking(let round, _), .paused(let round, _, false): round + 1
        case .between(let next, _), .paused(let next, _, true): next
        case .notStarted: 1
        case .finished: rounds + 1
        }
    }

    /// Plans the rounds from `firstOpenRound` on without the `absent` people; nil if the kickoff is gone.
    static func compute(
        kickoffID: UUID, firstOpenRound: Int, absent: Set<UUID>, on db: any Database
    ) async throws -> Computed? {
        guard let kickoff = try await Kickoff.find(kickoffID, on: db) else { return nil }
        let proposal = try await KickoffPlanning.propose(
            kickoff: kickoff, on: db, firstOpenRound: firstOpenRound, absent: absent)
        return Computed(kickoff: kickoff, proposal: proposal)
    }

    /// The talks before the first open round as they were, the new plan from there on (both directions).
    static func merge(_ before: [Int: [UUID: UUID]], with computed: Computed) -> [Int: [UUID: UUID]] {
        let firstOpen = computed.proposal.firstOpenRound
        var meetings = before.filter { $0.key < firstOpen }
        for talk in computed.proposal.talks {
            meetings[talk.round, default: [:]][talk.mentee] = talk.mentor
            meetings[talk.round, default: [:]][talk.mentor] = talk.mentee
        }
        return meetings
    }

    static func store(_ computed: Computed, on db: any Database, now: Date) async throws {
        try await KickoffPlanning.store(computed.proposal, kickoff: computed.kickoff, on: db, now: now)
    }
}

extension KickoffHub {
    /// Re-plans the rounds not yet begun for the people present now, keeping the talks already held.
    /// Runs by itself shortly before the start and at every break; organisers can also trigger it. The plan is
    /// computed off the hub (the clock keeps ticking and switches go out on time meanwhile); it is used only
    /// if the first round it replaces has not begun by then, so nobody's partner changes during a talk.
    @discardableResult
    func replanForPresent(kickoffID: UUID, on db: any Database, force: Bool = false) async throws -> Bool {
        guard let room = rooms[kickoffID] else { return false }
        while room.replanning { try await Task.sleep(for: .milliseconds(20)) }
        room.replanning = true
        defer { room.replanning = false }

        let now = clock()
        let present = room.present(at: now, grace: presenceGrace)
        let planned = room.plannedFor ?? Set(room.cards.keys)
        // Nobody here yet (e.g. the organiser started an empty room): keep the plan rather than empty it.
        guard force || (present != planned && !present.isEmpty) else { return false }
        let rounds = room.timeline.settings.rounds
        let firstOpen = KickoffReplanner.firstOpenRound(in: room.timeline.state(at: now), rounds: rounds)
        guard firstOpen <= rounds else { return false }
        let absent = Set(room.cards.keys).subtracting(present)
        let started = clock()
        guard
            let computed = try await KickoffReplanner.compute(
                kickoffID: kickoffID, firstOpenRound: firstOpen, absent: absent, on: db)
        else { return false }
        guard room.timeline.roundsBegun(at: clock()) < firstOpen else {
            logger.warning(
                "Re-plan dropped: round \(firstOpen) began while it was computed",
                metadata: [
                    "kickoff": "\(kickoffID)", "seconds": "\(clock().timeIntervalSince(started))",
                ])
            return false
        }
        // In memory first (what the event runs on), then stored; people whose partner on screen changed
        // are told now, everybody else sees the new plan at the next switch.
        let before = room.meetings, plannedBefore = room.plannedFor
        let meetings = KickoffReplanner.merge(before, with: computed)
        room.meetings = meetings
        room.plannedFor = present
        notifyPartnerChanges(room, from: before)
        do {
            try await KickoffReplanner.store(computed, on: db, now: clock())
        } catch {
            room.meetings = before
            room.plannedFor = plannedBefore
            notifyPartnerChanges(room, from: meetings)
            throw error
        }
        logger.notice(
            "Kickoff re-planned for the people present",
            metadata: [
                "kickoff": "\(kickoffID)", "from_round": "\(firstOpen)", "present": "\(present.count)",
                "absent": "\(absent.count)",
                "seconds": "\(clock().timeIntervalSince(started))",
            ])
        return true
    }

    /// Sends the current state to everybody whose partner for the round on screen differs from `old`.
    private func notifyPartnerChanges(_ room: KickoffRoom, from old: [Int: [UUID: UUID]]) {
        guard let round = room.timeline.state(at: clock()).round else { return }
        let connected = room.connectedParticipants
        for (userID, sockets) in room.sockets where old[round]?[userID] != room.meetings[round]?[userID] {
            send(.state(room.state(for: userID, at: clock(), connected: connected)), to: sockets)
        }
    }

    /// Shortly before a scheduled start, once: the no-shows are planned out before round 1 shows partners.
    func replanBeforeStartIfDue(_ room: KickoffRoom, kickoffID: UUID) {
        let now = clock()
        guard let startsAt = room.timeline.startsAt, startsAt > now, room.replannedBeforeStart != startsAt,
            startsAt.timeIntervalSince(now) <= Self.replanBeforeStart
        else { return }
        room.replannedBeforeStart = startsAt
        replanInBackground(room, kickoffID: kickoffID)
    }

    /// Starts an automatic re-plan without waiting for it (skipped while one runs).
    func replanInBackground(_ room: KickoffRoom, kickoffID: UUID) {
        guard !room.replanning, let db = database() else { return }
        Task {
            do { try await self.replanForPresent(kickoffID: kickoffID, on: db) } catch {
                self.logger.error(
                    "Automatic re-plan failed; the plan stays",
                    metadata: ["kickoff": "\(kickoffID)", "error": "\(error)"])
            }
        }
    }
}
