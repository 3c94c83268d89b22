import Foundation
import Testing

@testable import MatchingCommands

/// A fresh temporary directory per test, with helpers to write inputs.
struct Scratch {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("matching-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    func read(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }
    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }
}

@Suite("mentoring match")
struct MatchCommandTests {
    func run(_ scratch: Scratch, _ extra: [String] = []) throws -> MatchCommand.Summary {
        let command = try MatchCommand.parse(
            ["--candidates", scratch.path("candidates.csv"), "--output", scratch.path("pairs.csv")] + extra)
        return try command.execute()
    }

    @Test("optimal pairs with quoted ids (commas, quotes, line breaks) and capacities")
    func happyPath() throws {
        let scratch = try Scratch()
        try scratch.write(
            "candidates.csv",
            "mentee,mentor,weight\r\n\"Doe, Jane\",m1,100\r\n\"Doe, Jane\",\"The \"\"Boss\"\"\",1\r\n"
                + "\"multi\nline\",m1,2\r\nsolo,m2,5\r\n")
        try scratch.write("capacities.csv", "mentor,capacity\nm2,0\n")
        let summary = try run(scratch, ["--capacities", scratch.path("capacities.csv")])
        #expect(summary.pairs == 2)
        #expect(summary.totalWeight == 3)
        #expect(summary.noAllowedPair == 1)
        #expect(
            try scratch.read("pairs.csv")
                == "mentee,mentor,weight\n\"Doe, Jane\",\"The \"\"Boss\"\"\",1\n\"multi\nline\",m1,2\n")
    }

    @Test("complete candidate lists take the dense solver and agree with the sparse one")
    func denseAgrees() throws {
        let scratch = try Scratch()
        var text = "mentee,mentor,weight\n"
        for i in 0..<6 { for j in 0..<5 { text += "e\(i),r\(j),\((i * 7 + j * 13) % 10)\n" } }
        try scratch.write("candidates.csv", text)
        let dense = try run(scratch)
        try scratch.write("capacities.csv", "mentor,capacity\nr0,1\n")
        try scratch.write("candidates.csv", text + "e9,r0,0\n")  // no longer complete
        let sparse = try run(scratch, ["--capacities", scratch.path("capacities.csv")])
        #expect(dense.pairs == 5)
        #expect(sparse.pairs == 5)
        #expect(dense.totalWeight == sparse.totalWeight)
    }

    @Test("ids that would start a spreadsheet formula are written neutralised (leading single quote)")
    func formulaIds() throws {
        let scratch = try Scratch()
        try scratch.write(
            "candidates.csv",
            "mentee,mentor,weight\n\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",@m1,5\n-e2,+m2,4\nplain,m3,1\n"
        )
        let summary = try run(scratch)
        #expect(summary.pairs == 3)
        #expect(
            try scratch.read("pairs.csv")
                == "mentee,mentor,weight\n\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",'@m1,5\n'-e2,'+m2,4\nplain,m3,1\n"
        )
    }

    static let badInputs: [(String, String?, String)] = [
        ("", nil, "candidates.csv:1: missing header row mentee,mentor,weight"),
        (
            "mentee,mentor\na,b\n", nil,
            "candidates.csv:1: header is \"mentee,mentor\", expected \"mentee,mentor,weight\""
        ),
        (
            "mentee,mentor,weight\na,b,1\na,c,-3\n", nil,
            "candidates.csv:3: field \"weight\": \"-3\" is not a non-negative integer (0...1000000)"
        ),
        (
            "mentee,mentor,weight\na,b,1.5\n", nil,
            "candidates.csv:2: field \"weight\": \"1.5\" is not a non-negative integer (0...1000000)"
        ),
        (
            "mentee,mentor,weight\na,b,1000001\n", nil,
            "candidates.csv:2: field \"weight\": \"1000001\" is not a non-negative integer (0...1000000)"
        ),
        ("mentee,mentor,weight\n\"x\ny\",b,1\n,b,2\n", nil, "candidates.csv:4: field \"mentee\": empty id"),
        (
            "mentee,mentor,weight\na,b,1\na,b,2\n", nil,
            "candidates.csv:3: field \"mentor\": duplicate pair (a, b), first on line 2"
        ),
        ("mentee,mentor,weight\na,b,1\n\"a,b,2\n", nil, "candidates.csv:3: quoted field is never closed"),
        ("mentee,mentor,weight\n\"a\"x,b,2\n", nil, "candidates.csv:2: unexpected text after a closing quote"),
        ("mentee,mentor,weight\na\"x,b,2\n", nil, "candidates.csv:2: quote inside an unquoted field"),
        ("mentee,mentor,weight\na,b\n", nil, "candidates.csv:2: expected 3 fields, found 2"),
        (
            "mentee,mentor,weight\na,b,1\n", "mentor,capacity\nzz,1\n",
            "capacities.csv:2: field \"mentor\": unknown id \"zz\" (not in candidates.csv)"
        ),
        (
            "mentee,mentor,weight\na,b,1\n", "mentor,capacity\nb,-1\n",
            "capacities.csv:2: field \"capacity\": \"-1\" is not a non-negative integer (0...1000000)"
        ),
        (
            "mentee,mentor,weight\na,b,1\n", "mentor,capacity\nb,1\nb,2\n",
            "capacities.csv:3: field \"mentor\": duplicate mentor \"b\", first on line 2"
        ),
        (
            "mentee,mentor,weight\na,b,1\n", "mentor,cap\nb,1\n",
            "capacities.csv:1: header is \"mentor,cap\", expected \"mentor,capacity\""
        ),
    ]

    @Test("bad input: one message naming file, line and field; no output file", arguments: badInputs)
    func badInput(candidates: String, capacities: String?, message: String) throws {
        let scratch = try Scratch()
        try scratch.write("candidates.csv", candidates)
        var extra: [String] = []
        if let capacities { extra = ["--capacities", try scratch.write("capacities.csv", capacities)] }
        do {
            _ = try run(scratch, extra)
            Issue.record("expected an error")
        } catch let error as InputError {
            let shown = error.description.replacingOccurrences(of: scratch.directory.path + "/", with: "")
            #expect(shown == message)
        }
        #expect(!scratch.exists("pairs.csv"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.directory.path)
        #expect(leftovers.allSatisfy { !$0.hasSuffix(".tmp") })
    }
}

