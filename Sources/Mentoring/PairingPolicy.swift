import Matching

/// How a person rated the other side after the kickoff conversation.
public enum KickoffRating: Int, Sendable, CaseIterable, Comparable {
    case poor = 1
    case neutral, good, veryGood

    public static func < (a: KickoffRating, b: KickoffRating) -> Bool { a.rawValue < b.rawValue }

    /// The label organisers see in explanations.
    public var label: String {
        switch self {
        case .poor: "poor"
        case .neutral: "neutral"
        case .good: "good"
        case .veryGood: "very good"
        }
    }
}

/// A (mentee, mentor) pair of ids.
public struct PairID: Hashable, Sendable {
    public var mentee: String
    public var mentor: String
    public init(mentee: String, mentor: String) {
        self.mentee = mentee
        self.mentor = mentor
    }
}

/// Everything the pairing policy looks at, as plain values (the app loads them from the database).
public struct PairingInput: Sendable {
    public var mentees: [String]
    public var mentors: [String]
    /// Each mentee's ranked favourites (1st choice first).
    public var shortlists: [String: [String]] = [:]
    /// The mentee's rating of the mentor after the kickoff.
    public var menteeRatings: [PairID: KickoffRating] = [:]
    /// The mentor's rating of the talk with the mentee after the kickoff.
    public var mentorRatings: [PairID: KickoffRating] = [:]
    /// Topic fit in percent, 0...100.
    public var topicFit: [PairID: Int] = [:]
    /// Organiser pins: these pairs must be tandems.
    public var pins: [PairID] = []
    /// Organiser bans: these pairs never become tandems.
    public var bans: Set<PairID> = []
    /// Mentor capacities; missing means 1, 0 means unavailable.
    public var capacities: [String: Int] = [:]

    public init(mentees: [String], mentors: [String]) {
        self.mentees = mentees
        self.mentors = mentors
    }
}

/// One proposed tandem with the reasons an organiser can read.
public struct ProposedTandem: Sendable, Equatable {
    public var mentee: String
    public var mentor: String
    public var weight: Int
    public var pinned: Bool
    /// E.g. "1st choice of the mentee, mentor rated the talk 'very good', topic fit 80%".
    public var explanation: String
}

/// The policy's answer: tandems and, for every mentee left out, the reason.
public struct PairingProposal: Sendable, Equatable {
    public var tandems: [ProposedTandem]
    public var unpaired: [String: UnpairedReason]
}

/// Inconsistent organiser input.
public enum PairingPolicyError: Error, Equatable, Sendable {
    case unknownPerson(String)
    case pinnedAndBanned(PairID)
    case menteePinnedTwice(String)
    case mentorOverPinned(String)
}

/// Turns shortlists, kickoff ratings, topic fit, pins and bans into weights and constraints for
/// ``PairingOptimizer`` (which then maximises the number of tandems, then the total weight).
///
/// The rules, in order:
/// 1. **Bans** remove the pair. **Pins** are fixed first: the mentee leaves the optimisation and the
///    mentor's capacity drops by one.
/// 2. A pair is **allowed** when the mentee shortlisted the mentor or both rated their kickoff talk
///    at least `minimumMutualRating`; a `poor` rating by either side rules the pair out (unless pinned).
/// 3. **Weight** (0...1,000,000) = shortlist points by rank + rating points for each side's rating +
///    `topicFitPointsPerPercent` × topic fit. Defaults: 1st/2nd/3rd choice 400k/300k/200k; ratings
///    very good 150k, good 100k, neutral 50k, poor 0 (per side); topic fit 2k per percent (≤ 200k).
public struct PairingPolicy: Sendable {
    public var shortlistPoints: [Int] = [400_000, 300_000, 200_000]
    public var ratingPoints: [KickoffRating: Int] = [.veryGood: 150_000, .good: 100_000, .neutral: 50_000, .poor: 0]
    public var topicFitPointsPerPercent = 2_000
    public var minimumMutualRating: KickoffRating = .good

    public init() {}

