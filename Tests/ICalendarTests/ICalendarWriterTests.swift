import Foundation
import Testing

@testable import ICalendar

/// 2026-11-23 16:00 UTC, the kick-off used throughout.
let kickoffStart = Date(timeIntervalSince1970: 1_795_449_600)

let kickoff = CalendarEvent(
    uid: "kickoff-42@mentoring.example",
    start: kickoffStart,
    end: kickoffStart.addingTimeInterval(90 * 60),
    summary: "Kick-off: Reverse Mentoring, Runde 3",
    description: "Willkommen zum Kick-off!\nBitte seid pünktlich; Kamera an, Mikro aus. Fragen vorab an das Büro.",
    location: "Online",
    url: "https://mentoring.example/kickoff/42/live?lang=de,en",
    organizer: .init(name: "Reverse Mentoring Büro", email: "noreply@mentoring.example"),
    stamp: Date(timeIntervalSince1970: 1_795_165_200),
    alarm: .init()
)

/// The physical lines of a document (without their CRLF) as bytes.
func physicalLines(_ document: String) -> [[UInt8]] {
    var lines: [[UInt8]] = [[]]
    var bytes = Array(document.utf8)[...]
    while let byte = bytes.popFirst() {
        if byte == 13, bytes.first == 10 {
            bytes.removeFirst()
            lines.append([])
        } else {
            lines[lines.count - 1].append(byte)
        }
    }
    return lines
}

/// RFC 5545 unfolding: every CRLF followed by one space removed, on octets (a fold may separate a character
/// from its combining mark, which `String` would treat as one character with the space).
func unfold(_ document: String) -> String {
    var result: [UInt8] = []
    let bytes = Array(document.utf8)
    var index = 0
    while index < bytes.count {
        if bytes[index] == 13, index + 2 < bytes.count, bytes[index + 1] == 10, bytes[index + 2] == 32 {
            index += 3
        } else {
            result.append(bytes[index])
            index += 1
        }
    }
    return String(decoding: result, as: UTF8.self)
}

@Suite("iCalendar writer")
struct ICalendarWriterTests {
    @Test func writesOneEventExactly() {
        let expected = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Reverse Mentoring//Kickoff//DE",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "BEGIN:VEVENT",
            "UID:kickoff-42@mentoring.example",
            "DTSTAMP:20261120T090000Z",
            "DTSTART:20261123T160000Z",
            "DTEND:20261123T173000Z",
            "SEQUENCE:0",
            "SUMMARY:Kick-off: Reverse Mentoring\\, Runde 3",
            "DESCRIPTION:Willkommen zum Kick-off!\\nBitte seid pünktlich\\; Kamera an\\, M",
            " ikro aus. Fragen vorab an das Büro.",
            "LOCATION:Online",
            "URL:https://mentoring.example/kickoff/42/live?lang=de,en",
            "ORGANIZER;CN=\"Reverse Mentoring Büro\":mailto:noreply@mentoring.example",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "DESCRIPTION:Kick-off: Reverse Mentoring\\, Runde 3",
            "TRIGGER:-PT15M",
            "END:VALARM",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        let document = ICalendarWriter.document([kickoff], productID: "-//Reverse Mentoring//Kickoff//DE")
        #expect(document == expected.map { $0 + "\r\n" }.joined())
    }

    @Test func leavesOutWhatIsNotGiven() {
        let bare = CalendarEvent(
            uid: "u1", start: kickoffStart, end: kickoffStart.addingTimeInterval(3600), summary: "Treffen",
            sequence: 2, stamp: kickoffStart)
        let document = ICalendarWriter.document([bare, bare], productID: "p", method: nil)
        let lines = document.components(separatedBy: "\r\n")
        #expect(!document.contains("METHOD"))
        for name in ["DESCRIPTION", "LOCATION", "URL", "ORGANIZER", "VALARM"] {
            #expect(!lines.contains { $0.hasPrefix(name) || $0.hasSuffix(name) }, "\(name)")
        }
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 2)
        #expect(lines.filter { $0 == "SEQUENCE:2" }.count == 2)
        #expect(document.hasSuffix("END:VEVENT\r\nEND:VCALENDAR\r\n"))
    }

    @Test func everyLineEndsWithCRLF() {
        var event = kickoff
        event.description = "eins\ndrei\r\nvier\rfünf"
        let document = ICalendarWriter.document([event], productID: "p")
        #expect(document.hasSuffix("\r\n"))
        #expect(!document.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!document.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        #expect(document.contains("DESCRIPTION:eins\\ndrei\\nvier\\nfünf\r\n"))
    }

    @Test(arguments: [
        ("plain text", "plain text"),
        ("a,b;c", "a\\,b\\;c"),
        ("back\\slash", "back\\\\slash"),
        ("\\n is not a line break", "\\\\n is not a line break"),
        ("one\ntwo\r\nthree\rfour", "one\\ntwo\\nthree\\nfour"),
        ("\n\n", "\\n\\n"),
        ("colon: \"quoted\" stays", "colon: \"quoted\" stays"),
        ("tab\tbell\u{07}del\u{7F}", "tab\tbelldel"),
        ("Grüße, 😀; €", "Grüße\\, 😀\\; €"),
    ])
    func escapesText(text: String, expected: String) {
        #expect(ICalendarWriter.escapedText(text) == expected)
    }

    @Test func writesParameterValuesAndTokensSafely() {
        #expect(ICalendarWriter.quotedParameter("Doe, Jane; \"JD\"\r\nX") == "\"Doe, Jane; 'JD'  X\"")
        #expect(ICalendarWriter.token("publish\r\nX-EVIL:1") == "PUBLISHX-EVIL1")
        var event = kickoff
        event.url = "https://x.example/a\r\nX-EVIL:1"
        event.organizer = .init(name: "A\r\nB", email: "a@b.example\r\nX-EVIL:1")
        let document = ICalendarWriter.document([event], productID: "p\r\nX-EVIL:1", method: "publish\r\nX-EVIL:1")
        #expect(!document.contains("\r\nX-EVIL"))
        #expect(document.contains("\r\nPRODID:p\\nX-EVIL:1\r\n"))
        #expect(document.contains("\r\nORGANIZER;CN=\"A  B\":mailto:a@b.exampleX-EVIL:1\r\n"))
    }

    @Test(arguments: [
        (0.0, "19700101T000000Z"),
        (1_795_449_600.999, "20261123T160000Z"),
        (951_782_400, "20000229T000000Z"),
        (-1, "19691231T235959Z"),
    ])
    func writesUTCDateTimes(seconds: Double, expected: String) {
        #expect(ICalendarWriter.utcDateTime(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test(arguments: [(0, "-PT0M"), (15, "-PT15M"), (90, "-PT90M"), (-5, "PT5M")])
    func writesAlarmTriggers(minutes: Int, trigger: String) {
        var event = kickoff
        event.alarm = .init(minutesBefore: minutes, description: "Gleich geht's los")
        let document = ICalendarWriter.document([event], productID: "p")
        #expect(document.contains("\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Gleich geht's los\r\n"))
        #expect(document.contains("\r\nTRIGGER:\(trigger)\r\nEND:VALARM\r\n"))
    }
}

