import Fluent
import Foundation
import Mentoring
import Vapor

@testable import App

/// An active tandem of the fixture's mentor and mentee in a second programme (in the tandem year), with a pending
/// agreement and a meeting both proposed by the mentee, a shared note, an experiment and the mentor's calendar
/// feed: what the tandem space's routes need. Its ids go into route patterns as `{space}`, `{meeting}`, ….
struct SpaceScene {
    let programme: Programme
    let tandem: Tandem
    let meeting: TandemMeeting
    let feedToken: String
    let substitutions: [(String, String)]

    static func make(fixture: Fixture, app: Application, activeDaysAgo: Double = 10) async throws -> SpaceScene {
        let db = app.db
        let now = app.clock.now()
        let programme = Programme(name: "Tandemjahr-Programm", description: "Läuft", phase: .running)
        try await programme.create(on: db)
        let programmeID = try programme.requireID()
        for (user, role) in [(fixture.mentor, ParticipantRole.mentor), (fixture.mentee, .mentee)] {
            try await Participation(userID: user.requireID(), programmeID: programmeID, role: role).create(on: db)
        }
        let tandem = Tandem(
            programmeID: programmeID, menteeID: try fixture.mentee.requireID(),
            mentorID: try fixture.mentor.requireID(),
            pinned: false, weight: 0, reasons: [])
        tandem.status = .active
        tandem.publishedAt = now.addingTimeInterval(-activeDaysAgo * 86400)
        tandem.activatedAt = now.addingTimeInterval(-activeDaysAgo * 86400)
        try await tandem.create(on: db)
        let tandemID = try tandem.requireID()
        let sealer = app.sealer

        let agreement = TandemAgreement()
        agreement.$tandem.id = tandemID
        agreement.version = 1
        agreement.contentSealed = try sealer.seal(
            json: TandemAgreement.Content(goals: [.init(goal: "Ziel", progressSign: "Zeichen")], groundRules: "Regeln"))
        agreement.channel = .video
        agreement.rhythmWeeks = 4
        let timeZone = app.appConfig.timeZone
        let today = CalendarDate.today(in: timeZone, now: now)
        agreement.endsOn = today.adding(days: 200).description
        agreement.proposedBy = try fixture.mentee.requireID()
        agreement.menteeConfirmedAt = now
        try await agreement.create(on: db)

        let meeting = TandemMeeting()
        meeting.$tandem.id = tandemID
        meeting.startsAt = now.addingTimeInterval(7 * 86400)
        meeting.minutes = 60
        meeting.placeSealed = try sealer.seal("https://video.example/raum")
        meeting.status = .proposed
        meeting.proposedBy = try fixture.mentee.requireID()
        meeting.sequence = 0
        try await meeting.create(on: db)

        let note = TandemNote()
        note.$tandem.id = tandemID
        note.kind = .shared
        note.authorID = try fixture.mentee.requireID()
        note.bodySealed = try sealer.seal("Unsere erste Notiz")
        try await note.create(on: db)

        let experiment = TandemExperiment()
        experiment.$tandem.id = tandemID
        experiment.contentSealed = try sealer.seal(
            json: TandemExperiment.Content(what: "Ein Experiment", happened: "", learned: ""))
        experiment.owner = .both
        experiment.dueOn = today.adding(days: 14).description
        experiment.status = .planned
        experiment.createdBy = try fixture.mentor.requireID()
        try await experiment.create(on: db)

        let token = SecureToken.generate()
        try await CalendarFeed(userID: try fixture.mentor.requireID(), tokenHash: SecureToken.hash(token)).create(
            on: db)

        return SpaceScene(
            programme: programme, tandem: tandem, meeting: meeting, feedToken: token,
            substitutions: [
                ("{space}", tandemID.uuidString),
                ("{meeting}", try meeting.requireID().uuidString),
                ("{note}", try note.requireID().uuidString),
                ("{experiment}", try experiment.requireID().uuidString),
                ("{feed}", token + ".ics"),
                ("{endsOn}", today.adding(days: 200).description),
                ("{meetingDay}", today.adding(days: 8).description),
            ])
    }
}