@Suite("mentoring schedule")
struct ScheduleCommandTests {
    func run(_ scratch: Scratch, rounds: String = "3", _ extra: [String] = []) throws -> ScheduleCommand.Summary {
        let command = try ScheduleCommand.parse(
            [
                "--mentees", scratch.path("mentees.csv"), "--mentors", scratch.path("mentors.csv"), "--rounds", rounds,
                "--output", scratch.path("schedule.csv"),
            ] + extra)
        return try command.execute()
    }

    @Test("a valid schedule with fit and exclusions")
    func happyPath() throws {
        let scratch = try Scratch()
        try scratch.write("mentees.csv", "id\nA\n\"B, the second\"\nC\n")
        try scratch.write("mentors.csv", "id\nx\ny\n")
        try scratch.write("fit.csv", "mentee,mentor,fit\nA,x,5\n")
        try scratch.write("exclude.csv", "mentee,mentor\nC,y\n")
        let summary = try run(
            scratch, ["--fit", scratch.path("fit.csv"), "--exclude", scratch.path("exclude.csv")])
        // 2 mentors × 3 rounds = 6 slots, C can only meet x: everyone gets at least 1.
        #expect(summary.minimumPerMentee == 1)
        #expect(summary.meetings == 5)
        #expect(summary.totalFit == 5)
        let lines = try scratch.read("schedule.csv").split(separator: "\n")
        #expect(lines.first == "round,mentee,mentor")
        #expect(lines.count == 6)
        #expect(!lines.contains("C,y"))
        #expect(lines.contains { $0.hasSuffix(",A,x") })
    }

    static let badInputs: [(String, String, String?, String?, String, String)] = [
        ("id\nA\n", "id\nx\n", nil, nil, "0", "--rounds: field \"rounds\": 0 is not at least 1"),
        ("name\nA\n", "id\nx\n", nil, nil, "3", "mentees.csv:1: header is \"name\", expected \"id\""),
        ("id\nA\nA\n", "id\nx\n", nil, nil, "3", "mentees.csv:3: field \"id\": duplicate id \"A\", first on line 2"),
        ("id\nA\n", "id\n\"\"\n", nil, nil, "3", "mentors.csv:2: field \"id\": empty id"),
        (
            "id\nA\n", "id\nx\n", "mentee,mentor,fit\nA,x,-1\n", nil, "3",
            "fit.csv:2: field \"fit\": \"-1\" is not a non-negative integer (0...1000000)"
        ),
        (
            "id\nA\n", "id\nx\n", "mentee,mentor,fit\nA,x,1\nA,x,2\n", nil, "3",
            "fit.csv:3: field \"mentor\": duplicate pair (A, x), first on line 2"
        ),
        (
            "id\nA\n", "id\nx\n", nil, "mentee,mentor\nA,nobody\n", "3",
            "exclude.csv:2: field \"mentor\": unknown id \"nobody\" (not in mentors.csv)"
        ),
        (
            "id\nA\n", "id\nx\n", nil, "mentee,mentor\nB,x\n", "3",
            "exclude.csv:2: field \"mentee\": unknown id \"B\" (not in mentees.csv)"
        ),
        ("id\nA\n", "id\nx\n", nil, "mentee,mentor\n\"A,x\n", "3", "exclude.csv:2: quoted field is never closed"),
    ]

    @Test("bad input: one message naming file, line and field; no output file", arguments: badInputs)
    func badInput(
        mentees: String, mentors: String, fit: String?, exclude: String?, rounds: String, message: String
    ) throws {
        let scratch = try Scratch()
        try scratch.write("mentees.csv", mentees)
        try scratch.write("mentors.csv", mentors)
        var extra: [String] = []
        if let fit { extra += ["--fit", try scratch.write("fit.csv", fit)] }
        if let exclude { extra += ["--exclude", try scratch.write("exclude.csv", exclude)] }
        do {
            _ = try run(scratch, rounds: rounds, extra)
            Issue.record("expected an error")
        } catch let error as InputError {
            let shown = error.description.replacingOccurrences(of: scratch.directory.path + "/", with: "")
            #expect(shown == message)
        }
        #expect(!scratch.exists("schedule.csv"))
    }
}
