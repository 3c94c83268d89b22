import Fluent
import Foundation
import Mentoring
import Vapor

/// The live kickoff: one room per event with the people connected over WebSockets. The server is the clock:
/// it tells every client the state with its own time, and pushes the next state the moment a round switches.
/// It also relays WebRTC signalling, but only between the two partners of the current round.
///
/// The hub owns the rooms (`KickoffRoom`, never handed out) and their connections and clocks. Reading a room
/// from the database is `KickoffRoomLoader`, re-planning `KickoffReplanner` (and `replanForPresent` there), the messages on the wire
/// `ClientMessage` and `ServerMessage` (KickoffWireProtocol.swift).
actor KickoffHub {
    /// Read by the re-planning (KickoffReplanner.swift); a room never leaves the hub (it is not `Sendable`).
    private(set) var rooms: [UUID: KickoffRoom] = [:]
    private var loading: [UUID: Task<Void, any Error>] = [:]
    let clock: @Sendable () -> Date
    /// The database for re-planning when people are missing at a round switch (nil: no automatic re-plan).
    let database: @Sendable () -> (any Database)?
    let logger = Logger(label: "kickoff.hub")
    /// A participant whose connection closed less than this long ago still counts as present.
    let presenceGrace: TimeInterval
    /// How long before a scheduled start the no-shows are planned out.
    static let replanBeforeStart: TimeInterval = 10

    init(
        clock: @escaping @Sendable () -> Date = { Date() },
        database: @escaping @Sendable () -> (any Database)? = { nil },
        presenceGrace: TimeInterval = 20
    ) {
        self.clock = clock
        self.database = database
        self.presenceGrace = presenceGrace
    }

    // MARK: Rooms

    /// Loads (or reloads, after a re-plan or a change of plan or settings) the event's plan and people.
    func load(kickoffID: UUID, on db: any Database) async throws {
        _ = try await loadRoom(kickoffID: kickoffID, on: db)
    }

    private func loadRoom(kickoffID: UUID, on db: any Database) async throws -> KickoffRoom {
        // A re-plan being written would be read half-way (and its plan in memory overwritten by the old one).
        while rooms[kickoffID]?.replanning == true { try await Task.sleep(for: .milliseconds(20)) }
        let loaded = try await KickoffRoomLoader.load(kickoffID: kickoffID, on: db)
        let room: KickoffRoom
        if let open = rooms[kickoffID] {
            open.apply(loaded)
            room = open
        } else {
            room = KickoffRoom(loaded)
            rooms[kickoffID] = room
        }
        // After a restart (or for an event started earlier) the clock must run without a new control.
        if room.ticker == nil { arm(room, kickoffID: kickoffID) }
        return room
    }

    /// Opens the room, loaded once: 2,000 people connecting must not reload the plan 2,000 times. Concurrent
    /// first callers share one load.
    func open(kickoffID: UUID, on db: any Database) async throws {
        if rooms[kickoffID] != nil { return }
        if let loading = loading[kickoffID] { return try await loading.value }
        let task = Task { _ = try await self.loadRoom(kickoffID: kickoffID, on: db) }
        loading[kickoffID] = task
        defer { loading[kickoffID] = nil }
        try await task.value
    }

    /// Reloads a room that is open (after the organiser changed the plan or settings); no-op otherwise.
    func reloadIfOpen(kickoffID: UUID, on db: any Database) async throws {
        guard rooms[kickoffID] != nil else { return }
        broadcastState(try await loadRoom(kickoffID: kickoffID, on: db))
    }

    func isParticipant(_ userID: UUID, kickoffID: UUID) -> Bool {
        rooms[kickoffID]?.cards[userID] != nil
    }

    /// What `userID` would be told now (nil: the room is not open).
    func state(for userID: UUID, kickoffID: UUID) -> StateMessage? {
        rooms[kickoffID]?.state(for: userID, at: clock())
    }

    // MARK: Connections

    func connect(_ socket: WebSocket, userID: UUID, kickoffID: UUID, isOrganiser: Bool = false) {
        guard let room = rooms[kickoffID] else { return }
        if isOrganiser && room.cards[userID] == nil { room.organisers.insert(userID) }
        room.sockets[userID, default: []].append(socket)
        send(.state(room.state(for: userID, at: clock())), to: [socket])
        room.presenceDirty = true
    }

    func disconnect(_ socket: WebSocket, userID: UUID, kickoffID: UUID) {
        guard let room = rooms[kickoffID] else { return }
        room.sockets[userID]?.removeAll { $0 === socket }
        if room.sockets[userID]?.isEmpty == true {
            room.sockets[userID] = nil
            room.lastSeen[userID] = clock()
        }
        room.presenceDirty = true
    }

    func connectedCount(kickoffID: UUID) -> Int { rooms[kickoffID]?.sockets.count ?? 0 }

    /// "I'm here" from the lobby: stored, and shown to the organisers.
    func checkIn(userID: UUID, kickoffID: UUID, on db: any Database) async throws {
        guard let room = rooms[kickoffID], room.cards[userID] != nil, !room.checkedIn.contains(userID) else { return }
        room.checkedIn.insert(userID)
        room.presenceDirty = true
        let exists = try await KickoffCheckIn.query(on: db).filter(\.$kickoff.$id == kickoffID).filter(
            \.$user.$id == userID
        ).first()
        if exists == nil { try await KickoffCheckIn(kickoffID: kickoffID, userID: userID, at: clock()).create(on: db) }
        if let sockets = room.sockets[userID] { send(.state(room.state(for: userID, at: clock())), to: sockets) }
    }

    /// Handles a client's message: clock pings, state requests, check-ins and WebRTC signalling for the
    /// current partner.
    func received(_ message: ClientMessage, from userID: UUID, socket: WebSocket, kickoffID: UUID) async {
        guard let room = rooms[kickoffID] else { return }
        switch message {
        case .ping(let t):
            if let reply = ServerMessage.pong(t: t, serverTime: Self.milliseconds(clock())).text() {
                try? await socket.send(reply)
            }
        case .state:
            // Asked for explicitly (e.g. by a client that was not listening yet when the first state went out).
            send(.state(room.state(for: userID, at: clock())), to: [socket])
        case .checkin:
            guard let db = database() else { return }
            do { try await checkIn(userID: userID, kickoffID: kickoffID, on: db) } catch {
                logger.warning("Check-in failed", metadata: ["error": "\(error)"])
            }
        case .signal(let data):
            guard let data, let round = room.timeline.state(at: clock()).round,
                let partner = room.meetings[round]?[userID],
                let relay = ServerMessage.signal(round: round, data: data).text()
            else { return }
            for partnerSocket in room.sockets[partner] ?? [] { try? await partnerSocket.send(relay) }
        }
    }

    // MARK: Clock

    /// Current time, for controls (injectable in tests).
    func now() -> Date { clock() }

    /// Applies an organiser's control, stores it, tells everybody and re-arms the round switch.
    func control(_ control: KickoffTimeline.Control, kickoffID: UUID, on db: any Database) async throws {
        let room = try await loadRoom(kickoffID: kickoffID, on: db)
        var timeline = room.timeline
        try timeline.apply(control)  // refused controls change nothing
        if case .start(let at) = control, at.timeIntervalSince(clock()) < Self.replanBeforeStart {
            // Started now: no-shows are planned out before anybody sees a partner, and the clock starts when
            // the plan is ready (a plan for 2,000 people takes a moment; nobody loses talking time to it).
            do { try await replanForPresent(kickoffID: kickoffID, on: db) } catch {
                logger.error(
                    "Re-plan at the start failed; the plan stays",
                    metadata: ["kickoff": "\(kickoffID)", "error": "\(error)"])
            }
            room.replannedBeforeStart = at
            timeline = room.timeline
            try timeline.apply(.start(at: max(at, clock())))
        }
        guard let kickoff = try await Kickoff.find(kickoffID, on: db) else { throw AppError.notFound }
        kickoff.controlsJSON = JSONText.encode(timeline.controls)
        try await kickoff.save(on: db)
        room.timeline = timeline
        broadcastState(room)
        arm(room, kickoffID: kickoffID)
    }

    /// Watches the clock for the room and pushes the new state the moment the phase or round changes.
    /// A short poll (every 50 ms, one cheap computation, but never past the next scheduled switch) is simpler
    /// and more robust than sleeping until a computed instant: a late wake-up or a control in between cannot
    /// make it miss a switch, and the switch is seen within a few milliseconds.
    private func arm(_ room: KickoffRoom, kickoffID: UUID) {
        room.ticker?.cancel()
        let first = room.phaseKey(at: clock())
        room.ticker = Task { [weak self] in
            var last = first
            while !Task.isCancelled {
                let delay = await self?.pollDelay(kickoffID: kickoffID) ?? 0.05
                try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
                guard let self, let key = await self.tick(kickoffID: kickoffID, last: last) else { return }
                last = key
                if key == "finished" { return }
            }
        }
    }

    private func pollDelay(kickoffID: UUID) -> TimeInterval {
        rooms[kickoffID]?.pollDelay(at: clock()) ?? 0.05
    }

    /// One step of the clock: the switch if the phase or round changed, then what is due. Returns the phase
    /// key now (nil: no such room).
    private func tick(kickoffID: UUID, last: String) -> String? {
        guard let room = rooms[kickoffID] else { return nil }
        let key = room.phaseKey(at: clock())
        if key != last {
            broadcastState(room)
            // At each break, no-shows and late arrivals re-plan the rounds ahead, after the switch went out.
            if key.hasPrefix("between-") { replanInBackground(room, kickoffID: kickoffID) }
        }
        replanBeforeStartIfDue(room, kickoffID: kickoffID)
        pushPresenceIfDue(room)
        return key
    }

    /// Organisers watching get the presence list when it changed, at most once a second.
    private func pushPresenceIfDue(_ room: KickoffRoom) {
        let now = clock()
        guard room.presenceDirty, now.timeIntervalSince(room.presencePushedAt) >= 1 else { return }
        room.presenceDirty = false
        room.presencePushedAt = now
        let connected = room.connectedParticipants
        for (userID, sockets) in room.sockets where room.organisers.contains(userID) {
            send(.state(room.state(for: userID, at: clock(), connected: connected)), to: sockets)
        }
    }

    // MARK: Sending

    /// A stable, unguessable room name per pair and event for external meeting links (never names).
    static func roomName(secret: String, mentee: UUID, mentor: UUID) -> String {
        String(SecureToken.hash("\(secret)|\(mentee.uuidString)|\(mentor.uuidString)").prefix(20))
    }

    private func broadcastState(_ room: KickoffRoom) {
        let connected = room.connectedParticipants
        let encoder = JSONEncoder()
        for (userID, sockets) in room.sockets {
            send(.state(room.state(for: userID, at: clock(), connected: connected)), to: sockets, encoder: encoder)
        }
        // Organisers' states carry the presence list: it is fresh now.
        room.presenceDirty = false
        room.presencePushedAt = clock()
    }

    /// Queues the message on each socket's event loop without waiting for the write: a round switch reaches
    /// 2,000 people in one pass instead of 2,000 awaited round trips.
    func send(_ message: ServerMessage, to sockets: [WebSocket], encoder: JSONEncoder = JSONEncoder()) {
        guard let text = message.text(encoder: encoder) else { return }
        for socket in sockets { socket.send(text, promise: nil) }
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}

extension Application {
    private struct KickoffHubKey: StorageKey { typealias Value = KickoffHub }
    /// Set once in `configure`.
    var kickoffHub: KickoffHub {
        get {
            guard let hub = storage[KickoffHubKey.self] else { fatalError("app.kickoffHub is set in configure") }
            return hub
        }
        set { storage[KickoffHubKey.self] = newValue }
    }
}
