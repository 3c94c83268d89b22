/// The programme's rules for who may mentor, e.g. "took part in the Aspire talent programme and has been
/// with the company at least 6 months".
public struct EligibilityRules: Sendable, Equatable, Codable {
    /// Name of the talent programme applicants must have taken part in; `nil` when none is required.
    public var requiredTalentProgramme: String?
    /// Minimum time in the company, in whole months.
    public var minimumTenureMonths: Int

    public static let defaultMinimumTenureMonths = 6

    public init(requiredTalentProgramme: String? = nil, minimumTenureMonths: Int = defaultMinimumTenureMonths) {
        let trimmed = requiredTalentProgramme?.trimmingWhitespace()
        self.requiredTalentProgramme = trimmed?.isEmpty == true ? nil : trimmed
        self.minimumTenureMonths = minimumTenureMonths
    }
}

/// What an application says about the applicant, as far as the rules care.
public struct ApplicantFacts: Sendable, Equatable {
    public var companyStartDate: CalendarDate
    /// Whether the applicant confirmed taking part in the programme's required talent programme. The form asks
    /// this as a yes/no question naming the programme, so no guessing at free-text programme names is needed.
    public var tookPartInRequiredProgramme: Bool

    public init(companyStartDate: CalendarDate, tookPartInRequiredProgramme: Bool) {
        self.companyStartDate = companyStartDate
        self.tookPartInRequiredProgramme = tookPartInRequiredProgramme
    }
}

/// One reason an application does not meet the rules. The UI turns each into a sentence such as
/// "Betriebszugehörigkeit 4 Monate, mindestens 6 erforderlich".
public enum EligibilityFinding: Sendable, Equatable, Codable {
    case tenureTooShort(months: Int, required: Int)
    case startDateInFuture
    case talentProgrammeMissing(required: String)
}

public struct EligibilityResult: Sendable, Equatable {
    public let tenureMonths: Int
    public let findings: [EligibilityFinding]
    public var isEligible: Bool { findings.isEmpty }

    public init(tenureMonths: Int, findings: [EligibilityFinding]) {
        self.tenureMonths = tenureMonths
        self.findings = findings
    }
}

public enum Eligibility {
    /// Checks an application against the rules on `today` (the organiser's calendar day, Europe/Berlin).
    public static func check(
        _ facts: ApplicantFacts, against rules: EligibilityRules, today: CalendarDate
    ) -> EligibilityResult {
        var findings: [EligibilityFinding] = []
        let months = facts.companyStartDate.wholeMonths(until: today)
        if facts.companyStartDate > today {
            findings.append(.startDateInFuture)
        } else if months < rules.minimumTenureMonths {
            findings.append(.tenureTooShort(months: months, required: rules.minimumTenureMonths))
        }
        if let required = rules.requiredTalentProgramme, !facts.tookPartInRequiredProgramme {
            findings.append(.talentProgrammeMissing(required: required))
        }
        return EligibilityResult(tenureMonths: max(0, months), findings: findings)
    }
}
