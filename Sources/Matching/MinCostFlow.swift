/// Min-cost flow with node supplies, solved by successive shortest paths with node potentials.
///
/// Every supply node sends its units, one shortest path at a time, to the single sink. Paths are
/// found by Dijkstra on reduced costs `cost + potential[from] - potential[to]`, which stay
/// non-negative on every residual arc (the invariant of the method), so all arc costs must be
/// non-negative when the network is built. Each search stops as soon as the sink is settled; only
/// the settled nodes' potentials move (by `distance - sinkDistance`), which is the usual
/// early-termination variant: it is the textbook update `potential += min(distance, sinkDistance)`
/// minus the constant `sinkDistance`, and a constant shift does not change reduced costs.
///
/// Sending from any node that still has supply, along a shortest path, keeps the flow optimal for
/// the amounts sent so far (Ahuja, Magnanti, Orlin, *Network Flows*, §9.7), so the final flow is a
/// min-cost flow for the given supplies. Callers make every supply routable (e.g. by a dummy arc to
/// the sink whose cost is larger than any alternative), so a search never fails.
///
/// Complexity: one Dijkstra (`O((V + A) log V)` worst case, usually far less thanks to early
/// termination) per unit of supply.
struct MinCostFlowNetwork {
    private(set) var nodeCount: Int
    // Arc list before `finalize()`; arcs 2k and 2k+1 are a pair (forward, residual backward).
    private var arcFrom: [Int32] = []
    private var arcTo: [Int32] = []
    private var arcCost: [Int] = []
    private var arcCapacity: [Int32] = []

    // Compressed adjacency after `finalize()`.
    var firstOut: [Int32] = []
    var outTo: [Int32] = []
    var outCost: [Int] = []
    var outCapacity: [Int32] = []
    var outReverse: [Int32] = []
    /// Position in the compressed arrays of each original arc (forward arcs are even ids).
    private var position: [Int32] = []

    private(set) var potential: [Int]

    init(nodeCount: Int) {
        self.nodeCount = nodeCount
        self.potential = [Int](repeating: 0, count: nodeCount)
    }

    /// Adds an arc and returns its id; `cost` must be non-negative.
    @discardableResult
    mutating func addArc(from: Int, to: Int, capacity: Int, cost: Int) -> Int {
        precondition(cost >= 0, "arc costs must be non-negative")
        precondition(capacity >= 0 && capacity <= Int(Int32.max))
        let id = arcFrom.count
        arcFrom.append(Int32(from)); arcTo.append(Int32(to)); arcCost.append(cost); arcCapacity.append(Int32(capacity))
        arcFrom.append(Int32(to)); arcTo.append(Int32(from)); arcCost.append(-cost); arcCapacity.append(0)
        return id
    }

    /// Builds the compressed adjacency; call once, after all arcs are added.
    mutating func finalize() {
        let arcCount = arcFrom.count
        var first = [Int32](repeating: 0, count: nodeCount + 1)
        for from in arcFrom { first[Int(from) + 1] += 1 }
        for v in 0..<nodeCount { first[v + 1] += first[v] }
        var next = first
        var position = [Int32](repeating: 0, count: arcCount)
        for a in 0..<arcCount {
            let from = Int(arcFrom[a])
            position[a] = next[from]
            next[from] += 1
        }
        var outTo = [Int32](repeating: 0, count: arcCount)
        var outCost = [Int](repeating: 0, count: arcCount)
        var outCapacity = [Int32](repeating: 0, count: arcCount)
        var outReverse = [Int32](repeating: 0, count: arcCount)
        for a in 0..<arcCount {
            let p = Int(position[a])
            outTo[p] = arcTo[a]
            outCost[p] = arcCost[a]
            outCapacity[p] = arcCapacity[a]
            outReverse[p] = position[a ^ 1]
        }
        self.firstOut = first
        self.outTo = outTo
        self.outCost = outCost
        self.outCapacity = outCapacity
        self.outReverse = outReverse
        self.position = position
        arcFrom = []; arcTo = []; arcCost = []; arcCapacity = []
    }

    /// Flow on an arc returned by `addArc`.
    func flow(onArc id: Int) -> Int {
        Int(outCapacity[Int(position[id ^ 1])])
    }

    /// Sends `amount` units from `source` to `sink` along successive shortest paths.
    /// Precondition: the sink stays reachable (callers add a dummy arc).
    mutating func send(from source: Int, to sink: Int, amount: Int, workspace: inout Workspace) {
        var remaining = amount
        while remaining > 0 {
            let sent = augment(from: source, to: sink, limit: remaining, workspace: &workspace)
            precondition(sent > 0, "sink unreachable: the caller must make every supply routable")
            remaining -= sent
        }
    }

