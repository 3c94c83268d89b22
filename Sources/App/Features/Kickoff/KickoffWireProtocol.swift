import Foundation

/// The live kickoff's WebSocket protocol (Public/js/live.js is the other end): one JSON object per text frame,
/// its kind in `type`.
///
/// Client → server: `{"type":"ping","t":<client ms>}`, `{"type":"state"}`, `{"type":"checkin"}`,
/// `{"type":"signal","data":{…}}` (WebRTC signalling, relayed as it is).
/// Server → client: `{"type":"pong","t":<the ping's t>,"serverTime":<ms>}`, `{"type":"state",…}` (see
/// `StateMessage`), `{"type":"signal","round":<n>,"data":{…}}`.
extension KickoffHub {
    struct Card: Codable, Sendable, Equatable {
        let id: String
        let name: String
        let role: String
        let topics: [String]
    }

    /// What a client is told. Times are the server's, in milliseconds since 1970. Absent values are left out.
    struct StateMessage: Codable, Sendable, Equatable {
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

    /// What a client sends. Anything else (another `type`, not JSON) is ignored by the hub.
    enum ClientMessage: Decodable, Sendable, Equatable {
        /// Clock synchronisation: `t` is the client's time, echoed back untouched in the pong.
        case ping(t: JSONValue)
        /// Asks for the current state again.
        case state
        /// "I'm here" from the lobby.
        case checkin
        /// WebRTC signalling for the current partner; nil when the message had no `data` (nothing is relayed).
        case signal(data: JSONValue?)

        private enum CodingKeys: String, CodingKey { case type, t, data }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            switch try container.decode(String.self, forKey: .type) {
            case "ping": self = .ping(t: try container.decodeIfPresent(JSONValue.self, forKey: .t) ?? .integer(0))
            case "state": self = .state
            case "checkin": self = .checkin
            case "signal":
                self = .signal(
                    data: container.contains(.data) ? try container.decode(JSONValue.self, forKey: .data) : nil)
            case let other:
                throw DecodingError.dataCorruptedError(
                    forKey: .type, in: container, debugDescription: "unknown type \(other)")
            }
        }

        /// The message in a text frame, or nil for anything the hub does not understand.
        static func parse(_ text: String) -> ClientMessage? {
            try? JSONDecoder().decode(ClientMessage.self, from: Data(text.utf8))
        }
    }

    /// What the server sends.
    enum ServerMessage: Encodable, Sendable, Equatable {
        case pong(t: JSONValue, serverTime: Int64)
        case state(StateMessage)
        /// A partner's signalling, for the round it was sent in.
        case signal(round: Int, data: JSONValue)

        private enum CodingKeys: String, CodingKey { case type, t, serverTime, round, data }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .pong(let t, let serverTime):
                try container.encode("pong", forKey: .type)
                try container.encode(t, forKey: .t)
                try container.encode(serverTime, forKey: .serverTime)
            case .state(let state):
                try container.encode("state", forKey: .type)
                try state.encode(to: encoder)  // the state's fields beside `type`, in the same object
            case .signal(let round, let data):
                try container.encode("signal", forKey: .type)
                try container.encode(round, forKey: .round)
                try container.encode(data, forKey: .data)
            }
        }

        /// The text frame, or nil if it cannot be encoded (it always can: no floats that are not finite).
        func text(encoder: JSONEncoder = JSONEncoder()) -> String? {
            guard let data = try? encoder.encode(self) else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// Any JSON value, for what the server passes on without looking inside (the ping's time, WebRTC signalling).
    enum JSONValue: Codable, Sendable, Equatable {
        case null
        case bool(Bool)
        case integer(Int64)
        case number(Double)
        case string(String)
        case array([JSONValue])
        case object([String: JSONValue])

        init(from decoder: any Decoder) throws {
            if var array = try? decoder.unkeyedContainer() {
                var values: [JSONValue] = []
                while !array.isAtEnd { values.append(try array.decode(JSONValue.self)) }
                self = .array(values)
                return
            }
            if let object = try? decoder.container(keyedBy: AnyKey.self) {
                var values: [String: JSONValue] = [:]
                for key in object.allKeys { values[key.stringValue] = try object.decode(JSONValue.self, forKey: key) }
                self = .object(values)
                return
            }
            let value = try decoder.singleValueContainer()
            if value.decodeNil() {
                self = .null
            } else if let bool = try? value.decode(Bool.self) {
                self = .bool(bool)
            } else if let integer = try? value.decode(Int64.self) {
                self = .integer(integer)
            } else if let number = try? value.decode(Double.self) {
                self = .number(number)
            } else {
                self = .string(try value.decode(String.self))
            }
        }

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .null:
                var value = encoder.singleValueContainer()
                try value.encodeNil()
            case .bool(let bool):
                var value = encoder.singleValueContainer()
                try value.encode(bool)
            case .integer(let integer):
                var value = encoder.singleValueContainer()
                try value.encode(integer)
            case .number(let number):
                var value = encoder.singleValueContainer()
                try value.encode(number)
            case .string(let string):
                var value = encoder.singleValueContainer()
                try value.encode(string)
            case .array(let values):
                var array = encoder.unkeyedContainer()
                for element in values { try array.encode(element) }
            case .object(let values):
                var object = encoder.container(keyedBy: AnyKey.self)
                for (key, element) in values { try object.encode(element, forKey: AnyKey(key)) }
            }
        }

        private struct AnyKey: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(_ string: String) { stringValue = string }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
    }
}
