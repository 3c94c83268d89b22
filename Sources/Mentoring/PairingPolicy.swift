import Matching

/// A (mentee, mentor) pair of ids.
public struct PairID: Hashable, Sendable, Codable {
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
    /// Each mentee's ranked favourites (1st choice first). A mentee without an entry has no shortlist (joined
    /// after the kickoff, or never sent one) and is paired by topic fit.
    public var shortlists: [String: [String]] = [:]
    /// Mentors' marks: the mentees a mentor would like to mentor.
    public var marks: Set<PairID> = []
    /// The kickoff's "would you like to continue?" answers, by the mentee about the mentor and vice versa.
    public var menteeAnswers: [PairID: ContinueAnswer] = [:]
    public var mentorAnswers: [PairID: ContinueAnswer] = [:]
    /// Topics and languages per person; missing languages count as "unknown", never as "none in common".
    public var menteeTopics: [String: [String]] = [:]
    public var mentorTopics: [String: [String]] = [:]
    public var menteeLanguages: [String: [String]] = [:]
    public var mentorLanguages: [String: [String]] = [:]
    /// Organiser pins (and tandems already published): these pairs must be tandems.
    public var pins: [PairID] = []
    /// Pairs that must never become tandems: organiser bans, declined and ended tandems ("not again").
    public var bans: Set<PairID> = []
    /// Mentor capacities; missing means 1, 0 means not available.
    public var capacities: [String: Int] = [:]

    public init(mentees: [String], mentors: [String]) {
        self.mentees = mentees
        self.mentors = mentors
    }

    public func capacity(of mentor: String) -> Int { capacities[mentor] ?? 1 }
}

/// Why a pair is proposed, in words an organiser reads (the app renders each from its catalogues).
public enum PairReason: Hashable, Sendable, Codable {
    case pinned
    /// 1-based rank on the mentee's shortlist.
    case menteeChoice(rank: Int)
    case mentorMarked
    case bothSaidYes
    case menteeSaid(ContinueAnswer)
    case mentorSaid(ContinueAnswer)
    case sharedTopics(Int)
    /// The mentee has no shortlist: paired by topic fit.
    case noShortlist
}

/// One proposed tandem with the reasons an organiser can read.
public struct ProposedTandem: Sendable, Equatable {
    public var mentee: String
    public var mentor: String
    public var weight: Int
    public var pinned: Bool
    public var reasons: [PairReason]
}

/// The policy's answer: tandems and, for every mentee left out, the reason; the optimum's total weight.
public struct PairingProposal: Sendable, Equatable {
    public var tandems: [ProposedTandem]
    public var unpaired: [String: UnpairedReason]
    public var totalWeight: Int { tandems.reduce(0) { $0 + $1.weight } }
}

/// Inconsistent organiser input.
public enum PairingPolicyError: Error, Equatable, Sendable {
    case unknownPerson(String)
    case pinnedAndBanned(PairID)
    case menteePinnedTwice(String)
    case mentorOverPinned(String)
    case noCommonLanguage(PairID)
}

/// Turns shortlists, marks, kickoff answers, topics, languages, pins and bans into weights and constraints for
/// ``PairingOptimizer`` (which then maximises the number of tandems, then the total weight).
///
/// The rules, in order:
/// 1. A **ban** or **no common language** removes the pair, always. **Pins** are fixed first: the mentee leaves
///    the optimisation and the mentor's capacity drops by one.
/// 2. A "no" after the kickoff talk by either side rules the pair out (unless pinned).
/// 3. A mentee **with a shortlist** may be paired with a mentor they shortlisted, who marked them, or with whom
///    both said "yes"; personal sympathy leads. A mentee **without** one may be paired with any mentor, by
///    topic fit.
/// 4. **Weight** (0...1,000,000) = shortlist points by rank (1st/2nd/3rd 400k/300k/200k) + 150k when the mentor
///    marked the mentee + per side 100k for "yes", 30k for "maybe" + 25k per shared topic (at most 4).
public struct PairingPolicy: Sendable {
    public var shortlistPoints: [Int] = [400_000, 300_000, 200_000]
    public var markPoints = 150_000
    public var answerPoints: [ContinueAnswer: Int] = [.yes: 100_000, .maybe: 30_000, .no: 0]
    public var topicPoints = 25_000
    public var maximumCountedTopics = 4

