import Foundation

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

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

/// One data row of a CSV file with the line it starts on.
struct CSVRecord {
    var line: Int
    var fields: [String]
}

/// The bytes of one file, read whole into memory owned here (``CSVScanner`` unescapes quoted fields in
/// place), and room for one record's field bounds.
final class CSVBuffer {
    let base: UnsafeMutablePointer<UInt8>
    let count: Int
    /// Start and end offsets of the current record's first `fieldCapacity` fields.
    let bounds: UnsafeMutablePointer<Int>
    let fieldCapacity: Int

    init(bytes: UnsafeMutablePointer<UInt8>, count: Int, fieldCapacity: Int) {
        base = bytes
        self.count = count
        self.fieldCapacity = max(fieldCapacity, 1)
        bounds = .allocate(capacity: 2 * self.fieldCapacity)
    }

    /// Reads the whole file (also a pipe or a file that grows meanwhile: the size is only a first guess).
    convenience init(path: String, fieldCapacity: Int) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw InputError(file: path, message: "cannot read the file") }
        defer { close(fd) }
        var info = stat()
        var capacity = fstat(fd, &info) == 0 && info.st_size > 0 ? Int(info.st_size) + 1 : 1 << 16
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        var count = 0
        while true {
            if count == capacity {
                let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: 2 * capacity)
                larger.update(from: buffer, count: count)
                buffer.deallocate()
                buffer = larger
                capacity *= 2
            }
            let got = read(fd, buffer + count, capacity - count)
            if got > 0 {
                count += got
            } else if got == 0 {
                break
            } else if errno != EINTR {  // e.g. EISDIR
                buffer.deallocate()
                throw InputError(file: path, message: "cannot read the file")
            }
        }
        self.init(bytes: buffer, count: count, fieldCapacity: fieldCapacity)
    }

    deinit {
        base.deallocate()
        bounds.deallocate()
    }
}

/// A single-pass RFC 4180 reader over a file's bytes: quoted fields, doubled quotes, line breaks inside
/// quotes, LF / CRLF / CR line ends, a leading UTF-8 byte order mark (or two). It hands out one record at a time
/// as byte ranges (no strings unless asked), tracks the line each record starts on (1-based, the header is
/// line 1), and rejects what CSV.swift would silently accept (text after a closing quote, a quote inside an
/// unquoted field, an unclosed quote). For every input it accepts it gives exactly CSV.swift's fields (tested
/// against it in `CSVScannerTests`).
///
/// Errors come in the order the former reader (whole-file checks first, then row by row) reported them:
/// invalid UTF-8 anywhere, then broken quoting anywhere, then a missing or wrong header, then the first
/// record with the wrong number of fields, then the caller's own checks in record order (``reject(_:)``
/// scans the rest of the file for the errors that come first).
struct CSVScanner {
    let file: String
    let expectedFieldCount: Int
    private let buffer: CSVBuffer
    /// The file's bytes; ``field(_:)`` ranges point into them.
    let base: UnsafeMutablePointer<UInt8>
    private let end: Int
    private var position: Int
    /// The line of the byte at `position`.
    private var nextLine = 1
    /// The line the current record starts on.
    private(set) var line = 1
    /// The current data record, counted from 0 (the header is not counted).
    private(set) var recordIndex = -1
    /// Fields of the current record (only the first `expectedFieldCount` are kept).
    private(set) var fieldCount = 0

    static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

    /// Reads `path` and checks its header row against `header`.
    init(path: String, header: [String]) throws {
        try self.init(buffer: CSVBuffer(path: path, fieldCapacity: header.count), file: path)
        guard position < end else {
            throw InputError(file: file, line: 1, message: "missing header row \(header.joined(separator: ","))")
        }
        var names: [String] = []
        while true {
            let f = try nextField()
            names.append(
                String(decoding: UnsafeBufferPointer(start: base + f.start, count: f.end - f.start), as: UTF8.self))
            if f.endsRecord { break }
        }
        if names != header {
            try fail(
                InputError(
                    file: file, line: 1,
                    message:
                        "header is \"\(names.joined(separator: ","))\", expected \"\(header.joined(separator: ","))\""),
                countingFields: false)
        }
    }

