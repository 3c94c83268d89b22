/// One 1:1 meeting of the speed-networking kickoff; `round` counts from 1.
public struct Meeting: Hashable, Sendable, Comparable {
    public var round: Int
    public var mentee: Int
    public var mentor: Int

    public init(round: Int, mentee: Int, mentor: Int) {
        self.round = round
        self.mentee = mentee
        self.mentor = mentor
    }

    public static func < (a: Meeting, b: Meeting) -> Bool {
        (a.round, a.mentee, a.mentor) < (b.round, b.mentee, b.mentor)
    }
}

/// A (mentee, mentor) pair with an integer fit; pairs not listed have fit 0.
public struct PairFit: Hashable, Sendable {
    public var mentee: Int
    public var mentor: Int
    /// `-MeetingPlanner.maximumAbsoluteFit...MeetingPlanner.maximumAbsoluteFit`; higher is better.
    public var fit: Int

    public init(mentee: Int, mentor: Int, fit: Int) {
        self.mentee = mentee
        self.mentor = mentor
        self.fit = fit
    }
}

/// A kickoff plan and its objective values.
public struct MeetingPlan: Sendable, Equatable {
    /// All meetings, held ones included, sorted by round, mentee, mentor.
    public var meetings: [Meeting]
    /// The fewest meetings (held + planned) of any present mentee; 0 when there are no present mentees.
    public var minimumMenteeMeetings: Int
    /// Number of meetings planned by this call (held ones excluded).
    public var plannedMeetings: Int
    /// Total fit of the planned meetings.
    public var plannedFit: Int
}

/// Invalid planner input.
public enum MeetingPlannerInputError: Error, Equatable, Sendable, CustomStringConvertible {
    case roundsOutOfRange(Int)
    case indexOutOfRange(String)
    case fitOutOfRange(mentee: Int, mentor: Int, fit: Int)
    case duplicatePair(mentee: Int, mentor: Int)
    case invalidHeldMeeting(Meeting)
    case tooLarge

    public var description: String {
        switch self {
        case .roundsOutOfRange(let r): "rounds must be at least 1, got \(r)"
        case .indexOutOfRange(let what): "index out of range: \(what)"
        case .fitOutOfRange(let i, let j, let f):
            "fit \(f) of pair (\(i), \(j)) is outside ±\(MeetingPlanner.maximumAbsoluteFit)"
        case .duplicatePair(let i, let j): "pair (\(i), \(j)) appears twice"
        case .invalidHeldMeeting(let m): "held meeting \(m) is invalid (round, index or double booking)"
        case .tooLarge: "instance too large for exact 64-bit costs"
        }
    }
}

/// Speed-networking rounds. Rules: everyone has at most one meeting per round, no pair meets twice,
/// excluded pairs never meet. Objective, lexicographic: (1) maximise the minimum number of meetings
/// of any (present) mentee, (2) then the number of meetings, (3) then the total fit. Exact.
///
/// Method (see `Documentation/Matching.md`): the meetings form a bipartite graph whose degrees are at
/// most the number of rounds `R`; by König's edge-colouring theorem any such graph splits into `R`
/// conflict-free rounds, so the planner (a) chooses the meeting graph by min-cost flow with degree
/// bounds, then (b) colours its edges with `R` colours by alternating paths.
///
/// (a) For a target `t`, every mentee supplies `R` units; a unit goes to the sink through a meeting
/// (cost `maxFit - fit`) and the mentor (capacity `R`), or through a dummy arc: the first
/// `t - held` dummy units of a mentee are "shortfall" arcs of cost `D1`, the others cost `D2`, with
/// `D1 ≫ D2 ≫` any fit difference, so the minimum cost is the lexicographic optimum (shortfall, then
/// meetings, then fit). The largest `t` with zero shortfall is found by binary search (feasibility is
/// monotone in `t`). Complete graphs are never built: the flow runs on a sparse subgraph (all listed
/// fit pairs plus a few fit-0 partners per mentee) and every left-out fit-0 pair is priced against
/// the final node potentials; a pair with negative reduced cost is added and the flow re-solved.
/// When no pair is left with negative reduced cost, the potentials certify optimality on the full
/// graph.
public enum MeetingPlanner {
    /// Largest absolute fit value accepted.
    public static let maximumAbsoluteFit = 1_000_000

