import Mentoring
import Testing

@Suite("Member list import rules")
struct MemberListTests {
    static func records(_ rows: [[String]]) -> [MemberList.Record] {
        rows.enumerated().map { MemberList.Record(line: $0.offset + 2, fields: $0.element) }
    }

    @Test("A clean list becomes members; blank lines are skipped; a BOM in the header is fine")
    func clean() {
        let report = MemberList.validate(
            header: ["\u{FEFF}Name", "E-Mail".replacingOccurrences(of: "E-Mail", with: "email"), "company", "position"],
            records: Self.records([["Dr. Karin Vogt", "Karin.Vogt@Firma.example", "Vogt GmbH", "CTO"], ["", "", "", ""],
                                   ["Bernd Hoffmann", "bernd@hoffmann.example", "Hoffmann AG", ""]]),
            alreadyInvited: [])
        #expect(report.isClean)
        #expect(report.members.map(\.member.email) == ["karin.vogt@firma.example", "bernd@hoffmann.example"])
        #expect(report.members.map(\.line) == [2, 4])
    }

    @Test("Every problem names line, field and why")
    func problems() {
        let report = MemberList.validate(
            header: ["name", "email", "company", "position"],
            records: Self.records([
                ["", "a@firma.example", "A", "CTO"],
                ["B", "kein-at", "B", "CTO"],
                ["C", "A@firma.example", "C", "CTO"],
                ["D", "d@firma.example", "D"],
                ["E", "e@firma.example", "E", "CTO"],
            ]),
            alreadyInvited: ["e@firma.example"])
        #expect(!report.isClean)
        #expect(report.problems == [
            ImportProblem(line: 2, field: "name", kind: .required),
            ImportProblem(line: 3, field: "email", kind: .invalidEmail, detail: "kein-at"),
            ImportProblem(line: 4, field: "email", kind: .duplicateInFile, detail: "a@firma.example, line 2"),
            ImportProblem(line: 5, field: nil, kind: .wrongFieldCount, detail: "3 of 4"),
            ImportProblem(line: 6, field: "email", kind: .alreadyInvited, detail: "e@firma.example"),
        ])
        #expect(report.problems[0].description == "line 2, field \"name\": required")
    }

    @Test("Missing or wrong header, and an empty list, are problems of their own")
    func headers() {
        #expect(MemberList.validate(header: nil, records: [], alreadyInvited: []).problems.first?.kind == .missingHeader)
        let wrong = MemberList.validate(header: ["name", "mail", "firma"], records: [], alreadyInvited: [])
        #expect(wrong.problems == [ImportProblem(line: 1, field: nil, kind: .wrongHeader,
                                                 detail: "expected name,email,company,position, found name,mail,firma")])
        #expect(MemberList.validate(header: MemberList.header, records: [], alreadyInvited: []).problems.first?.kind == .empty)
    }
}
