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

/// A problem in one line of an imported list, named so a person can fix the file: line, field, why.
public struct ImportProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case missingHeader, wrongHeader, wrongFieldCount, required, invalidEmail, duplicateInFile, alreadyInvited
        case brokenQuoting, empty
    }
    public let line: Int
    public let field: String?
    public let kind: Kind
    public let detail: String

    public init(line: Int, field: String?, kind: Kind, detail: String = "") {
        self.line = line
        self.field = field
        self.kind = kind
        self.detail = detail
    }

    public var description: String {
        "line \(line)" + (field.map { ", field \"\($0)\"" } ?? "") + ": \(kind.rawValue)" + (detail.isEmpty ? "" : " (\(detail))")
    }
}

/// Validates a member list, all lines at once: every problem is reported, and a list with any problem
/// is imported not at all (the app runs the import in one transaction).
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
        public let members: [(line: Int, member: Member)]
        public let problems: [ImportProblem]
        public var isClean: Bool { problems.isEmpty }

        public init(members: [(line: Int, member: Member)], problems: [ImportProblem]) {
            self.members = members
            self.problems = problems
        }

        public static func == (lhs: Report, rhs: Report) -> Bool {
            lhs.problems == rhs.problems && lhs.members.map(\.line) == rhs.members.map(\.line)
                && lhs.members.map(\.member) == rhs.members.map(\.member)
        }
    }

    /// - Parameters:
    ///   - header: the file's first record.
    ///   - records: the following records with their line numbers.
    ///   - alreadyInvited: lower-cased addresses that have an invitation in this programme already.
    public static func validate(header: [String]?, records: [Record], alreadyInvited: Set<String>) -> Report {
        guard let header else {
            return Report(members: [], problems: [ImportProblem(line: 1, field: nil, kind: .missingHeader, detail: Self.header.joined(separator: ","))])
        }
        let normalisedHeader = header.map { $0.trimmingWhitespace().lowercased() }
        // A UTF-8 byte order mark from spreadsheet exports is not part of the first column's name.
        let cleaned = normalisedHeader.enumerated().map { $0.offset == 0 ? String($0.element.drop { $0 == "\u{FEFF}" }) : $0.element }
        guard cleaned == Self.header else {
            return Report(members: [], problems: [ImportProblem(
                line: 1, field: nil, kind: .wrongHeader, detail: "expected \(Self.header.joined(separator: ",")), found \(header.joined(separator: ","))")])
        }
        var members: [(Int, Member)] = []
        var problems: [ImportProblem] = []
        var seen: [String: Int] = [:]
        for record in records {
            if record.fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { continue }  // blank lines are harmless
            guard record.fields.count == Self.header.count else {
                problems.append(ImportProblem(line: record.line, field: nil, kind: .wrongFieldCount,
                                              detail: "\(record.fields.count) of \(Self.header.count)"))
                continue
            }
            let values = record.fields.map { $0.trimmingWhitespace() }
            var rowProblems: [ImportProblem] = []
            for (index, name) in Self.header.enumerated() where values[index].isEmpty && name != "position" {
                rowProblems.append(ImportProblem(line: record.line, field: name, kind: .required))
            }
            var email = ""
            if !values[1].isEmpty {
                switch EmailAddress.normalise(values[1]) {
                case .success(let normalised): email = normalised
                case .failure: rowProblems.append(ImportProblem(line: record.line, field: "email", kind: .invalidEmail, detail: values[1]))
                }
            }
            if !email.isEmpty {
                if let first = seen[email] {
                    rowProblems.append(ImportProblem(line: record.line, field: "email", kind: .duplicateInFile, detail: "\(email), line \(first)"))
                } else {
                    seen[email] = record.line
                    if alreadyInvited.contains(email) {
                        rowProblems.append(ImportProblem(line: record.line, field: "email", kind: .alreadyInvited, detail: email))
                    }
                }
            }
            if rowProblems.isEmpty {
                members.append((record.line, Member(name: values[0], email: email, company: values[2], position: values[3])))
            }
            problems += rowProblems
        }
        if members.isEmpty && problems.isEmpty {
            problems.append(ImportProblem(line: 2, field: nil, kind: .empty))
        }
        return Report(members: members, problems: problems)
    }
}
