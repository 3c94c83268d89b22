import Benchmark
import Matching

/// Deterministic instances (SplitMix64), generated outside the measured closure.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func denseWeights(_ n: Int) -> [Int] {
    var rng = SplitMix64(state: 1)
    return (0..<(n * n)).map { _ in Int.random(in: 0...PairingOptimizer.maximumWeight, using: &rng) }
}

func sparseCandidates(mentees n: Int, perMentee k: Int) -> [PairCandidate] {
    var rng = SplitMix64(state: 2)
    var result: [PairCandidate] = []
    result.reserveCapacity(n * k)
    for i in 0..<n {
        var chosen: [Int] = []
        while chosen.count < k {
            let j = Int.random(in: 0..<n, using: &rng)
            if !chosen.contains(j) { chosen.append(j) }
        }
        for j in chosen {
            result.append(PairCandidate(mentee: i, mentor: j, weight: Int.random(in: 0...1_000_000, using: &rng)))
        }
    }
    return result
}

func sparseFit(mentees n: Int, mentors m: Int, perMentee k: Int) -> [PairFit] {
    var rng = SplitMix64(state: 3)
    var result: [PairFit] = []
    for i in 0..<n {
        var chosen: [Int] = []
        while chosen.count < k {
            let j = Int.random(in: 0..<m, using: &rng)
            if !chosen.contains(j) { chosen.append(j) }
        }
        for j in chosen { result.append(PairFit(mentee: i, mentor: j, fit: Int.random(in: 1...100, using: &rng))) }
    }
    return result
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal], timeUnits: .milliseconds,
        maxDuration: .seconds(20), maxIterations: 5)

    for n in [2_000, 5_000] {
        Benchmark("dense pairing \(n)x\(n)", configuration: .init(maxIterations: n > 2_000 ? 2 : 5)) { benchmark in
            let weights = denseWeights(n)
            benchmark.startMeasurement()
            blackHole(PairingOptimizer.optimizeDense(weights: weights, menteeCount: n, mentorCount: n))
        }
    }

    Benchmark("sparse pairing 100000 mentees x 10 candidates", configuration: .init(maxIterations: 2)) { benchmark in
        let candidates = sparseCandidates(mentees: 100_000, perMentee: 10)
        benchmark.startMeasurement()
        blackHole(try PairingOptimizer.optimize(menteeCount: 100_000, mentorCount: 100_000, candidates: candidates))
    }

    Benchmark("rounds 10000 x 10000, R = 8, 5 fit pairs per mentee") { benchmark in
        let fit = sparseFit(mentees: 10_000, mentors: 10_000, perMentee: 5)
        benchmark.startMeasurement()
        blackHole(try MeetingPlanner.plan(menteeCount: 10_000, mentorCount: 10_000, rounds: 8, fit: fit))
    }
}
