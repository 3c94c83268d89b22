import Fluent
import ICalendar
import Mentoring
import Vapor

/// The kickoff invitation e-mail: time, calendar file (.ics) and the person's own event link.
enum KickoffInvitations {
    static func send(
        to person: User, kickoff: Kickoff, programme: Programme, app: Application, on db: any Database
    ) async throws {
        let link = try await KickoffPasses.issue(kickoff: kickoff, userID: person.requireID(), app: app, on: db)
        let locale = AppLocale(rawValue: person.locale) ?? .default
        let when = app.dateFormatting.dateTime(kickoff.startsAt, locale)
        let catalogue = app.catalogue
        let talks = catalogue.plural("kickoff.talks", count: kickoff.rounds, locale)
        let minutes = catalogue.plural("kickoff.minutes", count: kickoff.roundSeconds / 60, locale)
        let summary = app.catalogue.text("event.calendar.summary", locale, [programme.name])
        let description = catalogue.text("event.calendar.description", locale, [talks, minutes, link])
        let event = CalendarEvent(
            uid:
                "kickoff-\(try kickoff.requireID().uuidString.lowercased())-\(try person.requireID().uuidString.lowercased())@reverse-mentoring",
            start: kickoff.startsAt, end: kickoff.plannedEnd, summary: summary, description: description,
            location: link, url: link,
            organizer: .init(name: app.appConfig.mailFromName, email: app.appConfig.mailFrom),
            sequence: kickoff.invitationSequence, stamp: app.clock.now(), alarm: .init(minutesBefore: 15))
        let ics = ICalendarWriter.document([event], productID: "-//Reverse Mentoring//Kickoff//DE")
        try await Outbox(app: app).enqueue(
            to: person, template: "mail.kickoff", arguments: [programme.name, when, talks, minutes],
            actionURL: link, calendarICS: ics, on: db)
    }
}
