/// What organisers see beside a set of tandems: how good it is, what a simple rule would have given, what else
/// an unpaired mentee could have, and whether a manual edit is possible.
public struct PairingAnalysis: Sendable {
    public let input: PairingInput
    public let policy: PairingPolicy
    let prepared: PairingPolicy.Prepared

    public init(_ input: PairingInput, policy: PairingPolicy = PairingPolicy()) {
        self.input = input
        self.policy = policy
        self.prepared = PairingPolicy.Prepared(input)
    }

    /// The value of a set of tandems in the terms organisers use.
    public struct Summary: Sendable, Equatable {
        /// `choices[0]` mentees got their 1st choice, `choices[1]` their 2nd, …
        public var choices: [Int]
        /// Tandems where the mentee shortlisted the mentor and the mentor marked the mentee.
        public var mutual: Int
        public var paired: Int
        /// Mentees without a tandem.
        public var unpaired: Int
        public var totalWeight: Int
    }

    public func summary(of pairs: [PairID]) -> Summary {
        var choices = [Int](repeating: 0, count: max(3, input.shortlists.values.map(\.count).max() ?? 0))
        var mutual = 0, weight = 0
        for pair in pairs {
            if let rank = input.shortlists[pair.mentee]?.firstIndex(of: pair.mentor) {
                choices[rank] += 1
                if input.marks.contains(pair) { mutual += 1 }
            }
            weight += policy.score(pair, prepared: prepared).weight
        }
        let paired = Set(pairs.map(\.mentee)).count
        return Summary(
            choices: choices, mutual: mutual, paired: paired, unpaired: input.mentees.count - paired,
            totalWeight: weight)
    }

    /// The simple rule organisers would use on paper, for comparison: in rounds, every mentee in turn gets their
    /// 1st choice if that mentor is still free, then the 2nd, … The hard rules hold (bans, languages, a "no" after
    /// the talk); mentees without
    /// a shortlist stay unpaired.
    public func firstChoiceFirst() -> [PairID] {
        var load: [String: Int] = [:]
        var paired: [String: String] = [:]
        let rounds = input.shortlists.values.map(\.count).max() ?? 0
        let mentors = Set(input.mentors)
        for round in 0..<rounds {
            for mentee in input.mentees where paired[mentee] == nil {
                guard let shortlist = input.shortlists[mentee], round < shortlist.count else { continue }
                let mentor = shortlist[round]
                let pair = PairID(mentee: mentee, mentor: mentor)
                guard mentors.contains(mentor), !input.bans.contains(pair), prepared.shareLanguage(pair),
                    input.menteeAnswers[pair] != .no, input.mentorAnswers[pair] != .no,
                    load[mentor, default: 0] < input.capacity(of: mentor)
                else { continue }
                load[mentor, default: 0] += 1
                paired[mentee] = mentor
            }
        }
        return input.mentees.compactMap { mentee in paired[mentee].map { PairID(mentee: mentee, mentor: $0) } }
    }

    /// Another mentor for an unpaired mentee and what choosing them would cost.
    public struct Alternative: Sendable, Equatable {
        public var mentor: String
        public var weight: Int
        public var reasons: [PairReason]
        /// The mentee who would lose this mentor (the mentor is full), or `nil` when the mentor has room.
        public var displaces: String?
        /// Change of the total weight when choosing this alternative.
        public var weightChange: Int
    }

    /// Up to `limit` alternatives for `mentee` given the current tandems: mentors the policy allows, free ones
    /// first, then by the smallest loss.
    public func alternatives(for mentee: String, current: [PairID], limit: Int = 3) -> [Alternative] {
        var byMentor: [String: [PairID]] = [:]
        for pair in current { byMentor[pair.mentor, default: []].append(pair) }
        var options: [Alternative] = []
        for mentor in prepared.candidateMentors(of: mentee) where input.capacity(of: mentor) > 0 {
            let pair = PairID(mentee: mentee, mentor: mentor)
            guard let (weight, reasons) = policy.evaluate(pair, prepared: prepared) else { continue }
            let taken = byMentor[mentor] ?? []
            if taken.count < input.capacity(of: mentor) {
                options.append(
                    Alternative(mentor: mentor, weight: weight, reasons: reasons, displaces: nil, weightChange: weight))
            } else if let weakest = taken.filter({ !input.pins.contains($0) }).min(by: {
                policy.score($0, prepared: prepared).weight < policy.score($1, prepared: prepared).weight
            }) {
                let lost = policy.score(weakest, prepared: prepared).weight
                options.append(
                    Alternative(
                        mentor: mentor, weight: weight, reasons: reasons, displaces: weakest.mentee,
                        weightChange: weight - lost))
            }
        }
        options.sort {
            ($0.displaces == nil ? 0 : 1, -$0.weightChange, $0.mentor) < (
                $1.displaces == nil ? 0 : 1, -$1.weightChange, $1.mentor
            )
        }
        return Array(options.prefix(limit))
    }

    /// Why a manual edit is refused.
    public enum EditProblem: Error, Equatable, Sendable {
        case banned
        case noCommonLanguage
        case mentorUnavailable
        case mentorFull(capacity: Int)
    }

    /// Checks one manual assignment against the hard rules; `load` is the mentor's number of tandems without it.
    public func check(_ pair: PairID, mentorLoad load: Int) -> EditProblem? {
        if input.bans.contains(pair) { return .banned }
        if !prepared.shareLanguage(pair) { return .noCommonLanguage }
        let capacity = input.capacity(of: pair.mentor)
        if capacity == 0 { return .mentorUnavailable }
        if load >= capacity { return .mentorFull(capacity: capacity) }
        return nil
    }

    /// Weight and reasons of any pair (for manual assignments and the board).
    public func describe(_ pair: PairID) -> (weight: Int, reasons: [PairReason]) {
        policy.score(pair, prepared: prepared)
    }
}
