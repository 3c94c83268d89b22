import CSV
import Foundation
import Mentoring

/// Reads uploaded CSV with CSV.swift and keeps track of the line each record starts on, so import
/// reports can say "line 7". Quoted fields may span lines; the count follows their embedded line breaks.
enum CSVText {
    struct Parsed {
        let header: [String]?
        let records: [MemberList.Record]
    }

    enum Failure: Error, Equatable {
        /// A quote opened on `line` is never closed: the rest of the file would be swallowed into one field.
        case unterminatedQuote(line: Int)
        case unreadable
    }

    static func parse(_ text: String) throws(Failure) -> Parsed {
        if let line = unterminatedQuoteLine(text) { throw .unterminatedQuote(line: line) }
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: false) } catch { throw .unreadable }
        var header: [String]?
        var records: [MemberList.Record] = []
        var line = 1
        while let row = reader.next() {
            if header == nil {
                header = row
            } else {
                records.append(.init(line: line, fields: row))
            }
            line += 1 + row.reduce(0) { $0 + $1.reduce(0) { $1 == "\n" || $1 == "\r\n" || $1 == "\r" ? $0 + 1 : $0 } }
        }
        if reader.error != nil { throw .unreadable }
        return Parsed(header: header, records: records)
    }

    /// The line of a quote that is never closed, or nil. (`""` inside a quoted field is an escaped quote and
    /// toggles twice, so counting toggles is enough.)
    static func unterminatedQuoteLine(_ text: String) -> Int? {
        var inQuotes = false, line = 1, openedOn = 1
        for character in text {
            if character == "\"" {
                inQuotes.toggle()
                if inQuotes { openedOn = line }
            } else if character == "\n" || character == "\r\n" {
                line += 1
            }
        }
        return inQuotes ? openedOn : nil
    }

    /// Writes rows as RFC 4180 CSV (CRLF line ends, quotes where needed) with CSV.swift's writer.
    static func write(header: [String], rows: [[String]]) throws -> String {
        let writer = try CSVWriter(stream: .toMemory(), newline: .crlf)
        try writer.write(row: header)
        for row in rows { try writer.write(row: row) }
        writer.stream.close()
        let data = writer.stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
