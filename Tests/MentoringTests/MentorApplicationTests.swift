import Mentoring
import Testing

@Suite("Mentor application form")
struct MentorApplicationTests {
    static let today = CalendarDate(year: 2026, month: 11, day: 23)!

    static func form(_ change: (inout MentorApplicationForm) -> Void = { _ in }) -> MentorApplicationForm {
        var form = MentorApplicationForm()
        form.name = "Lea Brandt"
        form.email = " Lea.Brandt@Firma.example "
        form.teamRole = "Cloud Solution Architect"
        form.companyStartDate = "2025-03-01"
        form.tookPartInTalentProgramme = "on"
        form.expertiseTopics = "KI, Daten; Social Media"
        form.languages = "Deutsch, Englisch"
        form.motivation = "Ich möchte Perspektiven teilen."
        change(&form)
        return form
    }

    @Test("A complete form becomes a draft")
    func valid() throws {
        let draft = try Self.form().validated(today: Self.today).get()
        #expect(draft.email == "lea.brandt@firma.example")
        #expect(draft.expertiseTopics == ["KI", "Daten", "Social Media"])
        #expect(draft.tookPartInTalentProgramme)
        #expect(draft.companyStartDate.description == "2025-03-01")
        let unchecked = try Self.form {
            $0.tookPartInTalentProgramme = nil; $0.languages = ""
        }.validated(today: Self.today).get()
        #expect(!unchecked.tookPartInTalentProgramme)
        #expect(unchecked.languages == ["Deutsch"])
    }

    @Test("Every problem is named with its field")
    func problems() {
        let result = Self.form {
            $0.name = ""
            $0.email = "kaputt"
            $0.companyStartDate = "2027-01-01"
            $0.motivation = String(repeating: "x", count: 2001)
            $0.expertiseTopics = " , "
        }.validated(today: Self.today)
        guard case .failure(let problems) = result else {
            Issue.record("expected problems")
            return
        }
        #expect(
            problems.all == [
                FieldProblem("name", .required), FieldProblem("email", .invalidEmail),
                FieldProblem("companyStartDate", .invalidDate), FieldProblem("motivation", .tooLong, detail: "2000"),
                FieldProblem("expertiseTopics", .required),
            ])
    }
}
