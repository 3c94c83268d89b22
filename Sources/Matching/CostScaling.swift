/// Maximum flow and cost scaling on ``MinCostFlowNetwork``: the sparse pairing path.
///
/// 1. **Maximum flow** (Dinic: BFS levels, blocking flow by iterative DFS with current-arc pointers)
///    from the source to the sink gives the largest number of pairs `k*` and a flow of that value.
/// 2. **Cost scaling** (Goldberg 1997, push–relabel on ε-optimal flows) turns it into a minimum-cost
///    flow of the same value: costs are multiplied by `N + 1` (`N` = nodes), ε starts at the largest
///    scaled cost and is divided by `α = 16` per phase down to 1. Each phase (refine) saturates every
///    residual arc with negative reduced cost, then pushes excess along admissible arcs (reduced
///    cost < 0) and relabels (`price = max(price[w] - cost) - ε`) until no node has excess. A flow
///    that is ε-optimal with ε < 1/N in original costs is optimal for integer costs, so the result
///    is exact. Prices stay within `O(N · maxCost · (N + 1))`, far inside 64 bits for the sizes here
///    (a precondition checks it).
extension MinCostFlowNetwork {
    /// Dinic's maximum flow from `source` to `sink`; returns the flow value.
    mutating func maximumFlow(from source: Int, to sink: Int) -> Int {
        let n = nodeCount
        var level = [Int32](repeating: -1, count: n)
        var current = [Int32](repeating: 0, count: n)
        var queue = [Int32](repeating: 0, count: n)
        var pathArcs: [Int32] = []
        var total = 0
        while true {
            for v in 0..<n { level[v] = -1 }
            level[source] = 0
            var head = 0, tail = 0
            queue[tail] = Int32(source); tail += 1
            while head < tail {
                let u = Int(queue[head]); head += 1
                for a in Int(firstOut[u])..<Int(firstOut[u + 1]) where outCapacity[a] > 0 {
                    let v = Int(outTo[a])
                    if level[v] < 0 {
                        level[v] = level[u] + 1
                        queue[tail] = Int32(v); tail += 1
                    }
                }
            }
            if level[sink] < 0 { return total }
            for v in 0..<n { current[v] = firstOut[v] }
            // Blocking flow by iterative DFS.
            pathArcs.removeAll(keepingCapacity: true)
            var u = source
            while true {
                if u == sink {
                    var bottleneck = Int32.max
                    for a in pathArcs { bottleneck = min(bottleneck, outCapacity[Int(a)]) }
                    var cut = -1
                    for (k, a32) in pathArcs.enumerated() {
                        let a = Int(a32)
                        outCapacity[a] -= bottleneck
                        outCapacity[Int(outReverse[a])] += bottleneck
                        if cut < 0 && outCapacity[a] == 0 { cut = k }
                    }
                    total += Int(bottleneck)
                    pathArcs.removeSubrange(cut...)
                    u = pathArcs.last.map { Int(outTo[Int($0)]) } ?? source
                    continue
                }
                var a = Int(current[u])
                let end = Int(firstOut[u + 1])
                while a < end {
                    let v = Int(outTo[a])
                    if outCapacity[a] > 0 && level[v] == level[u] + 1 { break }
                    a += 1
                }
                current[u] = Int32(a)
                if a < end {
                    pathArcs.append(Int32(a))
                    u = Int(outTo[a])
                } else {
                    // Dead end: retreat.
                    level[u] = -1
                    guard let last = pathArcs.popLast() else { break }
                    u = Int(outTo[Int(outReverse[Int(last)])])
                    current[u] += 1
                }
            }
        }
    }

