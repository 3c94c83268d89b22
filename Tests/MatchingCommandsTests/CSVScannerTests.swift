import CSV
import Foundation
import PropertyBased
import TestSupport
import Testing

@testable import MatchingCommands

/// `CSVScanner` against its peers: CSV.swift for the fields, the former reader (`LegacyCSVFile`) for lines,
/// errors and their order; Swift's own UTF-8 validation for `firstInvalidUTF8`.
@Suite("CSVScanner")
struct CSVScannerTests {
    /// Random text over the characters that matter to CSV (and two that do not).
    static let tokens = ["a", "ä", ",", "\"", "\n", "\r\n", "\r", "x1", "\"\""]
    static let text = Gen.int(in: 0...(tokens.count - 1)).array(of: 0...24).map { codes in
        codes.map { tokens[$0] }.joined()
    }

    /// Every record (no header, any number of fields) with the line it starts on, or the error.
    static func scan(_ bytes: [UInt8], file: String = "in.csv") -> Result<[CSVRecord], InputError> {
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        storage.initialize(from: bytes, count: bytes.count)
        let buffer = CSVBuffer(bytes: storage, count: bytes.count, fieldCapacity: bytes.count + 1)
        do {
            var scanner = try CSVScanner(buffer: buffer, file: file)
            var records: [CSVRecord] = []
            while try scanner.next(checkingFieldCount: false) {
                records.append(
                    CSVRecord(line: scanner.line, fields: (0..<scanner.fieldCount).map { scanner.string($0) }))
            }
            return .success(records)
        } catch let error as InputError {
            return .failure(error)
        } catch {
            Issue.record("unexpected \(error)")
            return .failure(InputError(file: file, message: "\(error)"))
        }
    }

    /// What the former reader made of the same text: quoting and lines from its byte scan, fields from CSV.swift.
    static func reference(_ text: String, file: String = "in.csv") -> Result<[CSVRecord], InputError> {
        // As the former reader decoded files: Foundation drops one byte order mark, the reader the next.
        var text = String(data: Data(text.utf8), encoding: .utf8)!
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        do {
            let (lines, _) = try LegacyCSVFile.recordStartLines(text, file: file)
            var rows: [[String]] = []
            if !text.isEmpty {
                let reader = try CSVReader(string: text)
                while let row = reader.next() { rows.append(row) }
            }
            #expect(rows.count == lines.count, "CSV.swift and the quoting scan disagree on \(text.debugDescription)")
            return .success(zip(lines, rows).map { CSVRecord(line: $0, fields: $1) })
        } catch let error as InputError {
            return .failure(error)
        } catch {
            Issue.record("unexpected \(error)")
            return .failure(InputError(file: file, message: "\(error)"))
        }
    }

    static func same(_ a: Result<[CSVRecord], InputError>, _ b: Result<[CSVRecord], InputError>) -> Bool {
        switch (a, b) {
        case (.success(let x), .success(let y)):
            return x.map(\.line) == y.map(\.line) && x.map(\.fields) == y.map(\.fields)
        case (.failure(let x), .failure(let y)):
            return x == y
        default:
            return false
        }
    }

