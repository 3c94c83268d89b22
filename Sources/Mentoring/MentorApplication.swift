/// Where a mentor application stands. Unconfirmed until the applicant opens the e-mailed link.
public enum ApplicationStatus: String, Sendable, Codable, CaseIterable {
    case unconfirmed, submitted, preselected, waitlisted, declined

    /// The organiser decisions, in the order the review queue offers them.
    public static let decisions: [ApplicationStatus] = [.preselected, .waitlisted, .declined]
}

/// A validated mentor application, as the public form submitted it.
public struct MentorApplicationDraft: Sendable, Equatable {
    public var name: String
    public var email: String
    public var teamRole: String
    public var companyStartDate: CalendarDate
    public var tookPartInTalentProgramme: Bool
    public var expertiseTopics: [String]
    public var languages: [String]
    public var motivation: String

    public static let motivationLimit = 2000

    public init(
        name: String, email: String, teamRole: String, companyStartDate: CalendarDate, tookPartInTalentProgramme: Bool,
        expertiseTopics: [String], languages: [String], motivation: String
    ) {
        self.name = name
        self.email = email
        self.teamRole = teamRole
        self.companyStartDate = companyStartDate
        self.tookPartInTalentProgramme = tookPartInTalentProgramme
        self.expertiseTopics = expertiseTopics
        self.languages = languages
        self.motivation = motivation
    }
}

/// The raw strings of the public application form.
public struct MentorApplicationForm: Sendable, Equatable, Codable {
    public var name: String?
    public var email: String?
    public var teamRole: String?
    public var companyStartDate: String?
    public var tookPartInTalentProgramme: String?
    public var expertiseTopics: String?
    public var languages: String?
    public var motivation: String?

    public init() {}

    /// Validates every field against the form rules (not the eligibility rules: an ineligible application is
    /// still kept and shown to organisers, with the reason).
    public func validated(today: CalendarDate) -> Result<MentorApplicationDraft, FieldProblems> {
        var problems: [FieldProblem] = []
        func text(_ value: String?) -> String { value?.trimmingWhitespace() ?? "" }
        func list(_ value: String?) -> [String] {
            text(value).split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" })
                .map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        }
        let name = text(name)
        if name.isEmpty {
            problems.append(FieldProblem("name", .required))
        } else if name.count > 120 {
            problems.append(FieldProblem("name", .tooLong, detail: "120"))
        }
        var email = ""
        switch EmailAddress.normalise(self.email ?? "") {
        case .success(let normalised): email = normalised
        case .failure(.empty): problems.append(FieldProblem("email", .required))
        case .failure: problems.append(FieldProblem("email", .invalidEmail))
        }
        let teamRole = text(teamRole)
        if teamRole.isEmpty { problems.append(FieldProblem("teamRole", .required)) }
        var start: CalendarDate?
        let rawStart = text(companyStartDate)
        if rawStart.isEmpty {
            problems.append(FieldProblem("companyStartDate", .required))
        } else if let parsed = CalendarDate(parsing: rawStart), parsed <= today {
            start = parsed
        } else {
            problems.append(FieldProblem("companyStartDate", .invalidDate))
        }
        let motivation = text(motivation)
        if motivation.isEmpty {
            problems.append(FieldProblem("motivation", .required))
        } else if motivation.count > MentorApplicationDraft.motivationLimit {
            problems.append(
                FieldProblem("motivation", .tooLong, detail: String(MentorApplicationDraft.motivationLimit)))
        }
        let topics = list(expertiseTopics)
        if topics.isEmpty { problems.append(FieldProblem("expertiseTopics", .required)) }
        guard problems.isEmpty, let start else { return .failure(FieldProblems(problems)) }
        let languages = list(self.languages)
        return .success(
            MentorApplicationDraft(
                name: name, email: email, teamRole: teamRole, companyStartDate: start,
                tookPartInTalentProgramme: ["on", "true", "yes", "1"].contains(
                    text(tookPartInTalentProgramme).lowercased()),
                expertiseTopics: topics, languages: languages.isEmpty ? ["Deutsch"] : languages, motivation: motivation)
        )
    }
}
