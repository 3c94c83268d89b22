import PropertyBased
import TestSupport
import Testing

@testable import Matching

@Suite("PairingOptimizer")
struct PairingOptimizerTests {
    /// Builds candidates from a grid of codes: -1 = not allowed, otherwise a weight.
    static func candidates(_ n: Int, _ m: Int, _ codes: [Int]) -> [PairCandidate] {
        var result: [PairCandidate] = []
        for i in 0..<n {
            for j in 0..<m where codes[i * 7 + j] >= 0 {
                result.append(PairCandidate(mentee: i, mentor: j, weight: codes[i * 7 + j]))
            }
        }
        return result
    }

    @Test("count, then weight, equal brute force on random instances up to 7×7 with capacities")
    func matchesBruteForce() async throws {
        let weightCode = Gen.int(in: -3...6).map { $0 < 0 ? -1 : [0, 1, 2, 5, 10, 999_999, 1_000_000][$0] }
        await propertyCheck(
            count: 400,
            input: Gen.int(in: 0...7), Gen.int(in: 0...7), weightCode.array(of: 49), Gen.int(in: 0...3).array(of: 7)
        ) { n, m, codes, capacityCodes in
            let candidates = Self.candidates(n, m, codes)
            let capacities = Array(capacityCodes.prefix(m)).map { $0 == 3 ? 1 : $0 }
            let pairing = try PairingOptimizer.optimize(
                menteeCount: n, mentorCount: m, candidates: candidates, capacities: capacities)
            let expected = BruteForce.pairing(menteeCount: n, candidates: candidates, capacities: capacities)
            #expect(pairing.pairs.count == expected.count)
            #expect(pairing.totalWeight == expected.weight)
            let viaPaths = try PairingOptimizer.optimizeBySuccessiveShortestPaths(
                menteeCount: n, mentorCount: m, candidates: candidates, capacities: capacities)
            #expect(viaPaths.pairs.count == expected.count)
            #expect(viaPaths.totalWeight == expected.weight)
            // Validity: allowed pairs, capacities respected, each mentee at most once, reasons complete.
            #expect(Set(pairing.pairs).isSubset(of: Set(candidates)))
            #expect(Set(pairing.pairs.map(\.mentee)).count == pairing.pairs.count)
            for j in 0..<m { #expect(pairing.pairs.filter { $0.mentor == j }.count <= capacities[j]) }
            #expect(pairing.unpaired.count + pairing.pairs.count == n)
            for (i, reason) in pairing.unpaired {
                let hasAllowed = candidates.contains { $0.mentee == i && capacities[$0.mentor] > 0 }
                #expect(reason == (hasAllowed ? .allAllowedMentorsFull : .noAllowedPair))
            }
        }
    }

    @Test("cost scaling equals successive shortest paths on random mid-size instances")
    func methodsAgree() async throws {
        await propertyCheck(
            count: 60, input: Gen.int(in: 1...80), Gen.int(in: 1...80), Gen.int(in: 1...6), Gen.int(in: 0...1_000_000)
        ) { n, m, degree, seed in
            var rng = SplitMix64(seed: UInt64(seed))
            var candidates: [PairCandidate] = []
            for i in 0..<n {
                for j in Set((0..<degree).map { _ in Int.random(in: 0..<m, using: &rng) }) {
                    // Few distinct weights: many ties, the hard case for exactness.
                    candidates.append(
                        PairCandidate(
                            mentee: i, mentor: j, weight: [0, 1, 500_000, 1_000_000].randomElement(using: &rng)!))
                }
            }
            let capacities = (0..<m).map { _ in Int.random(in: 0...3, using: &rng) }
            let a = try PairingOptimizer.optimize(
                menteeCount: n, mentorCount: m, candidates: candidates, capacities: capacities)
            let b = try PairingOptimizer.optimizeBySuccessiveShortestPaths(
                menteeCount: n, mentorCount: m, candidates: candidates, capacities: capacities)
            #expect(a.pairs.count == b.pairs.count)
            #expect(a.totalWeight == b.totalWeight)
        }
    }

    @Test("auction (capacity 1) equals brute force up to 7×7, with unavailable mentors")
    func auctionMatchesBruteForce() async throws {
        let weightCode = Gen.int(in: -3...6).map { $0 < 0 ? -1 : [0, 1, 2, 5, 10, 999_999, 1_000_000][$0] }
        await propertyCheck(
            count: 400, input: Gen.int(in: 0...7), Gen.int(in: 0...7), weightCode.array(of: 49),
            Gen.int(in: 0...4).array(of: 7)
        ) { n, m, codes, capacityCodes in
            let candidates = Self.candidates(n, m, codes)
            let capacities = Array(capacityCodes.prefix(m)).map { $0 == 0 ? 0 : 1 }
            let pairing = try #require(
                PairingOptimizer.optimizeByAuction(
                    menteeCount: n, mentorCount: m, candidates: candidates, capacities: capacities))
            let expected = BruteForce.pairing(menteeCount: n, candidates: candidates, capacities: capacities)
            #expect(pairing.pairs.count == expected.count)
            #expect(pairing.totalWeight == expected.weight)
            #expect(Set(pairing.pairs).isSubset(of: Set(candidates)))
            #expect(Set(pairing.pairs.map(\.mentee)).count == pairing.pairs.count)
            #expect(Set(pairing.pairs.map(\.mentor)).count == pairing.pairs.count)
            #expect(pairing.pairs.allSatisfy { capacities[$0.mentor] == 1 })
            #expect(pairing.unpaired.count + pairing.pairs.count == n)
            for (i, reason) in pairing.unpaired {
                let hasAllowed = candidates.contains { $0.mentee == i && capacities[$0.mentor] > 0 }
                #expect(reason == (hasAllowed ? .allAllowedMentorsFull : .noAllowedPair))
            }
        }
    }

