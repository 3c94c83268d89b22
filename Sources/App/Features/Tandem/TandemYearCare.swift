import Fluent
import Foundation
import Mentoring
import NIOConcurrencyHelpers
import Vapor

/// E-mails to the partners of a tandem about their space (never with anything either of them wrote).
enum TandemNotices {
    /// Tells the other partner about something the signed-in one did (e.g. proposed an agreement).
    static func tellPartner(_ space: TandemSpace, template: String, app: Application, on db: any Database) async throws
    {
        guard let partner = try await User.find(space.partnerID, on: db),
            let me = try await User.find(space.userID, on: db)
        else { return }
        try await Outbox(app: app).enqueue(
            to: partner, template: template, arguments: [me.name, space.programme.name],
            actionURL: SiteURL.tandemSpace(tandemID: .value(space.tandemID)).absolute(app), on: db)
    }

    /// Sends `template` to both partners, once per `kind` and `subject` (recorded in `tandem_notices`). Returns
    /// whether it was sent now.
    @discardableResult
    static func once(
        _ kind: TandemNotice.Kind, subject: String, tandem: Tandem, template: String,
        arguments: @escaping (User, AppLocale) -> [String], app: Application, on db: any Database, now: Date
    ) async throws -> Bool {
        let tandemID = try tandem.requireID()
        let sent = try await TandemNotice.query(on: db).filter(\.$tandem.$id == tandemID).filter(\.$kind == kind)
            .filter(\.$subject == subject).count()
        guard sent == 0 else { return false }
        try await TandemNotice(tandemID: tandemID, kind: kind, subject: subject, sentAt: now).create(on: db)
        for personID in [tandem.$mentee.id, tandem.$mentor.id] {
            guard let person = try await User.find(personID, on: db) else { continue }
            let locale = AppLocale(rawValue: person.locale) ?? .default
            try await Outbox(app: app).enqueue(
                to: person, template: template, arguments: arguments(person, locale),
                actionURL: SiteURL.tandemSpace(tandemID: .value(tandemID)).absolute(app), on: db, now: now)
        }
        return true
    }
}

/// The tandem year's clockwork, run by the background worker (every few seconds; each step happens once, recorded
/// in `tandem_notices`) and directly by tests on a fixed clock: each month's prompt, the mid-month reminder when
/// no meeting is planned, the day-after question whether a meeting was held, the reminder before an experiment's
/// date, the stalled flag for the organisers, and at the end date the closing prompt and then the end.
enum TandemYearCare {
    struct Report: Equatable, Sendable {
        var prompts = 0, dueReminders = 0, outcomeQuestions = 0, experimentReminders = 0, stalled = 0,
            closingPrompts = 0, ended = 0

        mutating func add(_ other: Report) {
            prompts += other.prompts
            dueReminders += other.dueReminders
            outcomeQuestions += other.outcomeQuestions
            experimentReminders += other.experimentReminders
            stalled += other.stalled
            closingPrompts += other.closingPrompts
            ended += other.ended
        }
    }

    private static let lastRun = NIOLockedValueBox<Date?>(nil)
    /// How often the background worker looks at every tandem: the steps are per day, so a quarter of an hour is
    /// prompt enough and keeps a thousand tandems' queries off the database most of the time.
    static let interval: TimeInterval = 15 * 60

    static func runIfDue(app: Application) async throws {
        let now = app.clock.now()
        let due = lastRun.withLockedValue { last -> Bool in
            if let last, now.timeIntervalSince(last) < interval, now >= last { return false }
            last = now
            return true
        }
        guard due else { return }
        let report = try await run(app: app, now: now)
        // One line per pass (every 15 minutes): what the clockwork did. The tandem benchmark waits for the first.
        app.logger.notice(
            "Tandem year care pass done",
            metadata: [
                "prompts": "\(report.prompts)", "dueReminders": "\(report.dueReminders)",
                "outcomeQuestions": "\(report.outcomeQuestions)",
                "experimentReminders": "\(report.experimentReminders)",
                "stalled": "\(report.stalled)", "closingPrompts": "\(report.closingPrompts)",
                "ended": "\(report.ended)",
            ])
    }

    @discardableResult
    static func run(app: Application, now: Date? = nil) async throws -> Report {
        let now = now ?? app.clock.now()
        var report = Report()
        let timeZone = app.appConfig.timeZone
        let today = CalendarDate.today(in: timeZone, now: now)
        let tandems = try await Tandem.query(on: app.db).filter(\.$status == .active).all()
        var programmes: [UUID: Programme] = [:]
        var catalogues: [UUID: PromptCatalogue] = [:]
        for tandem in tandems {
            let programmeID = tandem.$programme.id
            if programmes[programmeID] == nil {
                programmes[programmeID] = try await Programme.load(programmeID, on: app.db)
                catalogues[programmeID] = try await PromptCatalogue.load(programmeID: programmeID, on: app.db)
            }
            guard let programme = programmes[programmeID], let catalogue = catalogues[programmeID],
                let year = TandemYear.of(tandem, programme: programme, timeZone: timeZone)
            else { continue }
            do {
                let step = try await app.db.writeTransaction { db -> Report in
                    // As it is now: a partner or an organiser may have ended it since the list was read.
                    guard let fresh = try await Tandem.find(tandem.id, on: db), fresh.status == .active else {
                        return Report()
                    }
                    return try await care(
                        fresh, programme: programme, catalogue: catalogue, year: year, today: today, now: now,
                        app: app, on: db)
                }
                report.add(step)
            } catch {
                // One tandem's problem must not stop the others' prompts and reminders.
                app.logger.error(
                    "Tandem year care failed for a tandem",
                    metadata: ["tandem": "\(tandem.id?.uuidString ?? "?")", "error": "\(error)"])
            }
        }
        return report
    }

