import PropertyBased
import TestSupport
import Testing

@testable import Matching

@Suite("MeetingPlanner")
struct MeetingPlannerTests {
    /// Codes per cell of a 5×5 grid: 0 = excluded, 1 = fit 0 (not listed), 2... = listed fit.
    static let cellCode = Gen.int(in: 0...6)
    static let fits = [0, 0, 0, -2, 1, 3, 7]

    static func instance(
        _ n: Int, _ m: Int, _ codes: [Int]
    ) -> (fit: [PairFit], excluded: [(mentee: Int, mentor: Int)]) {
        var fit: [PairFit] = []
        var excluded: [(mentee: Int, mentor: Int)] = []
        for i in 0..<n {
            for j in 0..<m {
                let code = codes[i * 5 + j]
                if code == 0 {
                    excluded.append((i, j))
                } else if code >= 3 {
                    fit.append(PairFit(mentee: i, mentor: j, fit: fits[code]))
                }
            }
        }
        return (fit, excluded)
    }

    static func reference(
        mentees: [Int], mentors: [Int], openRounds: Int, fit: [PairFit], blocked: Set<[Int]>,
        heldCount: [String: Int] = [:]
    ) -> (minimum: Int, total: Int, fit: Int) {
        var allowed: [(mentee: Int, mentor: Int, fit: Int)] = []
        for i in mentees {
            for j in mentors where !blocked.contains([i, j]) {
                allowed.append((i, j, fit.first { $0.mentee == i && $0.mentor == j }?.fit ?? 0))
            }
        }
        return BruteForce.meetings(
            mentees: mentees, mentors: mentors, openRounds: openRounds, allowed: allowed, heldCount: heldCount)
    }

    @Test("objectives equal brute force on random small instances; plans are valid")
    func matchesBruteForce() async throws {
        await propertyCheck(
            count: 250,
            input: Gen.int(in: 0...4), Gen.int(in: 0...4), Gen.int(in: 1...4), Self.cellCode.array(of: 25),
            Gen.int(in: 1...3)
        ) { n, m, rounds, codes, partners in
            let (fit, excluded) = Self.instance(n, m, codes)
            // Few initial partners force the pricing loop to add pairs; the result must not depend on it.
            // Default path (certified fast path, else full flow) and the pricing path with few initial
            // partners must both be optimal.
            for knob in [nil, partners] {
                let plan = try MeetingPlanner.replan(
                    menteeCount: n, mentorCount: m, rounds: rounds, fit: fit, excluded: excluded, held: [],
                    firstOpenRound: 1, absentMentees: [], absentMentors: [], initialPartners: knob)
                let blocked = Set(excluded.map { [$0.mentee, $0.mentor] })
                #expect(violations(of: plan, rounds: rounds, excluded: blocked).isEmpty)
                let expected = Self.reference(
                    mentees: Array(0..<n), mentors: Array(0..<m), openRounds: rounds, fit: fit, blocked: blocked)
                #expect(plan.minimumMenteeMeetings == (n == 0 ? 0 : expected.minimum))
                #expect(plan.plannedMeetings == expected.total)
                #expect(plan.plannedFit == expected.fit)
                #expect(plan.meetings.count == plan.plannedMeetings)
                let fitOf = Dictionary(uniqueKeysWithValues: fit.map { ([$0.mentee, $0.mentor], $0.fit) })
                #expect(plan.meetings.reduce(0) { $0 + (fitOf[[$1.mentee, $1.mentor]] ?? 0) } == plan.plannedFit)
            }
        }
    }

