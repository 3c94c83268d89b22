/// The phases a programme goes through, in order. Each page checks the phase it belongs to.
public enum ProgrammePhase: String, Codable, Sendable, CaseIterable, Comparable {
    case draft, intake, kickoff, pairing, running, closed

    /// Position in the life cycle; phases only move forward one step at a time.
    public var order: Int { Self.allCases.firstIndex(of: self)! }

    public var next: ProgrammePhase? {
        let index = order + 1
        return index < Self.allCases.count ? Self.allCases[index] : nil
    }

    public static func < (lhs: ProgrammePhase, rhs: ProgrammePhase) -> Bool { lhs.order < rhs.order }
}

/// The role a person has in one programme.
public enum ParticipantRole: String, Codable, Sendable, CaseIterable {
    case mentor, mentee
}

/// Tandem duration rules from the programme brief: 4 to 12 months, 9 by default.
public enum TandemDuration {
    public static let allowedMonths = 4...12
    public static let defaultMonths = 9
}
