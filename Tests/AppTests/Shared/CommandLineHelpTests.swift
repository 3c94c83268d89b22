import ArgumentParser
import Testing

@testable import mentoring

/// `mentoring --help` in full, so that a new, renamed or re-worded subcommand shows up in review. Fixed at 100
/// columns, so the terminal's width does not matter. The help texts of `match` and `schedule` are checked in
/// MatchingCommandsTests (HelpTextTests), without Vapor.
@Suite("mentoring --help")
struct CommandLineHelpTests {
    @Test("the root command lists every subcommand, serve the default")
    func rootHelp() {
        #expect(
            MentoringCommand.helpMessage(columns: 100) == """
                OVERVIEW: Reverse Mentoring: run the programme platform and its matching tools.

                USAGE: mentoring <subcommand>

                OPTIONS:
                  -h, --help              Show help information.

                SUBCOMMANDS:
                  serve (default)         Start the web server (migrates the database and, on an empty one, creates
                                          the demo programme).
                  migrate                 Run pending database migrations and exit.
                  create-organiser        Create an organiser (or make an existing person one) and print a one-time
                                          sign-in link.
                  match                   Choose final tandems: most pairs, then highest total weight (exact).
                  schedule                Plan kickoff rounds: fairest minimum per mentee, then most meetings, then
                                          best fit (exact).
                  seed-load-event         Benchmark helper: create a large planned kickoff that starts by itself,
                                          and write everyone's event link.
                  seed-page-benchmark     Benchmark helper: create a programme of realistic size and print its id
                                          and an organiser's sign-in link.
                  seed-pairing-benchmark  Benchmark helper: create a programme ready for pairing (a closed kickoff
                                          with answers, shortlists and marks), compute the board's proposal, and
                                          print the timings and an organiser's sign-in link.
                  seed-tandem-benchmark   Benchmark helper: create a programme in its tandem year with a year of
                                          meetings, notes and experiments per tandem, and print sign-in links for
                                          an organiser and a mentee.
                  data-key                Print a new random key for DATA_KEY (seals the tandem space's notes,
                                          goals, reflections).
                  reseal                  After a key rotation: rewrite what DATA_KEY_PREVIOUS sealed with
                                          DATA_KEY, in one transaction.

                  See 'mentoring help <subcommand>' for detailed help.
                """)
    }
}
