/// One invited member from an organiser's member list (CSV: name, email, company, position).
public struct Member: Sendable, Equatable {
    public var name: String
    public var email: String
    public var company: String
    public var position: String

    public init(name: String, email: String, company: String, position: String) {
        self.name = name
        self.email = email
        self.company = company
        self.position = position
    }
}

/// A problem in an imported list, named so a person can fix the file: line, field, why. The words are the
/// app's (catalogue key `import.problem.<kind>`); `values` holds only language-neutral data for them:
/// addresses, numbers, column names.
public struct ImportProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The file is empty: not even a header. Line 0; values: the expected header.
        case missingHeader
        /// Values: the header found, the header expected (both comma-separated).
        case wrongHeader
        /// Values: the number of fields found, the number expected.
        case wrongFieldCount
        /// A required field is empty.
        case required
        /// Values: the text given.
        case invalidEmail
        /// Values: the address, the line it first appears on.
        case duplicateInFile
        /// A quote opened on this line is never closed.
        case brokenQuoting
        /// Text follows a closing quote (`"Vogt" GmbH,…`).
        case textAfterQuote
        /// A field holds U+FFFD, the mark of text decoded with the wrong character set. Values: the field.
        case unreadableCharacter
        /// The upload is no text file (e.g. an Excel workbook instead of CSV). Line 0.
        case notText
        /// The file could not be read. Line 0.
        case unreadable
        /// A header and nobody in the list. Line 0.
        case empty
    }
    /// 1 = the header; 0 = the file as a whole.
    public let line: Int
    public let field: String?
    public let kind: Kind
    public let values: [String]

    public init(line: Int, field: String?, kind: Kind, values: [String] = []) {
        self.line = line
        self.field = field
        self.kind = kind
        self.values = values
    }

    /// For logs and tests; people read the app's wording.
    public var description: String {
        (line > 0 ? "line \(line)" : "file") + (field.map { ", field \"\($0)\"" } ?? "") + ": \(kind.rawValue)"
            + (values.isEmpty ? "" : " \(values)")
    }
}

/// Validates a member list, all lines at once: every problem is reported, and a list with any problem
/// is imported not at all (the app runs the import in one transaction). People who are invited already are
/// no problem: they are listed as skipped, and the others are imported.
public enum MemberList {
    public static let header = ["name", "email", "company", "position"]

    /// A parsed CSV record and the line it starts on (1 = header).
    public struct Record: Sendable, Equatable {
        public let line: Int
        public let fields: [String]
        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    public struct Report: Sendable, Equatable {
        /// The people to invite.
        public let members: [(line: Int, member: Member)]
        /// People with an invitation in this programme already: not invited again, not an error.
        public let skipped: [(line: Int, member: Member)]
        /// Sorted by line (0, the file as a whole, first).
        public let problems: [ImportProblem]
        public var isClean: Bool { problems.isEmpty }

        public init(
            members: [(line: Int, member: Member)], skipped: [(line: Int, member: Member)] = [],
            problems: [ImportProblem]
        ) {
            self.members = members
            self.skipped = skipped
            self.problems = problems
        }

        public static func == (lhs: Report, rhs: Report) -> Bool {
            lhs.problems == rhs.problems && lhs.members.map(\.line) == rhs.members.map(\.line)
                && lhs.members.map(\.member) == rhs.members.map(\.member)
                && lhs.skipped.map(\.line) == rhs.skipped.map(\.line)
                && lhs.skipped.map(\.member) == rhs.skipped.map(\.member)
        }
    }

    /// - Parameters:
    ///   - header: the file's first record; nil when the file is empty or its first line could not be read.
    ///   - records: the following records with their line numbers.
    ///   - alreadyInvited: lower-cased addresses that have an invitation in this programme already.
    ///   - readingProblems: what the CSV reader found (e.g. broken quoting); reported with the rest.
    public static func validate(
        header: [String]?, records: [Record], alreadyInvited: Set<String>, readingProblems: [ImportProblem] = []
    ) -> Report {
        guard let header else {
            if !readingProblems.isEmpty { return Report(members: [], problems: sorted(readingProblems)) }
            return Report(
                members: [],
                problems: [
                    ImportProblem(
                        line: 0, field: nil, kind: .missingHeader,
                        values: [Self.header.joined(separator: ",")])
                ])
        }
        let normalisedHeader = header.map { $0.trimmingWhitespace().lowercased() }
        // A UTF-8 byte order mark from spreadsheet exports is not part of the first column's name.
        let cleaned = normalisedHeader.enumerated().map {
            $0.offset == 0 ? String($0.element.drop { $0 == "\u{FEFF}" }) : $0.element
        }
        guard cleaned == Self.header else {
            let wrong = ImportProblem(
                line: 1, field: nil, kind: .wrongHeader,
                values: [header.joined(separator: ","), Self.header.joined(separator: ",")])
            return Report(members: [], problems: sorted(readingProblems + [wrong]))
        }
        var members: [(Int, Member)] = []
        var skipped: [(Int, Member)] = []
        var problems: [ImportProblem] = readingProblems
        var seen: [String: Int] = [:]
        for record in records {
            if record.fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { continue }  // blank lines are harmless
            guard record.fields.count == Self.header.count else {
                problems.append(
                    ImportProblem(
                        line: record.line, field: nil, kind: .wrongFieldCount,
                        values: [String(record.fields.count), String(Self.header.count)]))
                continue
            }
            let values = record.fields.map { $0.trimmingWhitespace() }
            var email = ""
            var invalidEmail: ImportProblem?
            if !values[1].isEmpty {
                switch EmailAddress.normalise(values[1]) {
                case .success(let normalised): email = normalised
                case .failure:
                    invalidEmail = ImportProblem(
                        line: record.line, field: "email", kind: .invalidEmail, values: [values[1]])
                }
            }
            if !email.isEmpty {
                if let first = seen[email] {
                    problems.append(
                        ImportProblem(
                            line: record.line, field: "email", kind: .duplicateInFile,
                            values: [email, String(first)]))
                    continue
                }
                seen[email] = record.line
                if alreadyInvited.contains(email) {
                    // Not invited again; the rest of the line does not matter, so it cannot block the others.
                    skipped.append(
                        (record.line, Member(name: values[0], email: email, company: values[2], position: values[3])))
                    continue
                }
            }
            var rowProblems: [ImportProblem] = []
            for (index, name) in Self.header.enumerated() where values[index].isEmpty && name != "position" {
                rowProblems.append(ImportProblem(line: record.line, field: name, kind: .required))
            }
            if let invalidEmail { rowProblems.append(invalidEmail) }
            for (index, name) in Self.header.enumerated() where values[index].unicodeScalars.contains("\u{FFFD}") {
                rowProblems.append(
                    ImportProblem(line: record.line, field: name, kind: .unreadableCharacter, values: [values[index]]))
            }
            if rowProblems.isEmpty {
                members.append(
                    (record.line, Member(name: values[0], email: email, company: values[2], position: values[3])))
            }
            problems += rowProblems
        }
        if members.isEmpty && skipped.isEmpty && problems.isEmpty {
            problems.append(ImportProblem(line: 0, field: nil, kind: .empty))
        }
        return Report(members: members, skipped: skipped, problems: sorted(problems))
    }

    /// By line, keeping the order within a line (stable).
    static func sorted(_ problems: [ImportProblem]) -> [ImportProblem] {
        problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
    }
}
