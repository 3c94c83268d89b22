import Foundation
import Testing

@testable import MatchingCommands

/// A header and no rows is valid input (a programme without exclusions, a list nobody is on yet): the
/// commands write an empty plan, or one without fit or exclusions, and never trap.
@Suite("Header-only input files")
struct EmptyInputTests {
    /// The three ways a header-only file ends: no line break, LF, CRLF.
    static let endings = ["", "\n", "\r\n"]

    @Test("CSVFile.read: a header and no rows gives no records", arguments: endings)
    func readHeaderOnly(ending: String) throws {
        let scratch = try Scratch()
        for header in [["id"], ["mentee", "mentor"], ["mentee", "mentor", "weight"]] {
            let path = try scratch.write("file.csv", header.joined(separator: ",") + ending)
            #expect(try CSVFile.read(path, header: header).isEmpty)
        }
        // With a UTF-8 byte order mark, as spreadsheets write it.
        let path = try scratch.write("bom.csv", "\u{FEFF}mentee,mentor" + ending)
        #expect(try CSVFile.read(path, header: ["mentee", "mentor"]).isEmpty)
    }

    @Test("match: an empty candidate list is an empty plan", arguments: endings)
    func matchNoCandidates(ending: String) throws {
        let scratch = try Scratch()
        try scratch.write("candidates.csv", "mentee,mentor,weight" + ending)
        let summary = try MatchCommand.parse(
            ["--candidates", scratch.path("candidates.csv"), "--output", scratch.path("pairs.csv")]
        ).execute()
        #expect(summary.mentees == 0 && summary.pairs == 0 && summary.totalWeight == 0)
        #expect(summary.noAllowedPair == 0 && summary.allMentorsFull == 0)
        #expect(try scratch.read("pairs.csv") == "mentee,mentor,weight\n")
    }

    @Test("match: an empty capacity list keeps capacity 1; both empty is an empty plan", arguments: endings)
    func matchNoCapacities(ending: String) throws {
        let scratch = try Scratch()
        try scratch.write("capacities.csv", "mentor,capacity" + ending)
        try scratch.write("candidates.csv", "mentee,mentor,weight\na,x,3\nb,x,5\n")
        let arguments = [
            "--candidates", scratch.path("candidates.csv"), "--capacities", scratch.path("capacities.csv"),
            "--output", scratch.path("pairs.csv"),
        ]
        let summary = try MatchCommand.parse(arguments).execute()
        #expect(summary.pairs == 1 && summary.totalWeight == 5 && summary.allMentorsFull == 1)
        #expect(try scratch.read("pairs.csv") == "mentee,mentor,weight\nb,x,5\n")

        try scratch.write("candidates.csv", "mentee,mentor,weight" + ending)
        let empty = try MatchCommand.parse(arguments).execute()
        #expect(empty.pairs == 0 && empty.mentees == 0)
        #expect(try scratch.read("pairs.csv") == "mentee,mentor,weight\n")
    }

    /// mentees, mentors, fit (nil = no option), exclude (nil = no option), expected meetings.
    static let scheduleCases: [(String, String, String?, String?, Int)] = [
        ("id", "id", nil, nil, 0),  // nobody at all
        ("id", "id\nx\ny", nil, nil, 0),  // no mentees
        ("id\nA\nB", "id", nil, nil, 0),  // no mentors
        ("id", "id", "mentee,mentor,fit", "mentee,mentor", 0),
        ("id\nA\nB", "id\nx\ny", "mentee,mentor,fit", nil, 4),  // empty fit
        ("id\nA\nB", "id\nx\ny", nil, "mentee,mentor", 4),  // empty exclusions: the most common case
        ("id\nA\nB", "id\nx\ny", "mentee,mentor,fit", "mentee,mentor", 4),
        ("id\nA\nB", "id", "mentee,mentor,fit", "mentee,mentor", 0),
        ("id", "id\nx", "mentee,mentor,fit", "mentee,mentor", 0),
    ]

    @Test("schedule: every header-only combination plans without trapping", arguments: endings)
    func scheduleHeaderOnly(ending: String) throws {
        for (mentees, mentors, fit, exclude, meetings) in Self.scheduleCases {
            let scratch = try Scratch()
            // Every file ends the same way (no break, LF or CRLF), line breaks inside too.
            func file(_ text: String) -> String {
                text.replacingOccurrences(of: "\n", with: ending == "" ? "\n" : ending) + ending
            }
            try scratch.write("mentees.csv", file(mentees))
            try scratch.write("mentors.csv", file(mentors))
            var arguments = [
                "--mentees", scratch.path("mentees.csv"), "--mentors", scratch.path("mentors.csv"), "--rounds", "2",
                "--output", scratch.path("schedule.csv"),
            ]
            if let fit { arguments += ["--fit", try scratch.write("fit.csv", file(fit))] }
            if let exclude { arguments += ["--exclude", try scratch.write("exclude.csv", file(exclude))] }
            let summary = try ScheduleCommand.parse(arguments).execute()
            #expect(summary.meetings == meetings, "\(mentees) / \(mentors) / \(fit ?? "-") / \(exclude ?? "-")")
            #expect(summary.totalFit == 0)
            let written = try scratch.read("schedule.csv")
            #expect(written.hasPrefix("round,mentee,mentor\n"))
            #expect(written.split(separator: "\n").count == 1 + meetings)
        }
    }
}
