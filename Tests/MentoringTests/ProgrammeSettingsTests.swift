import Mentoring
import Testing

@Suite("Programme settings form")
struct ProgrammeSettingsTests {
    static func form(_ change: (inout ProgrammeForm) -> Void = { _ in }) -> ProgrammeForm {
        var form = ProgrammeForm()
        form.name = "Reverse Mentoring 2027"
        form.focusTopics = "Social Media, KI; Datenplattformen\nDigitaler Arbeitsplatz"
        form.contacts = "Heike Beispiel <heike@institut.example>\nPaula Muster, paula@institut.example"
        form.kickoffAt = "2027-01-15T17:00"
        form.durationMonths = "12"
        form.requiredTalentProgramme = " Aspire "
        form.applicationDeadline = "31.12.2026"
        form.privacyNotice = "Wir verarbeiten Ihre Angaben nur für dieses Programm."
        change(&form)
        return form
    }

    @Test("A complete form becomes settings, with defaults for empty numbers")
    func valid() throws {
        let settings = try Self.form().validated().get()
        #expect(settings.focusTopics == ["Social Media", "KI", "Datenplattformen", "Digitaler Arbeitsplatz"])
        #expect(
            settings.contacts == [
                .init(name: "Heike Beispiel", email: "heike@institut.example"),
                .init(name: "Paula Muster", email: "paula@institut.example"),
            ])
        #expect(settings.roundsAtKickoff == 8)
        #expect(settings.minutesPerRound == 5)
        #expect(settings.shortlistSize == 3)
        #expect(settings.durationMonths == 12)
        #expect(settings.eligibility == EligibilityRules(requiredTalentProgramme: "Aspire", minimumTenureMonths: 6))
        #expect(settings.applicationDeadline?.description == "2026-12-31")
        // Round trip through the edit form.
        #expect(try ProgrammeForm(settings).validated().get() == settings)
    }

    @Test("Every problem is reported with its field")
    func problems() {
        let form = Self.form {
            $0.name = " "
            $0.durationMonths = "3"
            $0.roundsAtKickoff = "acht"
            $0.contacts = "Heike <kaputt>\nnur ein Name"
            $0.kickoffAt = "15.01.2027 17 Uhr"
            $0.applicationDeadline = "31.02.2027"
            $0.minimumTenureMonths = "-1"
        }
        guard case .failure(let failure) = form.validated() else {
            Issue.record("expected problems")
            return
        }
        let problems = failure.all
        #expect(problems.contains(FieldProblem("name", .required)))
        #expect(problems.contains(FieldProblem("durationMonths", .outOfRange, detail: "4–12")))
        #expect(problems.contains(FieldProblem("roundsAtKickoff", .notANumber)))
        #expect(problems.contains(FieldProblem("contacts", .invalidContact, detail: "1: Heike <kaputt>")))
        #expect(problems.contains(FieldProblem("contacts", .invalidContact, detail: "2: nur ein Name")))
        #expect(problems.contains(FieldProblem("kickoffAt", .invalidDate)))
        #expect(problems.contains(FieldProblem("applicationDeadline", .invalidDate)))
        #expect(problems.contains(FieldProblem("minimumTenureMonths", .outOfRange, detail: "0–120")))
        #expect(problems.count == 8)
    }

    @Test(
        "Tandem duration accepts 4 to 12 months",
        arguments: [("4", true), ("12", true), ("13", false), ("0", false), ("9", true)])
    func duration(value: String, ok: Bool) {
        let result = Self.form { $0.durationMonths = value }.validated()
        #expect(((try? result.get()) != nil) == ok)
    }

    @Test("An empty privacy notice is refused: nobody could consent to it")
    func privacyNoticeRequired() {
        guard case .failure(let failure) = Self.form({ $0.privacyNotice = "  \n " }).validated() else {
            Issue.record("accepted an empty privacy notice")
            return
        }
        #expect(failure.first(for: "privacyNotice")?.kind == .required)
    }

    @Test("A kickoff in the past is refused, unless it is the one already saved")
    func kickoffInThePast() throws {
        let past = Self.form { $0.kickoffAt = "2026-11-30T09:59" }
        guard case .failure(let failure) = past.validated(now: "2026-11-30T10:00") else {
            Issue.record("accepted a kickoff in the past")
            return
        }
        #expect(failure.first(for: "kickoffAt")?.kind == .inThePast)
        // Editing the description of a programme whose kickoff lies behind it still works.
        #expect(throws: Never.self) {
            try past.validated(now: "2026-11-30T10:00", storedKickoff: "2026-11-30T09:59").get()
        }
        #expect(throws: Never.self) {
            try Self.form { $0.kickoffAt = "2026-11-30T10:01" }.validated(now: "2026-11-30T10:00").get()
        }
    }
}
