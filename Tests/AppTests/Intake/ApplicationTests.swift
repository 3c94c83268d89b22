import Fluent
import Foundation
import Mentoring
import Testing
import VaporTesting

@testable import App

@Suite("Mentor applications and the review queue")
struct ApplicationTests {
    static func form(email: String, start: String = "2024-01-15", tookPart: Bool = true) -> [String: String] {
        var form = [
            "name": "Lea Brandt", "email": email, "teamRole": "Cloud Solution Architect", "companyStartDate": start,
            "expertiseTopics": "KI, Social Media", "languages": "Deutsch, Englisch",
            "motivation": "Perspektiven teilen",
        ]
        if tookPart { form["tookPartInTalentProgramme"] = "on" }
        return form
    }

    static func prepare(_ app: Application) async throws -> Fixture {
        let fixture = try await Fixture.make(on: app.db)
        fixture.programme.requiredTalentProgramme = "Aspire"
        fixture.programme.minimumTenureMonths = 6
        fixture.programme.contactsJSON = #"[{"email":"heike@institut.example","name":"Heike Beispiel"}]"#
        try await fixture.programme.save(on: app.db)
        return fixture
    }

    @Test("Applying: eligibility is checked, the address confirmed by link, the applicant sees the state")
    func applyAndConfirm() async throws {
        try await withTestApp { app in
            let fixture = try await Self.prepare(app)
            let id = try fixture.programme.requireID()
            let browser = TestBrowser(app)
            let page = try await browser.get("/programmes/\(id)/apply")
            #expect(page.status == .ok)
            #expect(page.body.contains("Ich habe am Programm „Aspire“ teilgenommen."))
            #expect(page.body.contains("mindestens 6 Monate im Unternehmen"))

            let sent = try await browser.post("/programmes/\(id)/apply", Self.form(email: "Lea@Firma.example"))
            #expect(sent.status == .seeOther)
            #expect(sent.location == "/programmes/\(id)/apply/sent")
            let record = try #require(try await MentorApplicationRecord.query(on: app.db).with(\.$user).first())
            #expect(record.status == .unconfirmed)
            #expect(record.eligible)
            #expect(record.user.email == "lea@firma.example")

            let mail = try #require(
                try await OutboxMessage.query(on: app.db).filter(\.$toEmail == "lea@firma.example").first())
            #expect(mail.subject == "Bitte bestätigen Sie Ihre Bewerbung")
            let link = try #require(browser.linkPath(in: mail.textBody))
            try await browser.get(link)
            let confirmed = try await browser.post(link, ["next": "/applications"])
            #expect(confirmed.location == "/applications")
            #expect(try await MentorApplicationRecord.find(record.id, on: app.db)?.status == .submitted)
            let mine = try await browser.get("/applications")
            #expect(mine.body.contains("Eingereicht"))
        }
    }

    @Test("Ineligible applications are kept with the reason in words")
    func ineligibleKept() async throws {
        try await withTestApp { app in
            let fixture = try await Self.prepare(app)
            let id = try fixture.programme.requireID()
            let browser = TestBrowser(app)
            let today = CalendarDate.today(in: app.appConfig.timeZone, now: app.clock.now())
            // Four months ago (1st of that month is safely ≥ 4 and < 6 whole months only if today is early; use
            // the same day four months back for an exact 4).
            let month = (today.month + 12 - 4 - 1) % 12 + 1
            let year = today.month > 4 ? today.year : today.year - 1
            let start = CalendarDate(year: year, month: month, day: min(today.day, 28))!
            let sent = try await browser.post(
                "/programmes/\(id)/apply",
                Self.form(email: "jung@firma.example", start: start.description, tookPart: false))
            #expect(sent.status == .seeOther)
            let record = try #require(try await MentorApplicationRecord.query(on: app.db).first())
            #expect(!record.eligible)
            #expect(record.tenureMonths == 4)
            #expect(
                record.findings == [
                    .tenureTooShort(months: 4, required: 6), .talentProgrammeMissing(required: "Aspire"),
                ])

            let organiser = TestBrowser(app)
            try await organiser.signIn(as: fixture.organiser)
            let queue = try await organiser.get("/organiser/programmes/\(id)/applications?status=unconfirmed")
            #expect(queue.body.contains("Betriebszugehörigkeit 4 Monate, mindestens 6 erforderlich"))
            #expect(queue.body.contains("Keine Teilnahme am Programm „Aspire“"))
        }
    }

    @Test("Bad input: field errors (422), a second application (409), a closed programme (409); nothing saved")
    func badInput() async throws {
        try await withTestApp { app in
            let fixture = try await Self.prepare(app)
            let id = try fixture.programme.requireID()
            let browser = TestBrowser(app)
            var broken = Self.form(email: "kaputt")
            broken["motivation"] = ""
            let invalid = try await browser.post("/programmes/\(id)/apply", broken)
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.body.contains("Bitte eine gültige E-Mail-Adresse eingeben."))
            #expect(invalid.body.contains("id=\"motivation-error\""))
            #expect(try await MentorApplicationRecord.query(on: app.db).count() == 0)

            #expect(
                try await browser.post("/programmes/\(id)/apply", Self.form(email: "lea@firma.example")).status
                    == .seeOther)
            let again = try await browser.post("/programmes/\(id)/apply", Self.form(email: "LEA@firma.example"))
            #expect(again.status == .conflict)
            #expect(again.body.contains("bereits eine Bewerbung"))
            #expect(try await MentorApplicationRecord.query(on: app.db).count() == 1)
            #expect(try await OutboxMessage.query(on: app.db).count() == 1)

            fixture.programme.phase = .kickoff
            try await fixture.programme.save(on: app.db)
            let closed = try await browser.post("/programmes/\(id)/apply", Self.form(email: "spaet@firma.example"))
            #expect(closed.status == .conflict)
            #expect(closed.body.contains("Bewerbungen sind derzeit nicht möglich"))
            #expect(closed.body.contains("Heike Beispiel"))
            #expect(try await User.query(on: app.db).filter(\.$email == "spaet@firma.example").count() == 0)

            fixture.programme.phase = .intake
            fixture.programme.applicationDeadline = "2020-01-01"
            try await fixture.programme.save(on: app.db)
            let late = try await browser.get("/programmes/\(id)/apply")
            #expect(late.status == .conflict)
            #expect(late.body.contains("Bewerbungsschluss war am 01.01.2020"))
        }
    }

    @Test("Organisers decide in bulk; each applicant is e-mailed in their language; overrides need a reason")
    func reviewQueue() async throws {
        try await withTestApp { app in
            let fixture = try await Self.prepare(app)
            let id = try fixture.programme.requireID()
            let visitor = TestBrowser(app)
            for (email, tookPart) in [("a@firma.example", true), ("b@firma.example", true), ("c@firma.example", false)]
            {
                #expect(
                    try await visitor.post("/programmes/\(id)/apply", Self.form(email: email, tookPart: tookPart))
                        .status == .seeOther)
            }
            // b prefers English.
            let b = try #require(try await User.query(on: app.db).filter(\.$email == "b@firma.example").first())
            b.locale = "en"
            try await b.save(on: app.db)
            // Confirm a, b, c (as if each opened the link).
            for user in try await User.query(on: app.db).filter(
                \.$email ~~ ["a@firma.example", "b@firma.example", "c@firma.example"]
            ).all() {
                try await MentorApplications.confirmPending(for: user, on: app.db, now: app.clock.now())
            }
            let records = try await MentorApplicationRecord.query(on: app.db).with(\.$user).all()
            let ids = Dictionary(
                uniqueKeysWithValues: try records.map { ($0.user.email, try $0.requireID().uuidString) })

            let organiser = TestBrowser(app)
            try await organiser.signIn(as: fixture.organiser)
            let queue = try await organiser.get("/organiser/programmes/\(id)/applications?eligible=yes&sort=name")
            #expect(queue.body.contains("a@firma.example"))
            #expect(!queue.body.contains("c@firma.example"))
            let searched = try await organiser.get("/organiser/programmes/\(id)/applications?q=B%40FIRMA")
            #expect(searched.body.contains("b@firma.example") && !searched.body.contains("a@firma.example"))

            let before = try await OutboxMessage.query(on: app.db).count()
            let decided = try await organiser.post(
                "/organiser/programmes/\(id)/applications/decide",
                pairs: [
                    ("decision", "preselected"), ("ids[]", ids["a@firma.example"]!), ("ids[]", ids["b@firma.example"]!),
                    ("ids[]", ids["c@firma.example"]!),
                ])
            #expect(decided.status == .seeOther)
            let after = try await MentorApplicationRecord.query(on: app.db).with(\.$user).all()
            let status = Dictionary(uniqueKeysWithValues: after.map { ($0.user.email, $0.status) })
            #expect(
                status == [
                    "a@firma.example": .preselected, "b@firma.example": .preselected, "c@firma.example": .submitted,
                ])
            // The fixture's mentor, a and b.
            #expect(try await Participation.query(on: app.db).filter(\.$role == .mentor).count() == 3)
            let mails = try await OutboxMessage.query(on: app.db).sort(\.$createdAt).all().dropFirst(before)
            #expect(Set(mails.map(\.toEmail)) == ["a@firma.example", "b@firma.example"])
            #expect(
                mails.first { $0.toEmail == "b@firma.example" }?.subject
                    == "You are preselected for the speed networking")
            #expect(
                mails.first { $0.toEmail == "a@firma.example" }?.subject
                    == "Sie sind für das Speed Networking vorausgewählt")
            let flashPage = try await organiser.get("/organiser/programmes/\(id)/applications")
            #expect(flashPage.body.contains("Nicht geändert"))

            // c is ineligible: an override without a reason changes nothing, with one it is recorded.
            let cID = ids["c@firma.example"]!
            #expect(
                try await organiser.post("/organiser/programmes/\(id)/applications/\(cID)/override", ["reason": " "])
                    .status == .seeOther)
            #expect(try await MentorApplicationRecord.find(UUID(uuidString: cID), on: app.db)?.eligible == false)
            try await organiser.post(
                "/organiser/programmes/\(id)/applications/\(cID)/override", ["reason": "Aspire 2025 zugesagt"])
            #expect(
                try await MentorApplicationRecord.find(UUID(uuidString: cID), on: app.db)?.overrideReason
                    == "Aspire 2025 zugesagt")
            try await organiser.post(
                "/organiser/programmes/\(id)/applications/decide", pairs: [("decision", "preselected"), ("ids[]", cID)])
            #expect(try await MentorApplicationRecord.find(UUID(uuidString: cID), on: app.db)?.status == .preselected)

            // Declining removes the mentor role again.
            try await organiser.post(
                "/organiser/programmes/\(id)/applications/decide",
                pairs: [("decision", "declined"), ("ids[]", ids["a@firma.example"]!)])
            #expect(try await Participation.query(on: app.db).filter(\.$role == .mentor).count() == 3)
            let actions = try await AuditEvent.query(on: app.db).all().map(\.action)
            #expect(actions.filter { $0 == "application.preselected" }.count == 3)
            #expect(actions.contains("application.override"))
            #expect(actions.contains("application.declined"))
        }
    }
}
