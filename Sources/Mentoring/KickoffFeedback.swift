import Foundation

/// The 10-second answer after each kickoff talk: would I like to continue with this person?
public enum ContinueAnswer: String, Codable, Sendable, CaseIterable {
    case yes, maybe, no
}

/// Rules for rating a talk and for the private note that goes with it.
public enum TalkFeedback {
    public static let maximumNoteLength = 2000

    public enum Problem: Error, Equatable, Sendable {
        /// No talk with this person in that round (or the round has not begun).
        case talkNotHeld
        case unknownAnswer(String)
        case noteTooLong(count: Int, allowed: Int)
    }

    /// Checks one rating. `heldPartner` is the partner the rater had in `round`, if that round has begun.
    public static func validate(
        answer raw: String, note: String, partner: String, heldPartner: String?
    ) -> Result<(ContinueAnswer, String), Problem> {
        guard let heldPartner, heldPartner == partner else { return .failure(.talkNotHeld) }
        guard let answer = ContinueAnswer(rawValue: raw) else { return .failure(.unknownAnswer(raw)) }
        let trimmed = note.trimmingWhitespace()
        guard trimmed.count <= maximumNoteLength else {
            return .failure(.noteTooLong(count: trimmed.count, allowed: maximumNoteLength))
        }
        return .success((answer, trimmed))
    }
}

/// A link to an external video meeting per pair (Teams, Jitsi, Zoom …), for organisers who do not want the
/// built-in video. The template is a URL with `{room}` (a stable, unguessable name per pair and event) and
/// optionally `{round}`; names never go into the URL, so the external service learns nothing about people.
public struct MeetingLinkTemplate: Sendable, Equatable {
    public enum Problem: Error, Equatable, Sendable {
        case notHTTPS
        case missingRoom
        case unknownPlaceholder(String)
        case invalidURL
        case tooLong
    }

    public let template: String
    public static let maximumLength = 500

    public init(_ raw: String) throws(Problem) {
        let template = raw.trimmingWhitespace()
        guard template.count <= Self.maximumLength else { throw .tooLong }
        guard template.lowercased().hasPrefix("https://") else { throw .notHTTPS }
        // Every {…} must be a known placeholder.
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { throw .invalidURL }
            let name = String(rest[rest.index(after: open)..<close])
            guard name == "room" || name == "round" else { throw .unknownPlaceholder(name) }
            rest = rest[rest.index(after: close)...]
        }
        guard template.contains("{room}") else { throw .missingRoom }
        self.template = template
        guard let link = URL(string: link(room: "abc", round: 1)), link.host?.isEmpty == false,
            !template.contains(" ")
        else { throw .invalidURL }
    }

    /// The link for one pair; `room` should be URL-safe (letters and digits).
    public func link(room: String, round: Int) -> String {
        template.replacingOccurrences(of: "{room}", with: room).replacingOccurrences(of: "{round}", with: String(round))
    }
}