    /// Turns the current flow into a minimum-cost flow with the same node balances (cost scaling).
    mutating func minimizeCost() {
        let n = nodeCount
        let scale = n + 1
        var maxCost = 0
        for c in outCost { maxCost = max(maxCost, abs(c)) }
        let (scaledMax, overflow) = maxCost.multipliedReportingOverflow(by: scale)
        precondition(!overflow && scaledMax < Int.max / (4 * max(n, 1)), "costs too large for exact cost scaling")
        for a in outCost.indices { outCost[a] *= scale }
        var price = [Int](repeating: 0, count: n)
        var excess = [Int](repeating: 0, count: n)
        var current = [Int32](repeating: 0, count: n)
        var inQueue = [Bool](repeating: false, count: n)
        var queue = RingQueue(capacity: n)
        var epsilon = max(1, scaledMax)
        var heap = IndexedMinHeap()
        var distance = [Int](repeating: 0, count: n)
        repeat {
            epsilon = max(1, epsilon / 16)
            // Saturate arcs with negative reduced cost: the flow becomes 0-optimal, with excesses.
            for u in 0..<n {
                let pu = price[u]
                for a in Int(firstOut[u])..<Int(firstOut[u + 1]) where outCapacity[a] > 0 {
                    let v = Int(outTo[a])
                    if outCost[a] + pu - price[v] < 0 {
                        let delta = outCapacity[a]
                        outCapacity[a] = 0
                        outCapacity[Int(outReverse[a])] += delta
                        excess[u] -= Int(delta)
                        excess[v] += Int(delta)
                    }
                }
            }
            updatePrices(&price, excess: excess, epsilon: epsilon, heap: &heap, distance: &distance)
            for u in 0..<n {
                current[u] = firstOut[u]
                if excess[u] > 0 { queue.push(Int32(u)); inQueue[u] = true }
            }
            var relabels = 0
            while let u32 = queue.pop() {
                let u = Int(u32)
                inQueue[u] = false
                if relabels >= n {
                    relabels = 0
                    updatePrices(&price, excess: excess, epsilon: epsilon, heap: &heap, distance: &distance)
                    for v in 0..<n { current[v] = firstOut[v] }
                }
                let end = Int(firstOut[u + 1])
                while excess[u] > 0 {
                    var a = Int(current[u])
                    let pu = price[u]
                    while a < end {
                        if outCapacity[a] > 0 && outCost[a] + pu - price[Int(outTo[a])] < 0 { break }
                        a += 1
                    }
                    if a < end {
                        current[u] = Int32(a)
                        let v = Int(outTo[a])
                        // Push look-ahead (Goldberg): do not push into a node that has no deficit and
                        // no admissible arc of its own; relabel it first (always a valid operation).
                        if excess[v] >= 0 {
                            let pv = price[v]
                            let vEnd = Int(firstOut[v + 1])
                            var b = Int(current[v])
                            while b < vEnd {
                                if outCapacity[b] > 0 && outCost[b] + pv - price[Int(outTo[b])] < 0 { break }
                                b += 1
                            }
                            if b < vEnd {
                                current[v] = Int32(b)
                            } else {
                                var best = Int.min
                                for e in Int(firstOut[v])..<vEnd where outCapacity[e] > 0 {
                                    best = max(best, price[Int(outTo[e])] - outCost[e])
                                }
                                if best != Int.min {
                                    price[v] = best - epsilon
                                    current[v] = firstOut[v]
                                    relabels += 1
                                    if outCost[a] + pu - price[v] >= 0 { continue }
                                }
                            }
                        }
                        let delta = min(excess[u], Int(outCapacity[a]))
                        outCapacity[a] -= Int32(delta)
                        outCapacity[Int(outReverse[a])] += Int32(delta)
                        excess[u] -= delta
                        excess[v] += delta
                        if excess[v] > 0 && !inQueue[v] { queue.push(Int32(v)); inQueue[v] = true }
                    } else {
                        // Relabel: the largest price that keeps every residual arc ε-optimal, minus ε.
                        var best = Int.min
                        for b in Int(firstOut[u])..<end where outCapacity[b] > 0 {
                            best = max(best, price[Int(outTo[b])] - outCost[b])
                        }
                        precondition(best != Int.min, "node with excess has no residual arc")
                        price[u] = best - epsilon
                        current[u] = firstOut[u]
                        relabels += 1
                    }
                }
            }
        } while epsilon > 1
        for a in outCost.indices { outCost[a] /= scale }
    }
}

