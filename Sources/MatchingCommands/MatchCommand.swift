import ArgumentParser
import Foundation
import Matching

/// `mentoring match`: final tandems from a candidate list (see `Documentation/Matching.md`).
public struct MatchCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Choose final tandems: most pairs, then highest total weight (exact).")

    @Option(help: "CSV with header mentee,mentor,weight (weight 0...1000000, higher is better).")
    public var candidates: String

    @Option(help: "CSV with header mentor,capacity (default capacity 1; 0 = unavailable).")
    public var capacities: String?

    @Option(help: "Where to write the chosen pairs: CSV with header mentee,mentor,weight (an id that would start a spreadsheet formula, =+-@, gets a leading ').")
    public var output: String

    public init() {}

    /// What a run did, for the one-line summary and for tests.
    public struct Summary: Sendable, Equatable, CustomStringConvertible {
        public var mentees: Int
        public var pairs: Int
        public var totalWeight: Int
        public var noAllowedPair: Int
        public var allMentorsFull: Int
        public var seconds: Double

        public var description: String {
            "match: \(pairs) pairs for \(mentees) mentees, total weight \(totalWeight), unpaired: "
                + "\(noAllowedPair) without an allowed pair, \(allMentorsFull) with all allowed mentors full; "
                + String(format: "%.3f s", seconds)
        }
    }

    public func run() throws {
        let summary = try execute()
        FileHandle.standardError.write(Data((summary.description + "\n").utf8))
    }

    /// Reads, solves, writes; throws ``InputError`` (no output file written) on bad input.
    public func execute() throws -> Summary {
        let start = ContinuousClock.now
        var menteeIndex: [String: Int] = [:]
        var mentorIndex: [String: Int] = [:]
        var menteeIds: [String] = [], mentorIds: [String] = []
        var list: [PairCandidate] = []
        let records = try CSVFile.read(candidates, header: ["mentee", "mentor", "weight"])
        list.reserveCapacity(records.count)
        menteeIndex.reserveCapacity(records.count / 4)
        mentorIndex.reserveCapacity(records.count / 4)
        for record in records {
            let mentee = try CSVFile.id(record.fields[0], file: candidates, line: record.line, field: "mentee")
            let mentor = try CSVFile.id(record.fields[1], file: candidates, line: record.line, field: "mentor")
            let weight = try CSVFile.integer(
                record.fields[2], file: candidates, line: record.line, field: "weight",
                maximum: PairingOptimizer.maximumWeight)
            let i = menteeIndex[mentee] ?? { menteeIds.append(mentee); menteeIndex[mentee] = menteeIds.count - 1; return menteeIds.count - 1 }()
            let j = mentorIndex[mentor] ?? { mentorIds.append(mentor); mentorIndex[mentor] = mentorIds.count - 1; return mentorIds.count - 1 }()
            list.append(PairCandidate(mentee: i, mentor: j, weight: weight))
        }
        // Duplicate pairs: sort the pair keys (stable by row) and compare neighbours; report the
        // earliest second occurrence.
        let m0 = mentorIds.count
        let order = list.indices.sorted { (list[$0].mentee * m0 + list[$0].mentor, $0) < (list[$1].mentee * m0 + list[$1].mentor, $1) }
        var duplicate: (first: Int, second: Int)?
        for k in order.indices.dropFirst() {
            let a = list[order[k - 1]], b = list[order[k]]
            if a.mentee == b.mentee && a.mentor == b.mentor && order[k] < (duplicate?.second ?? .max) {
                duplicate = (order[k - 1], order[k])
            }
        }
        if let duplicate {
            let record = records[duplicate.second]
            throw InputError(
                file: candidates, line: record.line, field: "mentor",
                message: "duplicate pair (\(record.fields[0]), \(record.fields[1])), first on line \(records[duplicate.first].line)")
        }
        var capacity = [Int](repeating: 1, count: mentorIds.count)
        if let capacities {
            var given: [Int: Int] = [:]
            for record in try CSVFile.read(capacities, header: ["mentor", "capacity"]) {
                let mentor = try CSVFile.id(record.fields[0], file: capacities, line: record.line, field: "mentor")
                guard let j = mentorIndex[mentor] else {
                    throw InputError(
                        file: capacities, line: record.line, field: "mentor",
                        message: "unknown id \"\(mentor)\" (not in \(candidates))")
                }
                let value = try CSVFile.integer(
                    record.fields[1], file: capacities, line: record.line, field: "capacity", maximum: 1_000_000)
                if let first = given.updateValue(record.line, forKey: j) {
                    throw InputError(
                        file: capacities, line: record.line, field: "mentor",
                        message: "duplicate mentor \"\(mentor)\", first on line \(first)")
                }
                capacity[j] = value
            }
        }

        let n = menteeIds.count, m = mentorIds.count
        let pairing: Pairing
        if list.count == n * m && n * m > 0 && capacity.allSatisfy({ $0 == 1 }) {
            // Complete weight matrix: the dense shortest-augmenting-path solver.
            var weights = [Int](repeating: 0, count: n * m)
            for c in list { weights[c.mentee * m + c.mentor] = c.weight }
            pairing = PairingOptimizer.optimizeDense(weights: weights, menteeCount: n, mentorCount: m)
        } else {
            pairing = try PairingOptimizer.optimize(menteeCount: n, mentorCount: m, candidates: list, capacities: capacity)
        }

        var rows: [[String]] = [["mentee", "mentor", "weight"]]
        rows.reserveCapacity(pairing.pairs.count + 1)
        for p in pairing.pairs { rows.append([menteeIds[p.mentee], mentorIds[p.mentor], String(p.weight)]) }
        try CSVFile.write(output, rows: rows)
        return Summary(
            mentees: n, pairs: pairing.pairs.count, totalWeight: pairing.totalWeight,
            noAllowedPair: pairing.unpaired.values.filter { $0 == .noAllowedPair }.count,
            allMentorsFull: pairing.unpaired.values.filter { $0 == .allAllowedMentorsFull }.count,
            seconds: secondsSinceStart(start))
    }
}
