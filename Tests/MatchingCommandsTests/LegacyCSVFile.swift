import CSV
import Foundation

@testable import MatchingCommands

// The reader `mentoring match` / `schedule` used before CSVScanner (commit 4913329), kept unchanged as the
// reference the new one is checked against: CSV.swift for the fields, a byte scan for quoting and lines.

/// Chunks of one file parsed on several threads; each thread writes only its own slot.
private final class LegacySharedChunks: @unchecked Sendable {
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
        guard start < end, let reader = try? CSVReader(string: String(decoding: utf8[start..<end], as: UTF8.self))
        else {
            return
        }
        var rows: [[String]] = []
        rows.reserveCapacity(bounds[c + 1] - bounds[c])
        while let row = reader.next() { rows.append(row) }
        parts[c] = rows
    }
}

/// The former `CSVFile.read`.
enum LegacyCSVFile {
    static func read(_ path: String, header expected: [String]) throws -> [CSVRecord] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "cannot read the file")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, message: "not valid UTF-8")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let (startLines, offsets) = try recordStartLines(text, file: path)
        guard !startLines.isEmpty else {
            throw InputError(file: path, line: 1, message: "missing header row \(expected.joined(separator: ","))")
        }
        // The header, then the data rows in up to two chunks cut at record boundaries, parsed by
        // CSV.swift in parallel (the parser is per-scalar and dominates the read time of large files).
        let utf8 = Array(text.utf8)
        let headerEnd = offsets.count > 1 ? offsets[1] : utf8.count
        let header = try CSVReader(string: String(decoding: utf8[0..<headerEnd], as: UTF8.self)).next() ?? []
        guard header == expected else {
            throw InputError(
                file: path, line: 1,
                message:
                    "header is \"\(header.joined(separator: ","))\", expected \"\(expected.joined(separator: ","))\"")
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
        let shared = LegacySharedChunks(utf8: utf8, offsets: offsets, bounds: bounds, parts: parts)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { c in shared.parse(chunk: c) }
        var records: [CSVRecord] = []
        records.reserveCapacity(dataCount)
        var index = 1
        for part in parts {
            for row in part {
                let line = index < startLines.count ? startLines[index] : startLines.last!
                index += 1
                guard row.count == expected.count else {
                    throw InputError(
                        file: path, line: line, message: "expected \(expected.count) fields, found \(row.count)")
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

}
