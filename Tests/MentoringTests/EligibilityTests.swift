import Mentoring
import PropertyBased
import Testing

@Suite("Mentor eligibility")
struct EligibilityTests {
    static let today = CalendarDate(year: 2026, month: 11, day: 23)!
    static let aspire = EligibilityRules(requiredTalentProgramme: "Microsoft Aspire", minimumTenureMonths: 6)

    static func facts(_ start: String, tookPart: Bool = true) -> ApplicantFacts {
        ApplicantFacts(companyStartDate: CalendarDate(parsing: start)!, tookPartInRequiredProgramme: tookPart)
    }

    @Test(
        "Tenure is counted in whole months and compared with the minimum",
        arguments: [
            ("2026-05-23", 6, true), ("2026-05-24", 5, false), ("2026-07-01", 4, false), ("2020-01-01", 82, true),
            ("23.05.2026", 6, true),
        ])
    func tenure(start: String, months: Int, eligible: Bool) {
        let result = Eligibility.check(Self.facts(start), against: Self.aspire, today: Self.today)
        #expect(result.tenureMonths == months)
        #expect(result.isEligible == eligible)
        if !eligible { #expect(result.findings == [.tenureTooShort(months: months, required: 6)]) }
    }

    @Test("The required talent programme must have been attended", arguments: [true, false])
    func talentProgramme(tookPart: Bool) {
        let result = Eligibility.check(
            Self.facts("2020-01-01", tookPart: tookPart), against: Self.aspire, today: Self.today)
        #expect(result.isEligible == tookPart)
        #expect(result.findings == (tookPart ? [] : [.talentProgrammeMissing(required: "Microsoft Aspire")]))
    }

    @Test("Every finding is reported, not just the first")
    func allFindings() {
        let result = Eligibility.check(
            Self.facts("2026-10-01", tookPart: false), against: Self.aspire, today: Self.today)
        #expect(
            result.findings == [
                .tenureTooShort(months: 1, required: 6), .talentProgrammeMissing(required: "Microsoft Aspire"),
            ])
        let future = Eligibility.check(Self.facts("2027-01-01"), against: Self.aspire, today: Self.today)
        #expect(future.findings == [.startDateInFuture])
    }

    @Test("No programme required: only tenure counts; blank names mean none")
    func noProgrammeRequired() {
        let rules = EligibilityRules(requiredTalentProgramme: "  ", minimumTenureMonths: 0)
        #expect(rules.requiredTalentProgramme == nil)
        #expect(
            Eligibility.check(Self.facts("2026-11-23", tookPart: false), against: rules, today: Self.today).isEligible)
    }

    @Test("Calendar dates parse ISO and German forms and reject impossible days")
    func parsing() {
        #expect(CalendarDate(parsing: "2024-02-29")?.german == "29.02.2024")
        #expect(CalendarDate(parsing: "29.02.2023") == nil)
        #expect(CalendarDate(parsing: "2026-13-01") == nil)
        #expect(CalendarDate(parsing: "gestern") == nil)
        #expect(CalendarDate(parsing: "1.3.2026")?.description == "2026-03-01")
    }

    @Test("Month ends: 31 Jan to 28 Feb is one month")
    func monthEnds() {
        let jan31 = CalendarDate(year: 2026, month: 1, day: 31)!
        #expect(jan31.wholeMonths(until: CalendarDate(year: 2026, month: 2, day: 28)!) == 1)
        #expect(jan31.wholeMonths(until: CalendarDate(year: 2026, month: 2, day: 27)!) == 0)
        #expect(jan31.wholeMonths(until: CalendarDate(year: 2026, month: 3, day: 31)!) == 2)
    }

    @Test("Whole months never decrease as the later day moves forward")
    func monotone() async {
        await propertyCheck(input: Gen.int(in: 0...3000), Gen.int(in: 0...400)) { startOffset, step in
            let start = Self.day(offset: startOffset)
            let a = Self.day(offset: startOffset + step), b = Self.day(offset: startOffset + step + 1)
            #expect(start.wholeMonths(until: a) <= start.wholeMonths(until: b))
            #expect(start.wholeMonths(until: a) >= 0)
        }
    }

    /// The calendar day `offset` days after 1 Jan 2020, counted by hand to stay independent of Foundation.
    static func day(offset: Int) -> CalendarDate {
        var year = 2020, month = 1, day = 1, left = offset
        while left > 0 {
            let days = [
                31, (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                31,
            ][month - 1]
            if day < days { day += 1 } else { day = 1; month += 1; if month > 12 { month = 1; year += 1 } }
            left -= 1
        }
        return CalendarDate(year: year, month: month, day: day)!
    }
}
