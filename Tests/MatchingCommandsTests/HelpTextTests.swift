import ArgumentParser
import Testing

@testable import MatchingCommands

/// The full help texts, so that a changed option or wording shows up in review. Fixed at 100 columns, so the
/// terminal's width does not matter. (As a subcommand the usage line reads `mentoring match …`.)
@Suite("help text")
struct HelpTextTests {
    @Test("match --help")
    func match() {
        #expect(
            MatchCommand.helpMessage(columns: 100) == """
                OVERVIEW: Choose final tandems: most pairs, then highest total weight (exact).

                USAGE: match --candidates <candidates> [--capacities <capacities>] --output <output>

                OPTIONS:
                  --candidates <candidates>
                                          CSV with header mentee,mentor,weight (weight 0...1000000, higher is
                                          better).
                  --capacities <capacities>
                                          CSV with header mentor,capacity (default capacity 1; 0 = unavailable).
                  --output <output>       Where to write the chosen pairs: CSV with header mentee,mentor,weight (an
                                          id that would start a spreadsheet formula, =+-@, gets a leading ').
                  -h, --help              Show help information.

                """)
    }

    @Test("schedule --help")
    func schedule() {
        #expect(
            ScheduleCommand.helpMessage(columns: 100) == """
                OVERVIEW: Plan kickoff rounds: fairest minimum per mentee, then most meetings, then best fit
                (exact).

                USAGE: schedule --mentees <mentees> --mentors <mentors> [--rounds <rounds>] [--fit <fit>] [--exclude <exclude>] --output <output>

                OPTIONS:
                  --mentees <mentees>     CSV with header id: the mentees.
                  --mentors <mentors>     CSV with header id: the mentors.
                  --rounds <rounds>       Number of rounds (at least 1). (default: 8)
                  --fit <fit>             CSV with header mentee,mentor,fit (fit 0...1000000; pairs not listed have
                                          fit 0).
                  --exclude <exclude>     CSV with header mentee,mentor: pairs that must never meet.
                  --output <output>       Where to write the plan: CSV with header round,mentee,mentor (an id that
                                          would start a spreadsheet formula, =+-@, gets a leading ').
                  -h, --help              Show help information.

                """)
    }
}