    // swift-format-ignore: FunctionParameterCount
    private static func care(
        _ tandem: Tandem, programme: Programme, catalogue: PromptCatalogue, year: TandemYear, today: CalendarDate,
        now: Date, app: Application, on db: any Database
    ) async throws -> Report {
        var report = Report()
        let tandemID = try tandem.requireID()
        let agreement = try await TandemAgreement.query(on: db).filter(\.$tandem.$id == tandemID)
            .sort(\.$version, .descending).all().first(where: \.isConfirmed)
        let end = year.lastDay(agreement: agreement)

        // The end date (or a missed one: the worker was down, or the end was moved into the past): the closing
        // prompt, once; the day after the end date the tandem ends, its space stays readable for the two.
        if today >= end {
            if try await TandemNotices.once(
                .closing, subject: "closing", tandem: tandem, template: "mail.care.closing",
                arguments: { _, _ in [programme.name] }, app: app, on: db, now: now)
            {
                report.closingPrompts += 1
            }
        }
        if today > end {
            tandem.status = .ended
            tandem.closedAt = now
            try await tandem.save(on: db)
            report.ended += 1
            return report
        }

        // The month's prompt.
        if let month = year.month(of: today), let entry = catalogue.entry(month: month) {
            if try await TandemNotices.once(
                .prompt, subject: String(month), tandem: tandem, template: "mail.care.prompt",
                arguments: { _, locale in
                    [String(month), entry.question(locale), entry.materialURL ?? "", programme.name]
                }, app: app, on: db, now: now)
            {
                report.prompts += 1
            }
        }

        // Meetings: the day after, ask whether it happened; the facts for the health rules.
        let meetings = try await TandemMeeting.query(on: db).filter(\.$tandem.$id == tandemID).all()
        let timeZone = app.appConfig.timeZone
        var lastHeld: CalendarDate? = nil
        var meetingThisMonth = false
        for meeting in meetings {
            let day = CalendarDate.today(in: timeZone, now: meeting.startsAt)
            if meeting.status == .held { lastHeld = max(lastHeld ?? day, day) }
            if meeting.status.isPlannedOrHeld, day.year == today.year, day.month == today.month {
                meetingThisMonth = true
            }
            if meeting.status == .proposed || meeting.status == .accepted, today > day {
                let when = meeting.startsAt
                if try await TandemNotices.once(
                    .outcome, subject: try meeting.requireID().uuidString, tandem: tandem,
                    template: "mail.care.outcome",
                    arguments: { _, locale in [app.dateFormatting.dateTime(when, locale), programme.name] },
                    app: app, on: db, now: now)
                {
                    report.outcomeQuestions += 1
                }
            }
        }

        // Experiments: a reminder from two days before the date.
        for experiment in try await TandemExperiment.query(on: db).filter(\.$tandem.$id == tandemID).all()
        where experiment.status.isOpen {
            guard let due = CalendarDate(parsing: experiment.dueOn), today >= due.adding(days: -2), today <= due
            else { continue }
            if try await TandemNotices.once(
                .experiment, subject: try experiment.requireID().uuidString, tandem: tandem,
                template: "mail.care.experiment", arguments: { _, _ in [due.german, programme.name] }, app: app,
                on: db, now: now)
            {
                report.experimentReminders += 1
            }
        }

        // Health: a reminder to the tandem when no meeting is planned by mid-month (once per calendar month, also
        // while stalled), and a flag for the organisers when stalled (once per stall).
        let rules = TandemHealthRules(stalledAfterDays: programme.stalledAfterDays)
        let facts = TandemHealthRules.Facts(
            today: today, activeSince: year.start, lastHeld: lastHeld, meetingThisMonth: meetingThisMonth)
        if rules.isDue(facts) {
            let monthKey = String(today.description.prefix(7))
            if try await TandemNotices.once(
                .due, subject: monthKey, tandem: tandem, template: "mail.care.due",
                arguments: { _, _ in [programme.name] }, app: app, on: db, now: now)
            {
                report.dueReminders += 1
            }
        }
        if rules.health(facts) == .stalled {
            let since = (lastHeld ?? year.start).description
            let flagged = try await TandemNotice.query(on: db).filter(\.$tandem.$id == tandemID)
                .filter(\.$kind == .stalled).filter(\.$subject == since).count()
            if flagged == 0 {
                try await TandemNotice(tandemID: tandemID, kind: .stalled, subject: since, sentAt: now).create(on: db)
                report.stalled += 1
            }
        }
        return report
    }
}