    /// Shortest residual distances from `root` in true costs (found by Dijkstra on reduced costs);
    /// unreachable nodes get `unreachable`. These are themselves valid potentials (triangle
    /// inequality), and the tightest ones for checking arcs that point away from `root`'s side.
    func distances(from root: Int, unreachable: Int) -> [Int] {
        var distance = [Int](repeating: .max, count: nodeCount)
        var done = [Bool](repeating: false, count: nodeCount)
        var heap = IndexedMinHeap()
        distance[root] = 0
        heap.push(key: 0, value: Int32(root))
        while let (d, u32) = heap.pop() {
            let u = Int(u32)
            if done[u] || d > distance[u] { continue }
            done[u] = true
            for a in Int(firstOut[u])..<Int(firstOut[u + 1]) where outCapacity[a] > 0 {
                let v = Int(outTo[a])
                let nd = d + outCost[a] + potential[u] - potential[v]
                if !done[v] && nd < distance[v] {
                    distance[v] = nd
                    heap.push(key: nd, value: Int32(v))
                }
            }
        }
        return (0..<nodeCount).map { v in
            distance[v] == .max ? unreachable : distance[v] - potential[root] + potential[v]
        }
    }

    /// Scratch arrays reused across searches, so a search costs only what it touches.
    struct Workspace {
        var distance: [Int]
        var parentArc: [Int32]
        var settled: [Bool]
        var touched: [Int32] = []
        var settledOrder: [Int32] = []
        var heap = IndexedMinHeap()
        init(nodeCount: Int) {
            distance = [Int](repeating: .max, count: nodeCount)
            parentArc = [Int32](repeating: -1, count: nodeCount)
            settled = [Bool](repeating: false, count: nodeCount)
        }
    }

    private mutating func augment(from source: Int, to sink: Int, limit: Int, workspace w: inout Workspace) -> Int {
        w.distance[source] = 0
        w.touched.append(Int32(source))
        w.heap.push(key: 0, value: Int32(source))
        var sinkDistance = -1
        while let (d, u32) = w.heap.pop() {
            let u = Int(u32)
            if w.settled[u] || d > w.distance[u] { continue }
            w.settled[u] = true
            w.settledOrder.append(u32)
            if u == sink { sinkDistance = d; break }
            let pu = potential[u]
            var a = Int(firstOut[u])
            let end = Int(firstOut[u + 1])
            while a < end {
                if outCapacity[a] > 0 {
                    let v = Int(outTo[a])
                    if !w.settled[v] {
                        let nd = d + outCost[a] + pu - potential[v]
                        if nd < w.distance[v] {
                            if w.distance[v] == .max { w.touched.append(Int32(v)) }
                            w.distance[v] = nd
                            w.parentArc[v] = Int32(a)
                            w.heap.push(key: nd, value: Int32(v))
                        }
                    }
                }
                a += 1
            }
        }
        var sent = 0
        if sinkDistance >= 0 {
            for v32 in w.settledOrder {
                let v = Int(v32)
                potential[v] += w.distance[v] - sinkDistance
            }
            // Bottleneck along the path.
            var bottleneck = limit
            var v = sink
            while v != source {
                let a = Int(w.parentArc[v])
                bottleneck = min(bottleneck, Int(outCapacity[a]))
                v = Int(outTo[Int(outReverse[a])])
            }
            v = sink
            while v != source {
                let a = Int(w.parentArc[v])
                outCapacity[a] -= Int32(bottleneck)
                outCapacity[Int(outReverse[a])] += Int32(bottleneck)
                v = Int(outTo[Int(outReverse[a])])
            }
            sent = bottleneck
        }
        for v32 in w.touched {
            let v = Int(v32)
            w.distance[v] = .max
            w.parentArc[v] = -1
            w.settled[v] = false
        }
        w.touched.removeAll(keepingCapacity: true)
        w.settledOrder.removeAll(keepingCapacity: true)
        w.heap.removeAll()
        return sent
    }
}

/// A plain binary min-heap of `(key, value)` pairs with lazy deletion by the caller.
struct IndexedMinHeap {
    private var keys: [Int] = []
    private var values: [Int32] = []

    var isEmpty: Bool { keys.isEmpty }

    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }

    mutating func push(key: Int, value: Int32) {
        var i = keys.count
        keys.append(key)
        values.append(value)
        while i > 0 {
            let parent = (i - 1) >> 1
            if keys[parent] <= key { break }
            keys[i] = keys[parent]
            values[i] = values[parent]
            i = parent
        }
        keys[i] = key
        values[i] = value
    }

    mutating func pop() -> (Int, Int32)? {
        guard let topKey = keys.first else { return nil }
        let topValue = values[0]
        let lastKey = keys.removeLast()
        let lastValue = values.removeLast()
        let n = keys.count
        if n > 0 {
            var i = 0
            while true {
                var child = 2 * i + 1
                if child >= n { break }
                if child + 1 < n && keys[child + 1] < keys[child] { child += 1 }
                if keys[child] >= lastKey { break }
                keys[i] = keys[child]
                values[i] = values[child]
                i = child
            }
            keys[i] = lastKey
            values[i] = lastValue
        }
        return (topKey, topValue)
    }
}
