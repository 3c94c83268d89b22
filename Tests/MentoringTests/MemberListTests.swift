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
            header: [
                "\u{FEFF}Name", "E-Mail".replacingOccurrences(of: "E-Mail", with: "email"), "company", "position",
            ],
            records: Self.records([
                ["Dr. Karin Vogt", "Karin.Vogt@Firma.example", "Vogt GmbH", "CTO"], ["", "", "", ""],
                ["Bernd Hoffmann", "bernd@hoffmann.example", "Hoffmann AG", ""],
            ]),
            alreadyInvited: [])
        #expect(report.isClean)
        #expect(report.members.map(\.member.email) == ["karin.vogt@firma.example", "bernd@hoffmann.example"])
        #expect(report.members.map(\.line) == [2, 4])
        #expect(report.skipped.isEmpty)
    }

    @Test("Every problem names line, field and why, with language-neutral values only")
    func problems() {
        let report = MemberList.validate(
            header: ["name", "email", "company", "position"],
            records: Self.records([
                ["", "a@firma.example", "A", "CTO"],
                ["B", "kein-at", "B", "CTO"],
                ["C", "A@firma.example", "C", "CTO"],
                ["D", "d@firma.example", "D"],
                ["J\u{FFFD}rgen", "j@firma.example", "J AG", "CEO"],
            ]),
            alreadyInvited: [])
        #expect(!report.isClean)
        #expect(
            report.problems == [
                ImportProblem(line: 2, field: "name", kind: .required),
                ImportProblem(line: 3, field: "email", kind: .invalidEmail, values: ["kein-at"]),
                ImportProblem(line: 4, field: "email", kind: .duplicateInFile, values: ["a@firma.example", "2"]),
                ImportProblem(line: 5, field: nil, kind: .wrongFieldCount, values: ["3", "4"]),
                ImportProblem(line: 6, field: "name", kind: .unreadableCharacter, values: ["J\u{FFFD}rgen"]),
            ])
        #expect(report.problems[0].description == "line 2, field \"name\": required")
        // No English words inside the values: they are addresses, numbers and the text of the file.
        #expect(report.problems.flatMap(\.values).allSatisfy { !$0.contains(" of ") && !$0.contains("line") })
        #expect(report.members.isEmpty, "every line has a problem")
    }

    @Test("People invited already are skipped and reported, not errors: the others are imported")
    func alreadyInvited() {
        let report = MemberList.validate(
            header: MemberList.header,
            records: Self.records([
                ["Erika Muster", "Erika@Firma.example", "Muster AG", "CEO"],
                ["Neu Person", "neu@firma.example", "Neu GmbH", "CTO"],
                ["Hans Alt", "hans@firma.example", "", ""],  // incomplete, but skipped anyway
            ]),
            alreadyInvited: ["erika@firma.example", "hans@firma.example"])
        #expect(report.isClean)
        #expect(report.members.map(\.member.email) == ["neu@firma.example"])
        #expect(report.skipped.map(\.line) == [2, 4])
        #expect(report.skipped.map(\.member.email) == ["erika@firma.example", "hans@firma.example"])

        let everyone = MemberList.validate(
            header: MemberList.header,
            records: Self.records([["Erika Muster", "erika@firma.example", "Muster AG", "CEO"]]),
            alreadyInvited: ["erika@firma.example"])
        #expect(
            everyone.isClean && everyone.members.isEmpty && everyone.skipped.count == 1, "nothing new is not an error")
    }

    @Test("Missing or wrong header, and a header-only list, are problems of their own")
    func headers() {
        #expect(
            MemberList.validate(header: nil, records: [], alreadyInvited: []).problems
                == [ImportProblem(line: 0, field: nil, kind: .missingHeader, values: ["name,email,company,position"])])
        let wrong = MemberList.validate(header: ["name", "mail", "firma"], records: [], alreadyInvited: [])
        #expect(
            wrong.problems == [
                ImportProblem(
                    line: 1, field: nil, kind: .wrongHeader,
                    values: ["name,mail,firma", "name,email,company,position"])
            ])
        #expect(
            MemberList.validate(header: MemberList.header, records: [], alreadyInvited: []).problems
                == [ImportProblem(line: 0, field: nil, kind: .empty)])
        let blankOnly = MemberList.validate(
            header: MemberList.header, records: Self.records([[""], ["", "", "", ""]]), alreadyInvited: [])
        #expect(blankOnly.problems.map(\.kind) == [.empty])
    }

    @Test("The reader's problems are reported with the rest, in line order, and never as an empty list")
    func readingProblems() {
        let report = MemberList.validate(
            header: MemberList.header,
            records: Self.records([["A", "kaputt", "A AG", "CTO"], ["B", "b@firma.example", "B AG", "CTO"]]),
            alreadyInvited: [],
            readingProblems: [
                ImportProblem(line: 9, field: nil, kind: .brokenQuoting),
                ImportProblem(line: 5, field: nil, kind: .textAfterQuote),
            ])
        #expect(report.problems.map(\.line) == [2, 5, 9])
        #expect(report.members.count == 1)
        let onlyBroken = MemberList.validate(
            header: MemberList.header, records: [], alreadyInvited: [],
            readingProblems: [ImportProblem(line: 2, field: nil, kind: .brokenQuoting)])
        #expect(onlyBroken.problems.map(\.kind) == [.brokenQuoting], "no extra 'empty list' message")
        let brokenHeader = MemberList.validate(
            header: nil, records: [], alreadyInvited: [],
            readingProblems: [ImportProblem(line: 1, field: nil, kind: .brokenQuoting)])
        #expect(brokenHeader.problems.map(\.kind) == [.brokenQuoting], "no extra 'missing header' message")
    }

    @Test("A realistic list of 300 members with umlauts and commas in companies")
    func threeHundred() {
        let rows = (1...300).map { i in
            [
                "Jürgen Müller-Lüdenscheidt \(i)", "juergen.mueller\(i)@firma.example",
                "Müller, Söhne & Co. KG \(i % 7)", "Geschäftsführer",
            ]
        }
        let report = MemberList.validate(
            header: MemberList.header, records: Self.records(rows), alreadyInvited: ["juergen.mueller7@firma.example"])
        #expect(report.isClean)
        #expect(report.members.count == 299)
        #expect(report.skipped.map(\.line) == [8])
        #expect(report.members.first?.member.company == "Müller, Söhne & Co. KG 1")
        #expect(report.members.last?.line == 301)
    }
}
