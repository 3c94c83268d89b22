import Fluent
import Foundation
import Mentoring
import NIOCore
import NIOPosix
import Vapor

/// Entry points for the `mentoring` command-line tool. They keep Vapor out of the CLI module.
public enum Server {
    public struct ServeOptions: Sendable {
        public var hostname: String
        public var port: Int
        public var demo: Bool?
        public init(hostname: String, port: Int, demo: Bool?) {
            self.hostname = hostname
            self.port = port
            self.demo = demo
        }
    }

    /// Boots the app, runs migrations, seeds the demo on an empty database, prints a sign-in link for the
    /// demo organiser and serves until SIGINT/SIGTERM (then finishes running requests and the outbox worker).
    public static func serve(_ options: ServeOptions) async throws {
        // Swift concurrency runs its jobs on NIO's event loops instead of a second thread pool, so an async
        // handler no longer hops threads twice per request (vapor/template's entry point does the same). Measured
        // on the page benchmark: see README, *Benchmarks*. Only the server does this: tests and the other
        // commands keep the default executor. (Nothing here calls `.wait()` on a future, which this forbids.)
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        var config = try AppConfig.fromEnvironment()
        if let demo = options.demo { config.seedDemo = demo }
        let base = config.baseURL ?? "http://\(options.hostname):\(options.port)"
        config.baseURL = base
        try await withApplication(config: config) { app in
            try await app.autoMigrate()
            if config.seedDemo,
                try await DemoProgramme.seedIfEmpty(on: app.db, now: app.clock.now(), sealer: app.sealer)
            {
                app.logger.notice("Demo programme created")
            }
            print("Reverse Mentoring läuft auf \(base)")
            if config.seedDemo,
                let organiser = try await User.query(on: app.db).filter(\.$email == DemoProgramme.organiserEmail)
                    .first()
            {
                let link = try await MagicLinks.create(for: organiser, app: app, on: app.db)
                print("Einmal-Anmeldelink für die Demo-Organisatorin (15 Minuten gültig): \(link)")
            }
            // The lines above are for a person (or a script) watching the terminal while the server runs: out now,
            // not when a buffer fills (log lines bypass stdio, see `LogSink`).
            LogSink.standardOutput.flush()
            fflush(nil)
            app.environment.arguments = [
                "mentoring", "serve", "--hostname", options.hostname, "--port", String(options.port),
            ]
            try await app.execute()
        }
    }

    /// Runs pending migrations and exits.
    public static func migrate() async throws {
        try await withApplication(config: try AppConfig.fromEnvironment()) { app in
            try await app.autoMigrate()
            print("Migrations done.")
        }
    }

    /// Creates (or promotes) an organiser account and prints a sign-in link.
    public static func createOrganiser(email rawEmail: String, name: String, password: String?) async throws -> String {
        var config = try AppConfig.fromEnvironment()
        config.runOutboxWorker = false
        guard case .success(let email) = EmailAddress.normalise(rawEmail) else {
            throw ValidationFailure("--email \"\(rawEmail)\" is not a valid e-mail address")
        }
        if let password, password.count < AccountController.minimumPasswordLength {
            throw ValidationFailure(
                "--password must have at least \(AccountController.minimumPasswordLength) characters")
        }
        var output = ""
        try await withApplication(config: config) { app in
            try await app.autoMigrate()
            let user =
                try await User.query(on: app.db).filter(\.$email == email).first()
                ?? User(email: email, name: name.isEmpty ? email : name)
            user.isOrganiser = true
            if !name.isEmpty { user.name = name }
            if let password { user.passwordHash = try Bcrypt.hash(password) }
            try await user.save(on: app.db)
            let link = try await MagicLinks.create(for: user, app: app, on: app.db)
            output = "Organiser \(email) ready. One-time sign-in link: \(link)"
        }
        return output
    }

    /// For the kickoff load benchmark: a programme with `mentees` + `mentors` invented people, a planned kickoff
    /// that starts by itself `startIn` seconds from now, and one personal event link per person written to
    /// `linksPath` as CSV (`role,link`). Prints the kickoff's id and start. Not for production databases.
    public static func seedLoadEvent(
        mentees: Int, mentors: Int, rounds: Int, roundSeconds: Int, breakSeconds: Int, startIn: Int, linksPath: String
    ) async throws -> String {
        var config = try AppConfig.fromEnvironment()
        config.runOutboxWorker = false
        var output = ""
        try await withApplication(config: config) { app in
            try await app.autoMigrate()
            let startsAt = app.clock.now().addingTimeInterval(TimeInterval(startIn))
            let (kickoff, lines) = try await app.db.writeTransaction { db in
                var lines = ["role,link"]
                let run = UUID().uuidString.prefix(8).lowercased()
                let programme = Programme(
                    name: "Lasttest \(run)", description: "Load benchmark", phase: .kickoff, kickoffAt: startsAt)
                try await programme.create(on: db)
                let programmeID = try programme.requireID()
                var people: [(User, ParticipantRole)] = []
                for (count, role) in [(mentees, ParticipantRole.mentee), (mentors, .mentor)] {
                    for index in 0..<count {
                        let user = User(
                            email: "\(role.rawValue)-\(index)-\(run)@load.example", name: "\(role.rawValue) \(index)")
                        try await user.create(on: db)
                        try await Participation(userID: user.requireID(), programmeID: programmeID, role: role).create(
                            on: db)
                        people.append((user, role))
                    }
                }
                let kickoff = Kickoff(
                    programmeID: programmeID, startsAt: startsAt, rounds: rounds, roundSeconds: roundSeconds,
                    breakSeconds: breakSeconds)
                kickoff.controlsJSON = JSONText.encode([KickoffTimeline.Control.start(at: startsAt)])
                try await kickoff.create(on: db)
                _ = try await KickoffPlanning.generate(kickoff: kickoff, on: db, now: app.clock.now())
                for (user, role) in people {
                    lines.append(
                        "\(role.rawValue),"
                            + (try await KickoffPasses.issue(
                                kickoff: kickoff, userID: user.requireID(), app: app, on: db)))
                }
                return (kickoff, lines)
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: linksPath, atomically: true, encoding: .utf8)
            output =
                #"{"kickoff":"\#(try kickoff.requireID())","startsAt":\#(Int(startsAt.timeIntervalSince1970 * 1000)),"#
                + #""rounds":\#(rounds),"roundSeconds":\#(roundSeconds),"breakSeconds":\#(breakSeconds)}"#
        }
        return output
    }

