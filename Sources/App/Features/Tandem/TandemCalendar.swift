import Fluent
import Foundation
import ICalendar
import Mentoring
import Vapor

/// Meetings as calendar entries: the `.ics` invitation both partners get by e-mail (`METHOD:REQUEST`, each change
/// with a raised `SEQUENCE`; `METHOD:CANCEL` when cancelled) and each person's private feed of all their meetings.
enum TandemCalendar {
    static let productID = "-//Reverse Mentoring//Tandem//DE"

    /// What changed, for the e-mail's wording.
    enum Change: String {
        case proposed, accepted, rescheduled, cancelled
    }

    struct People: Sendable {
        let mentee: User
        let mentor: User
    }

    static func people(of tandem: Tandem, on db: any Database) async throws -> People? {
        guard let mentee = try await User.find(tandem.$mentee.id, on: db),
            let mentor = try await User.find(tandem.$mentor.id, on: db)
        else { return nil }
        return People(mentee: mentee, mentor: mentor)
    }

    static func event(
        _ meeting: TandemMeeting, place: String, people: People, programme: String, viewer: User, app: Application
    ) throws -> CalendarEvent {
        let locale = AppLocale(rawValue: viewer.locale) ?? .default
        let partner = viewer.id == people.mentee.id ? people.mentor : people.mentee
        let catalogue = app.catalogue
        let status: String =
            switch meeting.status {
            case .cancelled, .missed: "CANCELLED"
            case .proposed: "TENTATIVE"
            case .accepted, .held: "CONFIRMED"
            }
        let link = SiteURL.tandemSpace(tandemID: .value(meeting.$tandem.id)).absolute(app)
        return CalendarEvent(
            uid: "meeting-\(try meeting.requireID().uuidString.lowercased())@reverse-mentoring",
            start: meeting.startsAt, end: meeting.endsAt,
            summary: catalogue.text("meeting.calendar.summary", locale, [partner.name]),
            description: catalogue.text("meeting.calendar.description", locale, [programme, link]),
            location: place, url: link,
            organizer: .init(name: app.appConfig.mailFromName, email: app.appConfig.mailFrom),
            sequence: meeting.sequence, stamp: app.clock.now(), alarm: .init(minutesBefore: 30),
            attendees: [
                .init(name: people.mentee.name, email: people.mentee.email),
                .init(name: people.mentor.name, email: people.mentor.email),
            ],
            status: status)
    }

    /// E-mails the change with the `.ics` to `recipients` (both partners, or only the other one for a proposal).
    static func notify(
        _ change: Change, meeting: TandemMeeting, place: String, tandem: Tandem, programme: Programme,
        recipients: [User], people: People, app: Application, on db: any Database
    ) async throws {
        for person in recipients {
            let locale = AppLocale(rawValue: person.locale) ?? .default
            let partner = person.id == people.mentee.id ? people.mentor : people.mentee
            let event = try event(
                meeting, place: place, people: people, programme: programme.name, viewer: person, app: app)
            let ics = ICalendarWriter.document(
                [event], productID: productID, method: change == .cancelled ? "CANCEL" : "REQUEST")
            let when = app.dateFormatting.dateTime(meeting.startsAt, locale)
            try await Outbox(app: app).enqueue(
                to: person, template: "mail.meeting.\(change.rawValue)",
                arguments: [partner.name, when, String(meeting.minutes), place, programme.name],
                actionURL: SiteURL.tandemSpace(tandemID: .value(try tandem.requireID())).absolute(app),
                calendarICS: ics, on: db)
        }
    }

    /// Every meeting of `user`'s tandems as one calendar (no `METHOD`: a subscription, not an invitation).
    static func feed(for user: User, app: Application, on db: any Database) async throws -> String {
        let userID = try user.requireID()
        let tandems = try await Tandem.query(on: db).group(.or) {
            $0.filter(\.$mentee.$id == userID).filter(\.$mentor.$id == userID)
        }.filter(\.$status ~~ [.active, .ended]).all()
        var events: [CalendarEvent] = []
        for tandem in tandems {
            guard let people = try await people(of: tandem, on: db),
                let programme = try await Programme.load(tandem.$programme.id, on: db)
            else { continue }
            let meetings = try await TandemMeeting.query(on: db).filter(\.$tandem.$id == tandem.requireID())
                .sort(\.$startsAt).all()
            for meeting in meetings {
                events.append(
                    try event(
                        meeting, place: try app.sealer.open(meeting.placeSealed), people: people,
                        programme: programme.name, viewer: user, app: app))
            }
        }
        return ICalendarWriter.document(events, productID: productID, method: nil)
    }
}