    /// The weight of an allowed pair and its explanation, or `nil` when the pair is not allowed.
    public func evaluate(_ pair: PairID, in input: PairingInput) -> (weight: Int, explanation: String)? {
        if input.bans.contains(pair) { return nil }
        let rank = input.shortlists[pair.mentee]?.firstIndex(of: pair.mentor)
        let menteeRating = input.menteeRatings[pair]
        let mentorRating = input.mentorRatings[pair]
        if menteeRating == .poor || mentorRating == .poor { return nil }
        let mutual = (menteeRating ?? .poor) >= minimumMutualRating && (mentorRating ?? .poor) >= minimumMutualRating
        guard rank != nil || mutual else { return nil }

        var weight = 0
        var parts: [String] = []
        if let rank {
            weight += rank < shortlistPoints.count ? shortlistPoints[rank] : 0
            parts.append("\(Self.ordinal(rank + 1)) choice of the mentee")
        }
        if let menteeRating {
            weight += ratingPoints[menteeRating] ?? 0
            parts.append("mentee rated the talk '\(menteeRating.label)'")
        }
        if let mentorRating {
            weight += ratingPoints[mentorRating] ?? 0
            parts.append("mentor rated the talk '\(mentorRating.label)'")
        }
        if let fit = input.topicFit[pair] {
            let percent = min(max(fit, 0), 100)
            weight += percent * topicFitPointsPerPercent
            parts.append("topic fit \(percent)%")
        }
        return (min(weight, PairingOptimizer.maximumWeight), parts.joined(separator: ", "))
    }

    /// Applies the policy and runs the exact optimizer.
    public func propose(_ input: PairingInput) throws -> PairingProposal {
        let menteeIndex = Dictionary(uniqueKeysWithValues: input.mentees.enumerated().map { ($1, $0) })
        let mentorIndex = Dictionary(uniqueKeysWithValues: input.mentors.enumerated().map { ($1, $0) })
        var capacity = input.mentors.map { input.capacities[$0] ?? 1 }

        var tandems: [ProposedTandem] = []
        var pinnedMentees = Set<String>()
        for pin in input.pins {
            guard menteeIndex[pin.mentee] != nil else { throw PairingPolicyError.unknownPerson(pin.mentee) }
            guard let j = mentorIndex[pin.mentor] else { throw PairingPolicyError.unknownPerson(pin.mentor) }
            if input.bans.contains(pin) { throw PairingPolicyError.pinnedAndBanned(pin) }
            guard pinnedMentees.insert(pin.mentee).inserted else {
                throw PairingPolicyError.menteePinnedTwice(pin.mentee)
            }
            guard capacity[j] > 0 else { throw PairingPolicyError.mentorOverPinned(pin.mentor) }
            capacity[j] -= 1
            let evaluated = evaluate(pin, in: input)
            let reason = evaluated.map { $0.explanation.isEmpty ? "" : ", " + $0.explanation } ?? ""
            tandems.append(
                ProposedTandem(
                    mentee: pin.mentee, mentor: pin.mentor, weight: evaluated?.weight ?? 0, pinned: true,
                    explanation: "pinned by the organisers" + reason))
        }

        var candidates: [PairCandidate] = []
        var explanations: [PairID: String] = [:]
        for (i, mentee) in input.mentees.enumerated() where !pinnedMentees.contains(mentee) {
            for (j, mentor) in input.mentors.enumerated() {
                let pair = PairID(mentee: mentee, mentor: mentor)
                guard let (weight, explanation) = evaluate(pair, in: input) else { continue }
                candidates.append(PairCandidate(mentee: i, mentor: j, weight: weight))
                explanations[pair] = explanation
            }
        }
        let pairing = try PairingOptimizer.optimize(
            menteeCount: input.mentees.count, mentorCount: input.mentors.count, candidates: candidates,
            capacities: capacity)
        for p in pairing.pairs {
            let pair = PairID(mentee: input.mentees[p.mentee], mentor: input.mentors[p.mentor])
            tandems.append(
                ProposedTandem(
                    mentee: pair.mentee, mentor: pair.mentor, weight: p.weight, pinned: false,
                    explanation: explanations[pair] ?? ""))
        }
        var unpaired: [String: UnpairedReason] = [:]
        for (i, reason) in pairing.unpaired where !pinnedMentees.contains(input.mentees[i]) {
            unpaired[input.mentees[i]] = reason
        }
        tandems.sort { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) }
        return PairingProposal(tandems: tandems, unpaired: unpaired)
    }

    static func ordinal(_ n: Int) -> String {
        switch n {
        case 1: "1st"
        case 2: "2nd"
        case 3: "3rd"
        default: "\(n)th"
        }
    }
}