    /// Plans all `rounds` rounds from scratch.
    public static func plan(
        menteeCount: Int, mentorCount: Int, rounds: Int = 8, fit: [PairFit] = [],
        excluded: [(mentee: Int, mentor: Int)] = []
    ) throws -> MeetingPlan {
        try replan(
            menteeCount: menteeCount, mentorCount: mentorCount, rounds: rounds, fit: fit, excluded: excluded,
            held: [], firstOpenRound: 1, absentMentees: [], absentMentors: [])
    }

    /// Re-plans rounds `firstOpenRound...rounds` during a live event, keeping the meetings already held.
    ///
    /// - Parameters:
    ///   - held: meetings of rounds before `firstOpenRound` (later ones are ignored: they did not happen).
    ///     Their pairs never meet again; they count towards each mentee's total for objective (1).
    ///   - absentMentees, absentMentors: people who dropped out; they get no new meetings and absent
    ///     mentees do not count in objective (1). Late joiners are simply present people with no held meetings.
    ///   - preferredRounds: meetings announced before (e.g. the previous plan's open rounds). A chosen pair that
    ///     is among them stays in its round where the colouring allows; it does not change which meetings are
    ///     chosen (for that, weigh announced pairs in `fit`, see `Mentoring.RoundPlanPolicy`).
    ///   - initialPartners: testing knob. `nil` (default) first tries the certified fast path, then
    ///     the flow on the full graph; a number skips the fast path and starts the flow on a subgraph
    ///     with that many fit-0 partners per mentee, growing it by pricing (exact for any value).
    public static func replan(
        menteeCount: Int, mentorCount: Int, rounds: Int, fit: [PairFit] = [],
        excluded: [(mentee: Int, mentor: Int)] = [], held: [Meeting], firstOpenRound: Int,
        absentMentees: Set<Int>, absentMentors: Set<Int>, preferredRounds: [Meeting] = [], initialPartners: Int? = nil
    ) throws -> MeetingPlan {
        guard rounds >= 1 else { throw MeetingPlannerInputError.roundsOutOfRange(rounds) }
        guard menteeCount >= 0, mentorCount >= 0, firstOpenRound >= 1 else {
            throw MeetingPlannerInputError.indexOutOfRange("counts or first open round")
        }
        let n = menteeCount, m = mentorCount
        func key(_ i: Int, _ j: Int) -> Int { i * m + j }

        var fitOf: [Int: Int] = [:]
        fitOf.reserveCapacity(fit.count)
        for f in fit {
            guard (0..<n).contains(f.mentee), (0..<m).contains(f.mentor) else {
                throw MeetingPlannerInputError.indexOutOfRange("fit pair (\(f.mentee), \(f.mentor))")
            }
            guard abs(f.fit) <= maximumAbsoluteFit else {
                throw MeetingPlannerInputError.fitOutOfRange(mentee: f.mentee, mentor: f.mentor, fit: f.fit)
            }
            guard fitOf.updateValue(f.fit, forKey: key(f.mentee, f.mentor)) == nil else {
                throw MeetingPlannerInputError.duplicatePair(mentee: f.mentee, mentor: f.mentor)
            }
        }
        var blocked = Set<Int>()
        for e in excluded {
            guard (0..<n).contains(e.mentee), (0..<m).contains(e.mentor) else {
                throw MeetingPlannerInputError.indexOutOfRange("excluded pair (\(e.mentee), \(e.mentor))")
            }
            guard blocked.insert(key(e.mentee, e.mentor)).inserted else {
                throw MeetingPlannerInputError.duplicatePair(mentee: e.mentee, mentor: e.mentor)
            }
        }
        // Held meetings: validate and block their pairs.
        let keptHeld = held.filter { $0.round < firstOpenRound }
        var heldCount = [Int](repeating: 0, count: n)
        var busy = Set<[Int]>()
        var heldPairs = Set<Int>()
        for h in keptHeld {
            guard h.round >= 1, h.round <= rounds, (0..<n).contains(h.mentee), (0..<m).contains(h.mentor),
                busy.insert([0, h.round, h.mentee]).inserted, busy.insert([1, h.round, h.mentor]).inserted,
                heldPairs.insert(key(h.mentee, h.mentor)).inserted
            else { throw MeetingPlannerInputError.invalidHeldMeeting(h) }
            heldCount[h.mentee] += 1
            blocked.insert(key(h.mentee, h.mentor))
        }

        let openRounds = max(0, rounds - firstOpenRound + 1)
        let mentees = (0..<n).filter { !absentMentees.contains($0) }
        let mentors = (0..<m).filter { !absentMentors.contains($0) }
        let minimumHeld = mentees.map { heldCount[$0] }.min() ?? 0
        if openRounds == 0 || mentees.isEmpty || mentors.isEmpty {
            return MeetingPlan(
                meetings: keptHeld.sorted(), minimumMenteeMeetings: minimumHeld, plannedMeetings: 0, plannedFit: 0)
        }

        // Blocked mentors per mentee (excluded or already met), as sorted lists for the pricing scan.
        var blockedByMentee = [[Int32]](repeating: [], count: n)
        for b in blocked { blockedByMentee[b / m].append(Int32(b % m)) }
        var listedByMentee = [[(mentor: Int32, fit: Int)]](repeating: [], count: n)
        for (k, f) in fitOf where !blocked.contains(k) { listedByMentee[k / m].append((Int32(k % m), f)) }
        let isMentorPresent: [Bool] = {
            var a = [Bool](repeating: false, count: m)
            for j in mentors { a[j] = true }
            return a
        }()

        // Upper bound on the target: each mentee's held + min(open rounds, allowed partners).
        var upper = Int.max
        for i in mentees {
            let blockedPresent = blockedByMentee[i].reduce(0) { $0 + (isMentorPresent[Int($1)] ? 1 : 0) }
            upper = min(upper, heldCount[i] + min(openRounds, mentors.count - blockedPresent))
        }
        // Fast path: certify a constructed plan by upper bounds on all three objectives.
        if initialPartners == nil,
            let edges = FastPlanner.plan(
                mentees: mentees, mentors: mentors, mentorCount: m, openRounds: openRounds, heldCount: heldCount,
                blockedByMentee: blockedByMentee, listedByMentee: listedByMentee, isMentorPresent: isMentorPresent,
                upperMinimum: upper)
        {
            return finish(
                edges: edges, kept: keptHeld, heldCount: heldCount, mentees: mentees, firstOpenRound: firstOpenRound,
                openRounds: openRounds, n: n, m: m, preferredRounds: preferredRounds)
        }
        let context = try TierSolver(
            menteeCount: n, mentorCount: m, mentees: mentees, mentors: mentors, openRounds: openRounds,
            heldCount: heldCount, blockedByMentee: blockedByMentee, listedByMentee: listedByMentee,
            fitSpread: (min(0, fitOf.values.min() ?? 0), max(0, fitOf.values.max() ?? 0)),
            initialPartners: initialPartners ?? mentors.count)

        // Largest feasible target by binary search; `minimumHeld` is always feasible.
        var best = context.solve(target: upper)
        if !best.feasible {
            var low = minimumHeld, high = upper - 1
            best = context.solve(target: low)
            while low < high {
                let middle = (low + high + 1) / 2
                let attempt = context.solve(target: middle)
                if attempt.feasible { low = middle; best = attempt } else { high = middle - 1 }
            }
        }

        return finish(
            edges: best.edges, kept: keptHeld, heldCount: heldCount, mentees: mentees, firstOpenRound: firstOpenRound,
            openRounds: openRounds, n: n, m: m, preferredRounds: preferredRounds)
    }

