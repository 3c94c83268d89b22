import Fluent
import Mentoring
import Vapor

/// The live event page and its WebSocket, for the programme's participants (and organisers watching).
struct KickoffLiveController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.kickoff(kickoffID: .key), use: page)
        routes.webSocket(
            SiteURL.kickoffSocket(kickoffID: .key).pathComponents, maxFrameSize: .init(integerLiteral: 1 << 16),
            shouldUpgrade: Self.mayConnect, onUpgrade: Self.connected)
    }

    struct LivePage: Encodable {
        let programmeName: String
        let config: String
        let kickoffID: String
        let links: KickoffLinks
        let isOrganiser: Bool
        let startsAt: String
        let answers: [KickoffFeedbackController.AnswerOption]
        let noteLimit: Int
        /// Organisers steer the event from the live view too.
        let control: ControlRoom?
    }

    /// What the page script needs; rendered as a JSON data block (not executed, so the CSP stays strict).
    struct ClientConfig: Encodable {
        let socketPath: String
        let iceServers: [String]
        /// The start (server time, ms since 1970) for the lobby's countdown: the clock's start, else the planned one.
        let startsAt: Int64
        let texts: [String: String]
    }

    static func kickoff(_ req: Request) async throws -> (Kickoff, Programme) {
        guard let id = req.parameters.get("kickoffID", as: UUID.self),
            let kickoff = try await Kickoff.query(on: req.db).filter(\.$id == id).with(\.$programme).first()
        else { throw AppError.notFound }
        return (kickoff, kickoff.programme)
    }

    /// Organisers and the programme's mentors and mentees; anybody else gets a 403.
    static func authorise(_ req: Request, kickoff: Kickoff) async throws {
        let user = try req.currentUser.orThrow(AppError.signInRequired)
        if user.isOrganiser { return }
        let isParticipant =
            try await Participation.query(on: req.db)
            .filter(\.$programme.$id == kickoff.$programme.id).filter(\.$user.$id == user.requireID()).first() != nil
        guard isParticipant else { throw AppError.forbidden }
    }

    @Sendable func page(req: Request) async throws -> Response {
        let (kickoff, programme) = try await Self.kickoff(req)
        try await Self.authorise(req, kickoff: kickoff)
        let keys = [
            "live.lobby", "live.talking", "live.between", "live.paused", "live.finished", "live.notStarted",
            "live.round", "live.pause", "live.partnerTopics", "live.remaining", "live.connecting", "live.reconnecting",
            "live.cameraBlocked", "live.videoConnected", "live.you", "live.partner", "role.mentor", "role.mentee",
            "live.checkedIn", "live.externalLink", "live.rate.title", "rating.saved", "live.presence.connected",
            "live.presence.away", "live.presence.checkedIn", "live.presence.notCheckedIn", "live.micLevel",
            "live.shortlistOpen", "live.connectedCount", "live.breakStatus", "live.break.next", "live.break.noPartner",
            "live.clock.untilStart", "live.clock.start", "live.clock.soon", "live.clock.remaining",
            "live.clock.untilNext",
            "live.clock.paused", "live.videoConnecting", "live.videoLost",
        ]
        let kickoffID = try kickoff.requireID()
        let over = (try? kickoff.timeline().isFinished(at: await req.application.kickoffHub.now())) == true
        let config = ClientConfig(
            socketPath: SiteURL.kickoffSocket(kickoffID: .value(kickoffID)).path,
            iceServers: req.application.appConfig.iceServers,
            startsAt: KickoffHub.milliseconds((try? kickoff.timeline())?.startsAt ?? kickoff.startsAt),
            texts: Dictionary(uniqueKeysWithValues: keys.map { ($0, req.t($0)) }))
        let json = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
            .replacingOccurrences(of: "<", with: "\\u003c")  // a JSON block must never close its <script> element
        return try await PageRenderer.render(
            "Kickoff/live",
            LivePage(
                programmeName: programme.name, config: json, kickoffID: kickoffID.uuidString,
                links: KickoffLinks(kickoffID),
                isOrganiser: req.currentUser?.isOrganiser == true,
                startsAt: req.application.dateFormatting.dateTime(kickoff.startsAt, req.appLocale),
                answers: ContinueAnswer.allCases.map {
                    .init(value: $0.rawValue, label: req.t("rating.answer.\($0.rawValue)"))
                },
                noteLimit: TalkFeedback.maximumNoteLength,
                control: req.currentUser?.isOrganiser == true && kickoff.closedAt == nil && !over
                    ? ControlRoom.make(programmeID: programme.requireID(), state: nil, returnTo: "live", req: req) : nil
            ),
            title: req.t("live.title"), for: req)
    }

    /// Upgrades only the event's participants and organisers; everybody else is refused (nil).
    @Sendable static func mayConnect(req: Request) async throws -> HTTPHeaders? {
        guard req.currentUser != nil, let (kickoff, _) = try? await kickoff(req),
            (try? await authorise(req, kickoff: kickoff)) != nil
        else { return nil }
        let hub = req.application.kickoffHub, kickoffID = try kickoff.requireID()
        try await hub.open(kickoffID: kickoffID, on: req.db)
        // Somebody who joined the programme after the room was loaded: load it again (once).
        if let user = req.currentUser, !user.isOrganiser,
            try await !hub.isParticipant(user.requireID(), kickoffID: kickoffID)
        {
            try await hub.load(kickoffID: kickoffID, on: req.db)
        }
        return [:]
    }

    @Sendable static func connected(req: Request, socket: WebSocket) async {
        guard let user = req.currentUser, let userID = user.id,
            let kickoffID = req.parameters.get("kickoffID", as: UUID.self)
        else { try? await socket.close(); return }
        let hub = req.application.kickoffHub
        socket.onText { socket, text in
            // Parsed here, off the hub; anything that is not a client message is ignored.
            guard let message = KickoffHub.ClientMessage.parse(text) else { return }
            await hub.received(message, from: userID, socket: socket, kickoffID: kickoffID)
        }
        socket.onClose.whenComplete { _ in
            Task { await hub.disconnect(socket, userID: userID, kickoffID: kickoffID) }
        }
        await hub.connect(socket, userID: userID, kickoffID: kickoffID, isOrganiser: user.isOrganiser)
    }
}
