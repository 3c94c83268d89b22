import Fluent
import Foundation
import Mentoring
import NIOConcurrencyHelpers
import Testing
import VaporTesting

@testable import App

/// One message from the server, as a client reads it.
struct LiveMessage: Decodable, Sendable {
    struct Card: Decodable, Sendable {
        let id: String
        let name: String
    }
    let type: String
    let phase: String?
    let round: Int?
    let endsAt: Int64?
    let serverTime: Int64?
    let caller: Bool?
    let partner: Card?
}

/// Messages one WebSocket client has received.
actor Inbox {
    private(set) var messages: [LiveMessage] = []
    func add(_ text: String) {
        if let message = try? JSONDecoder().decode(LiveMessage.self, from: Data(text.utf8)) { messages.append(message) }
    }
    func states() -> [LiveMessage] { messages.filter { $0.type == "state" } }
    func signals() -> [LiveMessage] { messages.filter { $0.type == "signal" } }
    func pongs() -> [LiveMessage] { messages.filter { $0.type == "pong" } }
}

@Suite("Live kickoff over real WebSockets")
struct KickoffLiveTests {
    /// Waits (bounded) until `condition` holds.
    static func eventually(_ seconds: Double = 10, _ condition: () async -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return await condition()
    }

    /// Runs `body` with the app listening on a free port. Every socket opened through the `SocketBag` is
    /// closed and the server shut down on every path, also when an expectation throws: a server left running
    /// makes Vapor abort the whole test process.
    static func withLiveServer(_ app: Application, _ body: (Int, SocketBag) async throws -> Void) async throws {
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let bag = SocketBag()
        do {
            let port = try #require(app.http.server.shared.localAddress?.port)
            try await body(port, bag)
        } catch {
            await bag.closeAll()
            await app.server.shutdown()
            throw error
        }
        await bag.closeAll()
        await app.server.shutdown()
    }

    /// Opens a live socket with the session `cookie`, collecting what arrives. `WebSocket.connect` may return
    /// before its upgrade callback has run, so this waits (bounded) for the callback's socket. Then it asks for
    /// the state once more: the state sent on connect may race the client's handler (a browser may ask too).
    static func openSocket(
        _ url: String, cookie: String, on app: Application, bag: SocketBag
    ) async throws -> (Inbox, WebSocket) {
        let inbox = Inbox(), holder = SocketHolder()
        try await WebSocket.connect(to: url, headers: ["Cookie": cookie], on: app.eventLoopGroup) { socket in
            socket.onText { _, text in await inbox.add(text) }
            holder.socket = socket
        }
        #expect(await eventually(15) { holder.socket != nil }, "the upgrade callback ran")
        let socket = try #require(holder.socket)
        bag.add(socket)
        try await socket.send(#"{"type":"state"}"#)
        return (inbox, socket)
    }

    @Test(
        "Partners see each other's card, signalling reaches only the partner, all switch rounds on the server's clock")
    func liveRounds() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let programmeID = try fixture.programme.requireID()
            let other = User(email: "zweiter@test.example", name: "Zweite Mentorin")
            try await other.create(on: app.db)
            try await Participation(userID: other.requireID(), programmeID: programmeID, role: .mentor).create(
                on: app.db)
            let kickoff = Kickoff(
                programmeID: programmeID, startsAt: Date(), rounds: 2, roundSeconds: 2, breakSeconds: 1)
            try await kickoff.create(on: app.db)
            _ = try await KickoffPlanController.generatePlan(
                kickoff: kickoff, programmeID: programmeID, on: app.db, now: app.clock.now())
            let kickoffID = try kickoff.requireID()
            let meetings = try await KickoffMeeting.query(on: app.db).sort(\.$round).all()
            #expect(meetings.count == 2)  // the one mentee meets both mentors
            let firstMentorID = try #require(meetings.first { $0.round == 1 }?.$mentor.id)

            // Sign everybody in first (in memory), then talk to the real server over WebSockets only.
            var cookies: [UUID: String] = [:]
            let people = [fixture.mentee, fixture.mentor, other]
            for person in people {
                let browser = TestBrowser(app)
                try await browser.signIn(as: person)
                let page = try await browser.get("/kickoff/\(kickoffID)")
                #expect(page.status == .ok)
                #expect(page.body.contains("id=\"live-config\""))
                cookies[try person.requireID()] = "rm_session=\(try #require(browser.cookies["rm_session"]))"
            }
            let stranger = User(email: "fremd@test.example", name: "Fremd")
            try await stranger.create(on: app.db)
            let strangerBrowser = TestBrowser(app)
            try await strangerBrowser.signIn(as: stranger)
            #expect(try await strangerBrowser.get("/kickoff/\(kickoffID)").status == .forbidden)
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: fixture.organiser)
            try await organiser.get("/organiser/programmes/\(programmeID)/kickoff")

