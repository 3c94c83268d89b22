import Fluent
import Foundation
import Mentoring
import Testing
import VaporTesting

@testable import App

/// Every organiser route of one programme, in every programme phase: open where `routes.swift` opens its group
/// (`PhaseGuard`), and elsewhere a 409 page that names the current phase. The table is written out here, so
/// opening a route in another phase fails this test until the table says so too. When a route is added, add it.
@Suite("Programme routes per phase")
struct PhaseAccessTests {
    /// "METHOD pattern" → the phases in which the route is open (patterns as in `AccessTests`).
    static let table: [String: Set<ProgrammePhase>] = [
        // The programme itself: its page, settings and the step to the next phase.
        "GET /organiser/programmes/{programme}": [.draft, .intake, .kickoff, .pairing, .running, .closed],
        "GET /organiser/programmes/{programme}/edit": [.draft, .intake, .kickoff, .pairing, .running, .closed],
        "POST /organiser/programmes/{programme}": [.draft, .intake, .kickoff, .pairing, .running, .closed],
        "POST /organiser/programmes/{programme}/phase": [.draft, .intake, .kickoff, .pairing, .running, .closed],
        // Who takes part: the lists are always readable.
        "GET /organiser/programmes/{programme}/members": [.draft, .intake, .kickoff, .pairing, .running, .closed],
        "GET /organiser/programmes/{programme}/participants.csv": [
            .draft, .intake, .kickoff, .pairing, .running, .closed,
        ],
        // Applications and members change from intake until the kickoff; the queue stays readable.
        "GET /organiser/programmes/{programme}/applications": [.draft, .intake, .kickoff, .pairing, .running, .closed],
        "POST /organiser/programmes/{programme}/applications/decide": [.intake, .kickoff],
        "POST /organiser/programmes/{programme}/applications/{application}/override": [.intake, .kickoff],
        "POST /organiser/programmes/{programme}/members/import": [.intake, .kickoff],
        "POST /organiser/programmes/{programme}/members/import/confirm": [.intake, .kickoff],
        "POST /organiser/programmes/{programme}/members/{invitation}/resend": [.intake, .kickoff],
        "POST /organiser/programmes/{programme}/members/{invitation}/revoke": [.intake, .kickoff],
        "POST /organiser/programmes/{programme}/members/{invitation}/print": [.intake, .kickoff],
        "POST /organiser/programmes/{programme}/members/registrations/{registration}/approve": [.intake, .kickoff],
        // The kickoff: planned during intake, held and closed in the kickoff phase; its page stays readable.
        "GET /organiser/programmes/{programme}/kickoff": [.draft, .intake, .kickoff, .pairing, .running, .closed],
        "POST /organiser/programmes/{programme}/kickoff": [.intake, .kickoff],
        "POST /organiser/programmes/{programme}/kickoff/plan": [.intake, .kickoff],
        "POST /organiser/programmes/{programme}/kickoff/exclusions": [.intake, .kickoff],
        "POST /organiser/programmes/{programme}/kickoff/exclusions/{exclusion}/delete": [.intake, .kickoff],
        "POST /organiser/programmes/{programme}/kickoff/control": [.intake, .kickoff],
        "POST /organiser/programmes/{programme}/kickoff/invite": [.intake, .kickoff],
        "POST /organiser/programmes/{programme}/kickoff/links": [.intake, .kickoff],
        "POST /organiser/programmes/{programme}/kickoff/video": [.intake, .kickoff],
        "POST /organiser/programmes/{programme}/kickoff/deadline": [.intake, .kickoff],
        "POST /organiser/programmes/{programme}/kickoff/reminders": [.intake, .kickoff],
        "POST /organiser/programmes/{programme}/kickoff/close": [.intake, .kickoff],
        // Pairing: the board is readable in every phase and changed in pairing and the tandem year (re-pairing
        // after an exit).
        "GET /organiser/programmes/{programme}/pairing": [.draft, .intake, .kickoff, .pairing, .running, .closed],
        "GET /organiser/programmes/{programme}/pairing/capacities": [
            .draft, .intake, .kickoff, .pairing, .running, .closed,
        ],
        "GET /organiser/programmes/{programme}/pairing/tandems.csv": [
            .draft, .intake, .kickoff, .pairing, .running, .closed,
        ],
        "POST /organiser/programmes/{programme}/pairing/recompute": [.pairing, .running],
        "POST /organiser/programmes/{programme}/pairing/assign": [.pairing, .running],
        "POST /organiser/programmes/{programme}/pairing/swap": [.pairing, .running],
        "POST /organiser/programmes/{programme}/pairing/capacities": [.pairing, .running],
        "POST /organiser/programmes/{programme}/pairing/settings": [.pairing, .running],
        "POST /organiser/programmes/{programme}/pairing/publish": [.pairing, .running],
        "POST /organiser/programmes/{programme}/pairing/tandems/{tandem}/unassign": [.pairing, .running],
        "POST /organiser/programmes/{programme}/pairing/tandems/{tandem}/pin": [.pairing, .running],
        "POST /organiser/programmes/{programme}/pairing/tandems/{tandem}/ban": [.pairing, .running],
        "POST /organiser/programmes/{programme}/pairing/tandems/{tandem}/end": [.pairing, .running],
        // The tandem year: the overview and prompt catalogue are readable in every phase, prepared from pairing on.
        "GET /organiser/programmes/{programme}/tandems": [.draft, .intake, .kickoff, .pairing, .running, .closed],
        "GET /organiser/programmes/{programme}/prompts": [.draft, .intake, .kickoff, .pairing, .running, .closed],
        "POST /organiser/programmes/{programme}/prompts": [.pairing, .running],
        "POST /organiser/programmes/{programme}/tandems/settings": [.pairing, .running],
        "POST /organiser/programmes/{programme}/tandems/{tandem}/check-in": [.pairing, .running],
    ]

