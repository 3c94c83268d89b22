import Fluent
import Foundation
import Mentoring
import Vapor

extension Server {
    /// Benchmark helper (`mentoring seed-tandem-benchmark`): a programme in its tandem year with `tandems` active
    /// tandems, each with a year of data as month 9 of 9 finds it: an agreement, eight held meetings and one ahead,
    /// five shared notes of realistic length, two reflections, three experiments, prompt marks. Prints JSON: the
    /// programme, the first tandem, sign-in links for the organiser and that tandem's mentee, and the seconds taken.
    public static func seedTandemBenchmark(tandems count: Int) async throws -> String {
        var config = try AppConfig.fromEnvironment()
        config.runOutboxWorker = false
        config.seedDemo = false
        var output = ""
        try await withApplication(config: config) { app in
            try await app.autoMigrate()
            let run = UUID().uuidString.prefix(8).lowercased()
            let now = app.clock.now()
            let berlin = app.appConfig.timeZone
            let today = CalendarDate.today(in: berlin, now: now)
            let start = today.adding(months: -8).adding(days: -5)
            let startDate = LocalDateTime.parse("\(start)T10:00", in: berlin)!
            let sealer = app.sealer
            let began = ContinuousClock.now
            let note = String(
                repeating: "Wir haben über **Führung auf Distanz** gesprochen und zwei Experimente vereinbart. ",
                count: 20)
            let (programmeID, organiser, firstTandem, firstMentee) = try await app.db.writeTransaction {
                db -> (UUID, User, UUID, User) in
                let programme = Programme(
                    name: "Tandemjahr \(run)", description: "Benchmark", phase: .running, durationMonths: 9)
                try await programme.create(on: db)
                let programmeID = try programme.requireID()
                let organiser = User(email: "orga-\(run)@bench.example", name: "Olga Benchmark", isOrganiser: true)
                try await organiser.create(on: db)
                var first: (UUID, User)? = nil
                for index in 0..<count {
                    let mentee = User(email: "mentee-\(index)-\(run)@bench.example", name: "Mentee \(index)")
                    let mentor = User(email: "mentor-\(index)-\(run)@bench.example", name: "Mentor \(index)")
                    try await [mentee, mentor].create(on: db)
                    try await [
                        Participation(userID: mentee.requireID(), programmeID: programmeID, role: .mentee),
                        Participation(userID: mentor.requireID(), programmeID: programmeID, role: .mentor),
                    ].create(on: db)
                    let tandem = Tandem(
                        programmeID: programmeID, menteeID: try mentee.requireID(), mentorID: try mentor.requireID(),
                        pinned: false, weight: 0, reasons: [])
                    tandem.status = .active
                    tandem.publishedAt = startDate
                    tandem.activatedAt = startDate
                    try await tandem.create(on: db)
                    let tandemID = try tandem.requireID()
                    if first == nil { first = (tandemID, mentee) }
                    let agreement = TandemAgreement()
                    agreement.$tandem.id = tandemID
                    agreement.version = 1
                    agreement.contentSealed = try sealer.seal(
                        json: TandemAgreement.Content(
                            goals: [.init(goal: "KI im Vertrieb verstehen", progressSign: "Ein Pilot")],
                            groundRules: "Vertraulich."))
                    agreement.channel = .video
                    agreement.rhythmWeeks = 4
                    agreement.endsOn = start.adding(months: 9).adding(days: -1).description
                    agreement.proposedBy = try mentor.requireID()
                    agreement.mentorConfirmedAt = startDate
                    agreement.menteeConfirmedAt = startDate
                    try await agreement.create(on: db)
                    var meetings: [TandemMeeting] = []
                    for month in 1...9 {
                        let meeting = TandemMeeting()
                        meeting.$tandem.id = tandemID
                        let day = month == 9 ? today.adding(days: 3) : start.adding(months: month - 1).adding(days: 6)
                        meeting.startsAt = LocalDateTime.parse("\(day)T17:00", in: berlin)!
                        meeting.minutes = 60
                        meeting.placeSealed = try sealer.seal("https://video.bench.example/\(index)")
                        meeting.status = month == 9 ? .accepted : (index % 7 == 0 && month > 6 ? .missed : .held)
                        meeting.proposedBy = try mentor.requireID()
                        meeting.sequence = 1
                        meetings.append(meeting)
                    }
                    try await meetings.create(on: db)
                    var notes: [TandemNote] = []
                    for (k, author) in [mentee, mentor, mentee, mentor, mentee, mentee, mentor].enumerated() {
                        let item = TandemNote()
                        item.$tandem.id = tandemID
                        item.kind = k < 5 ? .shared : .reflection
                        item.authorID = try author.requireID()
                        item.bodySealed = try sealer.seal(note)
                        notes.append(item)
                    }
                    try await notes.create(on: db)
                    var experiments: [TandemExperiment] = []
                    for (k, status) in [TandemExperiment.Status.done, .running, .planned].enumerated() {
                        let experiment = TandemExperiment()
                        experiment.$tandem.id = tandemID
                        experiment.contentSealed = try sealer.seal(
                            json: TandemExperiment.Content(
                                what: "Experiment \(k): eine Woche ohne interne E-Mail", happened: "", learned: ""))
                        experiment.owner = .both
                        experiment.dueOn = today.adding(days: 10 * k - 5).description
                        experiment.status = status
                        experiment.createdBy = try mentor.requireID()
                        experiments.append(experiment)
                    }
                    try await experiments.create(on: db)
                    var marks: [TandemPromptMark] = []
                    for month in 1...8 {
                        let mark = TandemPromptMark(tandemID: tandemID, month: month)
                        mark.discussedAt = startDate
                        marks.append(mark)
                    }
                    try await marks.create(on: db)
                }
                return (programmeID, organiser, first!.0, first!.1)
            }
            let elapsed = ContinuousClock.now - began
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let organiserLink = try await MagicLinks.create(for: organiser, app: app, on: app.db)
            let menteeLink = try await MagicLinks.create(for: firstMentee, app: app, on: app.db)
            output = """
                {"programme":"\(programmeID)","tandem":"\(firstTandem)","organiserSignIn":"\(organiserLink)",\
                "menteeSignIn":"\(menteeLink)","tandems":\(count),"seedSeconds":\(String(format: "%.1f", seconds))}
                """
        }
        return output
    }
}