    @Test("random text: the same records, fields and lines as CSV.swift and the former scan, or the same error")
    func agreesWithCSVSwift() async {
        await propertyCheck(count: 3000, input: Self.text, Gen.int(in: 0...3)) { body, boms in
            let text = String(repeating: "\u{FEFF}", count: boms) + body
            let new = Self.scan(Array(text.utf8)), old = Self.reference(text)
            #expect(Self.same(new, old), "\(text.debugDescription): \(new) vs \(old)")
            if case .failure(let error) = new {
                // Only broken quoting is rejected here (the text is valid UTF-8).
                #expect(text.contains("\""))
                #expect(
                    [
                        "quoted field is never closed", "unexpected text after a closing quote",
                        "quote inside an unquoted field",
                    ].contains(error.message))
            }
        }
    }

    @Test("hand-picked edge cases agree with CSV.swift")
    func edgeCases() {
        let cases = [
            "", "\n", "\r", "\r\n", "\n\n", "a", "a,", ",", ",,\n", "\"\"", "\"\"\"\"", "\"a\"\"b\"", "\"a\nb\",c\r\nd",
            "\"a\r\nb\"\r\n", "a\r\r\nb", "\"x\"\r", "\u{FEFF}", "\u{FEFF}a,b", "\u{FEFF}\u{FEFF}a",
            "\u{FEFF}\u{FEFF}\u{FEFF}a", "a\u{FEFF}", "Jürgen,ä\n",
            "\"a\"b", "a\"b", "\"abc", "a,\"b", "\"a\"\"", "\"\r", "x,\"\n\n\"\n",
        ]
        for text in cases {
            let new = Self.scan(Array(text.utf8)), old = Self.reference(text)
            #expect(Self.same(new, old), "\(text.debugDescription): \(new) vs \(old)")
        }
    }

    @Test("CSVFile.read with a header: the same records or the same error as the former reader, in the same order")
    func readAgreesWithFormerReader() async throws {
        let scratch = try Scratch()
        let path = scratch.path("in.csv")
        let header = Gen.element(of: ["a,x1\n", "a,x1\r\n", "a,x1", "a,ä\n", "\"a\",x1\n", ""])
        await propertyCheck(count: 1500, input: header, Self.text, Gen.int(in: 0...3)) { header, body, boms in
            let text = String(repeating: "\u{FEFF}", count: boms) + (header ?? "") + body
            try? Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let new = Result { try CSVFile.read(path, header: ["a", "x1"]) }.mapError { $0 as! InputError }
            let old = Result { try LegacyCSVFile.read(path, header: ["a", "x1"]) }.mapError { $0 as! InputError }
            #expect(Self.same(new, old), "\(text.debugDescription): \(new) vs \(old)")
        }
    }

    static let byteAlphabet: [[UInt8]] = [
        [0x61], [0x2C], [0x0A], [0x22], [0xC3, 0xA4], [0xC3], [0xA4], [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80],
        [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF],
        [0xE0, 0x9F, 0xBF],
        [0xEF, 0xBB, 0xBF],
    ]

    @Test("UTF-8: rejected exactly when Swift (and the former reader) rejects it, naming the line")
    func utf8() async throws {
        let scratch = try Scratch()
        let path = scratch.path("in.csv")
        let bytes = Gen.int(in: 0...(Self.byteAlphabet.count - 1)).array(of: 0...16).map {
            $0.flatMap { Self.byteAlphabet[$0] }
        }
        await propertyCheck(count: 2000, input: bytes) { bytes in
            let valid = String(validating: bytes, as: UTF8.self) != nil
            let bad = bytes.withUnsafeBufferPointer { CSVScanner.firstInvalidUTF8($0.baseAddress!, count: $0.count) }
            #expect((bad == nil) == valid, "\(bytes)")
            if let bad { #expect(String(validating: bytes[..<bad], as: UTF8.self) != nil) }
            try? Data([0x61, 0x0A] + bytes).write(to: URL(fileURLWithPath: path))
            let new = Result { try CSVFile.read(path, header: ["a"]) }.mapError { $0 as! InputError }
            let old = Result { try LegacyCSVFile.read(path, header: ["a"]) }.mapError { $0 as! InputError }
            if case .failure(let error) = old, error.message == "not valid UTF-8" {
                let expectedLine = 2 + bytes[..<bad!].filter { $0 == 0x0A }.count
                #expect(
                    new.map { _ in 0 }
                        == .failure(InputError(file: path, line: expectedLine, message: "not valid UTF-8")))
            } else {
                #expect(Self.same(new, old), "\(bytes): \(new) vs \(old)")
            }
        }
    }

    @Test("invalid UTF-8 names the line it is on")
    func utf8Line() throws {
        let scratch = try Scratch()
        let path = scratch.path("candidates.csv")
        try Data(Array("mentee,mentor,weight\na,b,1\n\"x\ny\",".utf8) + [0xC3, 0x28] + Array(",2\n".utf8))
            .write(to: URL(fileURLWithPath: path))
        #expect(throws: InputError(file: path, line: 4, message: "not valid UTF-8")) {
            try CSVFile.read(path, header: ["mentee", "mentor", "weight"])
        }
        #expect(throws: InputError(file: scratch.path("missing.csv"), message: "cannot read the file")) {
            try CSVFile.read(scratch.path("missing.csv"), header: ["id"])
        }
        #expect(throws: InputError(file: scratch.directory.path, message: "cannot read the file")) {
            try CSVFile.read(scratch.directory.path, header: ["id"])
        }
    }
}

