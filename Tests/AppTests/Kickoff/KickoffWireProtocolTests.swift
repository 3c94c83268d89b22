import Foundation
import Testing

@testable import App

/// The live kickoff's messages against the JSON that Public/js/live.js sends and reads.
@Suite("Kickoff wire protocol")
struct KickoffWireProtocolTests {
    typealias JSONValue = KickoffHub.JSONValue

    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// The message as the server writes it, read back as plain JSON (key order and escaping do not matter).
    static func encoded(_ message: KickoffHub.ServerMessage) throws -> JSONValue {
        try json(try #require(message.text()))
    }

    // What live.js sends: `send({ type: "ping", t: Date.now() })` and the like, through JSON.stringify.
    static let candidate =
        #"{"candidate":{"candidate":"candidate:842163049 1 udp 1677729535 127.0.0.1 54400 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sK3k network-cost 999","sdpMid":"0","sdpMLineIndex":0,"usernameFragment":"sK3k"},"round":2}"#
    static let offer =
        #"{"description":{"type":"offer","sdp":"v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=fingerprint:sha-256 AB:CD\r\n"},"round":1}"#
    static let answer = #"{"description":{"type":"answer","sdp":"v=0\r\n"},"round":1}"#
    static let ready = #"{"ready":true,"round":3}"#

    @Test("Every message the client sends is understood")
    func clientMessages() throws {
        let parse = KickoffHub.ClientMessage.parse
        #expect(parse(#"{"type":"ping","t":1764513600123}"#) == .ping(t: .integer(1_764_513_600_123)))
        #expect(parse(#"{"type":"ping","t":1764513600123.5}"#) == .ping(t: .number(1_764_513_600_123.5)))
        #expect(parse(#"{"type":"state"}"#) == .state)
        #expect(parse(#"{"type":"checkin"}"#) == .checkin)
        for data in [Self.candidate, Self.offer, Self.answer, Self.ready] {
            #expect(parse(#"{"type":"signal","data":"# + data + "}") == .signal(data: try Self.json(data)))
        }
        // As before: a ping without `t` is answered with t 0; a signal without data is not relayed.
        #expect(parse(#"{"type":"ping"}"#) == .ping(t: .integer(0)))
        #expect(parse(#"{"type":"signal"}"#) == .signal(data: nil))
        #expect(parse(#"{"type":"signal","data":null}"#) == .signal(data: .null))
        // Anything else is ignored.
        for text in [#"{"type":"pong","t":1}"#, #"{"t":1}"#, #"{"type":3}"#, "[]", "ping", ""] {
            #expect(parse(text) == nil, "\(text)")
        }
    }

    @Test("The pong echoes the ping's time beside the server's")
    func pong() throws {
        guard case .ping(let t) = KickoffHub.ClientMessage.parse(#"{"type":"ping","t":1764513600123}"#) else {
            Issue.record("not a ping")
            return
        }
        #expect(
            try Self.encoded(.pong(t: t, serverTime: 1_764_513_600_456))
                == Self.json(#"{"type":"pong","t":1764513600123,"serverTime":1764513600456}"#))
    }

    @Test("Signalling reaches the partner exactly as it was sent, with the round")
    func signal() throws {
        for data in [Self.candidate, Self.offer, Self.answer, Self.ready] {
            guard case .signal(let payload?) = KickoffHub.ClientMessage.parse(#"{"type":"signal","data":"# + data + "}")
            else {
                Issue.record("not a signal: \(data)")
                continue
            }
            let relayed = try Self.encoded(.signal(round: 2, data: payload))
            #expect(relayed == (try Self.json(#"{"type":"signal","round":2,"data":"# + data + "}")))
        }
        // The SDP's line breaks and slashes survive the trip.
        let text = try #require(KickoffHub.ServerMessage.signal(round: 1, data: try Self.json(Self.offer)).text())
        let read = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let description = (read?["data"] as? [String: Any])?["description"] as? [String: Any]
        #expect((description?["sdp"] as? String)?.contains("UDP/TLS/RTP/SAVPF 96\r\na=fingerprint") == true)
    }

    @Test("A state with everything in it, for an organiser")
    func fullState() throws {
        let mentor = KickoffHub.Card(
            id: "6F9619FF-8B86-D011-B42D-00C04FC964FF", name: "Ada Mentor", role: "mentor", topics: ["Swift", "KI"])
        let earlier = KickoffHub.Card(
            id: "7F9619FF-8B86-D011-B42D-00C04FC964FF", name: "Bo Mentor", role: "mentor", topics: [])
        let state = KickoffHub.StateMessage(
            serverTime: 1_764_513_600_000, phase: "talking", round: 2, rounds: 3, endsAt: 1_764_513_620_000,
            partner: mentor,
            caller: true, connected: 41, meetingLink: "https://meet.jit.si/rm-abc/2",
            previous: .init(round: 1, partner: earlier), checkedIn: true,
            presence: [.init(name: "Ada Mentor", role: "mentor", connected: true, checkedIn: false)])
        let expected = #"""
            {"type":"state","serverTime":1764513600000,"phase":"talking","round":2,"rounds":3,"endsAt":1764513620000,
             "partner":{"id":"6F9619FF-8B86-D011-B42D-00C04FC964FF","name":"Ada Mentor","role":"mentor","topics":["Swift","KI"]},
             "caller":true,"connected":41,"meetingLink":"https://meet.jit.si/rm-abc/2",
             "previous":{"round":1,"partner":{"id":"7F9619FF-8B86-D011-B42D-00C04FC964FF","name":"Bo Mentor","role":"mentor","topics":[]}},
             "checkedIn":true,"presence":[{"name":"Ada Mentor","role":"mentor","connected":true,"checkedIn":false}]}
            """#
        #expect(try Self.encoded(.state(state)) == Self.json(expected))
    }

    @Test("A lobby state: what is not there is left out (the client tests for absence)")
    func lobbyState() throws {
        let state = KickoffHub.StateMessage(
            serverTime: 1_764_513_600_000, phase: "notStarted", round: nil, rounds: 3, endsAt: nil, partner: nil,
            caller: false, connected: 0, meetingLink: nil, previous: nil, checkedIn: false, presence: nil)
        #expect(
            try Self.encoded(.state(state))
                == Self.json(
                    #"{"type":"state","serverTime":1764513600000,"phase":"notStarted","rounds":3,"caller":false,"connected":0,"checkedIn":false}"#
                ))
    }

    /// The page script and the types agree: every `type` it sends is a client message, every one it handles a
    /// server message.
    @Test("live.js sends and handles exactly these types")
    func clientScript() throws {
        let script = try String(contentsOfFile: packageRoot + "/Public/js/live.js", encoding: .utf8)
        func types(after prefix: String) -> Set<String> {
            var found = Set<String>()
            var rest = Substring(script)
            while let range = rest.range(of: prefix) {
                rest = rest[range.upperBound...]
                if let end = rest.firstIndex(of: "\"") { found.insert(String(rest[..<end])) }
            }
            return found
        }
        let sent = types(after: "send({ type: \"")
        #expect(sent == ["ping", "checkin", "signal"])
        for type in sent {
            let data = type == "signal" ? #","data":{"ready":true,"round":1}"# : ""
            #expect(KickoffHub.ClientMessage.parse(#"{"type":""# + type + "\"" + data + "}") != nil, "\(type)")
        }
        #expect(types(after: "message.type === \"") == ["pong", "state", "signal"])
    }
}