    private static func finish(
        edges: [(mentee: Int, mentor: Int, fit: Int)], kept keptHeld: [Meeting], heldCount: [Int], mentees: [Int],
        firstOpenRound: Int, openRounds: Int, n: Int, m: Int, preferredRounds: [Meeting]
    ) -> MeetingPlan {
        let best = (edges: edges, 0)
        var preferred: [Int]?
        if !preferredRounds.isEmpty {
            var roundOf: [Int: Int] = [:]
            for meeting in preferredRounds
            where meeting.round >= firstOpenRound && meeting.round < firstOpenRound + openRounds
                && (0..<n).contains(meeting.mentee) && (0..<m).contains(meeting.mentor)
            {
                roundOf[meeting.mentee * m + meeting.mentor] = meeting.round - firstOpenRound
            }
            preferred = edges.map { roundOf[$0.mentee * m + $0.mentor] ?? -1 }
        }
        let coloured = EdgeColouring.colour(
            edges: best.edges.map { ($0.mentee, $0.mentor) }, leftCount: n, rightCount: m, colours: openRounds,
            preferred: preferred)
        var meetings = keptHeld
        for (k, e) in best.edges.enumerated() {
            meetings.append(Meeting(round: firstOpenRound + coloured[k], mentee: e.mentee, mentor: e.mentor))
        }
        meetings.sort()
        var total = heldCount
        for e in best.edges { total[e.mentee] += 1 }
        return MeetingPlan(
            meetings: meetings, minimumMenteeMeetings: mentees.map { total[$0] }.min() ?? 0,
            plannedMeetings: best.edges.count, plannedFit: best.edges.reduce(0) { $0 + $1.fit })
    }
}

