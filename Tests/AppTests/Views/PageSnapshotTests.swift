import Foundation
import SnapshotTesting
import Testing
import VaporTesting

@testable import App

/// Whole pages as a browser gets them, through the real app, compared with the committed files in
/// `__Snapshots__/PageSnapshotTests/`. They guard the layout and the partials (`Resources/Views/Partials/`): a changed
/// template shows up here as a diff of the page. Re-record after an intended change with
/// `SNAPSHOT_TESTING_RECORD=all swift test --filter PageSnapshotTests` and review the diff before committing.
@Suite("Page snapshots")
struct PageSnapshotTests {
    /// A fixed time, so that nothing on a page depends on when the test runs.
    static func clock() throws -> ManualClock {
        ManualClock(try #require(LocalDateTime.parse("2026-03-10T12:00", in: AppConfig.defaults.timeZone)))
    }

    @Test("Sign-in page after an unusable address: the error next to the field")
    func signInWithError() async throws {
        try await withTestApp(clock: try Self.clock()) { app in
            let browser = TestBrowser(app)
            try await browser.get("/login")
            let page = try await browser.post("/login", ["email": "kein-at-zeichen", "next": "/dashboard"])

            #expect(page.status == .badRequest)
            assertSnapshot(of: page.body, as: .html, named: "sign-in-error")
        }
    }

    @Test("New programme, sent with mistakes: error summary, field messages, kept values")
    func programmeFormWithErrors() async throws {
        try await withTestApp(clock: try Self.clock()) { app in
            let fixture = try await Fixture.make(on: app.db)
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.organiser)
            let form = [
                "name": "", "description": "CTOs treffen Talente", "focusTopics": "KI, Social Media",
                "contacts": "nur ein Name", "patronText": "", "kickoffAt": "2026-05-20T17:00", "roundsAtKickoff": "8",
                "minutesPerRound": "5", "shortlistSize": "3", "durationMonths": "13", "requiredTalentProgramme": "",
                "minimumTenureMonths": "6", "applicationDeadline": "2026-04-30", "privacyNotice": "",
            ]
            let page = try await browser.post("/organiser/programmes", form)

            #expect(page.status == .unprocessableEntity)
            assertSnapshot(of: page.body, as: .html, named: "programme-form-errors")
        }
    }
}

extension Snapshotting where Value == String, Format == String {
    /// A page's HTML, line by line, with what differs on every run masked: the session's CSRF token, ids and
    /// one-time tokens in links. Stored as `.html`, so a snapshot opens in a browser.
    static var html: Snapshotting {
        var snapshotting = Snapshotting.lines.pullback(PageSnapshotTests.normalised)
        snapshotting.pathExtension = "html"
        return snapshotting
    }
}

extension PageSnapshotTests {
    private static let masks: [(NSRegularExpression, String)] = [
        (#"name="_csrf" value="[^"]*""#, #"name="_csrf" value="CSRF-TOKEN""#),
        (#"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"#, "UUID"),
        (#"/(login|event|invitation|join)/[A-Za-z0-9_-]{16,}"#, "/$1/TOKEN"),
    ].map { (try! NSRegularExpression(pattern: $0.0), $0.1) }

    /// The page with random parts replaced by fixed placeholders.
    static func normalised(_ html: String) -> String {
        masks.reduce(html) { text, mask in
            mask.0.stringByReplacingMatches(
                in: text, range: NSRange(text.startIndex..., in: text), withTemplate: mask.1)
        }
    }
}
