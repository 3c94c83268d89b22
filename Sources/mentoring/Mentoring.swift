import App
import ArgumentParser
import MatchingCommands

@main
struct MentoringCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mentoring",
        abstract: "Reverse Mentoring: run the programme platform and its matching tools.",
        subcommands: [
            Serve.self, Migrate.self, CreateOrganiser.self, MatchCommand.self, ScheduleCommand.self, SeedLoadEvent.self,
            SeedPageBenchmark.self, SeedPairingBenchmark.self, SeedTandemBenchmark.self, DataKey.self, Reseal.self,
        ],
        defaultSubcommand: Serve.self
    )
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the web server (migrates the database and, on an empty one, creates the demo programme).")

    @Option(name: [.customShort("H"), .long], help: "Address to listen on.")
    var hostname = "127.0.0.1"

    @Option(name: .shortAndLong, help: "Port to listen on.")
    var port = 8080

    @Flag(name: .customLong("no-demo"), help: "Start without the demo programme (same as DEMO=false).")
    var noDemo = false

    func run() async throws {
        try await Server.serve(.init(hostname: hostname, port: port, demo: noDemo ? false : nil))
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run pending database migrations and exit.")

    func run() async throws {
        try await Server.migrate()
    }
}

struct SeedTandemBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-tandem-benchmark",
        abstract: """
            Benchmark helper: create a programme in its tandem year with a year of meetings, notes and experiments \
            per tandem, and print sign-in links for an organiser and a mentee.
            """)

    @Option(help: "Number of active tandems.") var tandems = 1000

    func validate() throws {
        guard tandems >= 1 else { throw ValidationError("--tandems ≥ 1") }
    }

    func run() async throws {
        print(try await Server.seedTandemBenchmark(tandems: tandems))
    }
}

struct DataKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data-key",
        abstract: "Print a new random key for DATA_KEY (seals the tandem space's notes, goals, reflections).")

    func run() throws {
        print(Server.newDataKey())
    }
}

struct Reseal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "After a key rotation: rewrite what DATA_KEY_PREVIOUS sealed with DATA_KEY, in one transaction.")

    func run() async throws {
        print(try await Server.reseal())
    }
}

struct CreateOrganiser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-organiser",
        abstract: "Create an organiser (or make an existing person one) and print a one-time sign-in link.")

    @Option(help: "The organiser's e-mail address.")
    var email: String

    @Option(help: "Display name.")
    var name = ""

    @Option(help: "Optional password (at least 12 characters) for password sign-in.")
    var password: String?

    func run() async throws {
        do {
            print(try await Server.createOrganiser(email: email, name: name, password: password))
        } catch let failure as Server.ValidationFailure {
            throw ValidationError(failure.description)
        }
    }
}

struct SeedLoadEvent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-load-event",
        abstract: """
            Benchmark helper: create a large planned kickoff that starts by itself, and write everyone's event \
            link.
            """)

    @Option(help: "Number of mentees.") var mentees = 1000
    @Option(help: "Number of mentors.") var mentors = 1000
    @Option(help: "Rounds.") var rounds = 3
    @Option(help: "Seconds per round.") var roundSeconds = 20
    @Option(help: "Seconds between rounds.") var breakSeconds = 5
    @Option(help: "The event starts this many seconds from now.") var startIn = 90
    @Option(help: "CSV file for the personal links (role,link).") var links: String

    func validate() throws {
        guard mentees >= 1, mentors >= 1, (1...20).contains(rounds), roundSeconds >= 1, breakSeconds >= 0, startIn >= 0
        else {
            throw ValidationError(
                "--mentees/--mentors ≥ 1, --rounds 1…20, --round-seconds ≥ 1, --break-seconds ≥ 0, --start-in ≥ 0")
        }
    }

    func run() async throws {
        print(
            try await Server.seedLoadEvent(
                mentees: mentees, mentors: mentors, rounds: rounds, roundSeconds: roundSeconds,
                breakSeconds: breakSeconds,
                startIn: startIn, linksPath: links))
    }
}

struct SeedPageBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-page-benchmark",
        abstract: """
            Benchmark helper: create a programme of realistic size and print its id and an organiser's sign-in \
            link.
            """)

    @Option(help: "Number of mentees (approved, with registrations).") var mentees = 500
    @Option(help: "Number of mentors (preselected).") var mentors = 500
    @Option(help: "Number of mentor applications in all (at least --mentors).") var applications = 2000

    func run() async throws {
        print(try await Server.seedPageBenchmark(mentees: mentees, mentors: mentors, applications: applications))
    }
}

struct SeedPairingBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-pairing-benchmark",
        abstract: """
            Benchmark helper: create a programme ready for pairing (a closed kickoff with answers, shortlists and \
            marks), compute the board's proposal, and print the timings and an organiser's sign-in link.
            """)

    @Option(help: "Number of mentees.") var mentees = 1000
    @Option(help: "Number of mentors.") var mentors = 1000

    func validate() throws {
        guard mentees >= 1, mentors >= 8 else { throw ValidationError("--mentees ≥ 1, --mentors ≥ 8") }
    }

    func run() async throws {
        print(try await Server.seedPairingBenchmark(mentees: mentees, mentors: mentors))
    }
}