    /// A reader without a header check (tests, tools): every record is data; `fieldCapacity` fields are kept.
    init(buffer: CSVBuffer, file: String) throws {
        self.file = file
        self.buffer = buffer
        base = buffer.base
        end = buffer.count
        expectedFieldCount = buffer.fieldCapacity
        if let bad = Self.firstInvalidUTF8(base, count: end) {
            throw InputError(file: file, line: Self.line(at: bad, base, count: end), message: "not valid UTF-8")
        }
        // A byte order mark is skipped, and a second one too: the former reader accepted that (Foundation's
        // UTF-8 decoding dropped one, then the reader the next), e.g. from a tool that adds one to a file that has one.
        position = 0
        for _ in 0..<2
        where position + 3 <= end && base[position] == 0xEF && base[position + 1] == 0xBB && base[position + 2] == 0xBF
        {
            position += 3
        }
    }

    /// The bytes of field `index` (< `expectedFieldCount`) of the current record; valid while the scanner lives.
    @inline(__always)
    func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = buffer.bounds[2 * index]
        return UnsafeBufferPointer(start: base + start, count: buffer.bounds[2 * index + 1] - start)
    }

    func string(_ index: Int) -> String { String(decoding: field(index), as: UTF8.self) }

    /// How far the reader is, in bytes (for size estimates).
    var bytesRead: Int { position }
    var byteCount: Int { end }

    /// Moves to the next record; false at the end of the file. Throws on broken quoting and (when
    /// `checkingFieldCount`) on a record whose number of fields is not `expectedFieldCount`.
    @inline(__always)
    mutating func next(checkingFieldCount: Bool = true) throws -> Bool {
        guard position < end else { return false }
        line = nextLine
        recordIndex += 1
        var count = 0
        while true {
            let f = try nextField()
            if count < expectedFieldCount {
                buffer.bounds[2 * count] = f.start
                buffer.bounds[2 * count + 1] = f.end
            }
            count += 1
            if f.endsRecord { break }
        }
        fieldCount = count
        if checkingFieldCount && count != expectedFieldCount {
            try fail(fieldCountError(count, line: line), countingFields: false)
        }
        return true
    }

    /// Reports a problem the caller found in the current record, unless the rest of the file holds an error
    /// that comes first (broken quoting, then a record with the wrong number of fields).
    mutating func reject(_ error: InputError) throws -> Never {
        try fail(error, countingFields: true)
    }

    private func fieldCountError(_ count: Int, line: Int) -> InputError {
        InputError(file: file, line: line, message: "expected \(expectedFieldCount) fields, found \(count)")
    }

    private mutating func fail(_ error: InputError, countingFields: Bool) throws -> Never {
        var pending = error, counting = countingFields
        while position < end {
            let recordLine = nextLine
            var count = 0
            while true {
                count += 1
                if try nextField().endsRecord { break }
            }
            if counting && count != expectedFieldCount {
                pending = fieldCountError(count, line: recordLine)
                counting = false
            }
        }
        throw pending
    }

    /// One field from `position` and the delimiter after it. A quoted field is unescaped in place (its
    /// bytes move left over the opening quote's position), so every field is one range of `base`.
    @inline(__always)
    private mutating func nextField() throws -> (start: Int, end: Int, endsRecord: Bool) {
        let p = base, end = self.end
        let quote = Self.quote, comma = Self.comma, cr = Self.cr, lf = Self.lf
        var k = position, line = nextLine
        let start: Int, stop: Int
        if k < end && p[k] == quote {
            let opened = line
            k += 1
            start = k
            var w = k
            while true {
                guard k < end else {
                    throw InputError(file: file, line: opened, message: "quoted field is never closed")
                }
                let c = p[k]
                if c == quote {
                    if k + 1 < end && p[k + 1] == quote {
                        p[w] = quote
                        w += 1
                        k += 2
                        continue
                    }
                    k += 1
                    break
                }
                if c == lf || (c == cr && (k + 1 == end || p[k + 1] != lf)) { line += 1 }
                p[w] = c
                w += 1
                k += 1
            }
            stop = w
            if k < end {
                let after = p[k]
                guard after == comma || after == cr || after == lf else {
                    throw InputError(file: file, line: line, message: "unexpected text after a closing quote")
                }
            }
        } else {
            start = k
            while k < end {
                let c = p[k]
                if c > comma { k += 1; continue }  // letters, digits, UTF-8: almost every byte
                if c == comma || c == lf || c == cr { break }
                if c == quote { throw InputError(file: file, line: line, message: "quote inside an unquoted field") }
                k += 1
            }
            stop = k
        }
        var endsRecord = true
        if k < end {
            let c = p[k]
            k += 1
            if c == comma {
                endsRecord = false
            } else {
                if c == cr && k < end && p[k] == lf { k += 1 }
                line += 1
            }
        }
        position = k
        nextLine = line
        return (start, stop, endsRecord)
    }

    /// The offset of the first byte that is not part of well-formed UTF-8 (the Unicode Standard's table 3-7:
    /// no overlong forms, no surrogates, nothing above U+10FFFF), or nil. ASCII goes 8 bytes at a time.
    static func firstInvalidUTF8(_ p: UnsafePointer<UInt8>, count: Int) -> Int? {
        var k = 0
        while k < count {
            while k + 8 <= count && UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                k += 8
            }
            guard k < count else { break }
            let b0 = p[k]
            if b0 < 0x80 {
                k += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF  // the second byte's range
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return k
            }
            guard k + length <= count, p[k + 1] >= low, p[k + 1] <= high else { return k }
            for t in 2..<length where p[k + t] & 0xC0 != 0x80 { return k }
            k += length
        }
        return nil
    }

    /// The line (1-based) of the byte at `offset`: line breaks are LF, CRLF and a lone CR, inside quotes too.
    static func line(at offset: Int, _ p: UnsafePointer<UInt8>, count: Int) -> Int {
        var line = 1
        for k in 0..<offset where p[k] == lf || (p[k] == cr && (k + 1 == count || p[k + 1] != lf)) { line += 1 }
        return line
    }
}

