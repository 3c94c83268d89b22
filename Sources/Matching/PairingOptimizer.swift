/// An allowed (mentee, mentor) pair and how good it is; mentees and mentors are indices `0..<count`.
public struct PairCandidate: Hashable, Sendable {
    public var mentee: Int
    public var mentor: Int
    /// `0...PairingOptimizer.maximumWeight`; higher is better.
    public var weight: Int

    public init(mentee: Int, mentor: Int, weight: Int) {
        self.mentee = mentee
        self.mentor = mentor
        self.weight = weight
    }
}

/// Why a mentee was left without a tandem.
public enum UnpairedReason: String, Hashable, Sendable {
    /// The mentee has no allowed pair with an available mentor (capacity above 0).
    case noAllowedPair
    /// Every mentor the mentee may pair with is taken by others in the optimal plan.
    case allAllowedMentorsFull
}

/// The optimizer's answer.
public struct Pairing: Sendable, Equatable {
    /// The chosen pairs, sorted by mentee.
    public var pairs: [PairCandidate]
    /// Sum of the chosen pairs' weights.
    public var totalWeight: Int
    /// Every mentee without a pair, with the reason.
    public var unpaired: [Int: UnpairedReason]

    public init(pairs: [PairCandidate], totalWeight: Int, unpaired: [Int: UnpairedReason]) {
        self.pairs = pairs
        self.totalWeight = totalWeight
        self.unpaired = unpaired
    }
}

/// Invalid optimizer input.
public enum PairingInputError: Error, Equatable, Sendable, CustomStringConvertible {
    case menteeOutOfRange(Int)
    case mentorOutOfRange(Int)
    case weightOutOfRange(mentee: Int, mentor: Int, weight: Int)
    case duplicatePair(mentee: Int, mentor: Int)
    case negativeCapacity(mentor: Int, capacity: Int)
    case capacityCountMismatch(expected: Int, got: Int)

    public var description: String {
        switch self {
        case .menteeOutOfRange(let i): "mentee index \(i) out of range"
        case .mentorOutOfRange(let j): "mentor index \(j) out of range"
        case .weightOutOfRange(let i, let j, let w):
            "weight \(w) of pair (\(i), \(j)) is outside 0...\(PairingOptimizer.maximumWeight)"
        case .duplicatePair(let i, let j): "pair (\(i), \(j)) appears twice"
        case .negativeCapacity(let j, let c): "mentor \(j) has negative capacity \(c)"
        case .capacityCountMismatch(let e, let g): "expected \(e) capacities, got \(g)"
        }
    }
}

/// Final tandems: chooses mentee–mentor pairs that maximise, in this order, (1) the number of pairs
/// and (2) the total weight. Exact.
///
/// - General (sparse) case, ``optimize(menteeCount:mentorCount:candidates:capacities:)``: a flow
///   network source → mentee (capacity 1) → mentor (allowed pairs, cost `maximumWeight - weight`)
///   → sink (capacity = the mentor's capacity). Dinic's maximum flow gives the largest number of
///   pairs `k*`; cost scaling then finds the cheapest flow of value `k*`, and since every flow of
///   value `k*` costs `k* × maximumWeight − weight`, that is the heaviest plan among those with the
///   most pairs: the lexicographic optimum, exactly, with all costs in `0...maximumWeight` (no big
///   constant needed).
/// - Capacity 0/1 (the usual case): first an ε-scaling auction with a private "stay unpaired" option
///   per mentee (``SparseAuction``), whose optimality certificate is checked on every run; the flow
///   method runs only if the auction exceeds its work cap or the 64-bit bound.
/// - Dense case, ``optimizeDense(weights:menteeCount:mentorCount:)``: a complete weight matrix and
///   capacity 1; shortest augmenting paths on the dense matrix (Jonker–Volgenant style, as in SciPy's
///   `linear_sum_assignment`), with the pair count fixed at `min(menteeCount, mentorCount)`.
public enum PairingOptimizer {
    /// Largest allowed weight.
    public static let maximumWeight = 1_000_000

    /// Optimal pairs for a general candidate list.
    /// - Parameters:
    ///   - capacities: one per mentor (0 = unavailable); `nil` means 1 for everyone.
    /// - Throws: ``PairingInputError`` for out-of-range indices or weights, duplicates, bad capacities.
    public static func optimize(
        menteeCount: Int, mentorCount: Int, candidates: [PairCandidate], capacities: [Int]? = nil
    ) throws -> Pairing {
        let capacities = capacities ?? [Int](repeating: 1, count: mentorCount)
        try validate(menteeCount: menteeCount, mentorCount: mentorCount, candidates: candidates, capacities: capacities)
        if capacities.allSatisfy({ $0 <= 1 }),
            let pairing = optimizeByAuction(
                menteeCount: menteeCount, mentorCount: mentorCount, candidates: candidates, capacities: capacities)
        {
            return pairing
        }
        return optimizeByMinCostFlow(
            menteeCount: menteeCount, mentorCount: mentorCount, candidates: candidates, capacities: capacities)
    }

