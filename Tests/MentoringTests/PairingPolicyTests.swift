import Matching
import PropertyBased
import TestSupport
import Testing

@testable import Mentoring

@Suite("Pairing policy")
struct PairingPolicyTests {
    let policy = PairingPolicy()

    @Test("weights and reasons follow the documented rules")
    func weightsAndReasons() {
        var input = PairingInput(mentees: ["anna"], mentors: ["ben", "cem"])
        let pair = PairID(mentee: "anna", mentor: "ben")
        input.shortlists["anna"] = ["ben"]
        input.marks = [pair]
        input.menteeAnswers[pair] = .yes
        input.mentorAnswers[pair] = .yes
        input.menteeTopics["anna"] = ["KI", " Social Media", "Cloud"]
        input.mentorTopics["ben"] = ["ki", "social media", "cloud", "Recht"]
        let result = policy.evaluate(pair, in: input)
        #expect(result?.weight == 400_000 + 150_000 + 2 * 100_000 + 3 * 25_000)
        #expect(result?.reasons == [.menteeChoice(rank: 1), .mentorMarked, .bothSaidYes, .sharedTopics(3)])
        // Not shortlisted, not marked, no answers: with a shortlist, not allowed.
        #expect(policy.evaluate(PairID(mentee: "anna", mentor: "cem"), in: input) == nil)
    }