@Suite("mentoring match: reading the candidate list")
struct CandidateTableTests {
    /// Ids that share prefixes, need quotes, are not ASCII, or are canonically equivalent spellings.
    static let menteeNames = ["e1", "e10", "e100", "Jürgen", "\"Doe, Jane\"", "Zoë", "e2", "\"multi\nline\""]
    static let mentorNames = ["r1", "r10", "r11", "Ærø", "\"The \"\"Boss\"\"\"", "r2", "x"]

    static func unquoted(_ field: String) -> String {
        guard field.hasPrefix("\"") else { return field }
        return String(field.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
    }

    @Test("every row maps to the ids it names, whatever the row order (the byte-comparison shortcuts)")
    func rowsMapToTheirIds() async throws {
        let scratch = try Scratch()
        let path = scratch.path("candidates.csv")
        await propertyCheck(
            count: 300, input: Gen.int(in: 1...8), Gen.int(in: 1...7), Gen.int(in: 0...3), Gen.int(in: 0...1_000_000)
        ) { n, m, mode, seed in
            var rng = SplitMix64(seed: UInt64(seed))
            // mode 0: one mentor order for every mentee; 1: shuffled per mentee; 2: rows shuffled; 3: some pairs left out.
            var order = Array(0..<m).shuffled(using: &rng)
            var rows: [(Int, Int, Int)] = []
            for i in 0..<n {
                if mode == 1 { order.shuffle(using: &rng) }
                for j in order where mode != 3 || Bool.random(using: &rng) {
                    rows.append((i, j, Int.random(in: 0...1_000_000, using: &rng)))
                }
            }
            if mode == 2 { rows.shuffle(using: &rng) }
            var text = "mentee,mentor,weight" + (Bool.random(using: &rng) ? "\r\n" : "\n")
            for (i, j, w) in rows { text += "\(Self.menteeNames[i]),\(Self.mentorNames[j]),\(w)\n" }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let table = try CandidateTable(path: path)
            #expect(table.count == rows.count)
            for (r, (i, j, w)) in rows.enumerated() {
                #expect(table.menteeIds[Int(table.mentee[r])] == Self.unquoted(Self.menteeNames[i]))
                #expect(table.mentorIds[Int(table.mentor[r])] == Self.unquoted(Self.mentorNames[j]))
                #expect(Int(table.weight[r]) == w)
            }
            #expect(table.firstDuplicate() == nil)
            #expect(
                table.groupedByMentee
                    == ({
                        var seen = Set<Int>(), previous = -1
                        for (i, _, _) in rows where i != previous {
                            if !seen.insert(i).inserted { return false }
                            previous = i
                        }
                        return true
                    }()))
        }
    }

    @Test("duplicates: the first row (in file order) that repeats a pair, also when rows are not grouped by mentee")
    func duplicates() async throws {
        let scratch = try Scratch()
        let path = scratch.path("candidates.csv")
        await propertyCheck(count: 300, input: Gen.int(in: 0...3).array(of: 1...14), Gen.int(in: 0...3).array(of: 14)) {
            menteeCodes, mentorCodes in
            let rows = zip(menteeCodes, mentorCodes).map { ($0, $1) }
            var text = "mentee,mentor,weight\n"
            for (i, j) in rows { text += "e\(i),r\(j),1\n" }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            var expected: (Int, Int)?
            search: for second in rows.indices {
                for first in 0..<second where rows[first] == rows[second] {
                    expected = (first, second)
                    break search
                }
            }
            let found = try CandidateTable(path: path).firstDuplicate()
            #expect(found?.first == expected?.0 && found?.second == expected?.1, "\(rows)")
        }
    }

