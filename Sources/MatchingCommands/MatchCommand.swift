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

    @Option(
        help: """
            Where to write the chosen pairs: CSV with header mentee,mentor,weight (an id that would start a \
            spreadsheet formula, =+-@, gets a leading ').
            """)
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
        let header = ["mentee", "mentor", "weight"]
        var table = try CandidateTable(path: candidates)
        let menteeIds = table.menteeIds, mentorIds = table.mentorIds
        if let duplicate = table.firstDuplicate() {
            let rows = try CSVFile.records([duplicate.first, duplicate.second], of: candidates, header: header)
            guard let first = rows[duplicate.first], let second = rows[duplicate.second] else {
                throw InputError(file: candidates, message: "the file changed while it was read")
            }
            throw InputError(
                file: candidates, line: second.line, field: "mentor",
                message: "duplicate pair (\(second.fields[0]), \(second.fields[1])), first on line \(first.line)")
        }
        var capacity = [Int](repeating: 1, count: mentorIds.count)
        if let capacities {
            var given: [Int: Int] = [:]
            for record in try CSVFile.read(capacities, header: ["mentor", "capacity"]) {
                let mentor = try CSVFile.id(record.fields[0], file: capacities, line: record.line, field: "mentor")
                guard let j = table.mentorIndex[mentor] else {
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
        if table.count == n * m && n * m > 0 && capacity.allSatisfy({ $0 == 1 }) {
            // Complete weight matrix (no duplicates, so every cell once): the dense shortest-augmenting-path solver.
            var weights = [Int](repeating: 0, count: n * m)
            weights.withUnsafeMutableBufferPointer { w in
                for r in 0..<table.count { w[Int(table.mentee[r]) * m + Int(table.mentor[r])] = Int(table.weight[r]) }
            }
            table.release()
            pairing = PairingOptimizer.optimizeDense(weights: weights, menteeCount: n, mentorCount: m)
        } else {
            var list: [PairCandidate] = []
            list.reserveCapacity(table.count)
            for r in 0..<table.count {
                list.append(
                    PairCandidate(
                        mentee: Int(table.mentee[r]), mentor: Int(table.mentor[r]), weight: Int(table.weight[r])))
            }
            table.release()
            pairing = try PairingOptimizer.optimize(
                menteeCount: n, mentorCount: m, candidates: list, capacities: capacity)
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

/// The candidate list in compact arrays (row `r`: `mentee[r]`, `mentor[r]`, `weight[r]`, indices into the id
/// lists), read in one pass with ``CSVScanner``. Ids become strings only the first time they are seen: a row
/// with the previous row's mentee, or with the mentor that followed the previous row's mentor last time (or
/// began the previous mentee's rows), is recognised by comparing bytes, so a complete matrix sorted in any
/// consistent order needs almost no dictionary look-ups. Ids are compared as Swift strings otherwise (the
/// dictionaries), so canonically equivalent spellings are the same id, as before.
struct CandidateTable {
    var menteeIds: [String] = [], mentorIds: [String] = []
    var menteeIndex: [String: Int32] = [:], mentorIndex: [String: Int] = [:]
    var mentee: [Int32] = [], mentor: [Int32] = [], weight: [Int32] = []
    /// Every mentee's rows are consecutive.
    var groupedByMentee = true

    var count: Int { mentee.count }

    init(path: String) throws {
        var scanner = try CSVScanner(path: path, header: ["mentee", "mentor", "weight"])
        let base = scanner.base
        // Where each mentor id was first seen (bytes in the scanner's buffer), and the mentor that followed it.
        var mentorStart: [Int] = [], mentorLength: [Int] = [], following: [Int32] = []
        var previousMentee: UnsafeBufferPointer<UInt8>? = nil
        var i: Int32 = -1, j: Int32 = -1, blockFirst: Int32 = -1
        var reserved = false
        while try scanner.next() {
            let line = scanner.line
            let menteeField = scanner.field(0), mentorField = scanner.field(1)
            if menteeField.isEmpty {
                try scanner.reject(InputError(file: path, line: line, field: "mentee", message: "empty id"))
            }
            if mentorField.isEmpty {
                try scanner.reject(InputError(file: path, line: line, field: "mentor", message: "empty id"))
            }
            guard let w = CSVFile.integer(scanner.field(2), maximum: PairingOptimizer.maximumWeight) else {
                try scanner.reject(
                    InputError(
                        file: path, line: line, field: "weight",
                        message: "\"\(scanner.string(2))\" is not a non-negative integer"
                            + " (0...\(PairingOptimizer.maximumWeight))"))
            }
            // Mentee: the previous row's, or a look-up.
            let sameMentee = previousMentee.map { Self.equal($0, menteeField) } ?? false
            if !sameMentee {
                let id = String(decoding: menteeField, as: UTF8.self)
                if let known = menteeIndex[id] {
                    if known != i { groupedByMentee = false }
                    i = known
                } else {
                    i = Int32(menteeIds.count)
                    menteeIndex[id] = i
                    menteeIds.append(id)
                }
                previousMentee = menteeField
            }
            // Mentor: the predicted one, or a look-up.
            let predicted = sameMentee ? (j >= 0 ? following[Int(j)] : -1) : blockFirst
            let next: Int32
            if predicted >= 0, mentorLength[Int(predicted)] == mentorField.count,
                memcmp(base + mentorStart[Int(predicted)], mentorField.baseAddress!, mentorField.count) == 0
            {
                next = predicted
            } else {
                let id = String(decoding: mentorField, as: UTF8.self)
                if let known = mentorIndex[id] {
                    next = Int32(known)
                } else {
                    next = Int32(mentorIds.count)
                    mentorIndex[id] = mentorIds.count
                    mentorIds.append(id)
                    mentorStart.append(mentorField.baseAddress! - UnsafePointer(base))
                    mentorLength.append(mentorField.count)
                    following.append(-1)
                }
            }
            if sameMentee {
                if j >= 0 { following[Int(j)] = next }
            } else {
                blockFirst = next
            }
            j = next
            mentee.append(i)
            mentor.append(j)
            weight.append(Int32(w))
            if !reserved && mentee.count == 4096 {
                // Room for the whole file at this density (10 % extra), instead of growing by doubling.
                reserved = true
                let estimate = Int(4096 * 1.1 * Double(scanner.byteCount) / Double(scanner.bytesRead))
                mentee.reserveCapacity(estimate)
                mentor.reserveCapacity(estimate)
                weight.reserveCapacity(estimate)
            }
        }
    }

    @inline(__always)
    private static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count == b.count && memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
    }

    /// Frees the rows (once they are in the solver's input).
    mutating func release() {
        mentee = []
        mentor = []
        weight = []
    }

    /// The first row (in file order) that repeats an earlier (mentee, mentor) pair, and that earlier row.
    /// One pass over the rows grouped by mentee (a stable counting sort unless they already are), with the
    /// last mentee seen per mentor: O(rows + mentees + mentors), no sort of all pairs.
    func firstDuplicate() -> (first: Int, second: Int)? {
        let n = menteeIds.count, m = mentorIds.count
        var lastMentee = [Int32](repeating: -1, count: m), lastRow = [Int32](repeating: -1, count: m)
        var best: (first: Int, second: Int)?
        func visit(_ r: Int) -> Bool {
            let i = mentee[r], j = Int(mentor[r])
            if lastMentee[j] == i {
                if r < (best?.second ?? .max) { best = (Int(lastRow[j]), r) }
                return true
            }
            lastMentee[j] = i
            lastRow[j] = Int32(r)
            return false
        }
        if groupedByMentee {
            for r in 0..<count {
                if visit(r) { break }  // rows in file order: the first repeat is the earliest
            }
        } else {
            var offsets = [Int](repeating: 0, count: n + 1)
            for i in mentee { offsets[Int(i) + 1] += 1 }
            for i in 0..<n { offsets[i + 1] += offsets[i] }
            var order = [Int32](repeating: 0, count: count)
            for (r, i) in mentee.enumerated() {
                order[offsets[Int(i)]] = Int32(r)
                offsets[Int(i)] += 1
            }
            for r in order { _ = visit(Int(r)) }
        }
        return best
    }
}
