import CSV
import Foundation

/// Bad input: names the file, the line (1-based, the header is line 1) and the field when known.
public struct InputError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var line: Int?
    public var field: String?
    public var message: String

    public init(file: String, line: Int? = nil, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let field { text += "field \"\(field)\": " }
        return text + message
    }
}

/// Chunks of one file parsed on several threads; each thread writes only its own slot.
private final class SharedChunks: @unchecked Sendable {
    let utf8: [UInt8]
    let offsets: [Int]
    let bounds: [Int]
    let parts: UnsafeMutableBufferPointer<[[String]]>

    init(utf8: [UInt8], offsets: [Int], bounds: [Int], parts: UnsafeMutableBufferPointer<[[String]]>) {
        self.utf8 = utf8
        self.offsets = offsets
        self.bounds = bounds
        self.parts = parts
    }

    func parse(chunk c: Int) {
        let start = offsets[bounds[c]]
        let end = bounds[c + 1] < offsets.count ? offsets[bounds[c + 1]] : utf8.count
        guard start < end, let reader = try? CSVReader(string: String(decoding: utf8[start..<end], as: UTF8.self)) else {
            return
        }
        var rows: [[String]] = []
        rows.reserveCapacity(bounds[c + 1] - bounds[c])
        while let row = reader.next() { rows.append(row) }
        parts[c] = rows
    }
}

/// One data row of a CSV file with the line it starts on.
struct CSVRecord {
    var line: Int
    var fields: [String]
}

