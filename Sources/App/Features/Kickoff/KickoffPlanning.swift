import Fluent
import Matching
import Mentoring
import Vapor

/// Builds the kickoff's round plan with `MeetingPlanner` from the programme's people, their topics and the
/// organiser's exclusions, and stores it. Before the event it plans every round; during the event it
/// re-plans the rounds from `firstOpenRound` on for the people present, keeping the talks already held.
enum KickoffPlanning {
    /// A plan computed but not yet stored: the talks from `firstOpenRound` on, by person.
    struct Proposal: Sendable {
        let firstOpenRound: Int
        let plan: MeetingPlan
        let talks: [Talk]

        struct Talk: Sendable {
            let round: Int
            let mentee: UUID
            let mentor: UUID
            let fit: Int
        }
    }

    /// Plans and stores in one go (the plan page, the demo, tests).
    @discardableResult
    static func generate(
        kickoff: Kickoff, on db: any Database, firstOpenRound: Int = 1, absent: Set<UUID> = [], now: Date
    ) async throws -> MeetingPlan {
        let proposal = try await propose(kickoff: kickoff, on: db, firstOpenRound: firstOpenRound, absent: absent)
        try await store(proposal, kickoff: kickoff, on: db, now: now)
        return proposal.plan
    }

    /// Computes the plan without writing anything, so the live hub can check that the rounds it replaces
    /// have not begun meanwhile before it stores and shows them.
    static func propose(
        kickoff: Kickoff, on db: any Database, firstOpenRound: Int = 1, absent: Set<UUID> = []
    ) async throws -> Proposal {
        let kickoffID = try kickoff.requireID()
        let programmeID = kickoff.$programme.id
        let people = try await KickoffPlanController.people(programmeID: programmeID, on: db)
        let menteeIndex = Dictionary(uniqueKeysWithValues: people.mentees.enumerated().map { ($1.id!, $0) })
        let mentorIndex = Dictionary(uniqueKeysWithValues: people.mentors.enumerated().map { ($1.id!, $0) })
        let registrations = try await MenteeRegistration.query(on: db).filter(\.$programme.$id == programmeID).all()
        let applications = try await MentorApplicationRecord.query(on: db).filter(\.$programme.$id == programmeID).all()
        var menteeTopics: [Int: [String]] = [:], mentorTopics: [Int: [String]] = [:]
        for registration in registrations {
            if let index = menteeIndex[registration.$user.id] {
                menteeTopics[index] = JSONText.decode([String].self, registration.topicsJSON) ?? []
            }
        }
        for application in applications {
            if let index = mentorIndex[application.$user.id] { mentorTopics[index] = application.expertiseTopics }
        }
        var fit: [PairFit] = []
        for (i, topics) in menteeTopics {
            for (j, offered) in mentorTopics {
                let score = TopicFit.score(mentorTopics: offered, menteeTopics: topics)
                if score > 0 { fit.append(PairFit(mentee: i, mentor: j, fit: score)) }
            }
        }
        let exclusions = try await KickoffExclusion.query(on: db).filter(\.$kickoff.$id == kickoffID).all()
        let excluded = exclusions.compactMap { exclusion -> (mentee: Int, mentor: Int)? in
            guard let i = menteeIndex[exclusion.$mentee.id], let j = mentorIndex[exclusion.$mentor.id] else {
                return nil
            }
            return (i, j)
        }
        let stored = try await KickoffMeeting.query(on: db).filter(\.$kickoff.$id == kickoffID).all()
        let held = stored.filter { $0.round < firstOpenRound }.compactMap { meeting -> Meeting? in
            guard let i = menteeIndex[meeting.$mentee.id], let j = mentorIndex[meeting.$mentor.id] else { return nil }
            return Meeting(round: meeting.round, mentee: i, mentor: j)
        }
        // The talks planned for the open rounds win every tie (RoundPlanPolicy): re-planning for one no-show
        // should not give everybody else a new partner. Only the first open round keeps its talks in place
        // (it is the one on screen during a break); later talks move up where that fills an earlier round.
        let announced = stored.filter { $0.round >= firstOpenRound }.compactMap { meeting -> Meeting? in
            guard let i = menteeIndex[meeting.$mentee.id], let j = mentorIndex[meeting.$mentor.id] else { return nil }
            return Meeting(round: meeting.round, mentee: i, mentor: j)
        }
        let plan = try MeetingPlanner.replan(
            menteeCount: people.mentees.count, mentorCount: people.mentors.count, rounds: kickoff.rounds,
            fit: RoundPlanPolicy.weightedFit(fit, announced: announced),
            excluded: excluded, held: held, firstOpenRound: firstOpenRound,
            absentMentees: Set(absent.compactMap { menteeIndex[$0] }),
            absentMentors: Set(absent.compactMap { mentorIndex[$0] }),
            preferredRounds: announced.filter { $0.round == firstOpenRound })
        let fitOf = Dictionary(uniqueKeysWithValues: fit.map { ("\($0.mentee)-\($0.mentor)", $0.fit) })
        let talks = plan.meetings.filter { $0.round >= firstOpenRound }.map { meeting in
            Proposal.Talk(
                round: meeting.round, mentee: people.mentees[meeting.mentee].id!,
                mentor: people.mentors[meeting.mentor].id!, fit: fitOf["\(meeting.mentee)-\(meeting.mentor)"] ?? 0)
        }
        return Proposal(firstOpenRound: firstOpenRound, plan: plan, talks: talks)
    }

