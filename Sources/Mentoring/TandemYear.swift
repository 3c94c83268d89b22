/// The tandem year's calendar rules: its months, where a meeting may lie, and how a tandem is doing, from metadata
/// only (never from what the two wrote). Pure, so a whole year can be run on a fixed clock in tests.
public struct TandemYear: Sendable, Equatable {
    /// The first day of the tandem year (the day the tandem became active, in Europe/Berlin).
    public let start: CalendarDate
    /// The agreed length in months, 4…12 (`TandemDuration.allowedMonths`).
    public let months: Int

    public init?(start: CalendarDate, months: Int) {
        guard TandemDuration.allowedMonths.contains(months) else { return nil }
        self.start = start
        self.months = months
    }

    /// The last day of the year: the day before the same day `months` months later.
    public var end: CalendarDate { start.adding(months: months).adding(days: -1) }

    /// The tandem month (1…`months`) a day falls in, or nil outside the year. Month 1 starts on `start`.
    public func month(of day: CalendarDate) -> Int? {
        guard day >= start, day <= end else { return nil }
        for month in 1...months where day < start.adding(months: month) { return month }
        return nil
    }

    /// The first day of tandem month `month` (1…`months`).
    public func firstDay(ofMonth month: Int) -> CalendarDate { start.adding(months: month - 1) }

    /// Why a proposed meeting day is refused.
    public enum MeetingProblem: Error, Equatable, Sendable {
        case inThePast
        case beforeStart
        case afterEnd
    }

    /// A meeting must lie in the future (`today` counts: a meeting later today is fine) and within the year.
    public func check(meetingDay day: CalendarDate, today: CalendarDate) -> MeetingProblem? {
        if day < today { return .inThePast }
        if day < start { return .beforeStart }
        if day > end { return .afterEnd }
        return nil
    }
}

/// How a tandem is doing, as organisers see it without reading anything the two wrote.
public enum TandemHealth: String, Sendable, Codable, CaseIterable {
    /// A meeting was held or is proposed this month, and the last one is recent enough.
    case onTrack
    /// Past the middle of the month and no meeting held or proposed in it: a reminder goes to the tandem.
    case due
    /// No meeting held for `stalledAfterDays` (default 45): flagged to the organisers.
    case stalled
}

/// The rules behind ``TandemHealth``, with the programme's settings.
public struct TandemHealthRules: Sendable, Equatable {
    /// Days without a held meeting after which a tandem is stalled.
    public var stalledAfterDays = 45
    /// From this day of the calendar month on, a month without a held or proposed meeting is due.
    public var dueFromDayOfMonth = 16

    public init(stalledAfterDays: Int = 45, dueFromDayOfMonth: Int = 16) {
        self.stalledAfterDays = stalledAfterDays
        self.dueFromDayOfMonth = dueFromDayOfMonth
    }

    /// The facts the rules look at, all metadata.
    public struct Facts: Sendable, Equatable {
        public var today: CalendarDate
        /// The day the tandem became active.
        public var activeSince: CalendarDate
        /// The last meeting marked as held, if any.
        public var lastHeld: CalendarDate?
        /// Whether a meeting was held, or is proposed or accepted, in today's calendar month.
        public var meetingThisMonth: Bool

        public init(today: CalendarDate, activeSince: CalendarDate, lastHeld: CalendarDate?, meetingThisMonth: Bool) {
            self.today = today
            self.activeSince = activeSince
            self.lastHeld = lastHeld
            self.meetingThisMonth = meetingThisMonth
        }
    }

    public func health(_ facts: Facts) -> TandemHealth {
        // Without a held meeting, the clock runs from the start: a new tandem has 45 days for its first one.
        let since = max(facts.lastHeld ?? facts.activeSince, facts.activeSince)
        if facts.today.days(since: since) >= stalledAfterDays { return .stalled }
        if isDue(facts) { return .due }
        return .onTrack
    }

    /// From the 16th of a calendar month without a meeting held or planned in it; not in the month of a tandem that
    /// began on or after the 16th (one that starts on the 20th is not late on its first day). A stalled tandem is due
    /// as well.
    public func isDue(_ facts: Facts) -> Bool {
        let startedLateThisMonth =
            facts.activeSince.year == facts.today.year && facts.activeSince.month == facts.today.month
            && facts.activeSince.day >= dueFromDayOfMonth
        return !facts.meetingThisMonth && facts.today.day >= dueFromDayOfMonth && !startedLateThisMonth
    }
}

extension CalendarDate {
    /// Days since 1 March 0000 in the proleptic Gregorian calendar (for differences only).
    var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let m = month <= 2 ? month + 9 : month - 3
        return 365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + day - 1
    }

    /// Whole days from `earlier` to `self` (negative when `earlier` is later).
    public func days(since earlier: CalendarDate) -> Int { dayNumber - earlier.dayNumber }

    /// The same day `months` months later (or earlier), at the month's last day when it is shorter.
    public func adding(months: Int) -> CalendarDate {
        let total = year * 12 + (month - 1) + months
        let newYear = total / 12, newMonth = total % 12 + 1
        return CalendarDate(
            year: newYear, month: newMonth, day: min(day, CalendarDate.daysIn(month: newMonth, year: newYear)))!
    }

    /// The day `days` days later (or earlier).
    public func adding(days: Int) -> CalendarDate {
        // Civil-from-days (Howard Hinnant's algorithm), on the same day numbering as `dayNumber`.
        let n = dayNumber + days
        let era = (n >= 0 ? n : n - 146_096) / 146_097
        let dayOfEra = n - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return CalendarDate(year: year, month: month, day: day)!
    }
}
