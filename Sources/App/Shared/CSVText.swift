import CSV
import Foundation
import Mentoring

/// CSV in and out of the app.
///
/// Reading (member lists): the uploaded bytes are decoded (UTF-8 with or without BOM; otherwise Windows-1252,
/// which German Excel writes for "CSV (Trennzeichen-getrennt)"), the delimiter is taken from the header line
/// (`,`, `;` or tab), a small scan checks the quoting of every record and notes the line it starts on (quoted
/// fields may span lines), and CSV.swift splits the well-formed records into fields. Every broken record is
/// reported, not only the first, and the scan carries on after it.
///
/// Writing (exports): every cell that a spreadsheet would run as a formula is neutralised (see ``neutralise(_:)``);
/// the Excel dialect adds a UTF-8 byte order mark and uses `;`, which German Excel opens directly.
enum CSVText {
    // MARK: Decoding uploaded bytes

    /// How the uploaded file was stored.
    enum SourceEncoding: String, Sendable {
        case utf8
        /// Converted: UTF-16 with a byte order mark (Excel's "Unicode-Text").
        case utf16
        /// Converted: not valid UTF-8, read as Windows-1252 (a superset of Latin-1's printable characters).
        case windows1252
    }

    struct Decoded: Sendable {
        let text: String
        let encoding: SourceEncoding
    }

    /// The bytes are no text file (they contain NUL bytes, e.g. an .xlsx workbook, which is a ZIP archive).
    struct NotText: Error {}

