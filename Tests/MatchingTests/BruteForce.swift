@testable import Matching

/// Exhaustive reference solvers for small instances.
enum BruteForce {
    /// Best (pair count, total weight) over all feasible pairings, by exhaustive search with memo.
    static func pairing(menteeCount: Int, candidates: [PairCandidate], capacities: [Int]) -> (count: Int, weight: Int) {
        var byMentee = [[PairCandidate]](repeating: [], count: menteeCount)
        for c in candidates { byMentee[c.mentee].append(c) }
        var memo: [[Int]: (Int, Int)] = [:]
        func best(_ i: Int, _ capacity: inout [Int]) -> (Int, Int) {
            if i == menteeCount { return (0, 0) }
            let key = [i] + capacity
            if let hit = memo[key] { return hit }
            var result = best(i + 1, &capacity)  // mentee i stays unpaired
            for c in byMentee[i] where capacity[c.mentor] > 0 {
                capacity[c.mentor] -= 1
                let rest = best(i + 1, &capacity)
                capacity[c.mentor] += 1
                let option = (rest.0 + 1, rest.1 + c.weight)
                if option > result { result = option }
            }
            memo[key] = result
            return result
        }
        var capacity = capacities
        return best(0, &capacity)
    }

    /// Best (minimum mentee total, meetings, fit) over all meeting sets with degrees ≤ `openRounds`.
    static func meetings(
        mentees: [Int], mentors: [Int], openRounds: Int, allowed: [(mentee: Int, mentor: Int, fit: Int)],
        heldCount: [String: Int] = [:]
    ) -> (minimum: Int, total: Int, fit: Int) {
        var degree: [String: Int] = [:]
        var best = (Int.min, Int.min, Int.min)
        func score() -> (Int, Int, Int) {
            let minimum = mentees.map { (degree["e\($0)"] ?? 0) + (heldCount["e\($0)"] ?? 0) }.min() ?? 0
            return (minimum, 0, 0)
        }
        func go(_ k: Int, _ total: Int, _ fit: Int) {
            if k == allowed.count {
                let s = (score().0, total, fit)
                if s > best { best = s }
                return
            }
            go(k + 1, total, fit)
            let e = allowed[k]
            let a = "e\(e.mentee)", b = "r\(e.mentor)"
            if (degree[a] ?? 0) < openRounds && (degree[b] ?? 0) < openRounds {
                degree[a, default: 0] += 1
                degree[b, default: 0] += 1
                go(k + 1, total + 1, fit + e.fit)
                degree[a, default: 0] -= 1
                degree[b, default: 0] -= 1
            }
        }
        go(0, 0, 0)
        return best
    }
}

/// Checks the rules every plan must satisfy; returns the problems found.
func violations(
    of plan: MeetingPlan, rounds: Int, excluded: Set<[Int]>, held: [Meeting] = [], firstOpenRound: Int = 1,
    absentMentees: Set<Int> = [], absentMentors: Set<Int> = []
) -> [String] {
    var problems: [String] = []
    var seenPairs = Set<[Int]>()
    var busy = Set<[Int]>()
    for meeting in plan.meetings {
        if meeting.round < 1 || meeting.round > rounds { problems.append("round out of range: \(meeting)") }
        if !seenPairs.insert([meeting.mentee, meeting.mentor]).inserted {
            problems.append("pair meets twice: \(meeting)")
        }
        if excluded.contains([meeting.mentee, meeting.mentor]) { problems.append("excluded pair meets: \(meeting)") }
        if !busy.insert([0, meeting.round, meeting.mentee]).inserted {
            problems.append("mentee double-booked: \(meeting)")
        }
        if !busy.insert([1, meeting.round, meeting.mentor]).inserted {
            problems.append("mentor double-booked: \(meeting)")
        }
        if meeting.round >= firstOpenRound
            && (absentMentees.contains(meeting.mentee) || absentMentors.contains(meeting.mentor))
        {
            problems.append("absent person planned: \(meeting)")
        }
    }
    for h in held where h.round < firstOpenRound && !plan.meetings.contains(h) {
        problems.append("held meeting lost: \(h)")
    }
    return problems
}
