import Fluent
import ICalendar
import Mentoring
import Vapor

/// Reminders to everyone whose shortlist (mentees) or marks (mentors) are still missing.
enum ShortlistReminders {
    /// Sends them; returns how many went out.
    static func send(kickoff: Kickoff, programme: Programme, app: Application, on db: any Database) async throws -> Int
    {
        let now = app.clock.now()
        let kickoffID = try kickoff.requireID()
        let people = try await KickoffPlanController.people(programmeID: programme.requireID(), on: db)
        let done = Set(
            try await KickoffShortlist.query(on: db).filter(\.$kickoff.$id == kickoffID).all().map { $0.$user.id })
        let met = Set(
            try await KickoffMeeting.query(on: db).filter(\.$kickoff.$id == kickoffID)
                .filter(\.$round <= (try kickoff.timeline().roundsBegun(at: now))).all()
                .flatMap { [$0.$mentee.id, $0.$mentor.id] })
        var count = 0
        for person in people.mentees + people.mentors where !done.contains(person.id!) && met.contains(person.id!) {
            let locale = AppLocale(rawValue: person.locale) ?? .default
            let deadline = kickoff.shortlistDeadline.map { app.dateFormatting.dateTime($0, locale) } ?? "–"
            try await Outbox(app: app).enqueue(
                to: person, template: "mail.shortlistReminder", arguments: [programme.name, deadline],
                actionURL: SiteURL.kickoffShortlist(kickoffID: .value(kickoffID)).absolute(app), on: db, now: now)
            count += 1
        }
        kickoff.remindersSentAt = now
        try await kickoff.save(on: db)
        return count
    }

    /// For the background worker: one automatic reminder per deadline, 24 hours before it, after the event.
    static func sendDue(app: Application, now: Date? = nil) async throws {
        let now = now ?? app.clock.now()
        let due = try await Kickoff.query(on: app.db)
            .filter(\.$closedAt == nil).filter(\.$remindersSentAt == nil)
            .filter(\.$shortlistDeadline > now).filter(\.$shortlistDeadline <= now.addingTimeInterval(86400))
            .with(\.$programme).all()
        for kickoff in due where (try? kickoff.timeline().isFinished(at: now)) == true {
            let count = try await app.db.writeTransaction { db in
                try await send(kickoff: kickoff, programme: kickoff.programme, app: app, on: db)
            }
            app.logger.info(
                "Shortlist reminders sent",
                metadata: ["kickoff": "\(kickoff.id?.uuidString ?? "")", "count": "\(count)"])
        }
    }
}