    static func decode(_ bytes: [UInt8]) throws(NotText) -> Decoded {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            guard let text = String(data: Data(bytes), encoding: .utf16) else { throw NotText() }
            return Decoded(text: dropByteOrderMark(text), encoding: .utf16)
        }
        if bytes.contains(0) { throw NotText() }
        var body = bytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { body = bytes.dropFirst(3) }
        if let text = validUTF8(body) { return Decoded(text: dropByteOrderMark(text), encoding: .utf8) }
        return Decoded(text: windows1252(body), encoding: .windows1252)
    }

    /// The text if `bytes` are valid UTF-8, else nil (never repaired with U+FFFD).
    static func validUTF8(_ bytes: ArraySlice<UInt8>) -> String? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var scalars = String.UnicodeScalarView()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput: return String(scalars)
            case .error: return nil
            }
        }
    }

    /// Windows-1252: bytes 0x80–0x9F are the typographic characters (€, „, “, –, …); all others are Latin-1.
    /// The five bytes Windows-1252 leaves undefined map to the C1 controls of the same value, as in WHATWG.
    static func windows1252(_ bytes: ArraySlice<UInt8>) -> String {
        let high: [UInt32] = [
            0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
            0x017D, 0x8F,
            0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,
            0x017E, 0x0178,
        ]
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value = (0x80...0x9F).contains(byte) ? high[Int(byte) - 0x80] : UInt32(byte)
            scalars.append(Unicode.Scalar(value)!)
        }
        return String(scalars)
    }

    static func dropByteOrderMark(_ text: String) -> String {
        text.unicodeScalars.first == "\u{FEFF}"
            ? String(String.UnicodeScalarView(text.unicodeScalars.dropFirst())) : text
    }

    // MARK: Parsing

    struct Parsed {
        /// The first record, or nil when the text is empty or the header line itself is broken.
        let header: [String]?
        let records: [MemberList.Record]
        /// Broken quoting, one problem per broken record, in line order.
        let problems: [ImportProblem]
        let delimiter: Character
    }

    /// The delimiter of the header line: the most frequent of `;`, `,` and tab outside quotes (`,` on a tie).
    static func delimiter(of text: String) -> Character {
        var counts: [Character: Int] = [",": 0, ";": 0, "\t": 0]
        var inQuotes = false
        for character in text {
            if character == "\"" {
                inQuotes.toggle()
            } else if !inQuotes {
                if character == "\n" || character == "\r\n" || character == "\r" { break }
                counts[character]? += 1
            }
        }
        let semicolons = counts[";"]!, tabs = counts["\t"]!, commas = counts[","]!
        if semicolons > commas && semicolons >= tabs { return ";" }
        if tabs > commas && tabs > semicolons { return "\t" }
        return ","
    }

    static func parse(_ text: String) -> Parsed {
        let text = dropByteOrderMark(text)
        let delimiter = Self.delimiter(of: text)
        let bytes = Array(text.utf8)
        let scan = scanRecords(bytes, delimiter: delimiter.asciiValue!)
        // CSV.swift parses the well-formed records, joined into one text (each ends with a line break).
        var good: [UInt8] = []
        good.reserveCapacity(bytes.count + 1)
        for record in scan.records {
            good += bytes[record.range]
            if let last = bytes[record.range].last, last == 10 || last == 13 {} else { good.append(10) }
        }
        var rows: [[String]] = []
        if !good.isEmpty,
            let reader = try? CSVReader(
                string: String(decoding: good, as: UTF8.self), hasHeaderRow: false,
                delimiter: Unicode.Scalar(delimiter.asciiValue!))
        {
            while let row = reader.next() { rows.append(row) }
        }
        guard rows.count == scan.records.count else {
            // Cannot happen for records the scan accepted; refuse rather than misnumber lines.
            return Parsed(
                header: nil, records: [], problems: [ImportProblem(line: 0, field: nil, kind: .unreadable)],
                delimiter: delimiter)
        }
        // The header is the record on line 1; if that one is broken, there is no header to check rows against.
        var header: [String]?
        var records: [MemberList.Record] = []
        for (record, row) in zip(scan.records, rows) {
            if record.line == 1 {
                header = row
            } else if header != nil {
                records.append(.init(line: record.line, fields: row))
            }
        }
        return Parsed(header: header, records: records, problems: scan.problems, delimiter: delimiter)
    }

    /// Finds the records of an RFC 4180 text and checks their quoting: a quoted field must be closed and be
    /// followed by the delimiter or a line break. A quote inside an unquoted field is kept as a character (as
    /// CSV.swift and spreadsheets do). After a broken record the scan resumes on the next physical line, so
    /// every broken record is reported. Line breaks are LF, CRLF or CR.
    static func scanRecords(
        _ bytes: [UInt8], delimiter: UInt8
    ) -> (records: [(line: Int, range: Range<Int>)], problems: [ImportProblem]) {
        let quote = UInt8(ascii: "\""), cr: UInt8 = 13, lf: UInt8 = 10
        let n = bytes.count
        var records: [(line: Int, range: Range<Int>)] = []
        var problems: [ImportProblem] = []
        var k = 0, line = 1

        /// The offset after the line break that ends the physical line containing `offset`.
        func endOfLine(from offset: Int) -> Int {
            var k = offset
            while k < n, bytes[k] != lf, bytes[k] != cr { k += 1 }
            if k < n { k += bytes[k] == cr && k + 1 < n && bytes[k + 1] == lf ? 2 : 1 }
            return k
        }

        while k < n {
            let start = k, startLine = line
            var broken = false
            fields: while true {
                if k < n && bytes[k] == quote {
                    let opened = line, openedAt = k
                    k += 1
                    var closed = false
                    while k < n {
                        let c = bytes[k]
                        if c == quote {
                            if k + 1 < n && bytes[k + 1] == quote { k += 2; continue }
                            k += 1
                            closed = true
                            break
                        }
                        if c == lf || (c == cr && !(k + 1 < n && bytes[k + 1] == lf)) { line += 1 }
                        k += 1
                    }
                    let followedByEnd = k >= n || bytes[k] == delimiter || bytes[k] == cr || bytes[k] == lf
                    if !closed || (!followedByEnd && line > opened) {
                        // Never closed, or "closed" lines later by a quote that belongs to another field: the
                        // quote opened on `opened` is the mistake. Resume on the line after it.
                        problems.append(ImportProblem(line: opened, field: nil, kind: .brokenQuoting))
                        k = endOfLine(from: openedAt)
                        line = opened + 1
                        broken = true
                        break fields
                    }
                    if !followedByEnd {
                        problems.append(ImportProblem(line: line, field: nil, kind: .textAfterQuote))
                        k = endOfLine(from: k)
                        line += 1
                        broken = true
                        break fields
                    }
                } else {
                    while k < n, bytes[k] != delimiter, bytes[k] != cr, bytes[k] != lf { k += 1 }
                }
                if k >= n { break fields }
                if bytes[k] == delimiter {
                    k += 1
                    continue fields
                }
                k += bytes[k] == cr && k + 1 < n && bytes[k + 1] == lf ? 2 : 1
                line += 1
                break fields
            }
            if !broken { records.append((startLine, start..<k)) }
        }
        return (records, problems)
    }

    // MARK: Writing

    enum Dialect: Sendable {
        /// RFC 4180: `,`, CRLF, UTF-8 without byte order mark.
        case standard
        /// What German Excel opens with a double click: UTF-8 with byte order mark (else umlauts break), `;`
        /// (Excel's list separator in German locales), CRLF.
        case excel
    }

    /// The first characters that make a spreadsheet treat a cell as a formula (OWASP "CSV Injection"):
    /// `=`, `+`, `-`, `@`, tab and carriage return, and the full-width `＝＋－＠` that some Excel versions
    /// accept too. A leading `-` is neutralised as well although it also starts a plain negative number: no
    /// column of our exports holds numbers, and "-1+2" would be a formula.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\r\n", "＝", "＋", "－", "＠"]

    /// A cell a spreadsheet shows as text: prefixed with a single quote when it would start a formula,
    /// otherwise unchanged.
    static func neutralise(_ cell: String) -> String {
        guard let first = cell.first, formulaStarts.contains(first) else { return cell }
        return "'" + cell
    }

    /// Writes rows as CSV with CSV.swift's writer (quotes where needed, CRLF after every record), every cell
    /// neutralised.
    static func write(header: [String], rows: [[String]], dialect: Dialect = .standard) throws -> String {
        let writer = try CSVWriter(stream: .toMemory(), delimiter: dialect == .excel ? ";" : ",", newline: .crlf)
        try writer.write(row: header.map(neutralise))
        for row in rows { try writer.write(row: row.map(neutralise)) }
        writer.stream.close()
        let data = writer.stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        // CSV.swift ends the last record without a line break; every record ends with one here (RFC 4180 allows both).
        let text = String(decoding: data, as: UTF8.self) + "\r\n"
        return dialect == .excel ? "\u{FEFF}" + text : text
    }
}
