/// Proper edge colouring of a bipartite multigraph-free graph with `colours ≥ max degree` colours
/// (König's theorem), by alternating paths: to colour edge (u, v), take the first colour free at both ends
/// if there is one; otherwise take a colour `a` free at `u` and
/// `b` free at `v`; if `a` is not free at `v`, swap `a` and `b` along the maximal a/b-alternating
/// path that starts at `v`. In a bipartite graph that path cannot end at `u`, so afterwards `a` is
/// free at both ends. Time `O(E · (colours + path length))`, at worst `O(E · V)`.
///
/// `preferred` (a colour per edge, or -1) seeds the colouring: every edge whose preferred colour is free
/// at both of its ends takes it first, which is a proper partial colouring, and the alternating paths only
/// extend it. With a proper `preferred` colouring of all edges, that colouring is returned unchanged.
enum EdgeColouring {
    /// Returns a colour in `0..<colours` for each edge (left, right).
    static func colour(
        edges: [(Int, Int)], leftCount: Int, rightCount: Int, colours: Int, preferred: [Int]? = nil
    ) -> [Int] {
        // at[node * colours + c] = edge index with colour c at node, or -1. Right nodes follow left ones.
        var at = [Int32](repeating: -1, count: (leftCount + rightCount) * colours)
        var colourOf = [Int](repeating: -1, count: edges.count)
        if let preferred {
            precondition(preferred.count == edges.count, "one preferred colour (or -1) per edge")
            for (index, (left, right)) in edges.enumerated() {
                let c = preferred[index]
                let u = left, v = leftCount + right
                guard (0..<colours).contains(c), at[u * colours + c] < 0, at[v * colours + c] < 0 else { continue }
                colourOf[index] = c
                at[u * colours + c] = Int32(index)
                at[v * colours + c] = Int32(index)
            }
        }
        var path: [Int] = []
        for (index, (left, right)) in edges.enumerated() where colourOf[index] < 0 {
            let u = left, v = leftCount + right
            // A colour free at both ends needs no swap (and moves no edge coloured before, preferred or not).
            if let common = (0..<colours).first(where: { at[u * colours + $0] < 0 && at[v * colours + $0] < 0 }) {
                colourOf[index] = common
                at[u * colours + common] = Int32(index)
                at[v * colours + common] = Int32(index)
                continue
            }
            guard let a = (0..<colours).first(where: { at[u * colours + $0] < 0 }),
                let b = (0..<colours).first(where: { at[v * colours + $0] < 0 })
            else { preconditionFailure("degree exceeds the number of colours") }
            if at[v * colours + a] >= 0 {
                // Collect the a/b path from v: v -a- w1 -b- w2 -a- ...
                path.removeAll(keepingCapacity: true)
                var node = v
                var c = a
                while at[node * colours + c] >= 0 {
                    let e = Int(at[node * colours + c])
                    path.append(e)
                    let (l, r) = edges[e]
                    let other = node == leftCount + r ? l : leftCount + r
                    node = other
                    c = (c == a) ? b : a
                }
                for e in path {
                    let (l, r) = edges[e]
                    at[l * colours + colourOf[e]] = -1
                    at[(leftCount + r) * colours + colourOf[e]] = -1
                }
                for e in path {
                    let (l, r) = edges[e]
                    let newColour = colourOf[e] == a ? b : a
                    colourOf[e] = newColour
                    at[l * colours + newColour] = Int32(e)
                    at[(leftCount + r) * colours + newColour] = Int32(e)
                }
            }
            colourOf[index] = a
            at[u * colours + a] = Int32(index)
            at[v * colours + a] = Int32(index)
        }
        return colourOf
    }
}
