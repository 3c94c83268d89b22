import Matching

/// How the kickoff's round plan weighs pairs for `MeetingPlanner`: topic fit decides; when a plan is made
/// again (no-shows, late arrivals, a new exclusion), the talks people were already told about win every
/// tie, so that they keep their announced partners unless keeping them would cost a talk or any topic fit.
public enum RoundPlanPolicy {
    /// The fit to give the planner: `fit × (A + 1) + (announced ? 1 : 0)`, where `A` is the number of
    /// announced pairs. All bonuses together stay below one unit of topic fit, so the planner's objective
    /// (fairness, then talks, then fit) is unchanged and the announced pairs only break its ties. When the
    /// scaled values would leave the planner's range, the plain fit is returned (fit still decides; the
    /// announced rounds are then only kept by the colouring, `MeetingPlanner.replan(preferredRounds:)`).
    public static func weightedFit(_ fit: [PairFit], announced: [Meeting]) -> [PairFit] {
        struct Pair: Hashable { let mentee: Int, mentor: Int }
        let announcedPairs = Set(announced.map { Pair(mentee: $0.mentee, mentor: $0.mentor) })
        guard !announcedPairs.isEmpty else { return fit }
        let scale = announcedPairs.count + 1
        let largest = fit.map { abs($0.fit) }.max() ?? 0
        guard largest <= (MeetingPlanner.maximumAbsoluteFit - 1) / scale else { return fit }
        var weighted: [PairFit] = []
        weighted.reserveCapacity(fit.count + announcedPairs.count)
        var listed = Set<Pair>()
        for pair in fit {
            let key = Pair(mentee: pair.mentee, mentor: pair.mentor)
            listed.insert(key)
            weighted.append(
                PairFit(
                    mentee: pair.mentee, mentor: pair.mentor,
                    fit: pair.fit * scale + (announcedPairs.contains(key) ? 1 : 0)))
        }
        for pair in announcedPairs where !listed.contains(pair) {
            weighted.append(PairFit(mentee: pair.mentee, mentor: pair.mentor, fit: 1))
        }
        return weighted
    }
}