    @Test("a 'no' by either side, a ban or no common language rules a pair out; both 'yes' allows it")
    func allowedPairs() {
        var input = PairingInput(mentees: ["a"], mentors: ["x"])
        let pair = PairID(mentee: "a", mentor: "x")
        input.shortlists["a"] = []
        input.menteeAnswers[pair] = .yes
        input.mentorAnswers[pair] = .yes
        #expect(policy.evaluate(pair, in: input)?.reasons == [.bothSaidYes])
        input.mentorAnswers[pair] = .maybe
        #expect(policy.evaluate(pair, in: input) == nil, "neither shortlisted, marked nor both 'yes'")
        input.shortlists["a"] = ["x"]
        #expect(
            policy.evaluate(pair, in: input)?.reasons == [
                .menteeChoice(rank: 1), .menteeSaid(.yes), .mentorSaid(.maybe),
            ])
        input.mentorAnswers[pair] = .no
        #expect(policy.evaluate(pair, in: input) == nil)
        input.mentorAnswers[pair] = nil
        input.menteeLanguages["a"] = ["Deutsch"]
        input.mentorLanguages["x"] = ["German", "Englisch"]
        #expect(policy.evaluate(pair, in: input) != nil, "Deutsch and German are one language")
        input.mentorLanguages["x"] = ["Englisch"]
        #expect(policy.evaluate(pair, in: input) == nil)
        input.mentorLanguages["x"] = []
        #expect(policy.evaluate(pair, in: input) != nil, "unknown languages never block")
        input.bans = [pair]
        #expect(policy.evaluate(pair, in: input) == nil)
    }

    @Test("a mentee without a shortlist is paired by topic fit with any mentor")
    func withoutShortlist() throws {
        var input = PairingInput(mentees: ["late"], mentors: ["x", "y"])
        input.menteeTopics["late"] = ["KI", "Daten"]
        input.mentorTopics = ["x": ["Social Media"], "y": ["KI", "Daten"]]
        let proposal = try policy.propose(input)
        #expect(proposal.tandems.map(\.mentor) == ["y"])
        #expect(proposal.tandems.first?.reasons == [.noShortlist, .sharedTopics(2)])
    }

    @Test("pins are kept, take capacity, and the rest is optimised: count first")
    func pinsAndCount() throws {
        var input = PairingInput(mentees: ["a", "b", "c"], mentors: ["x", "y"])
        input.shortlists = ["a": ["x", "y"], "b": ["y", "x"], "c": ["y"]]
        input.pins = [PairID(mentee: "c", mentor: "y")]
        let proposal = try policy.propose(input)
        // c–y pinned, so y is full; x is 1st choice of a (400k) but only 2nd of b (300k): a gets x.
        #expect(proposal.tandems.map { "\($0.mentee)-\($0.mentor)" } == ["a-x", "c-y"])
        #expect(proposal.tandems.first { $0.mentee == "c" }?.reasons == [.pinned, .menteeChoice(rank: 1)])
        #expect(proposal.unpaired == ["b": .allAllowedMentorsFull])
        #expect(proposal.totalWeight == 800_000)
    }

    @Test("inconsistent organiser input is rejected")
    func conflicts() {
        var input = PairingInput(mentees: ["a", "b"], mentors: ["x"])
        input.pins = [PairID(mentee: "a", mentor: "x")]
        input.bans = [PairID(mentee: "a", mentor: "x")]
        #expect(throws: PairingPolicyError.pinnedAndBanned(PairID(mentee: "a", mentor: "x"))) {
            try policy.propose(input)
        }
        input.bans = []
        input.pins.append(PairID(mentee: "b", mentor: "x"))
        #expect(throws: PairingPolicyError.mentorOverPinned("x")) { try policy.propose(input) }
        input.pins = [PairID(mentee: "a", mentor: "x"), PairID(mentee: "a", mentor: "x")]
        input.capacities["x"] = 2
        #expect(throws: PairingPolicyError.menteePinnedTwice("a")) { try policy.propose(input) }
        input.pins = [PairID(mentee: "a", mentor: "x")]
        input.menteeLanguages["a"] = ["de"]
        input.mentorLanguages["x"] = ["en"]
        #expect(throws: PairingPolicyError.noCommonLanguage(PairID(mentee: "a", mentor: "x"))) {
            try policy.propose(input)
        }
        input.pins = [PairID(mentee: "zoe", mentor: "x")]
        #expect(throws: PairingPolicyError.unknownPerson("zoe")) { try policy.propose(input) }
    }

    @Test("weights always stay within the optimizer's range")
    func weightRange() async {
        let answer = Gen.int(in: 0...3).map { $0 == 0 ? nil : ContinueAnswer.allCases[$0 - 1] }
        await propertyCheck(input: Gen.int(in: -1...4), answer, answer, Gen.int(in: 0...12)) { rank, a1, a2, topics in
            var input = PairingInput(mentees: ["a"], mentors: ["x"])
            let pair = PairID(mentee: "a", mentor: "x")
            if rank >= 0 { input.shortlists["a"] = Array(repeating: "z", count: rank) + ["x"] }
            input.marks = [pair]
            input.menteeAnswers[pair] = a1
            input.mentorAnswers[pair] = a2
            input.menteeTopics["a"] = (0..<topics).map { "t\($0)" }
            input.mentorTopics["x"] = (0..<12).map { "t\($0)" }
            if let (weight, _) = policy.evaluate(pair, in: input) {
                #expect((0...PairingOptimizer.maximumWeight).contains(weight))
            }
        }
    }
}

@Suite("Pairing analysis")
struct PairingAnalysisTests {
    @Test("the summary counts choices, mutual choices and unpaired mentees")
    func summary() {
        var input = PairingInput(mentees: ["a", "b", "c"], mentors: ["x", "y", "z"])
        input.shortlists = ["a": ["x", "y"], "b": ["x", "y"], "c": ["x"]]
        input.marks = [PairID(mentee: "a", mentor: "x")]
        let analysis = PairingAnalysis(input)
        let summary = analysis.summary(of: [PairID(mentee: "a", mentor: "x"), PairID(mentee: "b", mentor: "y")])
        #expect(summary.choices == [1, 1, 0])
        #expect(summary.mutual == 1)
        #expect(summary.paired == 2 && summary.unpaired == 1)
        #expect(summary.totalWeight == 400_000 + 150_000 + 300_000)
    }