            try await Self.withLiveServer(app) { port, bag in
                let url = "ws://127.0.0.1:\(port)/kickoff/\(kickoffID)/socket"

                var inboxes: [UUID: Inbox] = [:], sockets: [UUID: WebSocket] = [:]
                for person in people {
                    let id = try person.requireID()
                    (inboxes[id], sockets[id]) = try await Self.openSocket(url, cookie: cookies[id]!, on: app, bag: bag)
                }
                let menteeID = try fixture.mentee.requireID()
                #expect(await Self.eventually { await inboxes[menteeID]!.states().last?.phase == "notStarted" })

                // A stranger (not in the programme) cannot connect: the upgrade is refused.
                let refused = SocketHolder()
                let strangerCookie = "rm_session=\(strangerBrowser.cookies["rm_session"] ?? "")"
                let attempt = Task {
                    try? await WebSocket.connect(to: url, headers: ["Cookie": strangerCookie], on: app.eventLoopGroup) {
                        socket in
                        refused.socket = socket
                    }
                }
                try await Task.sleep(for: .seconds(1))
                attempt.cancel()
                #expect(refused.socket == nil)

                // The organiser starts the event (the route itself is covered in memory by AccessTests).
                try await app.kickoffHub.control(
                    .start(at: await app.kickoffHub.now()), kickoffID: kickoffID, on: app.db)
                await #expect(throws: KickoffTimeline.ControlError.alreadyStarted) {
                    try await app.kickoffHub.control(
                        .start(at: await app.kickoffHub.now()), kickoffID: kickoffID, on: app.db)
                }

                let talking = await Self.eventually {
                    await inboxes[menteeID]!.states().last?.phase == "talking"
                }
                #expect(talking)
                let menteeState = try #require(await inboxes[menteeID]!.states().last)
                #expect(menteeState.partner?.id == firstMentorID.uuidString)
                #expect(menteeState.caller == true)
                #expect(menteeState.round == 1)
                let endsAt = try #require(menteeState.endsAt)

