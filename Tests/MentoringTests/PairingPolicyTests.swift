import Matching
import PropertyBased
import Testing

@testable import Mentoring

@Suite("Pairing policy")
struct PairingPolicyTests {
    let policy = PairingPolicy()

    @Test("weights and explanations follow the documented rules")
    func weightsAndExplanations() {
        var input = PairingInput(mentees: ["anna"], mentors: ["ben", "cem"])
        input.shortlists["anna"] = ["ben"]
        input.mentorRatings[PairID(mentee: "anna", mentor: "ben")] = .veryGood
        input.topicFit[PairID(mentee: "anna", mentor: "ben")] = 80
        let result = policy.evaluate(PairID(mentee: "anna", mentor: "ben"), in: input)
        #expect(result?.weight == 400_000 + 150_000 + 160_000)
        #expect(result?.explanation == "1st choice of the mentee, mentor rated the talk 'very good', topic fit 80%")
        // Not shortlisted and no mutual rating: not allowed.
        #expect(policy.evaluate(PairID(mentee: "anna", mentor: "cem"), in: input) == nil)
    }

    @Test("a 'poor' rating by either side or a ban rules a pair out; mutual 'good' allows it")
    func allowedPairs() {
        var input = PairingInput(mentees: ["a"], mentors: ["x"])
        let pair = PairID(mentee: "a", mentor: "x")
        input.menteeRatings[pair] = .good
        input.mentorRatings[pair] = .good
        #expect(policy.evaluate(pair, in: input)?.weight == 200_000)
        input.shortlists["a"] = ["x"]
        input.mentorRatings[pair] = .poor
        #expect(policy.evaluate(pair, in: input) == nil)
        input.mentorRatings[pair] = nil
        input.bans = [pair]
        #expect(policy.evaluate(pair, in: input) == nil)
    }

    @Test("pins are kept, take capacity, and the rest is optimised: count first")
    func pinsAndCount() throws {
        var input = PairingInput(mentees: ["a", "b", "c"], mentors: ["x", "y"])
        input.shortlists = ["a": ["x", "y"], "b": ["y", "x"], "c": ["y"]]
        input.pins = [PairID(mentee: "c", mentor: "y")]
        let proposal = try policy.propose(input)
        // c–y pinned, so y is full; x is 1st choice of a (400k) but only 2nd of b (300k): a gets x.
        #expect(proposal.tandems.map { "\($0.mentee)-\($0.mentor)" } == ["a-x", "c-y"])
        #expect(
            proposal.tandems.first { $0.mentee == "c" }?.explanation
                == "pinned by the organisers, 1st choice of the mentee")
        #expect(proposal.unpaired == ["b": .allAllowedMentorsFull])
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
    }

    @Test("weights always stay within the optimizer's range")
    func weightRange() async {
        let rating = Gen.int(in: 0...4).map { $0 == 0 ? nil : KickoffRating(rawValue: $0) }
        await propertyCheck(input: Gen.int(in: -1...4), rating, rating, Gen.int(in: -20...150)) { rank, r1, r2, fit in
            var input = PairingInput(mentees: ["a"], mentors: ["x"])
            let pair = PairID(mentee: "a", mentor: "x")
            if rank >= 0 { input.shortlists["a"] = Array(repeating: "z", count: rank) + ["x"] }
            input.menteeRatings[pair] = r1
            input.mentorRatings[pair] = r2
            input.topicFit[pair] = fit
            if let (weight, _) = policy.evaluate(pair, in: input) {
                #expect((0...PairingOptimizer.maximumWeight).contains(weight))
            }
        }
    }
}
