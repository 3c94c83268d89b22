import PropertyBased
import Testing

@testable import Mentoring

@Suite("Tandem year: months, meeting days, health")
struct TandemYearTests {
    let day = { (text: String) in CalendarDate(parsing: text)! }

    @Test("a year has its months, its end and a month for every day in it")
    func months() throws {
        let year = try #require(TandemYear(start: day("2027-01-31"), months: 9))
        #expect(year.end == day("2027-10-30"))
        #expect(year.month(of: day("2027-01-31")) == 1)
        #expect(year.month(of: day("2027-02-27")) == 1)
        #expect(year.month(of: day("2027-02-28")) == 2, "31 Jan + 1 month is the end of February")
        #expect(year.month(of: day("2027-10-30")) == 9)
        #expect(year.month(of: day("2027-10-31")) == nil && year.month(of: day("2027-01-30")) == nil)
        #expect(year.firstDay(ofMonth: 3) == day("2027-03-31"))
        #expect(TandemYear(start: day("2027-01-01"), months: 3) == nil)
        #expect(TandemYear(start: day("2027-01-01"), months: 13) == nil)
    }

    @Test("a meeting lies today or later and within the year")
    func meetingDays() throws {
        let year = try #require(TandemYear(start: day("2027-02-01"), months: 4))
        #expect(year.check(meetingDay: day("2027-03-10"), today: day("2027-03-10")) == nil)
        #expect(year.check(meetingDay: day("2027-03-09"), today: day("2027-03-10")) == .inThePast)
        #expect(year.check(meetingDay: day("2027-01-31"), today: day("2027-01-20")) == .beforeStart)
        #expect(year.check(meetingDay: day("2027-06-01"), today: day("2027-03-10")) == .afterEnd)
        #expect(year.check(meetingDay: day("2027-05-31"), today: day("2027-03-10")) == nil)
    }

    @Test("health: on track, due after the middle of a month without a meeting, stalled after 45 days")
    func health() {
        let rules = TandemHealthRules()
        let start = day("2027-01-04")
        let facts = { (today: String, lastHeld: String?, thisMonth: Bool) in
            TandemHealthRules.Facts(
                today: day(today), activeSince: start, lastHeld: lastHeld.map(day), meetingThisMonth: thisMonth)
        }
        #expect(rules.health(facts("2027-01-10", nil, false)) == .onTrack)
        #expect(rules.health(facts("2027-01-16", nil, false)) == .due)
        #expect(rules.health(facts("2027-01-16", nil, true)) == .onTrack)
        #expect(rules.health(facts("2027-02-17", nil, true)) == .onTrack, "44 days without a meeting")
        #expect(rules.health(facts("2027-02-18", nil, true)) == .stalled, "45 days")
        #expect(rules.health(facts("2027-03-20", "2027-03-02", false)) == .due)
        #expect(rules.health(facts("2027-04-16", "2027-03-02", true)) == .stalled)
        #expect(TandemHealthRules(stalledAfterDays: 60).health(facts("2027-04-16", "2027-03-02", true)) == .onTrack)
        // A tandem that began after the middle of a month is not due in it, only from the next month's 16th.
        let late = { (today: String) in
            TandemHealthRules.Facts(
                today: day(today), activeSince: day("2027-01-20"), lastHeld: nil, meetingThisMonth: false)
        }
        #expect(rules.health(late("2027-01-20")) == .onTrack)
        #expect(rules.health(late("2027-01-31")) == .onTrack)
        #expect(rules.health(late("2027-02-15")) == .onTrack)
        #expect(rules.health(late("2027-02-16")) == .due)
    }

    @Test("a nine-month year on a fixed clock: one meeting a month keeps it on track, a gap stalls it")
    func wholeYear() throws {
        let year = try #require(TandemYear(start: day("2027-01-11"), months: 9))
        let rules = TandemHealthRules()
        var lastHeld: CalendarDate?
        var states: [TandemHealth] = []
        var today = year.start
        while today <= year.end {
            // They meet on the 10th of each calendar month, except in May and June.
            let skipping = today.month == 5 || today.month == 6
            if today.day == 10, !skipping, today >= year.start { lastHeld = today }
            let thisMonth = lastHeld.map { $0.year == today.year && $0.month == today.month } ?? false
            states.append(
                rules.health(
                    .init(today: today, activeSince: year.start, lastHeld: lastHeld, meetingThisMonth: thisMonth)))
            if today == day("2027-04-30") { #expect(states.last == .onTrack) }
            if today == day("2027-05-16") { #expect(states.last == .due) }
            if today == day("2027-05-25") { #expect(states.last == .stalled, "45 days after 10 April") }
            if today == day("2027-07-11") { #expect(states.last == .onTrack, "met again on 10 July") }
            today = today.adding(days: 1)
        }
        #expect(states.count == year.end.days(since: year.start) + 1)
        #expect(states.first == .onTrack && states.contains(.due) && states.contains(.stalled))
    }

    @Test("day arithmetic round-trips and agrees with months")
    func dayArithmetic() async {
        await propertyCheck(input: Gen.int(in: -5_000...5_000)) { offset in
            let base = CalendarDate(year: 2026, month: 11, day: 30)!
            let moved = base.adding(days: offset)
            #expect(moved.days(since: base) == offset)
            #expect(moved.adding(days: -offset) == base)
        }
        #expect(day("2028-02-28").adding(days: 1) == day("2028-02-29"))
        #expect(day("2027-12-31").adding(days: 1) == day("2028-01-01"))
        #expect(day("2027-03-31").adding(months: 1) == day("2027-04-30"))
        #expect(day("2024-02-29").adding(months: 12) == day("2025-02-28"))
    }

    @Test("the prompt catalogue starts with the announcement's two questions, twelve in all, in both languages")
    func prompts() {
        #expect(DiscussionPrompts.defaults.count == 12)
        #expect(
            DiscussionPrompts.defaults[0].german
                == "Entsteht Innovation durch Tradition oder Tradition durch Innovation?")
        #expect(
            DiscussionPrompts.defaults[1].german.hasPrefix("Welche Szenarien gibt es für die Arbeitswelt der Zukunft"))
        #expect(DiscussionPrompts.defaults.allSatisfy { !$0.german.isEmpty && !$0.english.isEmpty })
    }
}