@Suite("iCalendar line folding")
struct ICalendarFoldingTests {
    @Test func keepsLinesOfUpTo75Octets() {
        let line = "SUMMARY:" + String(repeating: "a", count: 67)
        #expect(ICalendarWriter.fold(line) == line)
        #expect(ICalendarWriter.fold(line + "b") == line + "\r\n b")
    }

    @Test(arguments: [
        // (ASCII before the character, the character, octets on the first line)
        (74, "ü", 74),  // 74 + 2 > 75: "ü" moves to the next line
        (73, "ü", 75),  // fits exactly
        (73, "€", 73),  // 3 octets
        (72, "€", 75),
        (72, "😀", 72),  // 4 octets
        (71, "😀", 75),
    ])
    func neverSplitsAUTF8Sequence(asciiPrefix: Int, character: String, firstLineOctets: Int) throws {
        let line = String(repeating: "x", count: asciiPrefix) + character + "ende"
        let lines = physicalLines(ICalendarWriter.fold(line))
        try #require(lines.count == 2)
        #expect(lines[0].count == firstLineOctets)
        #expect(String(validating: lines[0], as: UTF8.self) != nil)
        #expect(String(validating: lines[1], as: UTF8.self) != nil)
        #expect(lines[1].first == UInt8(ascii: " "))
        #expect(unfold(ICalendarWriter.fold(line)) == line)
    }

    @Test func foldsLongMixedTextIntoValidLinesThatUnfoldToTheOriginal() {
        // Deterministic pseudo-random mixes of 1- to 4-octet characters.
        let alphabet = ["a", " ", ",", "ä", "ß", "€", "中", "😀", "🇩🇪", "e\u{301}"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for length in [0, 1, 40, 74, 75, 76, 150, 400, 1000] {
            var text = ""
            for _ in 0..<length {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += alphabet[Int(state >> 33) % alphabet.count]
            }
            let line = "DESCRIPTION:" + text
            let folded = ICalendarWriter.fold(line)
            let lines = physicalLines(folded)
            for (index, physical) in lines.enumerated() {
                #expect(physical.count <= 75, "line \(index) of \(length): \(physical.count) octets")
                #expect(String(validating: physical, as: UTF8.self) != nil, "line \(index) of \(length)")
                if index > 0 {
                    #expect(physical.first == UInt8(ascii: " "), "continuation line \(index) of \(length)")
                }
            }
            #expect(unfold(folded) == line)
            // Every line but the last is filled as far as the next character allows.
            for (physical, next) in zip(lines, lines.dropFirst()) {
                let nextScalar = String(decoding: next.dropFirst(), as: UTF8.self).unicodeScalars.first
                let nextCharacterOctets = nextScalar.map { String($0).utf8.count } ?? 0
                #expect(physical.count + nextCharacterOctets > 75)
            }
        }
    }

    @Test func foldsWholeDocuments() {
        var event = kickoff
        event.summary = String(repeating: "Größe 😀, ", count: 30)
        event.description = String(repeating: "Lange Beschreibung; mit Umlauten äöü.\n", count: 20)
        let document = ICalendarWriter.document([event], productID: "p")
        for line in physicalLines(document) {
            #expect(line.count <= 75)
            #expect(String(validating: line, as: UTF8.self) != nil)
        }
        let unfolded = unfold(document)
        #expect(unfolded.contains("\r\nSUMMARY:" + String(repeating: "Größe 😀\\, ", count: 30) + "\r\n"))
    }
}
