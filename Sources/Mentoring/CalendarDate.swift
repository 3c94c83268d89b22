/// A day in the calendar without time or time zone (a start date in the company, a deadline day).
/// Parsing and arithmetic stay pure, so eligibility does not depend on the server's clock or zone.
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2999).contains(year), (1...12).contains(month),
            (1...CalendarDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses ISO `2026-03-01` (HTML date inputs) and German `01.03.2026`.
    public init?(parsing text: String) {
        let trimmed = text.trimmingWhitespace()
        let iso = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        let german = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        if iso.count == 3, iso[0].count == 4, let y = Int(iso[0]), let m = Int(iso[1]), let d = Int(iso[2]) {
            self.init(year: y, month: m, day: d)
        } else if german.count == 3, german[2].count == 4, let d = Int(german[0]), let m = Int(german[1]),
            let y = Int(german[2])
        {
            self.init(year: y, month: m, day: d)
        } else {
            return nil
        }
    }

    /// ISO 8601, as stored and as HTML date inputs expect.
    public var description: String {
        "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    /// German display form, e.g. `01.03.2026`.
    public var german: String {
        "\(day < 10 ? "0" : "")\(day).\(month < 10 ? "0" : "")\(month).\(year)"
    }

    /// Whole months from `self` to `later` (a month counts once its day-of-month is reached;
    /// a month end counts as reached, so 31 Jan → 28 Feb is 1 month, 31 Jan → 27 Feb is 0). Negative when earlier.
    public func wholeMonths(until later: CalendarDate) -> Int {
        var months = (later.year - year) * 12 + (later.month - month)
        let laterIsMonthEnd = later.day == CalendarDate.daysIn(month: later.month, year: later.year)
        if months > 0, later.day < day, !laterIsMonthEnd { months -= 1 }
        if months < 0, later.day > day { months += 1 }
        return months
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
