import Fluent
import Foundation
import Mentoring
import Vapor

/// The live kickoff: one room per event with the people connected over WebSockets. The server is the clock:
/// it tells every client the state with its own time, and pushes the next state the moment a round switches.
/// It also relays WebRTC signalling, but only between the two partners of the current round.
actor KickoffHub {
    struct Card: Codable, Sendable, Equatable {
        let id: String
        let name: String
        let role: String
        let topics: [String]
    }

    /// What a client is told. Times are the server's, in milliseconds since 1970.
    struct StateMessage: Codable, Sendable, Equatable {
        var type = "state"
        let serverTime: Int64
        let phase: String
        let round: Int?
        let rounds: Int
        let endsAt: Int64?
        let partner: Card?
        /// The mentee calls, the mentor answers: exactly one side makes the WebRTC offer.
        let caller: Bool
        let connected: Int
    }

    final class Room: @unchecked Sendable {
        var timeline: KickoffTimeline
        var meetings: [Int: [UUID: UUID]]  // round → person → partner (both directions)
        var cards: [UUID: Card]
        var mentees: Set<UUID>
        var sockets: [UUID: [WebSocket]] = [:]
        var ticker: Task<Void, Never>?

        init(timeline: KickoffTimeline, meetings: [Int: [UUID: UUID]], cards: [UUID: Card], mentees: Set<UUID>) {
            self.timeline = timeline
            self.meetings = meetings
            self.cards = cards
            self.mentees = mentees
        }
    }

    private var rooms: [UUID: Room] = [:]
    private let clock: @Sendable () -> Date

    init(clock: @escaping @Sendable () -> Date = { Date() }) {
        self.clock = clock
    }

    // MARK: Rooms

    /// Loads (or reloads, after a re-plan) the event's plan and people.
    func load(kickoffID: UUID, on db: any Database) async throws -> Room {
        guard let kickoff = try await Kickoff.find(kickoffID, on: db) else { throw AppError.notFound }
        let meetings = try await KickoffMeeting.query(on: db).filter(\.$kickoff.$id == kickoffID).all()
        let programmeID = kickoff.$programme.id
        let participations = try await Participation.query(on: db).filter(\.$programme.$id == programmeID).with(\.$user).all()
        let registrations = try await MenteeRegistration.query(on: db).filter(\.$programme.$id == programmeID).all()
        let applications = try await MentorApplicationRecord.query(on: db).filter(\.$programme.$id == programmeID).all()
        var cards: [UUID: Card] = [:]
        var mentees = Set<UUID>()
        for participation in participations {
            let user = participation.user
            guard let id = user.id else { continue }
            let topics = participation.role == .mentee
                ? registrations.first { $0.$user.id == id }.flatMap { JSONText.decode([String].self, $0.topicsJSON) } ?? []
                : applications.first { $0.$user.id == id }?.expertiseTopics ?? []
            cards[id] = Card(id: id.uuidString, name: user.name, role: participation.role.rawValue, topics: topics)
            if participation.role == .mentee { mentees.insert(id) }
        }
        var plan: [Int: [UUID: UUID]] = [:]
        for meeting in meetings {
            plan[meeting.round, default: [:]][meeting.$mentee.id] = meeting.$mentor.id
            plan[meeting.round, default: [:]][meeting.$mentor.id] = meeting.$mentee.id
        }
        let timeline = try kickoff.timeline()
        let room = rooms[kickoffID] ?? Room(timeline: timeline, meetings: plan, cards: cards, mentees: mentees)
        room.timeline = timeline
        room.meetings = plan
        room.cards = cards
        room.mentees = mentees
        rooms[kickoffID] = room
        return room
    }

    func isParticipant(_ userID: UUID, kickoffID: UUID) -> Bool {
        rooms[kickoffID]?.cards[userID] != nil
    }

    // MARK: Connections

    func connect(_ socket: WebSocket, userID: UUID, kickoffID: UUID) async {
        guard let room = rooms[kickoffID] else { return }
        room.sockets[userID, default: []].append(socket)
        await send(state(for: userID, in: room), to: [socket])
        await broadcastCounts(room)
    }

    func disconnect(_ socket: WebSocket, userID: UUID, kickoffID: UUID) async {
        guard let room = rooms[kickoffID] else { return }
        room.sockets[userID]?.removeAll { $0 === socket }
        if room.sockets[userID]?.isEmpty == true { room.sockets[userID] = nil }
        await broadcastCounts(room)
    }

    func connectedCount(kickoffID: UUID) -> Int { rooms[kickoffID]?.sockets.count ?? 0 }

    /// Handles a client's message: clock pings and WebRTC signalling for the current partner.
    func received(_ text: String, from userID: UUID, socket: WebSocket, kickoffID: UUID) async {
        guard let room = rooms[kickoffID],
              let message = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let type = message["type"] as? String
        else { return }
        switch type {
        case "ping":
            let reply: [String: Any] = ["type": "pong", "t": message["t"] ?? 0, "serverTime": Self.milliseconds(clock())]
            if let data = try? JSONSerialization.data(withJSONObject: reply) {
                try? await socket.send(String(decoding: data, as: UTF8.self))
            }
        case "signal":
            let state = room.timeline.state(at: clock())
            guard let round = state.round, let partner = room.meetings[round]?[userID], let payload = message["data"] else { return }
            let relay: [String: Any] = ["type": "signal", "round": round, "data": payload]
            guard let data = try? JSONSerialization.data(withJSONObject: relay) else { return }
            let text = String(decoding: data, as: UTF8.self)
            for partnerSocket in room.sockets[partner] ?? [] { try? await partnerSocket.send(text) }
        default:
            break
        }
    }

    // MARK: Clock

    /// Applies an organiser's control, stores it, tells everybody and re-arms the round switch.
    func control(_ control: KickoffTimeline.Control, kickoffID: UUID, on db: any Database) async throws {
        let room = try await load(kickoffID: kickoffID, on: db)
        var timeline = room.timeline
        try timeline.apply(control)
        guard let kickoff = try await Kickoff.find(kickoffID, on: db) else { throw AppError.notFound }
        kickoff.controlsJSON = JSONText.encode(timeline.controls)
        try await kickoff.save(on: db)
        room.timeline = timeline
        await broadcastState(room)
        arm(room)
    }

    /// Current time, for controls (injectable in tests).
    func now() -> Date { clock() }

    /// Watches the clock for the room and pushes the new state the moment the phase or round changes.
    /// A short poll (every 50 ms, one cheap computation) is simpler and more robust than sleeping until a
    /// computed instant, and bounds the switch latency to 50 ms plus sending.
    private func arm(_ room: Room) {
        room.ticker?.cancel()
        room.ticker = Task { [weak self] in
            var last = await self?.phaseKey(room)
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(50))
                guard let self else { return }
                let key = await self.phaseKey(room)
                if key != last {
                    last = key
                    await self.broadcastState(room)
                }
                if key == "finished" { return }
            }
        }
    }

    private func phaseKey(_ room: Room) -> String {
        switch room.timeline.state(at: clock()) {
        case .notStarted: "notStarted"
        case .talking(let round, _): "talking-\(round)"
        case .between(let round, _): "between-\(round)"
        case .paused(let round, _, _): "paused-\(round)"
        case .finished: "finished"
        }
    }

    func state(for userID: UUID, in room: Room) -> StateMessage {
        let now = clock()
        let state = room.timeline.state(at: now)
        let phase: String, remaining: Int?
        switch state {
        case .notStarted: (phase, remaining) = ("notStarted", nil)
        case .talking(_, let left): (phase, remaining) = ("talking", left)
        case .between(_, let left): (phase, remaining) = ("between", left)
        case .paused(_, let left, _): (phase, remaining) = ("paused", left)
        case .finished: (phase, remaining) = ("finished", nil)
        }
        let endsAt = room.timeline.nextSwitch(after: now).map(Self.milliseconds)
            ?? remaining.map { Self.milliseconds(now) + Int64($0) * 1000 }
        let partner = state.round.flatMap { room.meetings[$0]?[userID] }.flatMap { room.cards[$0] }
        return StateMessage(
            serverTime: Self.milliseconds(now), phase: phase, round: state.round, rounds: room.timeline.settings.rounds,
            endsAt: phase == "finished" || phase == "notStarted" ? nil : endsAt, partner: partner,
            caller: room.mentees.contains(userID), connected: room.sockets.count)
    }

    private func broadcastState(_ room: Room) async {
        for (userID, sockets) in room.sockets {
            await send(state(for: userID, in: room), to: sockets)
        }
    }

    private func broadcastCounts(_ room: Room) async {
        await broadcastState(room)
    }

    private func send(_ message: StateMessage, to sockets: [WebSocket]) async {
        guard let data = try? JSONEncoder().encode(message) else { return }
        let text = String(decoding: data, as: UTF8.self)
        for socket in sockets { try? await socket.send(text) }
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}

extension Application {
    private struct KickoffHubKey: StorageKey { typealias Value = KickoffHub }
    /// Set once in `configure`.
    var kickoffHub: KickoffHub {
        get { storage[KickoffHubKey.self]! }
        set { storage[KickoffHubKey.self] = newValue }
    }
}
