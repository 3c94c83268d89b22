import Fluent
import Foundation
import Mentoring
import SQLKit
import Vapor

extension Server {
    /// Benchmark helper (`mentoring seed-pairing-benchmark`): a programme in pairing with `mentees` approved mentees
    /// and `mentors` preselected mentors, topics and languages, a closed kickoff in which every mentee met eight
    /// mentors, both sides' answers, the mentees' shortlists (3) and the mentors' marks; then it computes the board's
    /// proposal as the recompute button does. Prints JSON: the programme, an organiser's sign-in link and the
    /// measured seconds (loading the input, the policy and optimizer alone, and the whole store).
    public static func seedPairingBenchmark(mentees: Int, mentors: Int) async throws -> String {
        var config = try AppConfig.fromEnvironment()
        config.runOutboxWorker = false
        config.seedDemo = false
        var output = ""
        try await withApplication(config: config) { app in
            try await app.autoMigrate()
            let run = UUID().uuidString.prefix(8).lowercased()
            let now = app.clock.now()
            let topics = [
                "KI", "Social Media", "Datenplattformen", "Digitaler Arbeitsplatz", "Cloud", "Low-Code", "Recht",
            ]
            let (programmeID, organiser) = try await app.db.writeTransaction { db -> (UUID, User) in
                let programme = Programme(
                    name: "Paarung \(run)", description: "Benchmark", phase: .pairing, kickoffAt: now)
                try await programme.create(on: db)
                let programmeID = try programme.requireID()
                let organiser = User(email: "orga-\(run)@bench.example", name: "Olga Benchmark", isOrganiser: true)
                try await organiser.create(on: db)
                var menteeIDs: [UUID] = [], mentorIDs: [UUID] = []
                for index in 0..<mentees {
                    let user = User(email: "mentee-\(index)-\(run)@bench.example", name: "Mentee \(index)")
                    try await user.create(on: db)
                    try await Participation(userID: user.requireID(), programmeID: programmeID, role: .mentee)
                        .create(on: db)
                    let registration = MenteeRegistration()
                    registration.$programme.id = programmeID
                    registration.$user.id = try user.requireID()
                    registration.company = "Firma \(index % 97) GmbH"
                    registration.position = "CTO"
                    registration.topicsJSON = JSONText.encode([
                        topics[index % topics.count], topics[(index * 3 + 1) % topics.count],
                    ])
                    registration.languagesJSON = JSONText.encode(index % 10 == 0 ? ["Englisch"] : ["Deutsch"])
                    registration.questions = ""
                    registration.status = .approved
                    registration.privacyNoticeVersion = 1
                    registration.consentedAt = now
                    try await registration.create(on: db)
                    menteeIDs.append(try user.requireID())
                }
                let start = CalendarDate(year: 2022, month: 1, day: 1)!
                for index in 0..<mentors {
                    let user = User(email: "mentor-\(index)-\(run)@bench.example", name: "Mentorin \(index)")
                    try await user.create(on: db)
                    let participation = Participation(
                        userID: try user.requireID(), programmeID: programmeID, role: .mentor)
                    participation.capacity = index % 50 == 0 ? 2 : 1
                    try await participation.create(on: db)
                    let draft = MentorApplicationDraft(
                        name: user.name, email: user.email, teamRole: "Team \(index % 40)", companyStartDate: start,
                        tookPartInTalentProgramme: true,
                        expertiseTopics: [topics[index % topics.count], topics[(index + 2) % topics.count]],
                        languages: index % 3 == 0 ? ["Deutsch", "Englisch"] : ["Deutsch"], motivation: "Benchmark")
                    let record = MentorApplicationRecord(
                        programmeID: programmeID, userID: try user.requireID(), draft: draft,
                        result: EligibilityResult(tenureMonths: 40, findings: []))
                    record.status = .preselected
                    try await record.create(on: db)
                    mentorIDs.append(try user.requireID())
                }
                let kickoff = Kickoff(
                    programmeID: programmeID, startsAt: now.addingTimeInterval(-7 * 86400), rounds: 8,
                    roundSeconds: 300, breakSeconds: 30)
                kickoff.closedAt = now.addingTimeInterval(-86400)
                try await kickoff.create(on: db)
                let kickoffID = try kickoff.requireID()
                // Round r: mentee i meets mentor (i + r·stride) mod M, a different mentor each round.
                let stride = max(1, mentors / 8)
                let answers: [ContinueAnswer] = [.yes, .yes, .maybe, .yes, .no, .maybe, .yes]
                var met: [[Int]] = Array(repeating: [], count: mentees)
                var markedBy: [[UUID]] = Array(repeating: [], count: mentors)
                for round in 1...8 {
                    for i in 0..<mentees {
                        let j = (i + (round - 1) * stride) % mentors
                        met[i].append(j)
                        try await KickoffMeeting(
                            kickoffID: kickoffID, round: round, menteeID: menteeIDs[i], mentorID: mentorIDs[j], fit: 0
                        ).create(on: db)
                        try await TalkRating(
                            kickoffID: kickoffID, round: round, raterID: menteeIDs[i], partnerID: mentorIDs[j],
                            answer: answers[(i + round) % answers.count], note: ""
                        ).create(on: db)
                        try await TalkRating(
                            kickoffID: kickoffID, round: round, raterID: mentorIDs[j], partnerID: menteeIDs[i],
                            answer: answers[(i * 2 + round) % answers.count], note: ""
                        ).create(on: db)
                        if (i + round) % 4 == 0 { markedBy[j].append(menteeIDs[i]) }
                    }
                }
                for i in 0..<mentees {
                    let picks = [met[i][(i * 5) % 8], met[i][(i * 5 + 3) % 8], met[i][(i + 6) % 8]]
                    var seen = Set<Int>()
                    try await KickoffShortlist(
                        kickoffID: kickoffID, userID: menteeIDs[i],
                        picks: picks.filter { seen.insert($0).inserted }.map { mentorIDs[$0] }, at: now
                    ).create(on: db)
                }
                for j in 0..<mentors where !markedBy[j].isEmpty {
                    try await KickoffShortlist(kickoffID: kickoffID, userID: mentorIDs[j], picks: markedBy[j], at: now)
                        .create(on: db)
                }
                return (programmeID, organiser)
            }

            // The proposal, timed: reading the input, the policy with the optimizer alone, and the whole store.
            let clock = ContinuousClock()
            var data: PairingData?
            let load = try await clock.measure {
                data = try await PairingData.load(programmeID: programmeID, on: app.db)
            }
            var proposal: PairingProposal?
            let propose = try clock.measure { proposal = try PairingPolicy().propose(data!.input) }
            let store = try await clock.measure {
                _ = try await app.db.writeTransaction { db in
                    try await PairingBoardController.storeProposal(programmeID: programmeID, on: db, now: now)
                }
            }
            let link = try await MagicLinks.create(for: organiser, app: app, on: app.db)
            let seconds = { (d: Duration) in
                String(format: "%.3f", Double(d.components.attoseconds) / 1e18 + Double(d.components.seconds))
            }
            output = """
                {"programme":"\(programmeID)","signIn":"\(link)","tandems":\(proposal?.tandems.count ?? 0),\
                "unpaired":\(proposal?.unpaired.count ?? 0),"loadSeconds":\(seconds(load)),\
                "proposeSeconds":\(seconds(propose)),"storeSeconds":\(seconds(store))}
                """
        }
        return output
    }
}