    @Test("first choice first assigns in rounds and can do worse than the optimum")
    func baseline() throws {
        var input = PairingInput(mentees: ["a", "b"], mentors: ["x", "y"])
        // a goes first and takes x; b's only choice was x: one tandem. The optimum gives a y and b x: two.
        input.shortlists = ["a": ["x", "y"], "b": ["x"]]
        let analysis = PairingAnalysis(input)
        #expect(analysis.firstChoiceFirst() == [PairID(mentee: "a", mentor: "x")])
        let proposal = try PairingPolicy().propose(input)
        #expect(proposal.tandems.map(\.mentor) == ["y", "x"])
    }

    @Test("alternatives name free mentors first, then whom a choice would displace")
    func alternatives() {
        var input = PairingInput(mentees: ["a", "b"], mentors: ["x", "y", "z"])
        input.shortlists = ["a": ["x", "y"], "b": ["x", "z"]]
        input.capacities["z"] = 0
        let analysis = PairingAnalysis(input)
        let options = analysis.alternatives(for: "b", current: [PairID(mentee: "a", mentor: "x")])
        // z is not available; x is a's 1st choice (b would displace a).
        #expect(options.map(\.mentor) == ["x"])
        #expect(options.first?.displaces == "a")
        #expect(options.first?.weightChange == 0)
        let forA = analysis.alternatives(for: "a", current: [PairID(mentee: "b", mentor: "x")])
        #expect(forA.map(\.mentor) == ["y", "x"])
        #expect(forA.first?.displaces == nil)
    }

    @Test("manual edits are checked for bans, language and capacity")
    func editChecks() {
        var input = PairingInput(mentees: ["a"], mentors: ["x", "y"])
        input.bans = [PairID(mentee: "a", mentor: "x")]
        input.capacities["y"] = 2
        input.menteeLanguages["a"] = ["Deutsch"]
        let analysis = PairingAnalysis(input)
        #expect(analysis.check(PairID(mentee: "a", mentor: "x"), mentorLoad: 0) == .banned)
        #expect(analysis.check(PairID(mentee: "a", mentor: "y"), mentorLoad: 1) == nil)
        #expect(analysis.check(PairID(mentee: "a", mentor: "y"), mentorLoad: 2) == .mentorFull(capacity: 2))
        input.capacities["y"] = 0
        #expect(PairingAnalysis(input).check(PairID(mentee: "a", mentor: "y"), mentorLoad: 0) == .mentorUnavailable)
        input.capacities["y"] = 1
        input.mentorLanguages["y"] = ["English"]
        #expect(PairingAnalysis(input).check(PairID(mentee: "a", mentor: "y"), mentorLoad: 0) == .noCommonLanguage)
    }

    @Test("the proposal is never worse than first choice first: more tandems, or as many and more weight")
    func optimumBeatsBaseline() async {
        await propertyCheck(input: Gen.int(in: 0...Int.max)) { seed in
            var random = SplitMix64(seed: UInt64(truncatingIfNeeded: seed))
            let mentees = (0..<6).map { "e\($0)" }, mentors = (0..<5).map { "r\($0)" }
            var input = PairingInput(mentees: mentees, mentors: mentors)
            for mentee in mentees {
                input.shortlists[mentee] = Array(mentors.shuffled(using: &random).prefix(Int(random.next() % 4)))
                for mentor in mentors where random.next() % 4 == 0 {
                    input.marks.insert(PairID(mentee: mentee, mentor: mentor))
                }
                for mentor in mentors where random.next() % 3 == 0 {
                    input.menteeAnswers[PairID(mentee: mentee, mentor: mentor)] =
                        ContinueAnswer.allCases[Int(random.next() % 3)]
                }
            }
            for mentor in mentors { input.capacities[mentor] = Int(random.next() % 3) }
            let analysis = PairingAnalysis(input)
            let proposal = try! PairingPolicy().propose(input)
            let optimum = analysis.summary(of: proposal.tandems.map { PairID(mentee: $0.mentee, mentor: $0.mentor) })
            let baseline = analysis.summary(of: analysis.firstChoiceFirst())
            #expect((optimum.paired, optimum.totalWeight) >= (baseline.paired, baseline.totalWeight))
            #expect(optimum.totalWeight == proposal.totalWeight)
        }
    }
}
