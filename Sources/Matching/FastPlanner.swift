/// The planner's fast path for large, nearly complete instances, with an optimality certificate.
///
/// 1. Best fit: a maximum-fit set of listed positive-fit pairs with degrees ≤ open rounds (min-cost
///    flow on the sparse listed pairs; a unit not sent through a pair takes a dummy arc of cost
///    `maxFit`, i.e. fit 0). Its fit is an upper bound on any plan's fit.
/// 2. Fill: every mentee is topped up to the open rounds with fit-0 partners, largest spare capacity
///    first (the constructive greedy behind the Gale–Ryser theorem), avoiding excluded, listed and
///    already-met pairs.
/// 3. Certificate: the plan is returned only if its minimum equals the upper bound on the minimum
///    (each mentee's held + min(open rounds, allowed partners)), its meeting count equals the upper
///    bound `min(Σ mentees' min(R, allowed), Σ mentors' min(R, allowed))`, and its fit equals the
///    bound from step 1. A plan that reaches the maximum of each objective separately is
///    lexicographically optimal. Otherwise the caller runs the general exact flow.
enum FastPlanner {
    static func plan(
        mentees: [Int], mentors: [Int], mentorCount m: Int, openRounds: Int, heldCount: [Int],
        blockedByMentee: [[Int32]], listedByMentee: [[(mentor: Int32, fit: Int)]], isMentorPresent: [Bool],
        upperMinimum: Int
    ) -> [(mentee: Int, mentor: Int, fit: Int)]? {
        let n = heldCount.count
        let r = openRounds
        // Upper bound on the number of meetings.
        var blockedPerMentor = [Int](repeating: 0, count: m)
        var isMenteePresent = [Bool](repeating: false, count: n)
        for i in mentees { isMenteePresent[i] = true }
        var menteeSide = 0
        for i in mentees {
            var blockedPresent = 0
            for b in blockedByMentee[i] where isMentorPresent[Int(b)] {
                blockedPresent += 1
                blockedPerMentor[Int(b)] += 1
            }
            menteeSide += min(r, mentors.count - blockedPresent)
        }
        let mentorSide = mentors.reduce(0) { $0 + min(r, mentees.count - blockedPerMentor[$1]) }
        let upperTotal = min(menteeSide, mentorSide)

        // 1. Maximum-fit b-matching on listed positive-fit pairs.
        let maxFit = listedByMentee.lazy.flatMap { $0 }.map(\.fit).max() ?? 0
        var edges: [(mentee: Int, mentor: Int, fit: Int)] = []
        var menteeDegree = [Int](repeating: 0, count: n)
        var mentorDegree = [Int](repeating: 0, count: m)
        if maxFit > 0 {
            let sink = n + m
            var network = MinCostFlowNetwork(nodeCount: n + m + 1)
            var arcs: [(id: Int, mentee: Int, mentor: Int, fit: Int)] = []
            for i in mentees {
                for l in listedByMentee[i] where l.fit > 0 && isMentorPresent[Int(l.mentor)] {
                    let id = network.addArc(from: i, to: n + Int(l.mentor), capacity: 1, cost: maxFit - l.fit)
                    arcs.append((id, i, Int(l.mentor), l.fit))
                }
                network.addArc(from: i, to: sink, capacity: r, cost: maxFit)
            }
            for j in mentors { network.addArc(from: n + j, to: sink, capacity: r, cost: 0) }
            network.finalize()
            var workspace = MinCostFlowNetwork.Workspace(nodeCount: network.nodeCount)
            for i in mentees where !listedByMentee[i].isEmpty {
                network.send(from: i, to: sink, amount: r, workspace: &workspace)
            }
            for a in arcs where network.flow(onArc: a.id) > 0 {
                edges.append((a.mentee, a.mentor, a.fit))
                menteeDegree[a.mentee] += 1
                mentorDegree[a.mentor] += 1
            }
        }
        let upperFit = edges.reduce(0) { $0 + $1.fit }

        // 2. Fill with fit-0 partners, largest spare capacity first.
        var bucket = [[Int]](repeating: [], count: r + 1)
        var position = [Int](repeating: 0, count: m)
        for j in mentors {
            let spare = r - mentorDegree[j]
            position[j] = bucket[spare].count
            bucket[spare].append(j)
        }
        var stamp = [Int](repeating: -1, count: m)
        let order = mentees.sorted { menteeDegree[$0] < menteeDegree[$1] }
        var chosen: [Int] = []
        for i in order {
            var need = r - menteeDegree[i]
            if need == 0 { continue }
            for b in blockedByMentee[i] { stamp[Int(b)] = i }
            for l in listedByMentee[i] { stamp[Int(l.mentor)] = i }
            chosen.removeAll(keepingCapacity: true)
            var spare = r
            while spare > 0 && need > 0 {
                for j in bucket[spare] where stamp[j] != i {
                    chosen.append(j)
                    need -= 1
                    if need == 0 { break }
                }
                spare -= 1
            }
            for j in chosen {
                // Move j one bucket down.
                let s = r - mentorDegree[j]
                let p = position[j]
                let last = bucket[s].removeLast()
                if last != j { bucket[s][p] = last; position[last] = p }
                position[j] = bucket[s - 1].count
                bucket[s - 1].append(j)
                mentorDegree[j] += 1
                menteeDegree[i] += 1
                edges.append((i, j, 0))
            }
        }

        // 3. Certificate.
        let minimum = mentees.map { heldCount[$0] + menteeDegree[$0] }.min() ?? 0
        guard minimum == upperMinimum, edges.count == upperTotal,
            edges.reduce(0, { $0 + $1.fit }) == upperFit
        else { return nil }
        return edges
    }
}