    /// For the page benchmark: a programme of realistic size (mentees with registrations, preselected mentors
    /// among many more applications, a planned kickoff), an organiser and a one-time sign-in link for her.
    /// Prints `{"programme": "<id>", "signIn": "<link>"}`. Not for production databases.
    public static func seedPageBenchmark(mentees: Int, mentors: Int, applications: Int) async throws -> String {
        var config = try AppConfig.fromEnvironment()
        config.runOutboxWorker = false
        config.seedDemo = false
        var output = ""
        try await withApplication(config: config) { app in
            try await app.autoMigrate()
            let run = UUID().uuidString.prefix(8).lowercased()
            let now = app.clock.now()
            output = try await app.db.writeTransaction { db in
                let programme = Programme(
                    name: "Benchmark \(run)",
                    description: String(repeating: "Junge Tech-Talente begleiten Führungskräfte. ", count: 60),
                    phase: .kickoff, kickoffAt: now.addingTimeInterval(14 * 86400))
                try await programme.create(on: db)
                let programmeID = try programme.requireID()
                let organiser = User(email: "orga-\(run)@bench.example", name: "Olga Benchmark", isOrganiser: true)
                try await organiser.create(on: db)
                let topics = ["KI", "Social Media", "Datenplattformen", "Digitaler Arbeitsplatz", "Cloud", "Low-Code"]
                for index in 0..<mentees {
                    let user = User(email: "mentee-\(index)-\(run)@bench.example", name: "Mentee \(index)")
                    try await user.create(on: db)
                    try await Participation(userID: user.requireID(), programmeID: programmeID, role: .mentee).create(
                        on: db)
                    let registration = MenteeRegistration()
                    registration.$programme.id = programmeID
                    registration.$user.id = try user.requireID()
                    registration.company = "Firma \(index % 97) GmbH"
                    registration.position = "CTO"
                    registration.topicsJSON = JSONText.encode([
                        topics[index % topics.count], topics[(index + 2) % topics.count],
                    ])
                    registration.languagesJSON = JSONText.encode(["Deutsch"])
                    registration.questions = ""
                    registration.status = .approved
                    registration.privacyNoticeVersion = 1
                    registration.consentedAt = now
                    try await registration.create(on: db)
                }
                let start = try CalendarDate(parsing: "2022-01-01").orThrow(ValidationFailure("bad date"))
                for index in 0..<max(applications, mentors) {
                    let user = User(email: "mentor-\(index)-\(run)@bench.example", name: "Mentorin \(index)")
                    try await user.create(on: db)
                    let draft = MentorApplicationDraft(
                        name: user.name, email: user.email, teamRole: "Team \(index % 40)", companyStartDate: start,
                        tookPartInTalentProgramme: true, expertiseTopics: [topics[index % topics.count]],
                        languages: ["Deutsch"],
                        motivation: String(
                            repeating: "Ich möchte Führungskräften zeigen, wie wir arbeiten. ", count: 20))
                    let record = MentorApplicationRecord(
                        programmeID: programmeID, userID: try user.requireID(), draft: draft,
                        result: EligibilityResult(tenureMonths: 40, findings: []))
                    record.status = index < mentors ? .preselected : .submitted
                    try await record.create(on: db)
                    if index < mentors {
                        try await Participation(userID: user.requireID(), programmeID: programmeID, role: .mentor)
                            .create(on: db)
                    }
                }
                let kickoff = Kickoff(
                    programmeID: programmeID, startsAt: programme.kickoffAt ?? now, rounds: 8, roundSeconds: 300,
                    breakSeconds: 30)
                try await kickoff.create(on: db)
                _ = try await KickoffPlanning.generate(kickoff: kickoff, on: db, now: now)
                let link = try await MagicLinks.create(for: organiser, app: app, on: db)
                return #"{"programme":"\#(programmeID)","signIn":"\#(link)"}"#
            }
        }
        return output
    }

    public struct ValidationFailure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    static func withApplication(config: AppConfig, _ body: (Application) async throws -> Void) async throws {
        var environment = try Environment.detect(arguments: ["mentoring"])
        if let name = ProcessInfo.processInfo.environment["APP_ENV"], !name.isEmpty {
            environment = Environment(name: name, arguments: ["mentoring"])
        }
        // Vapor's level rules (LOG_LEVEL, --log, notice in production), lines written in batches (`LogSink`).
        try LoggingSystem.bootstrap(from: &environment) { level in
            { label in BatchedLogHandler(label: label, level: level, sink: .standardOutput) }
        }
        let app = try await Application.make(environment)
        defer { LogSink.standardOutput.flush() }
        do {
            try await configure(app, config: config)
            try await body(app)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
