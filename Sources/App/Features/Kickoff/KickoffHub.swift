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
        /// External meeting link for this round's pair, when the organiser chose external video.
        let meetingLink: String?
        /// The talk that ended last (to rate it): its round and partner.
        let previous: PreviousTalk?
        let checkedIn: Bool
        /// Organisers only: who takes part, connected and checked in.
        let presence: [PresenceRow]?
    }

    struct PreviousTalk: Codable, Sendable, Equatable {
        let round: Int
        let partner: Card
    }

    struct PresenceRow: Codable, Sendable, Equatable {
        let name: String
        let role: String
        let connected: Bool
        let checkedIn: Bool
    }

    final class Room: @unchecked Sendable {
        var timeline: KickoffTimeline
        var meetings: [Int: [UUID: UUID]]  // round → person → partner (both directions)
        var cards: [UUID: Card]
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

        init(timeline: KickoffTimeline, meetings: [Int: [UUID: UUID]], cards: [UUID: Card], mentees: Set<UUID>) {
            self.timeline = timeline
            self.meetings = meetings
            self.cards = cards
            self.mentees = mentees
        }
    }

    private var rooms: [UUID: Room] = [:]
    private var loading: [UUID: Task<Room, any Error>] = [:]
    private let clock: @Sendable () -> Date
    /// The database for re-planning when people are missing at a round switch (nil: no automatic re-plan).
    private let database: @Sendable () -> (any Database)?
    private let logger = Logger(label: "kickoff.hub")
    /// A participant whose connection closed less than this long ago still counts as present.
    private let presenceGrace: TimeInterval
    /// How long before a scheduled start the no-shows are planned out.
    static let replanBeforeStart: TimeInterval = 10

    init(
        clock: @escaping @Sendable () -> Date = { Date() }, database: @escaping @Sendable () -> (any Database)? = { nil },
        presenceGrace: TimeInterval = 20
    ) {
        self.clock = clock
        self.database = database
        self.presenceGrace = presenceGrace
    }

    // MARK: Rooms

    /// Loads (or reloads, after a re-plan) the event's plan and people.
    func load(kickoffID: UUID, on db: any Database) async throws -> Room {
        // A re-plan being written would be read half-way (and its plan in memory overwritten by the old one).
        while rooms[kickoffID]?.replanning == true { try await Task.sleep(for: .milliseconds(20)) }
        guard let kickoff = try await Kickoff.find(kickoffID, on: db) else { throw AppError.notFound }
        let meetings = try await KickoffMeeting.query(on: db).filter(\.$kickoff.$id == kickoffID).all()
        let programmeID = kickoff.$programme.id
        let participations = try await Participation.query(on: db).filter(\.$programme.$id == programmeID).with(\.$user).all()
        let registrations = try await MenteeRegistration.query(on: db).filter(\.$programme.$id == programmeID).all()
        let applications = try await MentorApplicationRecord.query(on: db).filter(\.$programme.$id == programmeID).all()
        let registrationByUser = Dictionary(registrations.map { ($0.$user.id, $0) }, uniquingKeysWith: { a, _ in a })
        let applicationByUser = Dictionary(applications.map { ($0.$user.id, $0) }, uniquingKeysWith: { a, _ in a })
        var cards: [UUID: Card] = [:]
        var mentees = Set<UUID>()
        for participation in participations {
            let user = participation.user
            guard let id = user.id else { continue }
            let topics = participation.role == .mentee
                ? registrationByUser[id].flatMap { JSONText.decode([String].self, $0.topicsJSON) } ?? []
                : applicationByUser[id]?.expertiseTopics ?? []
            cards[id] = Card(id: id.uuidString, name: user.name, role: participation.role.rawValue, topics: topics)
            if participation.role == .mentee { mentees.insert(id) }
        }
        var plan: [Int: [UUID: UUID]] = [:]
        for meeting in meetings {
            plan[meeting.round, default: [:]][meeting.$mentee.id] = meeting.$mentor.id
            plan[meeting.round, default: [:]][meeting.$mentor.id] = meeting.$mentee.id
        }
        let checkIns = try await KickoffCheckIn.query(on: db).filter(\.$kickoff.$id == kickoffID).all()
        let timeline = try kickoff.timeline()
        let room = rooms[kickoffID] ?? Room(timeline: timeline, meetings: plan, cards: cards, mentees: mentees)
        room.timeline = timeline
        room.meetings = plan
        room.cards = cards
        room.mentees = mentees
        room.checkedIn = Set(checkIns.map { $0.$user.id })
        room.meetingLinkTemplate = kickoff.videoMode == .external
            ? kickoff.meetingLinkTemplate.flatMap { try? MeetingLinkTemplate($0) } : nil
        room.roomSecret = kickoff.roomSecret
        rooms[kickoffID] = room
        // After a restart (or for an event started earlier) the clock must run without a new control.
        if room.ticker == nil { arm(room, kickoffID: kickoffID) }
        return room
    }

    /// The room, loaded once: 2,000 people connecting must not reload the plan 2,000 times. Concurrent first
    /// callers share one load.
    func room(kickoffID: UUID, on db: any Database) async throws -> Room {
        if let room = rooms[kickoffID] { return room }
        if let loading = loading[kickoffID] { return try await loading.value }
        let task = Task { try await self.load(kickoffID: kickoffID, on: db) }
        loading[kickoffID] = task
        defer { loading[kickoffID] = nil }
        return try await task.value
    }

    /// Reloads a room that is open (after the organiser changed the plan or settings); no-op otherwise.
    func reloadIfOpen(kickoffID: UUID, on db: any Database) async throws {
        guard let room = rooms[kickoffID] else { return }
        _ = try await load(kickoffID: kickoffID, on: db)
        await broadcastState(room)
    }

    func isParticipant(_ userID: UUID, kickoffID: UUID) -> Bool {
        rooms[kickoffID]?.cards[userID] != nil
    }

    // MARK: Connections

    func connect(_ socket: WebSocket, userID: UUID, kickoffID: UUID, isOrganiser: Bool = false) async {
        guard let room = rooms[kickoffID] else { return }
        if isOrganiser && room.cards[userID] == nil { room.organisers.insert(userID) }
        room.sockets[userID, default: []].append(socket)
        send(state(for: userID, in: room), to: [socket])
        room.presenceDirty = true
    }

    func disconnect(_ socket: WebSocket, userID: UUID, kickoffID: UUID) async {
        guard let room = rooms[kickoffID] else { return }
        room.sockets[userID]?.removeAll { $0 === socket }
        if room.sockets[userID]?.isEmpty == true {
            room.sockets[userID] = nil
            room.lastSeen[userID] = clock()
        }
        room.presenceDirty = true
    }

    func connectedCount(kickoffID: UUID) -> Int { rooms[kickoffID]?.sockets.count ?? 0 }

    /// Participants connected now or within the grace period.
    func present(in room: Room) -> Set<UUID> {
        let now = clock()
        return Set(room.cards.keys.filter { id in
            room.sockets[id]?.isEmpty == false || room.lastSeen[id].map { now.timeIntervalSince($0) < presenceGrace } == true
        })
    }

    /// "I'm here" from the lobby: stored, and shown to the organisers.
    func checkIn(userID: UUID, kickoffID: UUID, on db: any Database) async throws {
        guard let room = rooms[kickoffID], room.cards[userID] != nil, !room.checkedIn.contains(userID) else { return }
        room.checkedIn.insert(userID)
        room.presenceDirty = true
        let exists = try await KickoffCheckIn.query(on: db).filter(\.$kickoff.$id == kickoffID).filter(\.$user.$id == userID).first()
        if exists == nil { try await KickoffCheckIn(kickoffID: kickoffID, userID: userID, at: clock()).create(on: db) }
        if let sockets = room.sockets[userID] { send(state(for: userID, in: room), to: sockets) }
    }

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
        case "state":
            // Asked for explicitly (e.g. by a client that was not listening yet when the first state went out).
            send(state(for: userID, in: room), to: [socket])
        case "checkin":
            guard let db = database() else { return }
            do { try await checkIn(userID: userID, kickoffID: kickoffID, on: db) } catch {
                logger.warning("Check-in failed", metadata: ["error": "\(error)"])
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
        try timeline.apply(control)  // refused controls change nothing
        if case .start(let at) = control, at.timeIntervalSince(clock()) < Self.replanBeforeStart {
            // Started now: no-shows are planned out before anybody sees a partner, and the clock starts when
            // the plan is ready (a plan for 2,000 people takes a moment; nobody loses talking time to it).
            do { try await replanForPresent(kickoffID: kickoffID, on: db) } catch {
                logger.error("Re-plan at the start failed; the plan stays", metadata: ["kickoff": "\(kickoffID)", "error": "\(error)"])
            }
            room.replannedBeforeStart = at
            timeline = room.timeline
            try timeline.apply(.start(at: max(at, clock())))
        }
        guard let kickoff = try await Kickoff.find(kickoffID, on: db) else { throw AppError.notFound }
        kickoff.controlsJSON = JSONText.encode(timeline.controls)
        try await kickoff.save(on: db)
        room.timeline = timeline
        await broadcastState(room)
        arm(room, kickoffID: kickoffID)
    }

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
        let present = present(in: room)
        let planned = room.plannedFor ?? Set(room.cards.keys)
        // Nobody here yet (e.g. the organiser started an empty room): keep the plan rather than empty it.
        guard force || (present != planned && !present.isEmpty) else { return false }
        let rounds = room.timeline.settings.rounds
        let firstOpen: Int = switch room.timeline.state(at: now) {
        case .talking(let round, _), .paused(let round, _, false): round + 1
        case .between(let next, _), .paused(let next, _, true): next
        case .notStarted: 1
        case .finished: rounds + 1
        }
        guard firstOpen <= rounds, let kickoff = try await Kickoff.find(kickoffID, on: db) else { return false }
        let absent = Set(room.cards.keys).subtracting(present)
        let started = clock()
        let proposal = try await KickoffPlanning.propose(kickoff: kickoff, on: db, firstOpenRound: firstOpen, absent: absent)
        guard room.timeline.roundsBegun(at: clock()) < firstOpen else {
            logger.warning("Re-plan dropped: round \(firstOpen) began while it was computed", metadata: [
                "kickoff": "\(kickoffID)", "seconds": "\(clock().timeIntervalSince(started))",
            ])
            return false
        }
        // In memory first (what the event runs on), then stored; people whose partner on screen changed
        // are told now, everybody else sees the new plan at the next switch.
        let before = room.meetings
        var meetings = before.filter { $0.key < firstOpen }
        for talk in proposal.talks {
            meetings[talk.round, default: [:]][talk.mentee] = talk.mentor
            meetings[talk.round, default: [:]][talk.mentor] = talk.mentee
        }
        let plannedBefore = room.plannedFor
        room.meetings = meetings
        room.plannedFor = present
        notifyPartnerChanges(room, from: before)
        do {
            try await KickoffPlanning.store(proposal, kickoff: kickoff, on: db)
        } catch {
            room.meetings = before
            room.plannedFor = plannedBefore
            notifyPartnerChanges(room, from: meetings)
            throw error
        }
        logger.notice("Kickoff re-planned for the people present", metadata: [
            "kickoff": "\(kickoffID)", "from_round": "\(firstOpen)", "present": "\(present.count)", "absent": "\(absent.count)",
            "seconds": "\(clock().timeIntervalSince(started))",
        ])
        return true
    }

    /// Sends the current state to everybody whose partner for the round on screen differs from `old`.
    private func notifyPartnerChanges(_ room: Room, from old: [Int: [UUID: UUID]]) {
        guard let round = room.timeline.state(at: clock()).round else { return }
        let connected = connectedParticipants(room)
        for (userID, sockets) in room.sockets where old[round]?[userID] != room.meetings[round]?[userID] {
            send(state(for: userID, in: room, connected: connected), to: sockets)
        }
    }

    /// Current time, for controls (injectable in tests).
    func now() -> Date { clock() }

    /// Watches the clock for the room and pushes the new state the moment the phase or round changes.
    /// A short poll (every 50 ms, one cheap computation, but never past the next scheduled switch) is simpler
    /// and more robust than sleeping until a computed instant: a late wake-up or a control in between cannot
    /// make it miss a switch, and the switch is seen within a few milliseconds.
    private func arm(_ room: Room, kickoffID: UUID) {
        room.ticker?.cancel()
        room.ticker = Task { [weak self] in
            var last = await self?.phaseKey(room)
            while !Task.isCancelled {
                // Poll every 50 ms, but never sleep past the next switch: it is seen within a few ms.
                let delay = await self?.pollDelay(room) ?? 0.05
                try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
                guard let self else { return }
                let key = await self.phaseKey(room)
                if key != last {
                    last = key
                    await self.broadcastState(room)
                    // At each break, no-shows and late arrivals re-plan the rounds ahead, after the switch went out.
                    if key.hasPrefix("between-") { await self.replanInBackground(room, kickoffID: kickoffID) }
                }
                await self.replanBeforeStartIfDue(room, kickoffID: kickoffID)
                await self.pushPresenceIfDue(room)
                if key == "finished" { return }
            }
        }
    }

    private func pollDelay(_ room: Room) -> TimeInterval {
        let now = clock()
        let startsAt = room.timeline.startsAt.flatMap { $0 > now ? $0 : nil }
        guard let next = room.timeline.nextSwitch(after: now) ?? startsAt else { return 0.05 }
        return min(0.05, max(0.002, next.timeIntervalSince(now) + 0.002))
    }

    /// Organisers watching get the presence list when it changed, at most once a second.
    private func pushPresenceIfDue(_ room: Room) async {
        let now = clock()
        guard room.presenceDirty, now.timeIntervalSince(room.presencePushedAt) >= 1 else { return }
        room.presenceDirty = false
        room.presencePushedAt = now
        let connected = connectedParticipants(room)
        for (userID, sockets) in room.sockets where room.organisers.contains(userID) {
            send(state(for: userID, in: room, connected: connected), to: sockets)
        }
    }

    private func connectedParticipants(_ room: Room) -> Int {
        room.sockets.keys.reduce(0) { $0 + (room.cards[$1] == nil ? 0 : 1) }
    }

    /// Shortly before a scheduled start, once: the no-shows are planned out before round 1 shows partners.
    private func replanBeforeStartIfDue(_ room: Room, kickoffID: UUID) {
        let now = clock()
        guard let startsAt = room.timeline.startsAt, startsAt > now, room.replannedBeforeStart != startsAt,
              startsAt.timeIntervalSince(now) <= Self.replanBeforeStart
        else { return }
        room.replannedBeforeStart = startsAt
        replanInBackground(room, kickoffID: kickoffID)
    }

    /// Starts an automatic re-plan without waiting for it (skipped while one runs).
    private func replanInBackground(_ room: Room, kickoffID: UUID) {
        guard !room.replanning, let db = database() else { return }
        Task {
            do { try await self.replanForPresent(kickoffID: kickoffID, on: db) } catch {
                self.logger.error("Automatic re-plan failed; the plan stays", metadata: ["kickoff": "\(kickoffID)", "error": "\(error)"])
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

    func state(for userID: UUID, in room: Room, connected: Int? = nil) -> StateMessage {
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
        let partnerID = state.round.flatMap { room.meetings[$0]?[userID] }
        let partner = partnerID.flatMap { room.cards[$0] }
        var meetingLink: String?
        if let template = room.meetingLinkTemplate, let partnerID, let round = state.round {
            let mentee = room.mentees.contains(userID) ? userID : partnerID
            let mentor = mentee == userID ? partnerID : userID
            meetingLink = template.link(room: Self.roomName(secret: room.roomSecret, mentee: mentee, mentor: mentor), round: round)
        }
        // The last talk that is over: rateable from the moment it ends.
        let begun = room.timeline.roundsBegun(at: now)
        let lastOver: Int? = switch state {
        case .talking(let round, _), .paused(let round, _, false): round > 1 ? round - 1 : nil
        case .notStarted: nil
        default: begun > 0 ? begun : nil
        }
        let previous = lastOver.flatMap { round in
            room.meetings[round]?[userID].flatMap { room.cards[$0] }.map { PreviousTalk(round: round, partner: $0) }
        }
        let presence = room.organisers.contains(userID)
            ? room.cards.values.sorted { ($0.role, $0.name) < ($1.role, $1.name) }.map { card in
                let id = UUID(uuidString: card.id)!
                return PresenceRow(name: card.name, role: card.role, connected: room.sockets[id]?.isEmpty == false,
                                   checkedIn: room.checkedIn.contains(id))
            }
            : nil
        return StateMessage(
            serverTime: Self.milliseconds(now), phase: phase, round: state.round, rounds: room.timeline.settings.rounds,
            // Before the start: when a scheduled start (e.g. "in 1 minute") begins, for the lobby's countdown.
            endsAt: phase == "finished" ? nil : phase == "notStarted" ? room.timeline.startsAt.map(Self.milliseconds) : endsAt,
            partner: partner,
            caller: room.mentees.contains(userID), connected: connected ?? connectedParticipants(room),
            meetingLink: meetingLink, previous: previous, checkedIn: room.checkedIn.contains(userID), presence: presence)
    }

    /// A stable, unguessable room name per pair and event for external meeting links (never names).
    static func roomName(secret: String, mentee: UUID, mentor: UUID) -> String {
        String(SecureToken.hash("\(secret)|\(mentee.uuidString)|\(mentor.uuidString)").prefix(20))
    }

    private func broadcastState(_ room: Room) async {
        let connected = connectedParticipants(room)
        let encoder = JSONEncoder()
        for (userID, sockets) in room.sockets {
            send(state(for: userID, in: room, connected: connected), to: sockets, encoder: encoder)
        }
        // Organisers' states carry the presence list: it is fresh now.
        room.presenceDirty = false
        room.presencePushedAt = clock()
    }

    /// Queues the message on each socket's event loop without waiting for the write: a round switch reaches
    /// 2,000 people in one pass instead of 2,000 awaited round trips.
    private func send(_ message: StateMessage, to sockets: [WebSocket], encoder: JSONEncoder = JSONEncoder()) {
        guard let data = try? encoder.encode(message) else { return }
        let text = String(decoding: data, as: UTF8.self)
        for socket in sockets { socket.send(text, promise: nil) }
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
