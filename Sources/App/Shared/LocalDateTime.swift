import Foundation
import Mentoring

/// `2027-01-15T17:00` (HTML datetime-local) in the programme's time zone, to and from `Date`.
enum LocalDateTime {
    static func formatter(_ timeZone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter
    }

    static func parse(_ text: String, in timeZone: TimeZone) -> Date? { formatter(timeZone).date(from: text) }

    /// Formatting runs on every page that shows a programme: calendar fields instead of a new `DateFormatter`
    /// (making one cost more than the rest of the start page's handler).
    static func format(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String { let v = value ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        let year = String(c.year ?? 0)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year
            + "-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute))"
    }
}
