import Matching
import PropertyBased
import Testing

@testable import Mentoring

@Suite("Round plan policy: announced talks break ties")
struct RoundPlanPolicyTests {
    /// Fairness, talks and real topic fit of the rounds from `firstOpen` on.
    static func objectives(_ plan: MeetingPlan, fit: [PairFit], firstOpen: Int) -> [Int] {
        let fitOf = Dictionary(uniqueKeysWithValues: fit.map { ([$0.mentee, $0.mentor], $0.fit) })
        let open = plan.meetings.filter { $0.round >= firstOpen }
        return [plan.minimumMenteeMeetings, open.count, open.reduce(0) { $0 + (fitOf[[$1.mentee, $1.mentor]] ?? 0) }]
    }

    @Test(
        "re-planning with the policy loses no talk and no fit, keeps at least as many announced pairs, and changes nothing when nothing changed"
    )
    func stabilityIsOnlyATieBreak() async throws {
        await propertyCheck(
            count: 200,
            input: Gen.int(in: 1...5), Gen.int(in: 1...5), Gen.int(in: 2...4), Gen.int(in: 0...3).array(of: 25),
            Gen.int(in: 0...31)
        ) { n, m, rounds, fitCodes, absentMask in
            var fit: [PairFit] = []
            for i in 0..<n {
                for j in 0..<m where fitCodes[i * 5 + j] > 1 {
                    fit.append(PairFit(mentee: i, mentor: j, fit: fitCodes[i * 5 + j] - 1))
                }
            }
            let first = try MeetingPlanner.plan(menteeCount: n, mentorCount: m, rounds: rounds, fit: fit)
            let held = first.meetings.filter { $0.round == 1 }
            let announced = first.meetings.filter { $0.round >= 2 }
            let absentMentors = Set((0..<m).filter { absentMask & (1 << $0) != 0 })
            func replan(_ fit: [PairFit], preferred: [Meeting], absent: Set<Int>) throws -> MeetingPlan {
                try MeetingPlanner.replan(
                    menteeCount: n, mentorCount: m, rounds: rounds, fit: fit, held: first.meetings, firstOpenRound: 2,
                    absentMentees: [], absentMentors: absent, preferredRounds: preferred)
            }
            let plain = try replan(fit, preferred: [], absent: absentMentors)
            let stable = try replan(
                RoundPlanPolicy.weightedFit(fit, announced: announced), preferred: announced, absent: absentMentors)
            #expect(Self.objectives(stable, fit: fit, firstOpen: 2) == Self.objectives(plain, fit: fit, firstOpen: 2))
            #expect(stable.meetings.filter { $0.round == 1 } == held.sorted())
            let pairs = { (plan: MeetingPlan) in
                Set(plan.meetings.filter { $0.round >= 2 }.map { [$0.mentee, $0.mentor] })
            }
            let announcedPairs = Set(announced.map { [$0.mentee, $0.mentor] })
            #expect(pairs(stable).intersection(announcedPairs).count >= pairs(plain).intersection(announcedPairs).count)

            // Nobody left: the announced rounds come back exactly.
            let unchanged = try replan(
                RoundPlanPolicy.weightedFit(fit, announced: announced), preferred: announced, absent: [])
            #expect(unchanged.meetings == first.meetings)
        }
    }

    @Test("weights: fit scaled by announced pairs + 1, announced pairs get +1, unlisted announced pairs are added")
    func weights() {
        let fit = [PairFit(mentee: 0, mentor: 0, fit: 2), PairFit(mentee: 0, mentor: 1, fit: -1)]
        let announced = [Meeting(round: 2, mentee: 0, mentor: 0), Meeting(round: 3, mentee: 1, mentor: 1)]
        let weighted = Set(RoundPlanPolicy.weightedFit(fit, announced: announced))
        #expect(
            weighted == [
                PairFit(mentee: 0, mentor: 0, fit: 7), PairFit(mentee: 0, mentor: 1, fit: -3),
                PairFit(mentee: 1, mentor: 1, fit: 1),
            ])
        #expect(RoundPlanPolicy.weightedFit(fit, announced: []) == fit)
        // Out of the planner's range: the plain fit.
        let large = [PairFit(mentee: 0, mentor: 0, fit: MeetingPlanner.maximumAbsoluteFit)]
        #expect(RoundPlanPolicy.weightedFit(large, announced: announced) == large)
    }
}