    /// Capacity-1 path: ε-scaling auction with a private "stay unpaired" option per mentee (see
    /// ``SparseAuction``). Input must be validated and every capacity 0 or 1. `nil` if the 64-bit
    /// bound or the optimality certificate does not hold (the caller then uses min-cost flow).
    static func optimizeByAuction(
        menteeCount: Int, mentorCount: Int, candidates: [PairCandidate], capacities: [Int], budgetFactor: Int = 400
    ) -> Pairing? {
        let n = menteeCount
        var arcStart = [Int](repeating: 0, count: n + 1)
        var hasAllowed = [Bool](repeating: false, count: n)
        for c in candidates where capacities[c.mentor] > 0 {
            arcStart[c.mentee + 1] += 1
            hasAllowed[c.mentee] = true
        }
        for i in 0..<n { arcStart[i + 1] += arcStart[i] }
        var fill = arcStart
        var arcMentor = [Int32](repeating: 0, count: arcStart[n])
        var arcWeight = [Int](repeating: 0, count: arcStart[n])
        for c in candidates where capacities[c.mentor] > 0 {
            let a = fill[c.mentee]
            arcMentor[a] = Int32(c.mentor)
            arcWeight[a] = c.weight
            fill[c.mentee] += 1
        }
        guard mentorCount <= Int(Int32.max), n <= Int(Int32.max),
            let mentorOf = SparseAuction.solve(
                menteeCount: n, mentorCount: mentorCount, arcStart: arcStart, arcMentor: arcMentor,
                arcWeight: arcWeight, maximumWeight: maximumWeight, budgetFactor: budgetFactor)
        else { return nil }
        var pairs: [PairCandidate] = []
        pairs.reserveCapacity(n)
        var paired = [Bool](repeating: false, count: n)
        for i in 0..<n where mentorOf[i] >= 0 {
            let j = Int(mentorOf[i])
            for a in arcStart[i]..<arcStart[i + 1] where Int(arcMentor[a]) == j {
                pairs.append(PairCandidate(mentee: i, mentor: j, weight: arcWeight[a]))
            }
            paired[i] = true
        }
        return makePairing(pairs: pairs, paired: paired, hasAllowed: hasAllowed)
    }

    /// General path (any capacities): maximum flow, then cost scaling. Input must be validated.
    static func optimizeByMinCostFlow(
        menteeCount: Int, mentorCount: Int, candidates: [PairCandidate], capacities: [Int]
    ) -> Pairing {
        // Nodes: mentees 0..<n, mentors n..<n+m, source n+m, sink n+m+1.
        let n = menteeCount, m = mentorCount, source = n + m, sink = n + m + 1
        var network = MinCostFlowNetwork(nodeCount: n + m + 2)
        var pairArc = [Int](repeating: -1, count: candidates.count)
        var hasAllowed = [Bool](repeating: false, count: n)
        for (k, c) in candidates.enumerated() where capacities[c.mentor] > 0 {
            hasAllowed[c.mentee] = true
            pairArc[k] = network.addArc(from: c.mentee, to: n + c.mentor, capacity: 1, cost: maximumWeight - c.weight)
        }
        for i in 0..<n where hasAllowed[i] { network.addArc(from: source, to: i, capacity: 1, cost: 0) }
        for j in 0..<m where capacities[j] > 0 {
            network.addArc(from: n + j, to: sink, capacity: min(capacities[j], n), cost: 0)
        }
        network.finalize()
        // (1) the most pairs: maximum flow; (2) the best weight among flows of that value: cost scaling.
        _ = network.maximumFlow(from: source, to: sink)
        network.minimizeCost()

        return readPairing(network, candidates: candidates, pairArc: pairArc, hasAllowed: hasAllowed)
    }

    /// The pairs whose arcs carry flow once the network is solved.
    private static func readPairing(
        _ network: MinCostFlowNetwork, candidates: [PairCandidate], pairArc: [Int], hasAllowed: [Bool]
    ) -> Pairing {
        var pairs: [PairCandidate] = []
        var paired = [Bool](repeating: false, count: hasAllowed.count)
        for k in candidates.indices where pairArc[k] >= 0 && network.flow(onArc: pairArc[k]) > 0 {
            pairs.append(candidates[k])
            paired[candidates[k].mentee] = true
        }
        return makePairing(pairs: pairs, paired: paired, hasAllowed: hasAllowed)
    }