                // Signalling goes to the current partner only.
                try await sockets[menteeID]!.send(#"{"type":"signal","data":{"hello":"partner"}}"#)
                let partnerInbox = try #require(
                    inboxes[firstMentorID], "round 1 partner \(firstMentorID) is one of \(Array(inboxes.keys))")
                #expect(await Self.eventually { await !partnerInbox.signals().isEmpty })
                let otherID = try other.requireID()
                let pausing = firstMentorID == fixture.mentor.id ? otherID : try fixture.mentor.requireID()
                try? await Task.sleep(for: .milliseconds(200))
                #expect(await inboxes[pausing]!.signals().isEmpty)
                #expect(
                    await inboxes[pausing]!.states().last?.partner == nil,
                    "the mentor without a talk sees the pause card")

                // Clock: a ping is answered with the server's time.
                try await sockets[menteeID]!.send(#"{"type":"ping","t":1}"#)
                #expect(await Self.eventually { await !inboxes[menteeID]!.pongs().isEmpty })

                // The server pushes the switch to round 2 (after the 1-second break) to everybody, on time.
                let switched = await Self.eventually(8) {
                    await inboxes[menteeID]!.states().contains { $0.phase == "talking" && $0.round == 2 }
                }
                #expect(switched)
                let round2 = try #require(
                    await inboxes[menteeID]!.states().first { $0.phase == "talking" && $0.round == 2 })
                let switchedAt = round2.serverTime ?? 0
                let trace = await inboxes[menteeID]!.states().map {
                    "\($0.phase ?? "-") r\($0.round ?? 0) t\(($0.serverTime ?? 0) % 100000) end\(($0.endsAt ?? 0) % 100000)"
                }
                // The 50 ms target is measured by the load benchmark; here only "on time, not a round late" on a busy machine.
                #expect(
                    abs(switchedAt - (endsAt + 1000)) < 1500,
                    "round 2 began \(switchedAt - endsAt - 1000) ms off schedule: \(trace)")
                #expect(round2.partner?.id == pausing.uuidString)

            }
        }
    }

    @Test("A no-show at the start: the rounds are re-planned for the people present, the lobby check-in is stored")
    func noShowReplan() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let programmeID = try fixture.programme.requireID()
            let other = User(email: "zweiter@test.example", name: "Zweite Mentorin")
            try await other.create(on: app.db)
            try await Participation(userID: other.requireID(), programmeID: programmeID, role: .mentor).create(
                on: app.db)
            let kickoff = Kickoff(
                programmeID: programmeID, startsAt: Date(), rounds: 2, roundSeconds: 30, breakSeconds: 5)
            try await kickoff.create(on: app.db)
            _ = try await KickoffPlanController.generatePlan(
                kickoff: kickoff, programmeID: programmeID, on: app.db, now: app.clock.now())
            let kickoffID = try kickoff.requireID()
            // Whoever the mentee meets first stays away; the other mentor comes.
            let firstPlanned = try #require(try await KickoffMeeting.query(on: app.db).filter(\.$round == 1).first())
                .$mentor.id
            let present: User = firstPlanned == fixture.mentor.id ? other : fixture.mentor
            let people = [fixture.mentee, present]
            var cookies: [UUID: String] = [:]
            for person in people {
                let browser = TestBrowser(app)
                try await browser.signIn(as: person)
                cookies[try person.requireID()] = "rm_session=\(try #require(browser.cookies["rm_session"]))"
            }
            try await Self.withLiveServer(app) { port, bag in
                let url = "ws://127.0.0.1:\(port)/kickoff/\(kickoffID)/socket"
                var inboxes: [UUID: Inbox] = [:], sockets: [WebSocket] = []
                for person in people {
                    let (inbox, socket) = try await Self.openSocket(
                        url, cookie: cookies[try person.requireID()]!, on: app, bag: bag)
                    inboxes[try person.requireID()] = inbox
                    sockets.append(socket)
                }
                let menteeID = try fixture.mentee.requireID()
                #expect(await Self.eventually { await inboxes[menteeID]!.states().last?.phase == "notStarted" })
                try await sockets[0].send(#"{"type":"checkin"}"#)
                #expect(await Self.eventually { try! await KickoffCheckIn.query(on: app.db).count() == 1 })

                try await app.kickoffHub.control(
                    .start(at: await app.kickoffHub.now()), kickoffID: kickoffID, on: app.db)
                let partnered = await Self.eventually {
                    await inboxes[menteeID]!.states().last.map {
                        $0.phase == "talking" && $0.partner?.id == present.id?.uuidString
                    } == true
                }
                #expect(partnered, "round 1 re-planned with the mentor who came")
                let round1 = try await KickoffMeeting.query(on: app.db).filter(\.$round == 1).all()
                #expect(round1.map(\.$mentor.id) == [try present.requireID()])
                #expect(await inboxes[try present.requireID()]!.states().last?.partner?.id == menteeID.uuidString)

            }
        }
    }

    @Test(
        "A mentor who leaves during round 1 is planned out at the break: the switch goes out first, then the new partner"
    )
    func breakReplanAfterLeaving() async throws {
        try await withTestApp { app in
            // A short grace, so that leaving counts before the 2-second break.
            app.kickoffHub = KickoffHub(database: { [weak app] in app?.db }, presenceGrace: 0.3)
            let fixture = try await Fixture.make(on: app.db)
            let programmeID = try fixture.programme.requireID()
            var mentors = [fixture.mentor]
            for (index, name) in ["Zweite Mentorin", "Dritter Mentor"].enumerated() {
                let user = User(email: "mentor\(index + 2)@test.example", name: name)
                try await user.create(on: app.db)
                try await Participation(userID: user.requireID(), programmeID: programmeID, role: .mentor).create(
                    on: app.db)
                mentors.append(user)
            }
            let kickoff = Kickoff(
                programmeID: programmeID, startsAt: Date(), rounds: 2, roundSeconds: 2, breakSeconds: 2)
            try await kickoff.create(on: app.db)
            try await KickoffPlanning.generate(kickoff: kickoff, on: app.db, now: app.clock.now())
            let kickoffID = try kickoff.requireID()
            let planned = try await KickoffMeeting.query(on: app.db).sort(\.$round).all()
            #expect(planned.map(\.round) == [1, 2])
            let leaving = planned[1].$mentor.id
            let spare = try #require(mentors.first { ![planned[0].$mentor.id, leaving].contains($0.id!) }).requireID()

            let people = [fixture.mentee] + mentors
            try await Self.withLiveServer(app) { port, bag in
                var inboxes: [UUID: Inbox] = [:], sockets: [UUID: WebSocket] = [:]
                for person in people {
                    let browser = TestBrowser(app)
                    try await browser.signIn(as: person)
                    let cookie = "rm_session=\(try #require(browser.cookies["rm_session"]))"
                    let id = try person.requireID()
                    (inboxes[id], sockets[id]) = try await Self.openSocket(
                        "ws://127.0.0.1:\(port)/kickoff/\(kickoffID)/socket", cookie: cookie, on: app, bag: bag)
                }
                let menteeID = try fixture.mentee.requireID()
                let mentee = try #require(inboxes[menteeID])
                #expect(await Self.eventually { await mentee.states().last?.phase == "notStarted" })

                // Everybody is here at the start: the plan stays.
                try await app.kickoffHub.control(
                    .start(at: await app.kickoffHub.now()), kickoffID: kickoffID, on: app.db)
                #expect(await Self.eventually { await mentee.states().last?.phase == "talking" })
                #expect(await mentee.states().last?.partner?.id == planned[0].$mentor.id.uuidString)
                try await sockets[leaving]?.close()

                // The break: first the switch with the old next partner, then the re-plan's new one.
                let replanned = await Self.eventually(8) {
                    await mentee.states().last.map { $0.phase == "between" && $0.partner?.id == spare.uuidString }
                        == true
                }
                #expect(replanned, "the mentee's round-2 partner is the mentor who stayed, during the break")
                let betweenStates = await mentee.states().filter { $0.phase == "between" }
                #expect(betweenStates.first?.partner?.id == leaving.uuidString, "the break went out before the re-plan")
                #expect(
                    await Self.eventually(6) {
                        await mentee.states().last.map { $0.phase == "talking" && $0.round == 2 } == true
                    })
                #expect(await mentee.states().last?.partner?.id == spare.uuidString)
                let round2 = try await KickoffMeeting.query(on: app.db).filter(\.$round == 2).all()
                #expect(round2.map(\.$mentor.id) == [spare], "the new plan is stored")
                #expect(await inboxes[spare]!.states().last?.partner?.id == menteeID.uuidString)

            }
        }
    }
}

/// The socket an upgrade callback hands over, read from the test's task: behind a lock.
final class SocketHolder: Sendable {
    private let box = NIOLockedValueBox<WebSocket?>(nil)
    var socket: WebSocket? {
        get { box.withLockedValue { $0 } }
        set { box.withLockedValue { $0 = newValue } }
    }
}

/// The sockets a test opened, closed by `withLiveServer` whatever happens.
final class SocketBag: Sendable {
    private let sockets = NIOLockedValueBox<[WebSocket]>([])
    func add(_ socket: WebSocket) { sockets.withLockedValue { $0.append(socket) } }
    func closeAll() async {
        for socket in sockets.withLockedValue({ $0 }) { try? await socket.close() }
    }
}
