/// Rectangular linear assignment (rows ≤ columns) maximising total weight, by shortest augmenting
/// paths on the dense matrix: the method of Jonker & Volgenant (1987) as refined by Crouse (2016),
/// which SciPy's `linear_sum_assignment` also uses.
///
/// Costs are `maximumWeight - weight` (non-negative integers, so no rounding). Dual variables `u`
/// (rows) and `v` (columns) satisfy `cost - u - v ≥ 0` everywhere with equality on assigned pairs;
/// each row is added by a Dijkstra-like O(columns) scan per step that finds the shortest augmenting
/// path in reduced costs, then the duals are updated so the invariant holds again. After the last row
/// the assignment is optimal by complementary slackness. For square matrices the duals are first
/// initialised by JV's column reduction (`v[j] = min_i cost[i][j]`, each column given to its cheapest
/// row if that row is still free), which settles a large share of rows for O(n²) work.
enum DenseAssignment {
    /// Returns, for each column, the assigned row or -1.
    static func solve(
        weights: UnsafeBufferPointer<Int>, rows: Int, columns: Int, rowStride: Int, columnStride: Int,
        maximumWeight: Int
    ) -> [Int] {
        precondition(rows <= columns)
        if rows == 0 { return [Int](repeating: -1, count: columns) }
        let inf = Int.max
        var u = [Int](repeating: 0, count: rows)
        var v = [Int](repeating: 0, count: columns)
        var col4row = [Int](repeating: -1, count: rows)
        var row4col = [Int](repeating: -1, count: columns)
        var shortest = [Int](repeating: inf, count: columns)
        var path = [Int](repeating: -1, count: columns)
        var remaining = [Int](repeating: 0, count: columns)
        var inSR = [Bool](repeating: false, count: rows)
        var inSC = [Bool](repeating: false, count: columns)
        var srList: [Int] = []
        var scList: [Int] = []

        @inline(__always) func cost(_ r: Int, _ c: Int) -> Int {
            maximumWeight - weights[r &* rowStride &+ c &* columnStride]
        }

        if rows == columns {
            // Column reduction.
            for j in 0..<columns {
                var best = inf, bestRow = 0
                for i in 0..<rows {
                    let c = cost(i, j)
                    if c < best { best = c; bestRow = i }
                }
                v[j] = best
                if col4row[bestRow] == -1 {
                    col4row[bestRow] = j
                    row4col[j] = bestRow
                }
            }
        }

        for currentRow in 0..<rows where col4row[currentRow] == -1 {
            var minValue = 0
            var count = columns
            for k in 0..<columns { remaining[k] = columns - 1 - k; shortest[k] = inf }
            for i in srList { inSR[i] = false }
            for j in scList { inSC[j] = false }
            srList.removeAll(keepingCapacity: true)
            scList.removeAll(keepingCapacity: true)
            var sink = -1
            var i = currentRow
            // The nested buffer-pointer closures stay flat: one level of indentation for the hot loop, not five.
            // swift-format-ignore
            shortest.withUnsafeMutableBufferPointer { shortest in
            remaining.withUnsafeMutableBufferPointer { remaining in
            path.withUnsafeMutableBufferPointer { path in
            v.withUnsafeBufferPointer { v in
            row4col.withUnsafeBufferPointer { row4col in
                while sink == -1 {
                    inSR[i] = true
                    srList.append(i)
                    var index = -1
                    var lowest = inf
                    let base = minValue - u[i]
                    let rowBase = i &* rowStride
                    for it in 0..<count {
                        let j = remaining[it]
                        let r = base + (maximumWeight - weights[rowBase &+ j &* columnStride]) - v[j]
                        if r < shortest[j] {
                            path[j] = i
                            shortest[j] = r
                        }
                        let s = shortest[j]
                        if s < lowest || (s == lowest && row4col[j] == -1) {
                            lowest = s
                            index = it
                        }
                    }
                    minValue = lowest
                    let j = remaining[index]
                    if row4col[j] == -1 { sink = j } else { i = row4col[j] }
                    inSC[j] = true
                    scList.append(j)
                    count -= 1
                    remaining[index] = remaining[count]
                }
            }
            }
            }
            }
            }
            // Dual update.
            u[currentRow] += minValue
            for r in srList where r != currentRow {
                u[r] += minValue - shortest[col4row[r]]
            }
            for j in scList {
                v[j] -= minValue - shortest[j]
            }
            // Augment along the path.
            var j = sink
            while true {
                let r = path[j]
                row4col[j] = r
                let previous = col4row[r]
                col4row[r] = j
                j = previous
                if r == currentRow { break }
            }
        }
        return row4col
    }
}