    public init() {}

    /// The normalised topic and language sets, computed once per proposal.
    struct Prepared {
        let input: PairingInput
        var menteeTopics: [String: Set<String>] = [:]
        var mentorTopics: [String: Set<String>] = [:]
        var menteeLanguages: [String: Set<String>] = [:]
        var mentorLanguages: [String: Set<String>] = [:]
        var markedBy: [String: Set<String>] = [:]
        var answered: [String: Set<String>] = [:]

        init(_ input: PairingInput) {
            self.input = input
            let topics = { (list: [String]) in
                Set(list.map { $0.trimmingWhitespace().lowercased() }.filter { !$0.isEmpty })
            }
            menteeTopics = input.menteeTopics.mapValues(topics)
            mentorTopics = input.mentorTopics.mapValues(topics)
            menteeLanguages = input.menteeLanguages.mapValues(Language.normalised)
            mentorLanguages = input.mentorLanguages.mapValues(Language.normalised)
            for mark in input.marks { markedBy[mark.mentee, default: []].insert(mark.mentor) }
            for pair in input.menteeAnswers.keys { answered[pair.mentee, default: []].insert(pair.mentor) }
            for pair in input.mentorAnswers.keys { answered[pair.mentee, default: []].insert(pair.mentor) }
        }

        func shareLanguage(_ pair: PairID) -> Bool {
            guard let a = menteeLanguages[pair.mentee], !a.isEmpty, let b = mentorLanguages[pair.mentor], !b.isEmpty
            else { return true }
            return !a.isDisjoint(with: b)
        }

        func sharedTopics(_ pair: PairID) -> Int {
            guard let a = menteeTopics[pair.mentee], let b = mentorTopics[pair.mentor] else { return 0 }
            return a.count < b.count ? a.filter(b.contains).count : b.filter(a.contains).count
        }

        /// The mentors worth evaluating for a mentee: everyone for a mentee without a shortlist, else those
        /// they shortlisted, who marked them or with whom they exchanged answers.
        func candidateMentors(of mentee: String) -> [String] {
            guard let shortlist = input.shortlists[mentee] else { return input.mentors }
            var seen = Set<String>()
            return (shortlist + (markedBy[mentee] ?? []).sorted() + (answered[mentee] ?? []).sorted())
                .filter { seen.insert($0).inserted }
        }
    }

    /// The weight of an allowed pair and its reasons, or `nil` when the policy would not propose the pair.
    public func evaluate(_ pair: PairID, in input: PairingInput) -> (weight: Int, reasons: [PairReason])? {
        evaluate(pair, prepared: Prepared(input))
    }

    func evaluate(_ pair: PairID, prepared: Prepared) -> (weight: Int, reasons: [PairReason])? {
        let input = prepared.input
        if input.bans.contains(pair) || !prepared.shareLanguage(pair) { return nil }
        let menteeAnswer = input.menteeAnswers[pair], mentorAnswer = input.mentorAnswers[pair]
        if menteeAnswer == .no || mentorAnswer == .no { return nil }
        if let shortlist = input.shortlists[pair.mentee] {
            let chosen = shortlist.contains(pair.mentor)
            let marked = input.marks.contains(pair)
            let bothYes = menteeAnswer == .yes && mentorAnswer == .yes
            guard chosen || marked || bothYes else { return nil }
        }
        return score(pair, prepared: prepared)
    }

    func score(_ pair: PairID, prepared: Prepared) -> (weight: Int, reasons: [PairReason]) {
        let input = prepared.input
        var weight = 0
        var reasons: [PairReason] = []
        if let shortlist = input.shortlists[pair.mentee] {
            if let rank = shortlist.firstIndex(of: pair.mentor) {
                weight += rank < shortlistPoints.count ? shortlistPoints[rank] : 0
                reasons.append(.menteeChoice(rank: rank + 1))
            }
        } else {
            reasons.append(.noShortlist)
        }
        if input.marks.contains(pair) {
            weight += markPoints
            reasons.append(.mentorMarked)
        }
        let menteeAnswer = input.menteeAnswers[pair], mentorAnswer = input.mentorAnswers[pair]
        if menteeAnswer == .yes && mentorAnswer == .yes {
            reasons.append(.bothSaidYes)
        } else {
            if let menteeAnswer { reasons.append(.menteeSaid(menteeAnswer)) }
            if let mentorAnswer { reasons.append(.mentorSaid(mentorAnswer)) }
        }
        weight += menteeAnswer.flatMap { answerPoints[$0] } ?? 0
        weight += mentorAnswer.flatMap { answerPoints[$0] } ?? 0
        let topics = prepared.sharedTopics(pair)
        if topics > 0 {
            weight += min(topics, maximumCountedTopics) * topicPoints
            reasons.append(.sharedTopics(topics))
        }
        return (min(weight, PairingOptimizer.maximumWeight), reasons)
    }