extension MinCostFlowNetwork {
    /// Global price update (Goldberg 1997): with arc lengths `floor(reducedCost / ε) + 1` (≥ 0 on an
    /// ε-optimal flow), compute each node's distance `d` to the nearest node with negative excess and
    /// lower its price by `ε · d`. This keeps the flow ε-optimal (for a residual arc (v, w),
    /// `d(v) ≤ length + d(w)` gives a new reduced cost ≥ −ε) and points every node with excess
    /// straight at a deficit, which saves most relabels. Nodes that reach no deficit have no excess
    /// and are shifted by one more than the largest distance, which also keeps ε-optimality.
    func updatePrices(
        _ price: inout [Int], excess: [Int], epsilon: Int, heap: inout IndexedMinHeap, distance: inout [Int]
    ) {
        // Dial's buckets over distances 0...n; a distance above the level where the search stops is
        // replaced by that level, which keeps `d(v) ≤ length + d(w)` for every residual arc (capping a
        // shortest-path labelling at a constant preserves it), so the update stays valid.
        let n = nodeCount
        let cap = n
        var bucketHead = [Int32](repeating: -1, count: cap + 1)
        var next = [Int32](repeating: -1, count: n)
        var previous = [Int32](repeating: -1, count: n)
        func insert(_ v: Int, _ b: Int) {
            next[v] = bucketHead[b]
            previous[v] = -1
            if bucketHead[b] >= 0 { previous[Int(bucketHead[b])] = Int32(v) }
            bucketHead[b] = Int32(v)
        }
        func remove(_ v: Int, _ b: Int) {
            if previous[v] >= 0 { next[Int(previous[v])] = next[v] } else { bucketHead[b] = next[v] }
            if next[v] >= 0 { previous[Int(next[v])] = previous[v] }
        }
        var pendingExcess = 0
        for v in 0..<n {
            if excess[v] < 0 {
                distance[v] = 0
                insert(v, 0)
            } else {
                distance[v] = .max
                if excess[v] > 0 { pendingExcess += 1 }
            }
        }
        var level = 0
        var finished = [Bool](repeating: false, count: n)
        scan: while level <= cap {
            while bucketHead[level] >= 0 {
                let w = Int(bucketHead[level])
                remove(w, level)
                finished[w] = true
                if excess[w] > 0 {
                    pendingExcess -= 1
                    if pendingExcess == 0 { break scan }
                }
                let pw = price[w]
                for b in Int(firstOut[w])..<Int(firstOut[w + 1]) {
                    let r = Int(outReverse[b])  // the arc v -> w
                    guard outCapacity[r] > 0 else { continue }
                    let v = Int(outTo[b])
                    if finished[v] { continue }
                    let reduced = outCost[r] + price[v] - pw
                    let floorQuotient = reduced >= 0 ? reduced / epsilon : -((-reduced + epsilon - 1) / epsilon)
                    let nd = min(cap, level + floorQuotient + 1)
                    if nd < distance[v] {
                        if distance[v] != .max { remove(v, distance[v]) }
                        distance[v] = nd
                        insert(v, nd)
                    }
                }
            }
            level += 1
        }
        for v in 0..<n {
            let d = finished[v] ? distance[v] : min(level, cap)
            price[v] -= epsilon * d
        }
    }
}

/// A fixed-capacity FIFO of node ids (each node is queued at most once at a time).
struct RingQueue {
    private var items: [Int32]
    private var head = 0, count = 0
    init(capacity: Int) { items = [Int32](repeating: 0, count: max(1, capacity)) }
    mutating func push(_ x: Int32) {
        items[(head + count) % items.count] = x
        count += 1
    }
    mutating func pop() -> Int32? {
        guard count > 0 else { return nil }
        let x = items[head]
        head = (head + 1) % items.count
        count -= 1
        return x
    }
}