/// Reading and writing the commands' CSV files.
enum CSVFile {
    /// All data rows of `path` as strings, after checking the header (see ``CSVScanner`` for the rules).
    static func read(_ path: String, header expected: [String]) throws -> [CSVRecord] {
        var scanner = try CSVScanner(path: path, header: expected)
        var records: [CSVRecord] = []
        while try scanner.next() {
            records.append(CSVRecord(line: scanner.line, fields: (0..<expected.count).map { scanner.string($0) }))
        }
        return records
    }

    /// The records with the given indices (data rows from 0), read again: for error messages that quote
    /// rows found to be wrong only after reading (the reader keeps no strings).
    static func records(_ indices: Set<Int>, of path: String, header: [String]) throws -> [Int: CSVRecord] {
        var scanner = try CSVScanner(path: path, header: header)
        var found: [Int: CSVRecord] = [:]
        while found.count < indices.count, try scanner.next() {
            if indices.contains(scanner.recordIndex) {
                found[scanner.recordIndex] = CSVRecord(
                    line: scanner.line, fields: (0..<header.count).map { scanner.string($0) })
            }
        }
        return found
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
        // quotes are doubled. (Like ``CSVScanner``, a few lines and much faster than CSV.swift's
        // scalar-by-scalar CSVWriter.)
        var data = Data()
        data.reserveCapacity(rows.count * 24)
        for row in rows {
            for (k, rawField) in row.enumerated() {
                let field = neutralise(rawField)
                if k > 0 { data.append(UInt8(ascii: ",")) }
                if field.utf8.contains(where: {
                    $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13
                }) {
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

    /// ``integer(_:file:line:field:maximum:)`` straight from a field's bytes; nil when they are not one.
    /// `maximum` must stay below `Int.max / 10` (the callers use 1,000,000).
    @inline(__always)
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>, maximum: Int) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var value = 0
        for byte in bytes {
            let digit = Int(byte &- UInt8(ascii: "0"))
            guard digit <= 9 else { return nil }
            value = value &* 10 &+ digit
            guard value <= maximum else { return nil }  // also keeps any number of digits from overflowing
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
