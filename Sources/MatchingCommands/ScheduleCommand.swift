import ArgumentParser
import Foundation
import Matching

/// `mentoring schedule`: speed-networking rounds (see `Documentation/Matching.md`).
public struct ScheduleCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Plan kickoff rounds: fairest minimum per mentee, then most meetings, then best fit (exact).")

    @Option(help: "CSV with header id: the mentees.")
    public var mentees: String

    @Option(help: "CSV with header id: the mentors.")
    public var mentors: String

    @Option(help: "Number of rounds (at least 1).")
    public var rounds: Int = 8

    @Option(help: "CSV with header mentee,mentor,fit (fit 0...1000000; pairs not listed have fit 0).")
    public var fit: String?

    @Option(help: "CSV with header mentee,mentor: pairs that must never meet.")
    public var exclude: String?

    @Option(
        help: """
            Where to write the plan: CSV with header round,mentee,mentor (an id that would start a spreadsheet \
            formula, =+-@, gets a leading ').
            """)
    public var output: String

    public init() {}

    /// What a run did, for the one-line summary and for tests.
    public struct Summary: Sendable, Equatable, CustomStringConvertible {
        public var meetings: Int
        public var rounds: Int
        public var minimumPerMentee: Int
        public var totalFit: Int
        public var seconds: Double

        public var description: String {
            "schedule: \(meetings) meetings in \(rounds) rounds, minimum per mentee \(minimumPerMentee), "
                + "total fit \(totalFit); " + String(format: "%.3f s", seconds)
        }
    }

    public func run() throws {
        let summary = try execute()
        FileHandle.standardError.write(Data((summary.description + "\n").utf8))
    }

    private func ids(_ path: String) throws -> (ids: [String], index: [String: Int]) {
        var ids: [String] = []
        var index: [String: Int] = [:]
        var lineOf: [String: Int] = [:]
        for record in try CSVFile.read(path, header: ["id"]) {
            let id = try CSVFile.id(record.fields[0], file: path, line: record.line, field: "id")
            if let first = lineOf.updateValue(record.line, forKey: id) {
                throw InputError(
                    file: path, line: record.line, field: "id",
                    message: "duplicate id \"\(id)\", first on line \(first)")
            }
            index[id] = ids.count
            ids.append(id)
        }
        return (ids, index)
    }

    private func pair(
        _ record: CSVRecord, file: String, mentees: [String: Int], mentors: [String: Int], seen: inout [PairKey: Int]
    ) throws -> (Int, Int) {
        let mentee = try CSVFile.id(record.fields[0], file: file, line: record.line, field: "mentee")
        let mentor = try CSVFile.id(record.fields[1], file: file, line: record.line, field: "mentor")
        guard let i = mentees[mentee] else {
            throw InputError(
                file: file, line: record.line, field: "mentee",
                message: "unknown id \"\(mentee)\" (not in \(self.mentees))")
        }
        guard let j = mentors[mentor] else {
            throw InputError(
                file: file, line: record.line, field: "mentor",
                message: "unknown id \"\(mentor)\" (not in \(self.mentors))")
        }
        if let first = seen.updateValue(record.line, forKey: PairKey(i, j)) {
            throw InputError(
                file: file, line: record.line, field: "mentor",
                message: "duplicate pair (\(mentee), \(mentor)), first on line \(first)")
        }
        return (i, j)
    }

    /// Reads, plans, writes; throws ``InputError`` (no output file written) on bad input.
    public func execute() throws -> Summary {
        let start = ContinuousClock.now
        guard rounds >= 1 else {
            throw InputError(file: "--rounds", field: "rounds", message: "\(rounds) is not at least 1")
        }
        let (menteeIds, menteeIndex) = try ids(mentees)
        let (mentorIds, mentorIndex) = try ids(mentors)
        var fits: [PairFit] = []
        if let fit {
            var seen: [PairKey: Int] = [:]
            for record in try CSVFile.read(fit, header: ["mentee", "mentor", "fit"]) {
                let (i, j) = try pair(record, file: fit, mentees: menteeIndex, mentors: mentorIndex, seen: &seen)
                let value = try CSVFile.integer(
                    record.fields[2], file: fit, line: record.line, field: "fit",
                    maximum: MeetingPlanner.maximumAbsoluteFit)
                fits.append(PairFit(mentee: i, mentor: j, fit: value))
            }
        }
        var excluded: [(mentee: Int, mentor: Int)] = []
        if let exclude {
            var seen: [PairKey: Int] = [:]
            for record in try CSVFile.read(exclude, header: ["mentee", "mentor"]) {
                excluded.append(
                    try pair(record, file: exclude, mentees: menteeIndex, mentors: mentorIndex, seen: &seen))
            }
        }
        let plan = try MeetingPlanner.plan(
            menteeCount: menteeIds.count, mentorCount: mentorIds.count, rounds: rounds, fit: fits, excluded: excluded)
        var rows: [[String]] = [["round", "mentee", "mentor"]]
        rows.reserveCapacity(plan.meetings.count + 1)
        for meeting in plan.meetings {
            rows.append([String(meeting.round), menteeIds[meeting.mentee], mentorIds[meeting.mentor]])
        }
        try CSVFile.write(output, rows: rows)
        return Summary(
            meetings: plan.plannedMeetings, rounds: rounds, minimumPerMentee: plan.minimumMenteeMeetings,
            totalFit: plan.plannedFit, seconds: secondsSinceStart(start))
    }
}