    static let prefix = "/organiser/programmes/{programme}"

    /// The refusal as the error page shows it (Leaf escapes `&`, e.g. in „Bewerbung & Einladung“).
    static func refusal(
        _ app: Application, phase: ProgrammePhase, open: Set<ProgrammePhase>, _ locale: AppLocale
    ) -> String {
        let catalogue = app.catalogue
        let openNames = ProgrammePhase.allCases.filter(open.contains).map {
            catalogue.text("phase.\($0.rawValue)", locale)
        }
        return catalogue.text(
            "error.phaseClosed", locale,
            [catalogue.text("phase.\(phase.rawValue)", locale), openNames.joined(separator: ", ")]
        )
        .replacingOccurrences(of: "&", with: "&amp;")
    }

    @Test(
        "An organiser gets each programme route in its open phases and a phase page in the others",
        arguments: table.keys.sorted())
    func routeInEveryPhase(_ key: String) async throws {
        let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
        let (method, pattern) = (parts[0], parts[1])
        let open = try #require(Self.table[key])
        try await withTestApp { app in
            let scene = try await AccessTests.makeScene(on: app)
            let programmeID = try scene.fixture.programme.requireID()
            let path = scene.path(pattern)
            for phase in ProgrammePhase.allCases {
                // Set in the database directly: a request before may have moved the programme on.
                try await Programme.query(on: app.db).filter(\.$id == programmeID).set(\.$phase, to: phase).update()
                let browser = TestBrowser(app)
                try await browser.signIn(as: scene.fixture.organiser)
                try await browser.get("/")
                let response =
                    method == "GET" ? try await browser.get(path) : try await browser.post(path, scene.form(pattern))
                let context = "\(key) in \(phase)"
                let refused = [AppLocale.de, .en].contains {
                    response.body.contains(Self.refusal(app, phase: phase, open: open, $0))
                }
                if open.contains(phase) {
                    #expect(!refused, "\(context): refused, but the table opens it")
                    #expect(response.status.code < 500, "\(context): \(response.status)")
                } else {
                    #expect(response.status == .conflict, "\(context): \(response.status), but the table closes it")
                    #expect(refused, "\(context): the page does not name the phase")
                }
            }
        }
    }

    @Test("The phase table lists exactly the routes of one programme")
    func tableCoversEveryProgrammeRoute() async throws {
        try await withTestApp { app in
            let registered = Set(
                app.routes.all.map { "\($0.method) \(AccessTests.pattern(of: $0))" }
                    .filter {
                        $0.hasPrefix("GET \(Self.prefix)") || $0.hasPrefix("POST \(Self.prefix)")
                            || $0.hasPrefix("PUT \(Self.prefix)")
                            || $0.hasPrefix("PATCH \(Self.prefix)") || $0.hasPrefix("DELETE \(Self.prefix)")
                    })
            for missing in registered.subtracting(Self.table.keys).sorted() {
                Issue.record("not in the phase table: \(missing)")
            }
            for unknown in Set(Self.table.keys).subtracting(registered).sorted() {
                Issue.record("in the phase table but not a route: \(unknown)")
            }
            #expect(!registered.isEmpty)
        }
    }

    @Test("An unknown or malformed programme id is a 404 page, before any phase is looked at")
    func unknownProgramme() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.organiser)
            for path in [
                "/organiser/programmes/\(UUID())/kickoff", "/organiser/programmes/kein-programm/members",
                "/programmes/\(UUID())/apply",
            ] {
                let response = try await browser.get(path)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.body.contains("<html"), "\(path)")
            }
        }
    }
}
