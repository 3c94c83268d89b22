/// A programme's settings as organisers edit them, validated as a whole.
public struct ProgrammeSettings: Sendable, Equatable {
    /// A contact person shown to participants; `description` is the `Name <mail@example.org>` form used
    /// on pages and in the settings form.
    public struct Contact: Sendable, Equatable, Codable, CustomStringConvertible {
        public var name: String
        public var email: String
        public init(name: String, email: String) {
            self.name = name
            self.email = email
        }

        public var description: String { "\(name) <\(email)>" }
    }

    public var name: String
    public var description: String
    public var focusTopics: [String]
    public var contacts: [Contact]
    public var patronText: String
    /// Kickoff start as entered (`2027-01-15T17:00`, local time of the programme); the app converts it.
    public var kickoffLocal: String?
    public var roundsAtKickoff: Int
    public var minutesPerRound: Int
    public var shortlistSize: Int
    public var durationMonths: Int
    public var eligibility: EligibilityRules
    public var applicationDeadline: CalendarDate?
    public var privacyNotice: String

    public init(
        name: String, description: String, focusTopics: [String], contacts: [Contact], patronText: String,
        kickoffLocal: String?, roundsAtKickoff: Int, minutesPerRound: Int, shortlistSize: Int, durationMonths: Int,
        eligibility: EligibilityRules, applicationDeadline: CalendarDate?, privacyNotice: String
    ) {
        self.name = name
        self.description = description
        self.focusTopics = focusTopics
        self.contacts = contacts
        self.patronText = patronText
        self.kickoffLocal = kickoffLocal
        self.roundsAtKickoff = roundsAtKickoff
        self.minutesPerRound = minutesPerRound
        self.shortlistSize = shortlistSize
        self.durationMonths = durationMonths
        self.eligibility = eligibility
        self.applicationDeadline = applicationDeadline
        self.privacyNotice = privacyNotice
    }

    public static let roundsRange = 1...20
    public static let minutesRange = 1...60
    public static let shortlistRange = 1...10
    public static let tenureRange = 0...120
    public static let nameLength = 3...120

    public static let defaults = ProgrammeSettings(
        name: "", description: "", focusTopics: [], contacts: [], patronText: "", kickoffLocal: nil,
        roundsAtKickoff: 8, minutesPerRound: 5, shortlistSize: 3, durationMonths: TandemDuration.defaultMonths,
        eligibility: EligibilityRules(), applicationDeadline: nil, privacyNotice: "")
}

/// One problem with one form field; the app shows it next to the field in the reader's language.
public struct FieldProblem: Sendable, Equatable, Error {
    public enum Kind: String, Sendable, Equatable {
        case required, tooShort, tooLong, notANumber, outOfRange, invalidDate, inThePast, invalidEmail, invalidContact
    }
    public let field: String
    public let kind: Kind
    /// Extra detail for the message (a line of contacts, the allowed range).
    public let detail: String?

    public init(_ field: String, _ kind: Kind, detail: String? = nil) {
        self.field = field
        self.kind = kind
        self.detail = detail
    }
}

/// All problems of one form submission.
public struct FieldProblems: Sendable, Equatable, Error {
    public var all: [FieldProblem]
    public init(_ all: [FieldProblem]) { self.all = all }
    public func first(for field: String) -> FieldProblem? { all.first { $0.field == field } }
}

/// The raw strings of the programme form, exactly as posted.
public struct ProgrammeForm: Sendable, Equatable, Codable {
    public var name: String?
    public var description: String?
    public var focusTopics: String?
    public var contacts: String?
    public var patronText: String?
    public var kickoffAt: String?
    public var roundsAtKickoff: String?
    public var minutesPerRound: String?
    public var shortlistSize: String?
    public var durationMonths: String?
    public var requiredTalentProgramme: String?
    public var minimumTenureMonths: String?
    public var applicationDeadline: String?
    public var privacyNotice: String?

    public init() {}

    /// Fills the form from settings, for editing.
    public init(_ settings: ProgrammeSettings) {
        name = settings.name
        description = settings.description
        focusTopics = settings.focusTopics.joined(separator: ", ")
        contacts = settings.contacts.map(\.description).joined(separator: "\n")
        patronText = settings.patronText
        kickoffAt = settings.kickoffLocal
        roundsAtKickoff = String(settings.roundsAtKickoff)
        minutesPerRound = String(settings.minutesPerRound)
        shortlistSize = String(settings.shortlistSize)
        durationMonths = String(settings.durationMonths)
        requiredTalentProgramme = settings.eligibility.requiredTalentProgramme ?? ""
        minimumTenureMonths = String(settings.eligibility.minimumTenureMonths)
        applicationDeadline = settings.applicationDeadline?.description ?? ""
        privacyNotice = settings.privacyNotice
    }