    /// Files with two problems: the one reported is the one the former reader reported (whole-file checks first).
    static let precedence: [(String, String)] = [
        ("mentee,mentor,weight\na,b,-1\nc,\"d\"x,1\n", "candidates.csv:3: unexpected text after a closing quote"),
        ("mentee,mentor,weight\n,b,1\nc,d\n", "candidates.csv:3: expected 3 fields, found 2"),
        (
            "mentee,mentor,weight\na,b,1\na,b,2\nc,d,x\n",
            "candidates.csv:4: field \"weight\": \"x\" is not a non-negative integer (0...1000000)"
        ),
        ("mentee,mentor\na,b\nc,\"d\n", "candidates.csv:3: quoted field is never closed"),
        (
            "mentee,mentor\na,b,c,d\n",
            "candidates.csv:1: header is \"mentee,mentor\", expected \"mentee,mentor,weight\""
        ),
        ("mentee,mentor,weight\na,b\nc,d,e,f\na,b,x\"\n", "candidates.csv:4: quote inside an unquoted field"),
        (
            "mentee,mentor,weight\na,b,1\nc,b,2\nc,d,3\na,b,4\nc,d,5\n",
            "candidates.csv:5: field \"mentor\": duplicate pair (a, b), first on line 2"
        ),
        (
            "mentee,mentor,weight\nc,d,3\na,b,1\na,b,4\nc,d,5\n",
            "candidates.csv:4: field \"mentor\": duplicate pair (a, b), first on line 3"
        ),
        (
            "mentee,mentor,weight\n\"x\ny\",\"b\n\",1\nJürgen,\"b\n\",2\n\"x\ny\",\"b\n\",3\n",
            "candidates.csv:7: field \"mentor\": duplicate pair (x\ny, b\n), first on line 2"
        ),
    ]

    @Test("two problems in one file: the same one reported as before", arguments: precedence)
    func errorOrder(text: String, message: String) throws {
        let scratch = try Scratch()
        try scratch.write("candidates.csv", text)
        do {
            _ = try MatchCommand.parse([
                "--candidates", scratch.path("candidates.csv"), "--output", scratch.path("pairs.csv"),
            ]).execute()
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.description.replacingOccurrences(of: scratch.directory.path + "/", with: "") == message)
        }
    }

    @Test(
        "a complete matrix with non-ASCII and quoted ids in any row order: the dense solver, same plan as the sparse one"
    )
    func denseWithAwkwardIds() throws {
        let scratch = try Scratch()
        var rng = SplitMix64(seed: 7)
        var rows: [String] = []
        for i in 0..<Self.menteeNames.count {
            for j in 0..<Self.mentorNames.count {
                rows.append(
                    "\(Self.menteeNames[i]),\(Self.mentorNames[j]),\(Int.random(in: 0...1_000_000, using: &rng))")
            }
        }
        rows.shuffle(using: &rng)
        let text = "mentee,mentor,weight\r\n" + rows.joined(separator: "\r\n")
        try scratch.write("candidates.csv", text)
        let arguments = ["--candidates", scratch.path("candidates.csv"), "--output", scratch.path("pairs.csv")]
        let dense = try MatchCommand.parse(arguments).execute()
        let densePairs = try scratch.read("pairs.csv")
        // One more mentee (only r1, weight 0) makes the list incomplete: the general solver. Still 7 pairs (7 mentors),
        // and the same total weight (taking r1 for weight 0 never helps).
        try scratch.write("candidates.csv", text + "\r\nlonely,r1,0")
        let sparse = try MatchCommand.parse(arguments).execute()
        #expect(dense.pairs == 7 && sparse.pairs == 7)
        #expect(dense.totalWeight == sparse.totalWeight)
        #expect(densePairs.hasPrefix("mentee,mentor,weight\n"))
        #expect(densePairs.split(separator: "\n").count >= 8)
    }
}
