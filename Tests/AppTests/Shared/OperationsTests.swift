import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite("Health, configuration, demo data, data export")
struct OperationsTests {
    @Test("/healthz checks the database")
    func health() async throws {
        try await withTestApp { app in
            let response = try await TestBrowser(app).get("/healthz")
            #expect(response.status == .ok)
            #expect(response.body == "ok\n")
        }
    }

    @Test("Configuration comes from the environment and lists every problem at once")
    func configuration() throws {
        let config = try AppConfig.fromEnvironment([
            "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/db", "BASE_URL": "https://rm.example/",
            "MAIL_TRANSPORT": "smtp",
            "SMTP_HOST": "mail.example", "SMTP_PORT": "587", "MAGIC_LINK_MINUTES": "10", "DEMO": "false",
        ])
        #expect(config.database == .postgres(url: "postgres://u:p@127.0.0.1:5432/db"))
        #expect(config.baseURL == "https://rm.example")
        #expect(config.mailTransport == .smtp)
        #expect(config.smtpPort == 587)
        #expect(config.magicLinkLifetime == 600)
        #expect(!config.seedDemo)
        #expect(try AppConfig.fromEnvironment([:]).database == .sqlite(path: "mentoring.sqlite"))
        #expect(
            try AppConfig.fromEnvironment(["SQLITE_PATH": "/tmp/x.sqlite"]).database == .sqlite(path: "/tmp/x.sqlite"))

        #expect {
            try AppConfig.fromEnvironment([
                "SMTP_PORT": "hundert", "DEMO": "vielleicht", "MAIL_TRANSPORT": "pigeon", "TIME_ZONE": "Mars/Base",
            ])
        } throws: { error in
            let problems = (error as? AppConfig.InvalidSettings)?.problems ?? []
            return problems.count == 4 && problems.contains { $0.contains("SMTP_PORT") }
                && problems.contains { $0.contains("TIME_ZONE") }
        }
    }

    @Test("The demo programme is created once, with organiser, mentors and mentees")
    func demo() async throws {
        try await withTestApp { app in
            #expect(try await DemoProgramme.seedIfEmpty(on: app.db, now: app.clock.now(), sealer: app.sealer))
            #expect(try await !DemoProgramme.seedIfEmpty(on: app.db, now: app.clock.now(), sealer: app.sealer))
            // Three programmes: one in intake (kickoff ahead), one ready for pairing (kickoff held, board computed),
            // one in its tandem year (month 5, six tandems).
            #expect(try await Programme.query(on: app.db).count() == 3)
            #expect(try await Participation.query(on: app.db).filter(\.$role == .mentor).count() == 26)
            #expect(try await Participation.query(on: app.db).filter(\.$role == .mentee).count() == 23)
            // The intake programme's three applicants (two eligible) and the pairing programme's ten preselected.
            #expect(try await MentorApplicationRecord.query(on: app.db).filter(\.$eligible == true).count() == 12)
            #expect(try await MentorApplicationRecord.query(on: app.db).filter(\.$eligible == false).count() == 1)
            #expect(try await Invitation.query(on: app.db).count() == 2)
            let organiser = try #require(
                try await User.query(on: app.db).filter(\.$email == DemoProgramme.organiserEmail).first())
            #expect(organiser.isOrganiser)
            #expect(try await User.query(on: app.db).all().allSatisfy { $0.email.hasSuffix("@demo.example") })

            let browser = TestBrowser(app)
            try await browser.signIn(as: organiser)
            let dashboard = try await browser.get("/dashboard")
            #expect(dashboard.body.contains("Reverse Mentoring 2027"))
            #expect(dashboard.body.contains("Bewerbung &amp; Einladung"))
            #expect(dashboard.body.contains(DemoPairing.programmeName))
            // The pairing programme's board holds a computed proposal at once.
            let pairing = try #require(
                try await Programme.query(on: app.db).filter(\.$name == DemoPairing.programmeName).first())
            #expect(pairing.phase == .pairing)
            let board = try await browser.get("/organiser/programmes/\(pairing.id!)/pairing")
            #expect(board.status == .ok)
            #expect(board.body.contains("Optimum bei der letzten Berechnung"))
            #expect(try await Tandem.query(on: app.db).filter(\.$status == .draft).count() >= 7)
            // The tandem year: the overview from metadata, each state of the demo's six tandems, no note text.
            let running = try #require(
                try await Programme.query(on: app.db).filter(\.$name == DemoTandemYear.programmeName).first())
            #expect(running.phase == .running)
            let overview = try await browser.get("/organiser/programmes/\(running.id!)/tandems")
            #expect(overview.status == .ok)
            #expect(overview.body.contains("Dr. Andreas Hartmann"))
            #expect(overview.body.contains("badge-stalled"))
            #expect(!overview.body.contains("Werkzeuge, die wir angesehen haben"))
            // The cockpit flags the stalled tandem and links to it.
            let cockpit = try await browser.get("/organiser/programmes/\(running.id!)")
            #expect(cockpit.body.contains("1 Tandem stockt – seit 45 Tagen kein Treffen"))
            #expect(cockpit.body.contains("/organiser/programmes/\(running.id!)/tandems?state=stalled"))
            let mentee = try #require(
                try await User.query(on: app.db).filter(\.$email == "andreas.hartmann@demo.example").first())
            let partner = TestBrowser(app)
            try await partner.signIn(as: mentee)
            let home = try await partner.get("/dashboard")
            let spaceLink = try #require(TestBrowser.firstMatch(in: home.body, after: "href=\"/tandem/"))
            let space = try await partner.get("/tandem/" + spaceLink)
            #expect(space.status == .ok)
            #expect(space.body.contains("Monat 5 von 9"))
            #expect(space.body.contains("<strong>Werkzeuge, die wir angesehen haben</strong>"))
            let english = try await browser.get("/dashboard?lang=en")
            #expect(english.body.contains("Intake"))
            #expect(english.body.contains("9 months"))
        }
    }

    @Test("A person can download everything stored about them")
    func dataExport() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.mentee)
            let response = try await browser.get("/account/export")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .contentDisposition)?.contains("attachment") == true)
            struct Export: Decodable {
                let email: String
                let programmes: [[String: String?]]
                let emails: [[String: String?]]
            }
            let export = try JSONDecoder().decode(Export.self, from: Data(response.body.utf8))
            #expect(export.email == "mentee@test.example")
            #expect(export.programmes.count == 1)
            #expect(export.emails.count == 1)
            #expect(!response.body.contains("mentor@test.example"))
        }
    }

    @Test("Language preference is saved on the account and used for e-mails")
    func languagePreference() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.mentor)
            try await browser.get("/account")
            let saved = try await browser.post("/account/language", ["locale": "en"])
            #expect(saved.status == .seeOther)
            #expect(try await User.find(fixture.mentor.id, on: app.db)?.locale == "en")
            let account = try await browser.get("/account")
            #expect(account.body.contains("Language saved."))
            let bad = try await browser.post("/account/language", ["locale": "xx"])
            #expect(bad.status == .badRequest)
        }
    }
}
