/// ε-scaling auction (Bertsekas) for the capacity-1 pairing problem, with a private "stay unpaired"
/// option per mentee: the fast exact path of ``PairingOptimizer/optimize(menteeCount:mentorCount:candidates:capacities:)``
/// when every mentor capacity is 0 or 1.
///
/// **Problem as an assignment.** Persons = mentees, objects = mentors. A real pair `(i, j)` has benefit
/// `a_ij = (big + w_ij) · s`, staying unpaired has benefit 0, where `big = min(n, m) · maxW + 1` and
/// `s = n + 1`. Any plan with fewer pairs than the most possible has an augmenting path (at most
/// `min(n, m) − 1` pairs on it can be lost, each worth at most `maxW`), so one more pair always gains
/// more than `big − (min(n, m) − 1) · maxW > 0` weight units: maximising `Σ a` maximises (1) the count,
/// then (2) the weight. The "stay unpaired" option is private to each mentee, so its price stays 0.
///
/// **Invariants (ε-complementary slackness, ε-CS).** Prices `p_j ≥ 0`; every mentee holds a mentor or
/// its unpaired option; its profit `π_i` (`a_ij − p_j`, or 0 when unpaired) is at least
/// `max(0, max_k a_ik − p_k) − ε`.
///
/// **Optimality certificate.** If ε-CS holds with ε = 1 and every mentor nobody holds has price 0,
/// then for any plan `A`: `Σ_A a ≤ Σ_i (π_i + ε) + Σ_j p_j = Σ_S a + n·ε` (`π_i + ε ≥ a_ij − p_j`
/// and `π_i + ε ≥ 0` make `(π + ε, p)` dual feasible; the second equality uses `p_j = 0` for mentors
/// left free). Since all benefits are multiples of `s = n + 1 > n`, `Σ_A a ≤ Σ_S a`: the plan is
/// exactly optimal. ``solve`` checks this certificate in `O(E)` before returning, and returns `nil`
/// (the caller then uses min-cost flow) if it does not hold or the numbers would not fit 64 bits.
///
/// **Method.** Forward auction (Gauss–Seidel): a free mentee bids for its best mentor `j`, raising
/// `p_j` to `a_ij − v2 + ε` (`v2` = the second-best value, at least 0 for staying unpaired), which
/// keeps ε-CS for the bidder; the previous holder becomes free. It takes its unpaired option when no
/// mentor has a positive value. Prices never exceed `max a + ε` because `v2 ≥ 0`. ε is divided by
/// `alpha` per phase down to 1; mentees still ε-CS for the new ε keep their mentor. Forward bidding
/// can leave a mentor free with a positive price from an earlier phase; a final *reverse auction*
/// fixes that: such a mentor either drops its price to 0 (if no neighbour values it above ε), or
/// takes its best neighbour `i*` at price `max(0, β2 − ε)` (`β = a_ij − π_i`), which raises
/// `π_i*` by at least ε and keeps ε-CS for every neighbour; `i*`'s old mentor is then free. Profits
/// only rise and are bounded, so this ends. The reverse pass runs after every phase (forward bidding in
/// the coarse phases pushes many prices above what the final plan needs; lowering them phase by phase
/// is far cheaper than at the end). Work is capped (arc visits); past the cap ``solve`` returns `nil`.
enum SparseAuction {
    /// Mentor per mentee (`-1` = unpaired), or `nil` when the certificate cannot be established.
    /// - Parameters:
    ///   - arcStart: `menteeCount + 1` offsets into `arcMentor`/`arcWeight` (CSR by mentee).
    static func solve(
        menteeCount n: Int, mentorCount m: Int, arcStart: [Int], arcMentor: [Int32], arcWeight: [Int],
        maximumWeight: Int, alpha: Int = 8, budgetFactor: Int = 400
    ) -> [Int32]? {
        let arcCount = arcMentor.count
        guard n > 0 else { return [] }
        let scale = n + 1
        let big = min(n, m) * maximumWeight + 1
        let (top, overflow) = (big + maximumWeight).multipliedReportingOverflow(by: scale)
        guard !overflow, top < Int.max / 8 else { return nil }

        let benefit = UnsafeMutablePointer<Int>.allocate(capacity: max(arcCount, 1))
        defer { benefit.deallocate() }
        for a in 0..<arcCount { benefit[a] = (big + arcWeight[a]) * scale }
        let price = UnsafeMutablePointer<Int>.allocate(capacity: max(m, 1))
        defer { price.deallocate() }
        price.initialize(repeating: 0, count: max(m, 1))
        let owner = UnsafeMutablePointer<Int32>.allocate(capacity: max(m, 1))
        defer { owner.deallocate() }
        owner.initialize(repeating: -1, count: max(m, 1))
        // held[i]: arc index, -1 = free (bidding), -2 = unpaired option.
        let held = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        defer { held.deallocate() }
        held.initialize(repeating: -1, count: n)
        let queue = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        defer { queue.deallocate() }

        return arcStart.withUnsafeBufferPointer { start in
            arcMentor.withUnsafeBufferPointer { mentor -> [Int32]? in
                // Incoming arcs per mentor (CSR of arc ids) and the mentee of each arc, for reverse bids.
                let arcMentee = UnsafeMutablePointer<Int32>.allocate(capacity: max(arcCount, 1))
                defer { arcMentee.deallocate() }
                for i in 0..<n { for a in start[i]..<start[i + 1] { arcMentee[a] = Int32(i) } }
                var inStart = [Int](repeating: 0, count: m + 1)
                for a in 0..<arcCount { inStart[Int(mentor[a]) + 1] += 1 }
                for j in 0..<m { inStart[j + 1] += inStart[j] }
                let inArc = UnsafeMutablePointer<Int32>.allocate(capacity: max(arcCount, 1))
                defer { inArc.deallocate() }
                do {
                    var fill = inStart
                    for a in 0..<arcCount {
                        let j = Int(mentor[a])
                        inArc[fill[j]] = Int32(a); fill[j] += 1
                    }
                }
                var pending: [Int32] = []
                // Work budget in arc visits: the auction has no good worst-case bound (price wars), so
                // past this it gives up and the caller solves by min-cost flow instead. The 100k × 10
                // benchmark uses about 100 × (E + n + m).
                var budget = budgetFactor * (arcCount + n + m) + 10 * budgetFactor
                var epsilon = top
                repeat {
                    epsilon = max(1, epsilon / alpha)
                    // Mentees that are not ε-CS for the new ε become free (ring buffer, each at most once).
                    var head = 0, count = 0
                    for i in 0..<n {
                        let h = Int(held[i])
                        var best = 0
                        for a in start[i]..<start[i + 1] {
                            let v = benefit[a] - price[Int(mentor[a])]
                            if v > best { best = v }
                        }
                        let profit = h >= 0 ? benefit[h] - price[Int(mentor[h])] : 0
                        if h != -1 && profit >= best - epsilon { continue }
                        if h >= 0 { owner[Int(mentor[h])] = -1 }
                        held[i] = -1
                        queue[count] = Int32(i); count += 1
                    }
                    budget -= arcCount + n
                    // Forward auction.
                    while count > 0 {
                        let i = Int(queue[head])
                        head += 1; if head == n { head = 0 }
                        count -= 1
                        budget -= start[i + 1] - start[i] + 1
                        if budget < 0 { return nil }
                        var v1 = Int.min, v2 = Int.min, bestArc = -1
                        for a in start[i]..<start[i + 1] {
                            let v = benefit[a] - price[Int(mentor[a])]
                            if v > v1 {
                                v2 = v1; v1 = v; bestArc = a
                            } else if v > v2 {
                                v2 = v
                            }
                        }
                        if v1 <= 0 {
                            held[i] = -2
                            continue
                        }
                        let j = Int(mentor[bestArc])
                        price[j] = benefit[bestArc] - max(v2, 0) + epsilon
                        let previous = Int(owner[j])
                        if previous >= 0 {
                            held[previous] = -1
                            var tail = head + count; if tail >= n { tail -= n }
                            queue[tail] = Int32(previous); count += 1
                        }
                        owner[j] = Int32(i)
                        held[i] = Int32(bestArc)
                    }
                    // Reverse auction for free mentors with a positive price.
                    for j in 0..<m where owner[j] < 0 && price[j] > 0 { pending.append(Int32(j)) }
                    while let j32 = pending.popLast() {
                        let j = Int(j32)
                        guard owner[j] < 0 && price[j] > 0 else { continue }
                        budget -= inStart[j + 1] - inStart[j] + 1
                        if budget < 0 { return nil }
                        var b1 = Int.min, b2 = Int.min, bestArc = -1
                        for k in inStart[j]..<inStart[j + 1] {
                            let a = Int(inArc[k])
                            let h = Int(held[Int(arcMentee[a])])
                            let b = benefit[a] - (h >= 0 ? benefit[h] - price[Int(mentor[h])] : 0)
                            if b > b1 { b2 = b1; b1 = b; bestArc = a } else if b > b2 { b2 = b }
                        }
                        if b1 <= epsilon {
                            price[j] = 0
                            continue
                        }
                        price[j] = b2 > epsilon ? b2 - epsilon : 0
                        let i = Int(arcMentee[bestArc])
                        let old = Int(held[i])
                        held[i] = Int32(bestArc)
                        owner[j] = Int32(i)
                        if old >= 0 {
                            let k = Int(mentor[old])
                            owner[k] = -1
                            if price[k] > 0 { pending.append(Int32(k)) }
                        }
                    }
                } while epsilon > 1

                // Certificate: ε-CS with ε = 1, prices ≥ 0, free mentors at price 0, consistency.
                for j in 0..<m {
                    if price[j] < 0 { return nil }
                    let o = Int(owner[j])
                    if o < 0 {
                        if price[j] != 0 { return nil }
                    } else if o >= n || held[o] < 0 || Int(mentor[Int(held[o])]) != j {
                        return nil
                    }
                }
                var result = [Int32](repeating: -1, count: n)
                for i in 0..<n {
                    let h = Int(held[i])
                    let profit: Int
                    if h >= 0 {
                        guard h >= start[i] && h < start[i + 1] && Int(owner[Int(mentor[h])]) == i else { return nil }
                        profit = benefit[h] - price[Int(mentor[h])]
                        result[i] = mentor[h]
                    } else if h == -2 {
                        profit = 0
                    } else {
                        return nil
                    }
                    if profit < -1 { return nil }
                    for a in start[i]..<start[i + 1] where benefit[a] - price[Int(mentor[a])] > profit + 1 {
                        return nil
                    }
                }
                return result
            }
        }
    }
}
