import Foundation
import Mentoring
import Testing

@testable import App

@Suite("CSV reading and writing")
struct CSVTextTests {
    // MARK: Writing

    @Test(
        "Cells that would start a formula get a leading quote; others stay as they are",
        arguments: [
            ("=HYPERLINK(\"http://evil.example\",\"klick\")", "'=HYPERLINK(\"http://evil.example\",\"klick\")"),
            ("=1+2", "'=1+2"), ("+49 30 1234", "'+49 30 1234"), ("-5", "'-5"), ("-1+2", "'-1+2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"), ("\rcmd", "'\rcmd"), ("\r\ncmd", "'\r\ncmd"), ("＝1+2", "'＝1+2"),
            ("Müller, Söhne & Co. KG", "Müller, Söhne & Co. KG"), ("a=b", "a=b"), ("x-1", "x-1"), (" =1", " =1"),
            ("", ""),
            ("'=schon", "'=schon"),
        ])
    func neutralise(cell: String, expected: String) {
        #expect(CSVText.neutralise(cell) == expected)
    }

    @Test("The standard export: RFC 4180 with commas and CRLF, every cell neutralised")
    func writeStandard() throws {
        let csv = try CSVText.write(
            header: ["name", "company"],
            rows: [
                ["Eva", "=HYPERLINK(\"http://evil.example\",\"x\")"], ["-Mallory", "+1"],
                ["@Trudy", "Vogt; Partner, AG"],
            ])
        #expect(
            csv == "name,company\r\n"
                + "Eva,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"\r\n"
                + "'-Mallory,'+1\r\n"
                + "'@Trudy,\"Vogt; Partner, AG\"\r\n")
        #expect(!csv.hasPrefix("\u{FEFF}"))
    }

    @Test("The Excel variant: UTF-8 byte order mark, semicolons, CRLF, neutralised")
    func writeExcel() throws {
        let csv = try CSVText.write(
            header: ["name", "company", "topics"],
            rows: [
                ["Jürgen Müller", "Müller, Söhne KG", "KI; Social Media"], ["=1+2", "x", ""],
            ], dialect: .excel)
        #expect(Array(csv.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(
            csv == "\u{FEFF}name;company;topics\r\nJürgen Müller;Müller, Söhne KG;\"KI; Social Media\"\r\n'=1+2;x;\r\n")
    }

    // MARK: Decoding

    static func cp1252(_ text: String) -> [UInt8] {
        Array(text.data(using: .windowsCP1252)!)  // Foundation's encoder, independent of ours
    }

    @Test("Uploaded bytes: UTF-8 as is (BOM dropped), otherwise Windows-1252, UTF-16 with BOM; never U+FFFD")
    func decode() throws {
        let utf8 = try CSVText.decode(Array("Jürgen Müller".utf8))
        #expect(utf8.text == "Jürgen Müller" && utf8.encoding == .utf8)
        let bom = try CSVText.decode([0xEF, 0xBB, 0xBF] + Array("name,email".utf8))
        #expect(bom.text == "name,email" && bom.encoding == .utf8)

        let latin = try CSVText.decode([0x4A, 0xFC, 0x72, 0x67, 0x65, 0x6E])  // "Jürgen" in Windows-1252 / Latin-1
        #expect(latin.text == "Jürgen" && latin.encoding == .windows1252)
        let typography = "„Müller & Söhne“ – 5 € • Œuvre ß ÄÖÜ äöü é"
        let converted = try CSVText.decode(Self.cp1252(typography))
        #expect(converted.text == typography && converted.encoding == .windows1252)
        #expect(!converted.text.contains("\u{FFFD}"))

        var utf16 = Data([0xFF, 0xFE])
        utf16.append("name\temail\nJürgen\tj@x.example\n".data(using: .utf16LittleEndian)!)
        let unicodeText = try CSVText.decode(Array(utf16))
        #expect(unicodeText.text == "name\temail\nJürgen\tj@x.example\n" && unicodeText.encoding == .utf16)

        // An .xlsx workbook (a ZIP file).
        #expect(throws: CSVText.NotText.self) { try CSVText.decode([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]) }
        #expect(CSVText.validUTF8([UInt8]([0x4A, 0xFC, 0x72])[...]) == nil)
    }

    // MARK: Parsing

    @Test(
        "The delimiter comes from the header line, outside quotes",
        arguments: [
            ("name;email;company;position\r\nA;a@x;\"B, C\";D\r\n", ";" as Character),
            ("name,email,company,position\nA,a@x,\"B; C\",D\n", ","),
            ("\"name;x\",email\n", ","),
            ("name\temail\tcompany\tposition\n", "\t"),
            ("name\n", ","),
        ])
    func delimiter(text: String, expected: Character) {
        #expect(CSVText.delimiter(of: text) == expected)
    }

    @Test("Semicolon files as German Excel writes them (CRLF, quotes only where needed)")
    func semicolons() {
        let parsed = CSVText.parse(
            "name;email;company;position\r\nJürgen Müller;j@x.example;\"Müller; Söhne\";CEO\r\nEva;e@x.example;Eva, Partner AG;\r\n"
        )
        #expect(parsed.delimiter == ";")
        #expect(parsed.header == ["name", "email", "company", "position"])
        #expect(
            parsed.records == [
                .init(line: 2, fields: ["Jürgen Müller", "j@x.example", "Müller; Söhne", "CEO"]),
                .init(line: 3, fields: ["Eva", "e@x.example", "Eva, Partner AG", ""]),
            ])
        #expect(parsed.problems.isEmpty)
    }

    @Test("Every broken quote is reported with its line, and reading carries on after each")
    func everyBrokenQuote() {
        let text =
            [
                "name,email,company,position",  // 1
                "A,a@x.example,\"A AG,CTO",  // 2: never closed
                "B,b@x.example,B AG,CTO",  // 3
                "C,c@x.example,\"C\" AG,CTO",  // 4: text after the closing quote
                "\"Multi",  // 5: a quoted field over two lines is fine
                "Line\",m@x.example,M AG,CTO",  // 6
                "D,d@x.example,\"D AG,CTO",  // 7: never closed (the quote on line 8 is another field's)
                "E,e@x.example,\"E, AG\",CTO",  // 8
                "F \"Fritz\" Fuchs,f@x.example,F AG,CTO",  // 9: a quote inside an unquoted field is a character
                "G,g@x.example,G AG,\"CTO",  // 10: never closed, at the end
            ].joined(separator: "\r\n") + "\r\n"
        let parsed = CSVText.parse(text)
        #expect(
            parsed.problems == [
                ImportProblem(line: 2, field: nil, kind: .brokenQuoting),
                ImportProblem(line: 4, field: nil, kind: .textAfterQuote),
                ImportProblem(line: 7, field: nil, kind: .brokenQuoting),
                ImportProblem(line: 10, field: nil, kind: .brokenQuoting),
            ])
        #expect(parsed.records.map(\.line) == [3, 5, 8, 9])
        #expect(parsed.records.map { $0.fields[0] } == ["B", "Multi\r\nLine", "E", "F \"Fritz\" Fuchs"])
        #expect(parsed.records[2].fields[2] == "E, AG")
    }

    @Test("Line numbers follow LF, CRLF and CR line breaks, blank lines and a missing final break")
    func lineNumbers() {
        let parsed = CSVText.parse("name,email,company,position\rA,a@x,A,\r\n\nB,b@x,\"B\nB\",\nC,c@x,C,")
        #expect(parsed.records.map(\.line) == [2, 3, 4, 6])
        #expect(
            parsed.records.map(\.fields) == [
                ["A", "a@x", "A", ""], [""], ["B", "b@x", "B\nB", ""], ["C", "c@x", "C", ""],
            ])
    }

    @Test("A header-only file, an empty file and a broken header")
    func headerOnly() {
        for text in [
            "name,email,company,position", "name,email,company,position\n", "\u{FEFF}name;email;company;position\r\n",
        ] {
            let parsed = CSVText.parse(text)
            #expect(parsed.header == ["name", "email", "company", "position"])
            #expect(parsed.records.isEmpty && parsed.problems.isEmpty)
        }
        #expect(CSVText.parse("").header == nil)
        let broken = CSVText.parse("\"name,email,company,position\nA,a@x,A,B\n")
        #expect(broken.header == nil)
        #expect(broken.problems == [ImportProblem(line: 1, field: nil, kind: .brokenQuoting)])
    }
}