    /// Checks pins and bans against each other, the people and the capacities.
    public func validatePins(_ input: PairingInput) throws(PairingPolicyError) {
        let prepared = Prepared(input)
        let mentees = Set(input.mentees), mentors = Set(input.mentors)
        var pinnedMentees = Set<String>(), load: [String: Int] = [:]
        for pin in input.pins {
            guard mentees.contains(pin.mentee) else { throw .unknownPerson(pin.mentee) }
            guard mentors.contains(pin.mentor) else { throw .unknownPerson(pin.mentor) }
            if input.bans.contains(pin) { throw .pinnedAndBanned(pin) }
            if !prepared.shareLanguage(pin) { throw .noCommonLanguage(pin) }
            guard pinnedMentees.insert(pin.mentee).inserted else { throw .menteePinnedTwice(pin.mentee) }
            load[pin.mentor, default: 0] += 1
            guard load[pin.mentor]! <= input.capacity(of: pin.mentor) else { throw .mentorOverPinned(pin.mentor) }
        }
    }

    /// Applies the policy and runs the exact optimizer.
    public func propose(_ input: PairingInput) throws -> PairingProposal {
        try validatePins(input)
        let prepared = Prepared(input)
        let mentorIndex = Dictionary(uniqueKeysWithValues: input.mentors.enumerated().map { ($1, $0) })
        var capacity = input.mentors.map { input.capacity(of: $0) }

        var tandems: [ProposedTandem] = []
        var pinnedMentees = Set<String>()
        for pin in input.pins {
            pinnedMentees.insert(pin.mentee)
            capacity[mentorIndex[pin.mentor]!] -= 1
            let (weight, reasons) = score(pin, prepared: prepared)
            tandems.append(
                ProposedTandem(
                    mentee: pin.mentee, mentor: pin.mentor, weight: weight, pinned: true, reasons: [.pinned] + reasons))
        }

        var candidates: [PairCandidate] = []
        var reasonsOf: [PairID: [PairReason]] = [:]
        for (i, mentee) in input.mentees.enumerated() where !pinnedMentees.contains(mentee) {
            for mentor in prepared.candidateMentors(of: mentee) {
                guard let j = mentorIndex[mentor], capacity[j] > 0 else { continue }
                let pair = PairID(mentee: mentee, mentor: mentor)
                guard let (weight, reasons) = evaluate(pair, prepared: prepared) else { continue }
                candidates.append(PairCandidate(mentee: i, mentor: j, weight: weight))
                reasonsOf[pair] = reasons
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
                    reasons: reasonsOf[pair] ?? []))
        }
        var unpaired: [String: UnpairedReason] = [:]
        for (i, reason) in pairing.unpaired where !pinnedMentees.contains(input.mentees[i]) {
            unpaired[input.mentees[i]] = reason
        }
        tandems.sort { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) }
        return PairingProposal(tandems: tandems, unpaired: unpaired)
    }
}

/// Language names as people type them ("Deutsch", "German", "de") compared as one.
public enum Language {
    static let synonyms: [String: String] = [
        "de": "de", "deutsch": "de", "german": "de", "en": "en", "englisch": "en", "english": "en",
        "fr": "fr", "französisch": "fr", "french": "fr", "es": "es", "spanisch": "es", "spanish": "es",
        "it": "it", "italienisch": "it", "italian": "it", "tr": "tr", "türkisch": "tr", "turkish": "tr",
    ]

    public static func normalised(_ names: [String]) -> Set<String> {
        Set(
            names.map { $0.trimmingWhitespace().lowercased() }.filter { !$0.isEmpty }.map { synonyms[$0] ?? $0 })
    }
}