    /// Validates every field and returns the settings, or every problem found (not just the first).
    /// - Parameters:
    ///   - now: the current local time (`YYYY-MM-DDTHH:MM` in the programme's time zone); a kickoff set to a
    ///     time before it is refused, unless it is `storedKickoff` (a programme whose kickoff lies behind it
    ///     can still have its description edited).
    ///   - storedKickoff: the kickoff as saved before this edit.
    public func validated(
        now: String? = nil, storedKickoff: String? = nil
    ) -> Result<ProgrammeSettings, FieldProblems> {
        var problems: [FieldProblem] = []
        var settings = ProgrammeSettings.defaults

        func text(_ value: String?) -> String { value?.trimmingWhitespace() ?? "" }
        func number(_ field: String, _ value: String?, _ range: ClosedRange<Int>, default fallback: Int) -> Int {
            let raw = text(value)
            if raw.isEmpty { return fallback }
            guard let parsed = Int(raw) else {
                problems.append(FieldProblem(field, .notANumber))
                return fallback
            }
            guard range.contains(parsed) else {
                problems.append(FieldProblem(field, .outOfRange, detail: "\(range.lowerBound)–\(range.upperBound)"))
                return fallback
            }
            return parsed
        }

        settings.name = text(name)
        if settings.name.isEmpty {
            problems.append(FieldProblem("name", .required))
        } else if settings.name.count < ProgrammeSettings.nameLength.lowerBound {
            problems.append(FieldProblem("name", .tooShort, detail: String(ProgrammeSettings.nameLength.lowerBound)))
        } else if settings.name.count > ProgrammeSettings.nameLength.upperBound {
            problems.append(FieldProblem("name", .tooLong, detail: String(ProgrammeSettings.nameLength.upperBound)))
        }
        settings.description = text(description)
        settings.focusTopics = text(focusTopics).split(whereSeparator: { $0 == "," || $0 == "\n" || $0 == ";" })
            .map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        settings.patronText = text(patronText)
        settings.privacyNotice = text(privacyNotice)
        // Participants consent to this text when they register: a programme without one cannot take consent.
        if settings.privacyNotice.isEmpty { problems.append(FieldProblem("privacyNotice", .required)) }

        for (index, line) in text(contacts).split(separator: "\n").enumerated() {
            let entry = String(line).trimmingWhitespace()
            if entry.isEmpty { continue }
            guard let contact = Self.parseContact(entry) else {
                problems.append(FieldProblem("contacts", .invalidContact, detail: "\(index + 1): \(entry)"))
                continue
            }
            settings.contacts.append(contact)
        }

        let kickoff = text(kickoffAt)
        if !kickoff.isEmpty {
            if !Self.isLocalDateTime(kickoff) {
                problems.append(FieldProblem("kickoffAt", .invalidDate))
            } else if let now, kickoff != storedKickoff, kickoff <= now {  // same format: text order is time order
                problems.append(FieldProblem("kickoffAt", .inThePast))
            } else {
                settings.kickoffLocal = kickoff
            }
        }
        let deadline = text(applicationDeadline)
        if !deadline.isEmpty {
            if let date = CalendarDate(parsing: deadline) {
                settings.applicationDeadline = date
            } else {
                problems.append(FieldProblem("applicationDeadline", .invalidDate))
            }
        }
        settings.roundsAtKickoff = number("roundsAtKickoff", roundsAtKickoff, ProgrammeSettings.roundsRange, default: 8)
        settings.minutesPerRound = number(
            "minutesPerRound", minutesPerRound, ProgrammeSettings.minutesRange, default: 5)
        settings.shortlistSize = number("shortlistSize", shortlistSize, ProgrammeSettings.shortlistRange, default: 3)
        settings.durationMonths = number(
            "durationMonths", durationMonths, TandemDuration.allowedMonths, default: TandemDuration.defaultMonths)
        settings.eligibility = EligibilityRules(
            requiredTalentProgramme: text(requiredTalentProgramme),
            minimumTenureMonths: number(
                "minimumTenureMonths", minimumTenureMonths, ProgrammeSettings.tenureRange,
                default: EligibilityRules.defaultMinimumTenureMonths))
        return problems.isEmpty ? .success(settings) : .failure(FieldProblems(problems))
    }

    /// `Name <mail@example.org>` or `Name, mail@example.org`.
    static func parseContact(_ entry: String) -> ProgrammeSettings.Contact? {
        var name = "", address = ""
        if let open = entry.lastIndex(of: "<"), entry.hasSuffix(">") {
            name = String(entry[..<open])
            address = String(entry[entry.index(after: open)..<entry.index(before: entry.endIndex)])
        } else if let comma = entry.lastIndex(of: ",") {
            name = String(entry[..<comma])
            address = String(entry[entry.index(after: comma)...])
        } else {
            return nil
        }
        name = name.trimmingWhitespace()
        guard !name.isEmpty, case .success(let email) = EmailAddress.normalise(address) else { return nil }
        return .init(name: name, email: email)
    }

    /// `YYYY-MM-DDTHH:MM`, as HTML `datetime-local` inputs send it.
    static func isLocalDateTime(_ text: String) -> Bool {
        let parts = text.split(separator: "T")
        guard parts.count == 2, CalendarDate(parsing: String(parts[0])) != nil else { return false }
        let time = parts[1].split(separator: ":")
        guard time.count == 2, let hour = Int(time[0]), let minute = Int(time[1]), time[0].count == 2,
            time[1].count == 2
        else { return false }
        return (0...23).contains(hour) && (0...59).contains(minute)
    }
}
