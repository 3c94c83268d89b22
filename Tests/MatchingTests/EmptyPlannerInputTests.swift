import Testing

@testable import Matching

/// Zero mentees, zero mentors or no candidates are valid (a header-only input file): empty answers, no trap.
@Suite("Planners with nothing to plan")
struct EmptyPlannerInputTests {
    @Test("the planners accept zero mentees, mentors and candidates")
    func plannersWithNothing() throws {
        for (n, m) in [(0, 0), (0, 3), (3, 0)] {
            let plan = try MeetingPlanner.plan(menteeCount: n, mentorCount: m, rounds: 3)
            #expect(plan.meetings.isEmpty && plan.plannedMeetings == 0 && plan.minimumMenteeMeetings == 0)
            let pairing = try PairingOptimizer.optimize(menteeCount: n, mentorCount: m, candidates: [])
            #expect(pairing.pairs.isEmpty && pairing.totalWeight == 0)
            #expect(pairing.unpaired.count == n && pairing.unpaired.values.allSatisfy { $0 == .noAllowedPair })
            let capacities = try PairingOptimizer.optimize(
                menteeCount: n, mentorCount: m, candidates: [], capacities: [Int](repeating: 2, count: m))
            #expect(capacities.pairs.isEmpty)
            let dense = PairingOptimizer.optimizeDense(weights: [], menteeCount: n, mentorCount: m)
            #expect(dense.pairs.isEmpty && dense.totalWeight == 0)
        }
    }
}
