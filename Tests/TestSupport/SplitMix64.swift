/// A seeded pseudo-random generator for tests (SplitMix64, Steele, Lea and Flood 2014).
///
/// Tests that draw random instances take their randomness from a fixed seed, never from the system
/// generator: the same seed gives the same sequence on every run and platform, so a failure is
/// reproducible. Put the seed in the failure message (or draw it from a property check, which prints
/// its inputs) so that a failing case can be run again exactly.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The seed this generator started from, for failure messages.
    public let seed: UInt64
    private var state: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
