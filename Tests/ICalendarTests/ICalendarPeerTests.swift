import Foundation
import Testing

@testable import ICalendar

/// Documents read back by a real peer: the PyPI package `icalendar` (pinned in Tests/support/requirements.txt).
@Suite(
    "iCalendar read by Python's icalendar package",
    .enabled(
        if: PythonICalendar.python != nil,
        "no Python with the icalendar package: set ICALENDAR_PYTHON or run .venv/bin/pip install -r Tests/support/requirements.txt"
    ))
struct ICalendarPeerTests {
    @Test func eventsRoundTrip() throws {
        let tricky = CalendarEvent(
            uid: "kickoff-43,b;c\\d@mentoring.example",
            start: Date(timeIntervalSince1970: 1_795_449_600),
            end: Date(timeIntervalSince1970: 1_795_455_000),
            summary: "Kick-off 😀: Jürgen, Größe; „Reverse Mentoring“ \\ Runde 3",
            description: """
                Willkommen zum Kick-off, liebe Tandems!
                Agenda: Begrüßung; Kennenlernen, Q&A.\r
                Windows-Zeilenende oben, ein Backslash \\n hier, Tab\there.

                \(String(repeating: "Ein langer Absatz mit Umlauten äöüÄÖÜß, Euro € und 中文; ", count: 12))
                """,
            location: "Raum „Zukunft“, 3. OG; Berlin",
            url: "https://mentoring.example/kickoff/43/live?lang=de,en&x=1;y=2",
            organizer: .init(name: "Reverse Mentoring Büro, Team „HR“", email: "noreply@mentoring.example"),
            sequence: 3,
            stamp: Date(timeIntervalSince1970: 1_795_165_200),
            alarm: .init(minutesBefore: 15)
        )
        let document = ICalendarWriter.document([kickoff, tricky], productID: "-//Reverse Mentoring//Kickoff//DE")
        let parsed = try PythonICalendar.parse(document)

        #expect(parsed.errors.isEmpty, "\(parsed.errors)")
        #expect(parsed.version == "2.0")
        #expect(parsed.productID == "-//Reverse Mentoring//Kickoff//DE")
        #expect(parsed.method == "PUBLISH")
        try #require(parsed.events.count == 2)
        for (received, sent) in zip(parsed.events, [kickoff, tricky]) {
            #expect(received.uid == sent.uid)
            #expect(received.summary == sent.summary)
            #expect(received.description == sent.description?.replacingOccurrences(of: "\r\n", with: "\n"))
            #expect(received.location == sent.location)
            #expect(received.url == sent.url)
            #expect(received.start == sent.start.timeIntervalSince1970)
            #expect(received.end == sent.end.timeIntervalSince1970)
            #expect(received.stamp == sent.stamp.timeIntervalSince1970)
            #expect(received.utcOffsets == [0, 0, 0])
            #expect(received.sequence == sent.sequence)
            #expect(received.organizer == "mailto:\(sent.organizer!.email)")
            #expect(received.organizerName == sent.organizer!.name)
            #expect(received.alarms.count == 1)
            #expect(received.alarms.first?.action == "DISPLAY")
            #expect(received.alarms.first?.trigger == -900)
            #expect(received.alarms.first?.description == sent.summary)
        }
    }
}

/// Runs a Python that has `icalendar` on a script that parses a document and prints what it found as JSON.
enum PythonICalendar {
    struct Alarm: Decodable {
        var action: String
        /// Seconds relative to the start.
        var trigger: Double
        var description: String
    }

    struct Event: Decodable {
        var uid: String
        var summary: String
        var description: String?
        var location: String?
        var url: String?
        /// Seconds since 1970 of DTSTART, DTEND, DTSTAMP.
        var start: Double
        var end: Double
        var stamp: Double
        /// UTC offsets of DTSTART, DTEND, DTSTAMP in seconds (0 for UTC times).
        var utcOffsets: [Double]
        var sequence: Int
        var organizer: String?
        var organizerName: String?
        var alarms: [Alarm]
    }

    struct Result: Decodable {
        var version: String
        var productID: String
        var method: String?
        /// What the parser collected as broken content lines, for the calendar and each component.
        var errors: [String]
        var events: [Event]
    }

    /// `ICALENDAR_PYTHON` if set (then a missing package fails the tests rather than skipping them); otherwise
    /// the package's `.venv/bin/python` if it can import icalendar.
    static let python: URL? = {
        if let path = ProcessInfo.processInfo.environment["ICALENDAR_PYTHON"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        // This file is Tests/ICalendarTests/<name>.swift (symbolic links resolved: a dev package may link it).
        let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let venv = root.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: venv.path),
            (try? run(venv, ["-c", "import icalendar"]).status) == 0
        else { return nil }
        return venv
    }()

    static let script = """
        import json, sys, icalendar
        calendar = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
        errors = ["%s: %s" % (c.name, e) for c in calendar.walk() for e in c.errors]
        def text(component, name):
            return None if name not in component else str(component[name])
        def instant(component, name):
            return component.decoded(name).timestamp()
        events = []
        for event in calendar.walk("VEVENT"):
            organizer = event.get("ORGANIZER")
            events.append({
                "uid": text(event, "UID"), "summary": text(event, "SUMMARY"),
                "description": text(event, "DESCRIPTION"), "location": text(event, "LOCATION"),
                "url": text(event, "URL"),
                "start": instant(event, "DTSTART"), "end": instant(event, "DTEND"), "stamp": instant(event, "DTSTAMP"),
                "utcOffsets": [event.decoded(n).utcoffset().total_seconds() for n in ("DTSTART", "DTEND", "DTSTAMP")],
                "sequence": int(event.decoded("SEQUENCE")),
                "organizer": None if organizer is None else str(organizer),
                "organizerName": None if organizer is None else organizer.params.get("CN"),
                "alarms": [{"action": text(a, "ACTION"), "trigger": a.decoded("TRIGGER").total_seconds(),
                            "description": text(a, "DESCRIPTION")} for a in event.walk("VALARM")],
            })
        print(json.dumps({"version": text(calendar, "VERSION"), "productID": text(calendar, "PRODID"),
                          "method": text(calendar, "METHOD"), "errors": errors, "events": events}))
        """

    static func parse(_ document: String) throws -> Result {
        let python = try #require(python)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ical-\(UUID().uuidString).ics")
        try Data(document.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output, errors) = try run(python, ["-c", script, file.path])
        try #require(status == 0, "\(python.path) failed: \(errors)")
        return try JSONDecoder().decode(Result.self, from: output)
    }

    /// Runs `executable` and returns its exit status, standard output and standard error (via files, so neither
    /// pipe can fill up and block it).
    static func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: Data, errors: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ical-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out")
        let errors = directory.appendingPathComponent("err")
        try Data().write(to: output)
        try Data().write(to: errors)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        process.waitUntilExit()
        return (
            process.terminationStatus, try Data(contentsOf: output),
            String(decoding: try Data(contentsOf: errors), as: UTF8.self)
        )
    }
}
