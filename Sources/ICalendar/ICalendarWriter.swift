import Foundation

/// Writes iCalendar documents (RFC 5545), e.g. for an `.ics` attachment or download: CRLF line endings, content
/// lines folded at 75 octets (never inside a UTF-8 sequence), TEXT values escaped, times in UTC
/// (`20261123T160000Z`).
public enum ICalendarWriter {
    /// A `VCALENDAR` with one `VEVENT` per event, in the given order.
    ///
    /// - Parameters:
    ///   - productID: `PRODID`, who made the document, e.g. `-//Reverse Mentoring//Kickoff//DE`.
    ///   - method: `METHOD` (RFC 5546), e.g. `PUBLISH` for an event to add to one's calendar; left out when `nil`.
    ///     Only letters, digits and `-` are kept, upper-cased.
    public static func document(_ events: [CalendarEvent], productID: String, method: String? = "PUBLISH") -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:\(escapedText(productID))",
            "CALSCALE:GREGORIAN",
        ]
        if let method {
            lines.append("METHOD:\(token(method))")
        }
        for event in events {
            lines += eventLines(event)
        }
        lines.append("END:VCALENDAR")
        return lines.map { fold($0) + "\r\n" }.joined()
    }

    private static func eventLines(_ event: CalendarEvent) -> [String] {
        var lines = [
            "BEGIN:VEVENT",
            "UID:\(escapedText(event.uid))",
            "DTSTAMP:\(utcDateTime(event.stamp))",
            "DTSTART:\(utcDateTime(event.start))",
            "DTEND:\(utcDateTime(event.end))",
            "SEQUENCE:\(max(0, event.sequence))",
            "SUMMARY:\(escapedText(event.summary))",
        ]
        if let description = event.description {
            lines.append("DESCRIPTION:\(escapedText(description))")
        }
        if let location = event.location {
            lines.append("LOCATION:\(escapedText(location))")
        }
        if let url = event.url {
            lines.append("URL:\(withoutControlCharacters(url))")
        }
        if let status = event.status {
            lines.append("STATUS:\(token(status))")
        }
        if let organizer = event.organizer {
            lines.append(person("ORGANIZER", organizer))
        }
        for attendee in event.attendees {
            lines.append(person("ATTENDEE", attendee))
        }
        if let alarm = event.alarm {
            let minutes = alarm.minutesBefore
            lines += [
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                "DESCRIPTION:\(escapedText(alarm.description ?? event.summary))",
                "TRIGGER:\(minutes >= 0 ? "-" : "")PT\(abs(minutes))M",
                "END:VALARM",
            ]
        }
        lines.append("END:VEVENT")
        return lines
    }

    /// A content line as lines of at most 75 octets joined by CRLF + space (RFC 5545 3.1); splits only between
    /// Unicode scalars, so no UTF-8 sequence is cut.
    static func fold(_ line: String) -> String {
        var result = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let width = String(scalar).utf8.count
            if octets + width > 75 {
                result += "\r\n "
                octets = 1
            }
            result.unicodeScalars.append(scalar)
            octets += width
        }
        return result
    }

    /// TEXT (RFC 5545 3.3.11): `\`, `;` and `,` escaped with a backslash, line breaks (CRLF, CR or LF) as `\n`,
    /// other control characters dropped.
    static func escapedText(_ text: String) -> String {
        var result = ""
        var previous: Unicode.Scalar? = nil
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            switch scalar {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\r": result += "\\n"
            case "\n": if previous != "\r" { result += "\\n" }
            case "\t": result.unicodeScalars.append(scalar)
            default: if !isControl(scalar) { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }

    /// `20261123T160000Z`: the UTC date-time form (RFC 5545 3.3.5), whole seconds.
    static func utcDateTime(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let digits = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + "T" + pad(c.hour, 2) + pad(c.minute, 2)
            + pad(c.second, 2) + "Z"
    }

    /// A parameter value in double quotes (which allow `:`, `;` and `,`); a `"` inside becomes `'`, line breaks
    /// and other control characters become spaces.
    static func quotedParameter(_ value: String) -> String {
        let scalars = value.unicodeScalars.map { scalar -> Unicode.Scalar in
            scalar == "\"" ? "'" : isControl(scalar) ? " " : scalar
        }
        return "\"" + String(String.UnicodeScalarView(scalars)) + "\""
    }

    /// `ORGANIZER;CN="…":mailto:…` or the same for an `ATTENDEE`.
    private static func person(_ property: String, _ who: CalendarEvent.Organizer) -> String {
        var name = property
        if let cn = who.name, !cn.isEmpty {
            name += ";CN=\(quotedParameter(cn))"
        }
        return "\(name):mailto:\(withoutControlCharacters(who.email))"
    }

    /// Letters, digits and `-`, upper-cased (an iana-token such as a METHOD name).
    static func token(_ value: String) -> String {
        let kept = value.uppercased().unicodeScalars.filter {
            ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
        }
        return String(String.UnicodeScalarView(kept))
    }

    static func withoutControlCharacters(_ value: String) -> String {
        String(String.UnicodeScalarView(value.unicodeScalars.filter { !isControl($0) }))
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F
    }
}
