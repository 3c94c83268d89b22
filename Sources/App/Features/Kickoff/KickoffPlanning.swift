import Fluent
import Matching
import Mentoring
import Vapor

/// Builds the kickoff's round plan with `MeetingPlanner` from the programme's people, their topics and the
/// organiser's exclusions, and stores it. Before the event it plans every round; during the event it
/// re-plans the rounds from `firstOpenRound` on for the people present, keeping the talks already held.
enum KickoffPlanning {
    static func generate(
        kickoff: Kickoff, on db: any Database, firstOpenRound: Int = 1, absent: Set<UUID> = []
    ) async throws -> MeetingPlan {
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
            guard let i = menteeIndex[exclusion.$mentee.id], let j = mentorIndex[exclusion.$mentor.id] else { return nil }
            return (i, j)
        }
        let stored = try await KickoffMeeting.query(on: db).filter(\.$kickoff.$id == kickoffID).all()
        let held = stored.filter { $0.round < firstOpenRound }.compactMap { meeting -> Meeting? in
            guard let i = menteeIndex[meeting.$mentee.id], let j = mentorIndex[meeting.$mentor.id] else { return nil }
            return Meeting(round: meeting.round, mentee: i, mentor: j)
        }
        let plan = try MeetingPlanner.replan(
            menteeCount: people.mentees.count, mentorCount: people.mentors.count, rounds: kickoff.rounds, fit: fit,
            excluded: excluded, held: held, firstOpenRound: firstOpenRound,
            absentMentees: Set(absent.compactMap { menteeIndex[$0] }), absentMentors: Set(absent.compactMap { mentorIndex[$0] }))
        let fitOf = Dictionary(uniqueKeysWithValues: fit.map { ("\($0.mentee)-\($0.mentor)", $0.fit) })
        try await db.transaction { db in
            try await KickoffMeeting.query(on: db).filter(\.$kickoff.$id == kickoffID)
                .filter(\.$round >= firstOpenRound).delete()
            for meeting in plan.meetings where meeting.round >= firstOpenRound {
                try await KickoffMeeting(
                    kickoffID: kickoffID, round: meeting.round, menteeID: people.mentees[meeting.mentee].id!,
                    mentorID: people.mentors[meeting.mentor].id!, fit: fitOf["\(meeting.mentee)-\(meeting.mentor)"] ?? 0
                ).create(on: db)
            }
            if firstOpenRound == 1 {
                kickoff.plannedAt = Date()
                try await kickoff.save(on: db)
            }
        }
        return plan
    }
}