    /// The same optimum by successive shortest paths with a dummy arc per mentee (cost
    /// `menteeCount × maximumWeight + 1`, so fewer pairs always cost more). Slower on large sparse
    /// inputs; kept as an independent cross-check for tests.
    static func optimizeBySuccessiveShortestPaths(
        menteeCount: Int, mentorCount: Int, candidates: [PairCandidate], capacities: [Int]
    ) throws -> Pairing {
        try validate(menteeCount: menteeCount, mentorCount: mentorCount, candidates: candidates, capacities: capacities)
        // Nodes: mentees 0..<n, mentors n..<n+m, sink n+m.
        let n = menteeCount, m = mentorCount, sink = n + m
        var network = MinCostFlowNetwork(nodeCount: n + m + 1)
        // Mentors' outgoing arcs are added first: the search from a mentee then sees them early.
        var pairArc = [Int](repeating: -1, count: candidates.count)
        var hasAllowed = [Bool](repeating: false, count: n)
        // Order arcs by mentee, best weight first, so ties resolve towards higher weight naturally.
        let order = candidates.indices.sorted {
            (candidates[$0].mentee, -candidates[$0].weight) < (candidates[$1].mentee, -candidates[$1].weight)
        }
        for k in order {
            let c = candidates[k]
            guard capacities[c.mentor] > 0 else { continue }
            hasAllowed[c.mentee] = true
            pairArc[k] = network.addArc(from: c.mentee, to: n + c.mentor, capacity: 1, cost: maximumWeight - c.weight)
        }
        for j in 0..<m where capacities[j] > 0 {
            network.addArc(from: n + j, to: sink, capacity: min(capacities[j], n), cost: 0)
        }
        let dummyCost = n * maximumWeight + 1
        for i in 0..<n where hasAllowed[i] {
            network.addArc(from: i, to: sink, capacity: 1, cost: dummyCost)
        }
        network.finalize()
        var workspace = MinCostFlowNetwork.Workspace(nodeCount: network.nodeCount)
        for i in 0..<n where hasAllowed[i] {
            network.send(from: i, to: sink, amount: 1, workspace: &workspace)
        }

        return readPairing(network, candidates: candidates, pairArc: pairArc, hasAllowed: hasAllowed)
    }

    /// Optimal pairs for a complete weight matrix (every pair allowed, every capacity 1).
    /// - Parameter weights: row-major, `weights[mentee * mentorCount + mentor]`, each in `0...maximumWeight`.
    ///
    /// Memory: `O(menteeCount + mentorCount)` beyond the matrix, which is read, never copied.
    /// Time: `O(n² m)` worst case for `n = min`, `m = max` of the two counts; far less in practice.
    public static func optimizeDense(weights: [Int], menteeCount: Int, mentorCount: Int) -> Pairing {
        precondition(weights.count == menteeCount * mentorCount, "weights must be menteeCount × mentorCount")
        precondition(weights.allSatisfy { (0...maximumWeight).contains($0) }, "weights must be in 0...maximumWeight")
        let transposed = menteeCount > mentorCount
        let rows = transposed ? mentorCount : menteeCount
        let columns = transposed ? menteeCount : mentorCount
        let rowForColumn = weights.withUnsafeBufferPointer { w in
            DenseAssignment.solve(
                weights: w, rows: rows, columns: columns,
                rowStride: transposed ? 1 : mentorCount, columnStride: transposed ? mentorCount : 1,
                maximumWeight: maximumWeight)
        }
        var pairs: [PairCandidate] = []
        var paired = [Bool](repeating: false, count: menteeCount)
        for (column, row) in rowForColumn.enumerated() where row >= 0 {
            let (mentee, mentor) = transposed ? (column, row) : (row, column)
            pairs.append(PairCandidate(mentee: mentee, mentor: mentor, weight: weights[mentee * mentorCount + mentor]))
            paired[mentee] = true
        }
        let hasAllowed = [Bool](repeating: mentorCount > 0, count: menteeCount)
        return makePairing(pairs: pairs, paired: paired, hasAllowed: hasAllowed)
    }

    private static func makePairing(pairs: [PairCandidate], paired: [Bool], hasAllowed: [Bool]) -> Pairing {
        var unpaired: [Int: UnpairedReason] = [:]
        for i in paired.indices where !paired[i] {
            unpaired[i] = hasAllowed[i] ? .allAllowedMentorsFull : .noAllowedPair
        }
        let sorted = pairs.sorted { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) }
        return Pairing(pairs: sorted, totalWeight: sorted.reduce(0) { $0 + $1.weight }, unpaired: unpaired)
    }

    private static func validate(
        menteeCount: Int, mentorCount: Int, candidates: [PairCandidate], capacities: [Int]
    ) throws {
        guard capacities.count == mentorCount else {
            throw PairingInputError.capacityCountMismatch(expected: mentorCount, got: capacities.count)
        }
        for (j, c) in capacities.enumerated() where c < 0 {
            throw PairingInputError.negativeCapacity(mentor: j, capacity: c)
        }
        var seen = Set<Int>()
        seen.reserveCapacity(candidates.count)
        for c in candidates {
            guard (0..<menteeCount).contains(c.mentee) else { throw PairingInputError.menteeOutOfRange(c.mentee) }
            guard (0..<mentorCount).contains(c.mentor) else { throw PairingInputError.mentorOutOfRange(c.mentor) }
            guard (0...maximumWeight).contains(c.weight) else {
                throw PairingInputError.weightOutOfRange(mentee: c.mentee, mentor: c.mentor, weight: c.weight)
            }
            guard seen.insert(c.mentee * mentorCount + c.mentor).inserted else {
                throw PairingInputError.duplicatePair(mentee: c.mentee, mentor: c.mentor)
            }
        }
    }
}