    @Test("re-planning keeps held meetings and is optimal for the rest, with drop-outs and late joiners")
    func replanMatchesBruteForce() async throws {
        await propertyCheck(
            count: 200,
            input: Gen.int(in: 1...4), Gen.int(in: 1...4), Gen.int(in: 2...4), Self.cellCode.array(of: 25),
            Gen.int(in: 0...15), Gen.int(in: 0...15)
        ) { n, m, rounds, codes, absentMask, lateMask in
            let (fit, excluded) = Self.instance(n, m, codes)
            // Late joiners (bit set in lateMask) are not in the first plan; everyone is present for round 1.
            let lateMentees = Set((0..<n).filter { lateMask & (1 << $0) != 0 && $0 > 0 })
            let first = try MeetingPlanner.replan(
                menteeCount: n, mentorCount: m, rounds: rounds, fit: fit, excluded: excluded, held: [],
                firstOpenRound: 1, absentMentees: lateMentees, absentMentors: [])
            let held = first.meetings.filter { $0.round == 1 }
            let absentMentors = Set((0..<m).filter { absentMask & (1 << $0) != 0 })
            for knob in [nil, 1] {
                let plan = try MeetingPlanner.replan(
                    menteeCount: n, mentorCount: m, rounds: rounds, fit: fit, excluded: excluded, held: first.meetings,
                    firstOpenRound: 2, absentMentees: [], absentMentors: absentMentors, initialPartners: knob)
                var blocked = Set(excluded.map { [$0.mentee, $0.mentor] })
                #expect(
                    violations(
                        of: plan, rounds: rounds, excluded: blocked, held: held, firstOpenRound: 2,
                        absentMentors: absentMentors
                    ).isEmpty)
                for h in held { blocked.insert([h.mentee, h.mentor]) }
                var heldCount: [String: Int] = [:]
                for h in held { heldCount["e\(h.mentee)", default: 0] += 1 }
                let expected = Self.reference(
                    mentees: Array(0..<n), mentors: (0..<m).filter { !absentMentors.contains($0) },
                    openRounds: rounds - 1, fit: fit, blocked: blocked, heldCount: heldCount)
                #expect(plan.minimumMenteeMeetings == expected.minimum)
                #expect(plan.plannedMeetings == expected.total)
                #expect(plan.plannedFit == expected.fit)
                #expect(plan.meetings.filter { $0.round == 1 } == held.sorted())
            }
        }
    }

    @Test("edge colouring: a proper preferred colouring comes back unchanged; any preferences give a proper one")
    func colouringKeepsPreferredColours() async throws {
        await propertyCheck(
            count: 200, input: Gen.int(in: 1...6), Gen.int(in: 1...6), Gen.int(in: 1...4), Gen.int(in: 0...1_000_000)
        ) { n, m, colours, seed in
            var random = SplitMix64(seed: UInt64(seed))
            // A random bipartite graph with degrees ≤ colours: a random subset of a proper colouring's edges.
            var edges: [(Int, Int)] = []
            for i in 0..<n {
                for j in 0..<m where random.next() % 3 != 0 { edges.append((i, j)) }
            }
            var degreeLeft = [Int](repeating: 0, count: n), degreeRight = [Int](repeating: 0, count: m)
            edges = edges.filter { edge in
                guard degreeLeft[edge.0] < colours, degreeRight[edge.1] < colours else { return false }
                degreeLeft[edge.0] += 1
                degreeRight[edge.1] += 1
                return true
            }
            let proper = EdgeColouring.colour(edges: edges, leftCount: n, rightCount: m, colours: colours)
            // Relabel the colours, so the preferred colouring is not simply the one the algorithm finds.
            let relabel = (0..<colours).map { ($0 + seed) % colours }
            let preferred = proper.map { relabel[$0] }
            #expect(
                EdgeColouring.colour(edges: edges, leftCount: n, rightCount: m, colours: colours, preferred: preferred)
                    == preferred)
            // Arbitrary (partly conflicting, partly missing) preferences still give a proper colouring.
            let arbitrary = edges.map { _ in Int(random.next() % UInt64(colours + 1)) - 1 }
            let result = EdgeColouring.colour(
                edges: edges, leftCount: n, rightCount: m, colours: colours, preferred: arbitrary)
            var seen = Set<[Int]>()
            for (k, edge) in edges.enumerated() {
                #expect((0..<colours).contains(result[k]))
                #expect(seen.insert([0, edge.0, result[k]]).inserted && seen.insert([1, edge.1, result[k]]).inserted)
            }
        }
    }

    @Test("more mentees than mentors: as fair as possible")
    func moreMenteesThanMentors() throws {
        // 5 mentees, 2 mentors, 4 rounds: 8 meeting slots for 5 mentees, so everyone gets at least 1.
        let plan = try MeetingPlanner.plan(menteeCount: 5, mentorCount: 2, rounds: 4)
        #expect(plan.minimumMenteeMeetings == 1)
        #expect(plan.plannedMeetings == 8)
        #expect(violations(of: plan, rounds: 4, excluded: []).isEmpty)
    }

    @Test("fewer participants than rounds, and more mentors than mentees")
    func fewParticipants() throws {
        let plan = try MeetingPlanner.plan(menteeCount: 2, mentorCount: 3, rounds: 8)
        #expect(plan.minimumMenteeMeetings == 3)
        #expect(plan.plannedMeetings == 6)
        #expect(plan.meetings.allSatisfy { (1...8).contains($0.round) })
    }

    @Test("greedy by fit loses fairness: the best-fit pair must give way")
    func greedyByFitFails() throws {
        // One round. Mentee 0 fits mentor 0 best (fit 9), but mentee 1 can only meet mentor 0.
        let plan = try MeetingPlanner.plan(
            menteeCount: 2, mentorCount: 2, rounds: 1, fit: [PairFit(mentee: 0, mentor: 0, fit: 9)],
            excluded: [(1, 1)])
        #expect(plan.minimumMenteeMeetings == 1)
        #expect(Set(plan.meetings.map { [$0.mentee, $0.mentor] }) == [[0, 1], [1, 0]])
    }

    @Test("rejects bad input")
    func badInput() {
        #expect(throws: MeetingPlannerInputError.roundsOutOfRange(0)) {
            try MeetingPlanner.plan(menteeCount: 1, mentorCount: 1, rounds: 0)
        }
        #expect(throws: MeetingPlannerInputError.duplicatePair(mentee: 0, mentor: 0)) {
            try MeetingPlanner.plan(menteeCount: 1, mentorCount: 1, excluded: [(0, 0), (0, 0)])
        }
        #expect(throws: MeetingPlannerInputError.fitOutOfRange(mentee: 0, mentor: 0, fit: 2_000_000)) {
            try MeetingPlanner.plan(
                menteeCount: 1, mentorCount: 1, fit: [PairFit(mentee: 0, mentor: 0, fit: 2_000_000)])
        }
    }

    @Test("large instance: invariants and everyone gets R meetings")
    func largeInstance() throws {
        var rng = SplitMix64(seed: 7)
        let n = 400, m = 300, rounds = 8
        var fit: [PairFit] = []
        var seen = Set<Int>()
        for _ in 0..<2_000 {
            let i = Int.random(in: 0..<n, using: &rng), j = Int.random(in: 0..<m, using: &rng)
            if seen.insert(i * m + j).inserted {
                fit.append(PairFit(mentee: i, mentor: j, fit: Int.random(in: 1...100, using: &rng)))
            }
        }
        let excluded = (0..<500).compactMap { _ -> (mentee: Int, mentor: Int)? in
            let i = Int.random(in: 0..<n, using: &rng), j = Int.random(in: 0..<m, using: &rng)
            return seen.insert(i * m + j).inserted ? (i, j) : nil
        }
        let plan = try MeetingPlanner.plan(menteeCount: n, mentorCount: m, rounds: rounds, fit: fit, excluded: excluded)
        #expect(violations(of: plan, rounds: rounds, excluded: Set(excluded.map { [$0.mentee, $0.mentor] })).isEmpty)
        // 300 mentors × 8 rounds = 2,400 slots for 400 mentees: 6 each is the fair optimum.
        #expect(plan.minimumMenteeMeetings == 6)
        #expect(plan.plannedMeetings == 2_400)
    }
}