/// Reads RFC 4180 CSV files: CSV.swift parses the fields; a small scan beforehand rejects broken
/// quoting (which CSV.swift silently accepts) and records the line each record starts on (records
/// may span lines inside quotes, and CSV.swift reports no positions).
enum CSVFile {
    static func read(_ path: String, header expected: [String]) throws -> [CSVRecord] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "cannot read the file")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, message: "not valid UTF-8")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let (startLines, offsets) = try recordStartLines(text, file: path)
        guard !startLines.isEmpty else { throw InputError(file: path, line: 1, message: "missing header row \(expected.joined(separator: ","))") }
        // The header, then the data rows in up to two chunks cut at record boundaries, parsed by
        // CSV.swift in parallel (the parser is per-scalar and dominates the read time of large files).
        let utf8 = Array(text.utf8)
        let headerEnd = offsets.count > 1 ? offsets[1] : utf8.count
        let header = try CSVReader(string: String(decoding: utf8[0..<headerEnd], as: UTF8.self)).next() ?? []
        guard header == expected else {
            throw InputError(
                file: path, line: 1,
                message: "header is \"\(header.joined(separator: ","))\", expected \"\(expected.joined(separator: ","))\"")
        }
        let dataCount = offsets.count - 1
        // A header and no rows (e.g. an empty exclusion list) is valid input: no records. (Without this the
        // chunk below would start at offsets[1], past the end: a runtime trap.)
        guard dataCount > 0 else { return [] }
        let chunkCount = dataCount >= 20_000 ? 2 : 1
        var bounds: [Int] = [1]  // record indices
        for c in 1..<chunkCount { bounds.append(1 + dataCount * c / chunkCount) }
        bounds.append(offsets.count)
        let parts = UnsafeMutableBufferPointer<[[String]]>.allocate(capacity: chunkCount)
        parts.initialize(repeating: [])
        defer { parts.deinitialize(); parts.deallocate() }
        let shared = SharedChunks(utf8: utf8, offsets: offsets, bounds: bounds, parts: parts)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { c in shared.parse(chunk: c) }
        var records: [CSVRecord] = []
        records.reserveCapacity(dataCount)
        var index = 1
        for part in parts {
            for row in part {
                let line = index < startLines.count ? startLines[index] : startLines.last!
                index += 1
                guard row.count == expected.count else {
                    throw InputError(file: path, line: line, message: "expected \(expected.count) fields, found \(row.count)")
                }
                records.append(CSVRecord(line: line, fields: row))
            }
        }
        return records
    }

    /// Validates RFC 4180 quoting and returns the line on which each record starts.
    static func recordStartLines(_ text: String, file: String) throws -> (lines: [Int], offsets: [Int]) {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var starts: [Int] = []
        var offsets: [Int] = []
        var line = 1
        var utf8 = Array(text.utf8)
        utf8.append(lf)  // sentinel: every record ends with a line break
        var k = 0
        let count = utf8.count
        var atRecordStart = true
        while k < count {
            if atRecordStart {
                if k == count - 1 { break }  // only the sentinel is left
                starts.append(line)
                offsets.append(k)
                atRecordStart = false
            }
            // One field.
            if utf8[k] == quote {
                let opened = line
                k += 1
                while true {
                    guard k < count - 1 else {
                        throw InputError(file: file, line: opened, message: "quoted field is never closed")
                    }
                    let c = utf8[k]
                    if c == quote {
                        if utf8[k + 1] == quote { k += 2; continue }
                        k += 1
                        break
                    }
                    if c == lf || (c == cr && utf8[k + 1] != lf) { line += 1 }
                    k += 1
                }
                let after = utf8[k]
                guard after == comma || after == cr || after == lf else {
                    throw InputError(file: file, line: line, message: "unexpected text after a closing quote")
                }
            } else {
                while k < count, utf8[k] != comma, utf8[k] != cr, utf8[k] != lf {
                    if utf8[k] == quote {
                        throw InputError(file: file, line: line, message: "quote inside an unquoted field")
                    }
                    k += 1
                }
            }
            // Delimiter after the field.
            if utf8[k] == comma {
                k += 1
            } else {
                if utf8[k] == cr && k + 1 < count && utf8[k + 1] == lf { k += 1 }
                k += 1
                line += 1
                atRecordStart = true
            }
        }
        return (starts, offsets)
    }

    /// The first characters that make a spreadsheet run a cell as a formula (OWASP "CSV Injection"): `=`, `+`,
    /// `-`, `@`, tab, carriage return, and the full-width `＝＋－＠`. The same rule as the app's exports
    /// (`CSVText.neutralise`); a leading `-` is neutralised too, though it also starts a negative number:
    /// the numbers written here (weights, rounds) are never negative.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\r\n", "＝", "＋", "－", "＠"]

    /// A cell a spreadsheet shows as text: prefixed with a single quote when it would start a formula.
    static func neutralise(_ field: String) -> String {
        guard let first = field.first, formulaStarts.contains(first) else { return field }
        return "'" + field
    }

    /// Writes rows (header first) to `path` through a temporary file moved into place, so a failure
    /// never leaves a partial output file. Ids come from the input files and may come from people's
    /// registrations: every field that would start a formula is neutralised (``neutralise(_:)``).
    static func write(_ path: String, rows: [[String]]) throws {
        // RFC 4180 output: a field is quoted when it holds a comma, quote or line break, and its
        // quotes are doubled. (Reading goes through CSV.swift; this writer is a few lines and much
        // faster than CSVWriter's scalar-by-scalar stream writes.)
        var data = Data()
        data.reserveCapacity(rows.count * 24)
        for row in rows {
            for (k, rawField) in row.enumerated() {
                let field = neutralise(rawField)
                if k > 0 { data.append(UInt8(ascii: ",")) }
                if field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) {
                    data.append(UInt8(ascii: "\""))
                    for byte in field.utf8 {
                        if byte == UInt8(ascii: "\"") { data.append(byte) }
                        data.append(byte)
                    }
                    data.append(UInt8(ascii: "\""))
                } else {
                    data.append(contentsOf: field.utf8)
                }
            }
            data.append(UInt8(ascii: "\n"))
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try data.write(to: temporary)
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(at: temporary, to: url)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw InputError(file: path, message: "cannot write the file: \(error.localizedDescription)")
        }
    }

    /// A non-negative decimal integer (digits only) no larger than `maximum`.
    static func integer(_ text: String, file: String, line: Int, field: String, maximum: Int) throws -> Int {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let value = Int(text), value <= maximum
        else {
            throw InputError(
                file: file, line: line, field: field,
                message: "\"\(text)\" is not a non-negative integer (0...\(maximum))")
        }
        return value
    }

    static func id(_ text: String, file: String, line: Int, field: String) throws -> String {
        guard !text.isEmpty else { throw InputError(file: file, line: line, field: field, message: "empty id") }
        return text
    }
}

/// Monotonic seconds, for the summaries.
func secondsSinceStart(_ start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

/// A (mentee, mentor) index pair as a dictionary key.
struct PairKey: Hashable {
    var mentee: Int32
    var mentor: Int32
    init(_ mentee: Int, _ mentor: Int) {
        self.mentee = Int32(mentee)
        self.mentor = Int32(mentor)
    }
}
