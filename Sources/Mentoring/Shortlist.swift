/// A mentee's ranked favourites after the kickoff: only mentors they met, no one twice, at most `size`.
public enum Shortlist {
    public enum Problem: Error, Equatable, Sendable {
        case tooMany(count: Int, allowed: Int)
        case notMet(String)
        case duplicate(String)
        case empty
    }

    /// Checks the picks in rank order; returns them unchanged or the first problem.
    public static func validate(_ picks: [String], met: Set<String>, size: Int) -> Result<[String], Problem> {
        if picks.isEmpty { return .failure(.empty) }
        if picks.count > size { return .failure(.tooMany(count: picks.count, allowed: size)) }
        var seen = Set<String>()
        for pick in picks {
            guard met.contains(pick) else { return .failure(.notMet(pick)) }
            guard seen.insert(pick).inserted else { return .failure(.duplicate(pick)) }
        }
        return .success(picks)
    }

    /// A mentor's marks: the mentees they would like to mentor, any number (none is an answer too), only
    /// mentees they met, no one twice.
    public static func validateMarks(_ marks: [String], met: Set<String>) -> Result<[String], Problem> {
        var seen = Set<String>()
        for mark in marks {
            guard met.contains(mark) else { return .failure(.notMet(mark)) }
            guard seen.insert(mark).inserted else { return .failure(.duplicate(mark)) }
        }
        return .success(marks)
    }
}

/// How well a mentor's topics fit a mentee's interests, for the kickoff plan: the number of shared topics
/// (compared case-insensitively), so people with something to talk about meet first.
public enum TopicFit {
    public static func score(mentorTopics: [String], menteeTopics: [String]) -> Int {
        let wanted = Set(menteeTopics.map { $0.trimmingWhitespace().lowercased() }.filter { !$0.isEmpty })
        return Set(mentorTopics.map { $0.trimmingWhitespace().lowercased() }).intersection(wanted).count
    }
}