    @Test("auction equals min-cost flow on random capacity-1 instances: unbalanced, empty rows, ties, weight 0")
    func auctionAgreesWithMinCostFlow() async throws {
        await propertyCheck(
            count: 150,
            input: Gen.int(in: 1...300), Gen.int(in: 1...300), Gen.int(in: 0...8), Gen.int(in: 0...1_000_000),
            Gen.int(in: 0...3)
        ) { n, m, degree, seed, weightKind in
            var rng = SplitMix64(seed: UInt64(seed))
            var candidates: [PairCandidate] = []
            for i in 0..<n where Int.random(in: 0..<10, using: &rng) > 0 {  // ~10 % of mentees without candidates
                // Mentors drawn from a small "popular" range half of the time: contention and duplicate best choices.
                let range = Bool.random(using: &rng) ? 0..<max(1, m / 8) : 0..<m
                for j in Set((0..<degree).map { _ in Int.random(in: range, using: &rng) }) {
                    let w: Int
                    switch weightKind {
                    case 0: w = [0, 1, 500_000, 1_000_000].randomElement(using: &rng)!
                    case 1: w = 0
                    case 2: w = 1_000_000
                    default: w = Int.random(in: 0...1_000_000, using: &rng)
                    }
                    candidates.append(PairCandidate(mentee: i, mentor: j, weight: w))
                }
            }
            let capacities = (0..<m).map { _ in Int.random(in: 0..<10, using: &rng) == 0 ? 0 : 1 }
            let auction = try #require(
                PairingOptimizer.optimizeByAuction(
                    menteeCount: n, mentorCount: m, candidates: candidates, capacities: capacities))
            let flow = PairingOptimizer.optimizeByMinCostFlow(
                menteeCount: n, mentorCount: m, candidates: candidates, capacities: capacities)
            #expect(auction.pairs.count == flow.pairs.count)
            #expect(auction.totalWeight == flow.totalWeight)
            #expect(Set(auction.pairs).isSubset(of: Set(candidates)))
            #expect(Set(auction.pairs.map(\.mentor)).count == auction.pairs.count)
            #expect(auction.pairs.allSatisfy { capacities[$0.mentor] == 1 })
            #expect(
                Set(auction.unpaired.filter { $0.value == .noAllowedPair }.keys)
                    == Set(flow.unpaired.filter { $0.value == .noAllowedPair }.keys))
        }
    }

    @Test("auction gives up past its work budget (then optimize uses min-cost flow)")
    func auctionBudget() throws {
        let candidates = (0..<20).flatMap { i in
            (0..<3).map { PairCandidate(mentee: i, mentor: $0, weight: i * 1_000 + $0) }
        }
        let ones = [Int](repeating: 1, count: 3)
        #expect(
            PairingOptimizer.optimizeByAuction(
                menteeCount: 20, mentorCount: 3, candidates: candidates, capacities: ones, budgetFactor: 0) == nil)
        let flow = PairingOptimizer.optimizeByMinCostFlow(
            menteeCount: 20, mentorCount: 3, candidates: candidates, capacities: ones)
        let auction = try #require(
            PairingOptimizer.optimizeByAuction(
                menteeCount: 20, mentorCount: 3, candidates: candidates, capacities: ones))
        #expect(auction.totalWeight == flow.totalWeight)  // 17 001 + 18 000 = 17 000 + 18 001: ties
        #expect(auction.pairs.map(\.mentee) == [17, 18, 19])
        #expect(
            try PairingOptimizer.optimize(menteeCount: 20, mentorCount: 3, candidates: candidates).totalWeight == 54_003
        )
    }

    @Test("dense solver equals brute force on complete random matrices")
    func denseMatchesBruteForce() async throws {
        await propertyCheck(
            count: 300, input: Gen.int(in: 0...7), Gen.int(in: 0...7), Gen.int(in: 0...20).array(of: 49)
        ) { n, m, values in
            let weights = (0..<n).flatMap { i in (0..<m).map { j in values[i * 7 + j] * 50_000 } }
            let pairing = PairingOptimizer.optimizeDense(weights: weights, menteeCount: n, mentorCount: m)
            let all = (0..<n).flatMap { i in
                (0..<m).map { PairCandidate(mentee: i, mentor: $0, weight: weights[i * m + $0]) }
            }
            let expected = BruteForce.pairing(
                menteeCount: n, candidates: all, capacities: [Int](repeating: 1, count: m))
            #expect(pairing.pairs.count == expected.count)
            #expect(pairing.totalWeight == expected.weight)
            #expect(Set(pairing.pairs.map(\.mentor)).count == pairing.pairs.count)
            #expect(Set(pairing.pairs.map(\.mentee)).count == pairing.pairs.count)
        }
    }

    @Test("greedy by favourite loses a pair: count comes first")
    func greedyLosesPairs() throws {
        // Mentee 0 loves mentor 0 (100) but could also take mentor 1 (1); mentee 1 can only take mentor 0.
        let candidates = [
            PairCandidate(mentee: 0, mentor: 0, weight: 100), PairCandidate(mentee: 0, mentor: 1, weight: 1),
            PairCandidate(mentee: 1, mentor: 0, weight: 2),
        ]
        let pairing = try PairingOptimizer.optimize(menteeCount: 2, mentorCount: 2, candidates: candidates)
        #expect(pairing.pairs.count == 2)
        #expect(pairing.totalWeight == 3)
        #expect(pairing.unpaired.isEmpty)
    }

    @Test("greedy by heaviest pair loses weight")
    func greedyLosesWeight() throws {
        // Heaviest pair (0,0)=10 first would force (1,1)=0: total 10. Optimum (0,1)+(1,0) = 9 + 9 = 18.
        let candidates = [
            PairCandidate(mentee: 0, mentor: 0, weight: 10), PairCandidate(mentee: 0, mentor: 1, weight: 9),
            PairCandidate(mentee: 1, mentor: 0, weight: 9), PairCandidate(mentee: 1, mentor: 1, weight: 0),
        ]
        let sparse = try PairingOptimizer.optimize(menteeCount: 2, mentorCount: 2, candidates: candidates)
        #expect(sparse.totalWeight == 18)
        let dense = PairingOptimizer.optimizeDense(weights: [10, 9, 9, 0], menteeCount: 2, mentorCount: 2)
        #expect(dense.totalWeight == 18)
    }

    @Test("lower-weight mentee displaced when a better one needs the only mentor")
    func laterMenteeDisplaces() throws {
        let candidates = [
            PairCandidate(mentee: 0, mentor: 0, weight: 1), PairCandidate(mentee: 1, mentor: 0, weight: 100),
        ]
        let pairing = try PairingOptimizer.optimize(menteeCount: 3, mentorCount: 1, candidates: candidates)
        #expect(pairing.pairs == [PairCandidate(mentee: 1, mentor: 0, weight: 100)])
        #expect(pairing.unpaired == [0: .allAllowedMentorsFull, 2: .noAllowedPair])
    }

    @Test("capacities: 0 means unavailable, more than 1 takes several mentees")
    func capacities() throws {
        let candidates =
            (0..<3).map { PairCandidate(mentee: $0, mentor: 0, weight: 5) } + [
                PairCandidate(mentee: 2, mentor: 1, weight: 1_000_000)
            ]
        let pairing = try PairingOptimizer.optimize(
            menteeCount: 3, mentorCount: 2, candidates: candidates, capacities: [2, 0])
        #expect(pairing.pairs.count == 2)
        #expect(pairing.totalWeight == 10)
        #expect(pairing.unpaired.count == 1)
    }

    @Test(
        "bad input is rejected",
        arguments: [
            (
                [PairCandidate(mentee: 0, mentor: 0, weight: -1)], [1],
                PairingInputError.weightOutOfRange(mentee: 0, mentor: 0, weight: -1)
            ),
            (
                [PairCandidate(mentee: 0, mentor: 0, weight: 1_000_001)], [1],
                .weightOutOfRange(mentee: 0, mentor: 0, weight: 1_000_001)
            ),
            (
                [PairCandidate(mentee: 0, mentor: 0, weight: 1), PairCandidate(mentee: 0, mentor: 0, weight: 2)], [1],
                .duplicatePair(mentee: 0, mentor: 0)
            ),
            ([PairCandidate(mentee: 5, mentor: 0, weight: 1)], [1], .menteeOutOfRange(5)),
            ([PairCandidate(mentee: 0, mentor: 0, weight: 1)], [-1], .negativeCapacity(mentor: 0, capacity: -1)),
        ])
    func rejectsBadInput(candidates: [PairCandidate], capacities: [Int], error: PairingInputError) {
        #expect(throws: error) {
            try PairingOptimizer.optimize(
                menteeCount: 1, mentorCount: 1, candidates: candidates, capacities: capacities)
        }
    }

    @Test("large sparse instance: invariants hold and sparse equals dense on a complete matrix")
    func largeInstances() throws {
        var rng = SplitMix64(seed: 42)
        let n = 300, m = 280
        let weights = (0..<(n * m)).map { _ in Int.random(in: 0...1_000_000, using: &rng) }
        let all = (0..<n).flatMap { i in
            (0..<m).map { PairCandidate(mentee: i, mentor: $0, weight: weights[i * m + $0]) }
        }
        let sparse = try PairingOptimizer.optimize(menteeCount: n, mentorCount: m, candidates: all)
        let dense = PairingOptimizer.optimizeDense(weights: weights, menteeCount: n, mentorCount: m)
        #expect(sparse.pairs.count == m)
        #expect(dense.pairs.count == m)
        #expect(sparse.totalWeight == dense.totalWeight)
        #expect(Set(sparse.pairs.map(\.mentor)).count == m)

        // Sparse: 2,000 mentees with 5 random candidates each, mixed capacities.
        let k = 2_000
        var candidates: [PairCandidate] = []
        for i in 0..<k {
            for j in Set((0..<5).map { _ in Int.random(in: 0..<1_500, using: &rng) }) {
                candidates.append(
                    PairCandidate(mentee: i, mentor: j, weight: Int.random(in: 0...1_000_000, using: &rng)))
            }
        }
        let capacities = (0..<1_500).map { _ in Int.random(in: 0...2, using: &rng) }
        let pairing = try PairingOptimizer.optimize(
            menteeCount: k, mentorCount: 1_500, candidates: candidates, capacities: capacities)
        // Independent method (successive shortest paths with dummy arcs) reaches the same optimum.
        let reference = try PairingOptimizer.optimizeBySuccessiveShortestPaths(
            menteeCount: k, mentorCount: 1_500, candidates: candidates, capacities: capacities)
        #expect(pairing.pairs.count == reference.pairs.count)
        #expect(pairing.totalWeight == reference.totalWeight)
        var load = [Int](repeating: 0, count: 1_500)
        for p in pairing.pairs { load[p.mentor] += 1 }
        #expect((0..<1_500).allSatisfy { load[$0] <= capacities[$0] })
        #expect(pairing.pairs.count + pairing.unpaired.count == k)
        // No augmenting possibility for an "all mentors full" mentee: each of its mentors is at capacity.
        for (i, reason) in pairing.unpaired where reason == .allAllowedMentorsFull {
            #expect(candidates.filter { $0.mentee == i }.allSatisfy { load[$0.mentor] == capacities[$0.mentor] })
        }

        // Capacity 1 (the auction path), 6,000 mentees × 4 candidates among 5,000 mentors.
        var unit: [PairCandidate] = []
        for i in 0..<6_000 {
            for j in Set((0..<4).map { _ in Int.random(in: 0..<5_000, using: &rng) }) {
                unit.append(PairCandidate(mentee: i, mentor: j, weight: Int.random(in: 0...1_000_000, using: &rng)))
            }
        }
        let ones = [Int](repeating: 1, count: 5_000)
        let viaAuction = try #require(
            PairingOptimizer.optimizeByAuction(
                menteeCount: 6_000, mentorCount: 5_000, candidates: unit, capacities: ones))
        let viaFlow = PairingOptimizer.optimizeByMinCostFlow(
            menteeCount: 6_000, mentorCount: 5_000, candidates: unit, capacities: ones)
        #expect(viaAuction.pairs.count == viaFlow.pairs.count)
        #expect(viaAuction.totalWeight == viaFlow.totalWeight)
        let taken = Set(viaAuction.pairs.map(\.mentor))
        #expect(taken.count == viaAuction.pairs.count)
        for (i, reason) in viaAuction.unpaired where reason == .allAllowedMentorsFull {
            #expect(unit.filter { $0.mentee == i }.allSatisfy { taken.contains($0.mentor) })
        }
    }
}
