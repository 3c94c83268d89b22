import Fluent
import Mentoring
import Vapor

extension CalendarDate {
    /// Today's calendar day in `timeZone` (Europe/Berlin for the programme).
    static func today(in timeZone: TimeZone, now: Date) -> CalendarDate {
        CalendarDate(parsing: String(LocalDateTime.format(now, in: timeZone).prefix(10)))!
    }
}