    /// The programme's kickoff time, rounds and minutes were edited: a kickoff that has not begun follows them
    /// (a changed number of rounds drops its plan), so both pages always show the same settings.
    static func adoptProgrammeSettings(_ programme: Programme, on db: any Database, now: Date) async throws {
        guard let kickoff = try await Kickoff.query(on: db).filter(\.$programme.$id == programme.requireID()).first(),
            (try? KickoffRecord.ensure(.settingsOrWholePlan, kickoff, now: now)) != nil,
            JSONText.decode([KickoffTimeline.Control].self, kickoff.controlsJSON)?.isEmpty ?? true
        else { return }
        if let startsAt = programme.kickoffAt { kickoff.startsAt = startsAt }
        if kickoff.rounds != programme.roundsAtKickoff {
            try await KickoffMeeting.query(on: db).filter(\.$kickoff.$id == kickoff.requireID()).delete()
            kickoff.plannedAt = nil
            kickoff.rounds = programme.roundsAtKickoff
        }
        kickoff.roundSeconds = programme.minutesPerRound * 60
        try await kickoff.save(on: db)
    }

    /// Replaces the stored rounds from the proposal's first open round on, in one transaction. `now` stamps
    /// `plannedAt`; the live hub's re-plan passes none yet (ClockTests allow-lists the fallback).
    static func store(_ proposal: Proposal, kickoff: Kickoff, on db: any Database, now: Date) async throws {
        let kickoffID = try kickoff.requireID()
        try await db.writeTransaction { db in
            try await KickoffMeeting.query(on: db).filter(\.$kickoff.$id == kickoffID)
                .filter(\.$round >= proposal.firstOpenRound).delete()
            // Batched inserts: 3,000 talks for 2,000 people in a few statements (SQLite allows 32,766 binds).
            let rows = proposal.talks.map {
                KickoffMeeting(
                    kickoffID: kickoffID, round: $0.round, menteeID: $0.mentee, mentorID: $0.mentor, fit: $0.fit)
            }
            for start in stride(from: 0, to: rows.count, by: 500) {
                try await rows[start..<min(start + 500, rows.count)].create(on: db)
            }
            if proposal.firstOpenRound == 1 {
                kickoff.plannedAt = now
                try await kickoff.save(on: db)
            }
        }
    }
}
