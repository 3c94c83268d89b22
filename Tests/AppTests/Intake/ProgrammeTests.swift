import Fluent
import Foundation
import Mentoring
import Testing
import VaporTesting

@testable import App

@Suite("Programme set-up by organisers")
struct ProgrammeTests {
    static let validForm: [String: String] = [
        "name": "Reverse Mentoring 2028",
        "description": "CTOs treffen Talente",
        "focusTopics": "Social Media, KI",
        "contacts": "Heike Beispiel <heike@institut.example>",
        "patronText": "Schirmherr: Max Muster",
        "kickoffAt": "2028-01-20T17:00",
        "roundsAtKickoff": "8",
        "minutesPerRound": "5",
        "shortlistSize": "3",
        "durationMonths": "10",
        "requiredTalentProgramme": "Aspire",
        "minimumTenureMonths": "6",
        "applicationDeadline": "2027-12-15",
        "privacyNotice": "Wir verarbeiten Ihre Daten nur für das Programm.",
    ]

    @Test("An organiser creates a programme; settings are stored and the creation is audited")
    func create() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.organiser)
            let form = try await browser.get("/organiser/programmes/new")
            #expect(form.status == .ok)
            #expect(form.body.contains("<label for=\"durationMonths\">"))
            let created = try await browser.post("/organiser/programmes", Self.validForm)
            #expect(created.status == .seeOther)
            let programme = try #require(
                try await Programme.query(on: app.db).filter(\.$name == "Reverse Mentoring 2028").first())
            #expect(created.location == "/organiser/programmes/\(try programme.requireID())")
            #expect(programme.phase == .draft)
            #expect(programme.durationMonths == 10)
            #expect(programme.requiredTalentProgramme == "Aspire")
            #expect(programme.applicationDeadline == "2027-12-15")
            // 17:00 in Berlin in January is 16:00 UTC.
            #expect(programme.kickoffAt == ISO8601DateFormatter().date(from: "2028-01-20T16:00:00Z"))
            let settings = programme.settings(timeZone: app.appConfig.timeZone)
            #expect(settings.contacts == [.init(name: "Heike Beispiel", email: "heike@institut.example")])
            #expect(settings.focusTopics == ["Social Media", "KI"])
            let audit = try await AuditEvent.query(on: app.db).all()
            #expect(audit.map(\.action) == ["programme.created"])
            #expect(audit.first?.actorName == "Olga Organisatorin")

            let overview = try await browser.get(created.location!)
            #expect(overview.body.contains("20.01.2028, 17:00"))
            #expect(overview.body.contains("8 Runden à 5 Minuten"))
            #expect(overview.body.contains("Teilnahme am Programm „Aspire“"))
            #expect(overview.body.contains("Programm angelegt"))
        }
    }

    @Test("Invalid settings: 422 with every problem next to its field, nothing saved")
    func invalid() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.organiser)
            var form = Self.validForm
            form["name"] = ""
            form["durationMonths"] = "13"
            form["contacts"] = "nur ein Name"
            let response = try await browser.post("/organiser/programmes", form)
            #expect(response.status == .unprocessableEntity)
            #expect(response.body.contains("Bitte korrigieren Sie diese Angaben"))
            #expect(response.body.contains("id=\"name-error\""))
            #expect(response.body.contains("Erlaubt ist 4–12."))
            #expect(response.body.contains("Zeile 1: nur ein Name"))
            #expect(response.body.contains("value=\"13\""), "the entered values are kept")
            #expect(try await Programme.query(on: app.db).count() == 1)  // only the fixture's
            #expect(try await AuditEvent.query(on: app.db).count() == 0)
        }
    }

    @Test("Editing keeps settings; a new privacy notice text gets a new version")
    func edit() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let id = try fixture.programme.requireID()
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.organiser)
            let edit = try await browser.get("/organiser/programmes/\(id)/edit")
            #expect(edit.body.contains("value=\"Testprogramm\""))
            #expect(try await browser.post("/organiser/programmes/\(id)", Self.validForm).status == .seeOther)
            let first = try #require(try await Programme.find(id, on: app.db))
            let version = first.privacyNoticeVersion
            var changed = Self.validForm
            changed["privacyNotice"] = "Neue Fassung"
            #expect(try await browser.post("/organiser/programmes/\(id)", changed).status == .seeOther)
            #expect(try await Programme.find(id, on: app.db)?.privacyNoticeVersion == version + 1)
            #expect(try await browser.post("/organiser/programmes/\(id)", changed).status == .seeOther)
            #expect(
                try await Programme.find(id, on: app.db)?.privacyNoticeVersion == version + 1, "same text, same version"
            )
            let actions = try await AuditEvent.query(on: app.db).all().map(\.action)
            #expect(actions.filter { $0 == "programme.updated" }.count == 3)
            #expect(actions.contains("programme.privacyNotice"))
        }
    }

    @Test("Phases move one step at a time; a repeated or skipping request is refused")
    func phases() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let id = try fixture.programme.requireID()
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.organiser)
            try await browser.get("/organiser/programmes/\(id)")
            #expect(try await browser.post("/organiser/programmes/\(id)/phase", ["to": "kickoff"]).status == .seeOther)
            #expect(try await Programme.find(id, on: app.db)?.phase == .kickoff)
            let again = try await browser.post("/organiser/programmes/\(id)/phase", ["to": "kickoff"])
            #expect(again.status == .conflict)
            #expect(again.body.contains("nicht in der passenden Phase"))
            #expect(try await browser.post("/organiser/programmes/\(id)/phase", ["to": "closed"]).status == .conflict)
            #expect(try await Programme.find(id, on: app.db)?.phase == .kickoff)
            let audit = try await AuditEvent.query(on: app.db).all()
            #expect(audit.map(\.details) == ["intake → kickoff"])
        }
    }

    @Test("An unknown programme is a 404 page")
    func unknown() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.organiser)
            #expect(try await browser.get("/organiser/programmes/\(UUID())").status == .notFound)
            #expect(try await browser.get("/organiser/programmes/kein-uuid").status == .notFound)
        }
    }
}