/// Solves the flow for one target `t`, on a growing sparse subgraph with pricing.
private struct TierSolver {
    let menteeCount: Int, mentorCount: Int
    let mentees: [Int], mentors: [Int]
    let openRounds: Int
    let heldCount: [Int]
    let blockedByMentee: [[Int32]]
    let listedByMentee: [[(mentor: Int32, fit: Int)]]
    let maxFit: Int
    let unitCost: (d1: Int, d2: Int)
    let initialPartners: Int

    struct Result {
        var feasible: Bool
        var edges: [(mentee: Int, mentor: Int, fit: Int)]
    }

    init(
        menteeCount: Int, mentorCount: Int, mentees: [Int], mentors: [Int], openRounds: Int, heldCount: [Int],
        blockedByMentee: [[Int32]], listedByMentee: [[(mentor: Int32, fit: Int)]], fitSpread: (Int, Int),
        initialPartners: Int
    ) throws {
        self.menteeCount = menteeCount
        self.mentorCount = mentorCount
        self.mentees = mentees
        self.mentors = mentors
        self.openRounds = openRounds
        self.heldCount = heldCount
        self.blockedByMentee = blockedByMentee
        self.listedByMentee = listedByMentee
        self.maxFit = fitSpread.1
        self.initialPartners = max(1, initialPartners)
        // Units U = mentees × open rounds; fit costs of a plan are at most U × spread.
        let spread = fitSpread.1 - fitSpread.0
        let units = mentees.count * openRounds
        let (fitTotal, o1) = units.multipliedReportingOverflow(by: spread)
        let d2 = fitTotal + 1
        // D1 must beat any change in D2-units plus fit: (U + 1) × D2 + U × spread + 1, with headroom ×4.
        let (a, o2) = (units + 1).multipliedReportingOverflow(by: d2)
        let (b, o3) = a.addingReportingOverflow(fitTotal + 1)
        let (headroom, o4) = b.multipliedReportingOverflow(by: 8)
        guard !o1, !o2, !o3, !o4, headroom < Int.max / 8 else { throw MeetingPlannerInputError.tooLarge }
        self.unitCost = (b, d2)
    }

    func solve(target: Int) -> Result {
        let n = menteeCount, m = mentorCount
        // Current subgraph: per mentee, list of (mentor, fit).
        var adjacency = [[(mentor: Int32, fit: Int)]](repeating: [], count: n)
        var stamp = [Int](repeating: -1, count: m)
        let q = mentors.count
        for (p, i) in mentees.enumerated() {
            adjacency[i] = listedByMentee[i]
            for b in blockedByMentee[i] { stamp[Int(b)] = i }
            for l in listedByMentee[i] { stamp[Int(l.mentor)] = i }
            var added = 0
            var k = 0
            let start = (p * initialPartners) % q
            while added < initialPartners && k < q {
                let j = mentors[(start + k) % q]
                k += 1
                if stamp[j] == i { continue }
                adjacency[i].append((Int32(j), 0))
                added += 1
            }
        }
        while true {
            let (network, arcs, result) = run(adjacency: adjacency, target: target)
            // Pricing: any left-out fit-0 pair (i, j) with maxFit + pot[i] - pot[j] < 0?
            // Tightest check: potentials = residual distances from the sink (valid for the subgraph).
            let pot = network.distances(from: n + m, unreachable: Int.max / 4)
            let byPotential = mentors.sorted { pot[n + $0] > pot[n + $1] }
            var violations = 0
            for i in mentees {
                let threshold = maxFit + pot[i]
                guard pot[n + byPotential[0]] > threshold else { continue }
                for b in blockedByMentee[i] { stamp[Int(b)] = i }
                for e in adjacency[i] { stamp[Int(e.mentor)] = i }
                var addedHere = 0
                for j in byPotential {
                    if pot[n + j] <= threshold || addedHere >= openRounds { break }
                    if stamp[j] == i { continue }
                    adjacency[i].append((Int32(j), 0))
                    addedHere += 1
                }
                violations += addedHere
            }
            _ = arcs
            if violations == 0 { return result }
        }
    }

    private func run(
        adjacency: [[(mentor: Int32, fit: Int)]], target: Int
    ) -> (MinCostFlowNetwork, [Int], Result) {
        let n = menteeCount, m = mentorCount, sink = n + m
        var network = MinCostFlowNetwork(nodeCount: n + m + 1)
        var arcIds: [Int] = []
        var arcEdges: [(mentee: Int, mentor: Int, fit: Int)] = []
        var isPresentMentor = [Bool](repeating: false, count: m)
        for j in mentors { isPresentMentor[j] = true }
        for i in mentees {
            for e in adjacency[i] where isPresentMentor[Int(e.mentor)] {
                arcIds.append(network.addArc(from: i, to: n + Int(e.mentor), capacity: 1, cost: maxFit - e.fit))
                arcEdges.append((i, Int(e.mentor), e.fit))
            }
        }
        for j in mentors { network.addArc(from: n + j, to: sink, capacity: openRounds, cost: 0) }
        var shortfall = [Int](repeating: 0, count: n)
        for i in mentees {
            let need = min(openRounds, max(0, target - heldCount[i]))
            shortfall[i] = need
            if need > 0 { network.addArc(from: i, to: sink, capacity: need, cost: unitCost.d1) }
            if openRounds - need > 0 {
                network.addArc(from: i, to: sink, capacity: openRounds - need, cost: unitCost.d2)
            }
        }
        network.finalize()
        var workspace = MinCostFlowNetwork.Workspace(nodeCount: network.nodeCount)
        // Round-robin over mentees, one unit at a time: any order is exact; this one keeps paths short.
        for _ in 0..<openRounds {
            for i in mentees { network.send(from: i, to: sink, amount: 1, workspace: &workspace) }
        }
        var edges: [(mentee: Int, mentor: Int, fit: Int)] = []
        var degree = [Int](repeating: 0, count: n)
        for (k, id) in arcIds.enumerated() where network.flow(onArc: id) > 0 {
            edges.append(arcEdges[k])
            degree[arcEdges[k].mentee] += 1
        }
        let feasible = mentees.allSatisfy { degree[$0] >= shortfall[$0] }
        return (network, arcIds, Result(feasible: feasible, edges: edges))
    }
}
