@testable import App
import Fluent
import Foundation
import Mentoring
import Testing
import VaporTesting

@Suite("Member import, invitations and registration")
struct InvitationTests {
    static let csv = """
        name,email,company,position\r
        Dr. Karin Vogt,karin.vogt@vogt.example,Vogt GmbH,CTO\r
        "Hoffmann, Bernd",bernd@hoffmann.example,"Hoffmann ""&"" Söhne AG",Entwicklungsvorstand\r

        """

    static func organiser(_ app: Application, _ fixture: Fixture) async throws -> TestBrowser {
        let browser = TestBrowser(app)
        try await browser.signIn(as: fixture.organiser)
        return browser
    }

    @Test("Preview, then import: invitations are created and e-mailed with a personal link")
    func importAndInvite() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let id = try fixture.programme.requireID()
            let browser = try await Self.organiser(app, fixture)
            let preview = try await browser.post("/organiser/programmes/\(id)/members/import", ["csv": Self.csv])
            #expect(preview.status == .ok)
            #expect(preview.body.contains("2 Einladungen sind bereit."))
            #expect(preview.body.contains("Hoffmann, Bernd"))
            #expect(preview.body.contains("Hoffmann &quot;&amp;&quot; Söhne AG"))
            #expect(try await Invitation.query(on: app.db).count() == 0, "a preview saves nothing")

            let done = try await browser.post("/organiser/programmes/\(id)/members/import/confirm", ["csv": Self.csv])
            #expect(done.status == .seeOther)
            let invitations = try await Invitation.query(on: app.db).sort(\.$email).all()
            #expect(invitations.map(\.email) == ["bernd@hoffmann.example", "karin.vogt@vogt.example"])
            #expect(invitations.first?.company == "Hoffmann \"&\" Söhne AG")
            let mail = try #require(try await OutboxMessage.query(on: app.db).filter(\.$toEmail == "karin.vogt@vogt.example").first())
            #expect(mail.subject == "Persönliche Einladung zum Reverse Mentoring")
            let link = try #require(mail.textBody.range(of: "http://mentoring.test/invitation/").map {
                String(mail.textBody[$0.lowerBound...].prefix { !$0.isWhitespace })
            })
            let token = String(link.dropFirst("http://mentoring.test/invitation/".count))
            #expect(invitations.contains { $0.tokenHash == SecureToken.hash(token) })
            #expect(!invitations.contains { $0.tokenHash == token })
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "members.imported").first()?.details == "2")

            let overview = try await browser.get("/organiser/programmes/\(id)/members")
            #expect(overview.body.contains("<svg"))
            #expect(overview.body.contains("/join/\(fixture.programme.publicCode ?? "-")"))

            // The same list again: every line is already invited, nothing is doubled.
            let again = try await browser.post("/organiser/programmes/\(id)/members/import/confirm", ["csv": Self.csv])
            #expect(again.status == .unprocessableEntity)
            #expect(again.body.contains("Zeile 2, Feld „email“: bereits eingeladen: karin.vogt@vogt.example"))
            #expect(try await Invitation.query(on: app.db).count() == 2)
        }
    }

    @Test("A list with any error imports nothing and names line, field and why", arguments: [
        ("name,email,company,position\nA,a@x.example,A AG,CTO\nB,kaputt,B AG,CTO\n", "Zeile 3, Feld „email“: keine gültige E-Mail-Adresse: kaputt"),
        ("name,mail,company\nA,a@x.example,A AG\n", "Zeile 1: falsche Kopfzeile"),
        ("name,email,company,position\nA,a@x.example,\"A AG,CTO\nB,b@x.example,B AG,CTO\n", "Zeile 2: Anführungszeichen wird nicht geschlossen"),
        ("name,email,company,position\nA,a@x.example,A AG,CTO\nA2,A@x.example,A AG,CTO\n", "Zeile 3, Feld „email“: doppelt in der Datei (a@x.example, line 2)"),
        ("name,email,company,position\n\"Multi\nLine\",m@x.example,M AG,CTO\n,b@x.example,B AG,CTO\n", "Zeile 4, Feld „name“: fehlt"),
    ])
    func badLists(csv: String, message: String) async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let id = try fixture.programme.requireID()
            let browser = try await Self.organiser(app, fixture)
            let response = try await browser.post("/organiser/programmes/\(id)/members/import/confirm", ["csv": csv])
            #expect(response.status == .unprocessableEntity)
            #expect(response.body.contains(message), "\(response.body.components(separatedBy: "import-problems").dropFirst().first?.prefix(400) ?? "")")
            #expect(response.body.contains("Es wurde nichts gespeichert"))
            #expect(try await Invitation.query(on: app.db).count() == 0)
            #expect(try await OutboxMessage.query(on: app.db).count() == 1)  // only the organiser's sign-in
        }
    }

    @Test("Uploading the list as a file works like pasting it")
    func upload() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let id = try fixture.programme.requireID()
            let browser = try await Self.organiser(app, fixture)
            let boundary = "----test-boundary"
            let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(browser.csrf ?? "")\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"liste.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + Self.csv + "\r\n--\(boundary)--\r\n"
            let response = try await browser.send(.POST, "/organiser/programmes/\(id)/members/import", body: body,
                                                   contentType: "multipart/form-data; boundary=\(boundary)")
            #expect(response.status == .ok)
            #expect(response.body.contains("2 Einladungen sind bereit."))
        }
    }

    @Test("Registering with the personal link: profile, consent with version, mentee role, single use")
    func registerWithInvitation() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let id = try fixture.programme.requireID()
            let organiser = try await Self.organiser(app, fixture)
            try await organiser.post("/organiser/programmes/\(id)/members/import/confirm", ["csv": Self.csv])
            let mail = try #require(try await OutboxMessage.query(on: app.db).filter(\.$toEmail == "karin.vogt@vogt.example").first())
            let path = try #require(mail.textBody.range(of: "/invitation/").map { String(mail.textBody[$0.lowerBound...].prefix { !$0.isWhitespace }) })

            let karin = TestBrowser(app)
            let form = try await karin.get(path)
            #expect(form.status == .ok)
            #expect(form.body.contains("value=\"Vogt GmbH\""))
            let noConsent = try await karin.post(path, ["name": "Dr. Karin Vogt", "company": "Vogt GmbH", "position": "CTO"])
            #expect(noConsent.status == .unprocessableEntity)
            #expect(noConsent.body.contains("Ohne Ihre Einwilligung"))
            #expect(try await MenteeRegistration.query(on: app.db).count() == 0)

            let done = try await karin.post(path, [
                "name": "Dr. Karin Vogt", "company": "Vogt GmbH", "position": "CTO", "topics": "KI, Social Media",
                "questions": "Wie führe ich hybride Teams?", "languages": "Deutsch", "locale": "en", "consent": "on",
            ])
            #expect(done.status == .seeOther)
            let registration = try #require(try await MenteeRegistration.query(on: app.db).with(\.$user).first())
            #expect(registration.status == .approved)
            #expect(registration.privacyNoticeVersion == fixture.programme.privacyNoticeVersion)
            #expect(registration.user.locale == "en")
            #expect(try await Participation.query(on: app.db).filter(\.$user.$id == registration.user.requireID())
                .first()?.role == .mentee)
            #expect(try await Invitation.query(on: app.db).filter(\.$email == "karin.vogt@vogt.example").first()?.status == .registered)
            #expect(try await karin.get("/dashboard").body.contains("Testprogramm"))

            let reused = try await TestBrowser(app).get(path)
            #expect(reused.status == .gone)
            #expect(reused.body.contains("bereits registriert"))
        }
    }

    @Test("Revoked, expired and unknown invitation links get a clear page with the contacts")
    func badLinks() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            fixture.programme.contactsJSON = #"[{"email":"heike@institut.example","name":"Heike Beispiel"}]"#
            try await fixture.programme.save(on: app.db)
            let id = try fixture.programme.requireID()
            let invitation = Invitation(programmeID: id, name: "I", email: "i@x.example", company: "I", position: "CTO",
                                        tokenHash: "", expiresAt: Date())
            let link = try await InvitationController.issueAndSend(invitation, programme: fixture.programme, app: app, on: app.db)
            let path = String(link.dropFirst("http://mentoring.test".count))
            let organiser = try await Self.organiser(app, fixture)
            try await organiser.post("/organiser/programmes/\(id)/members/\(try invitation.requireID())/revoke")
            let revoked = try await TestBrowser(app).get(path)
            #expect(revoked.status == .gone)
            #expect(revoked.body.contains("zurückgezogen"))
            #expect(revoked.body.contains("Heike Beispiel"))

            invitation.status = .invited
            invitation.expiresAt = Date().addingTimeInterval(-60)
            try await invitation.save(on: app.db)
            let expired = try await TestBrowser(app).get(path)
            #expect(expired.status == .gone)
            #expect(expired.body.contains("abgelaufen"))
            #expect(try await TestBrowser(app).post(path, ["name": "x", "company": "x", "position": "x", "consent": "on"]).status == .gone)
            #expect(try await TestBrowser(app).get("/invitation/unbekannt").status == .notFound)

            // Re-sending issues a new link; the old one stops working.
            invitation.expiresAt = Date().addingTimeInterval(3600)
            try await invitation.save(on: app.db)
            try await organiser.get("/organiser/programmes/\(id)/members")
            #expect(try await organiser.post("/organiser/programmes/\(id)/members/\(try invitation.requireID())/resend").status == .seeOther)
            #expect(try await TestBrowser(app).get(path).status == .notFound)
            let printed = try await organiser.post("/organiser/programmes/\(id)/members/\(try invitation.requireID())/print")
            #expect(printed.status == .ok)
            #expect(printed.body.contains("<svg") && printed.body.contains("/invitation/"))
        }
    }

    @Test("The programme-wide link: registrations wait for approval; a second one with the same address is refused")
    func programmeLink() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let id = try fixture.programme.requireID()
            let code = try #require(fixture.programme.publicCode)
            let visitor = TestBrowser(app)
            #expect(try await visitor.get("/join/\(code)").status == .ok)
            let form = ["name": "Uwe Unternehmer", "email": "uwe@firma.example", "company": "Uwe KG", "position": "CEO", "consent": "on"]
            let sent = try await visitor.post("/join/\(code)", form)
            #expect(sent.status == .ok)
            #expect(sent.body.contains("wartet auf die Freigabe"))
            #expect(try await Participation.query(on: app.db).filter(\.$role == .mentee).count() == 1)  // only the fixture's
            let again = try await visitor.post("/join/\(code)", form)
            #expect(again.status == .conflict)
            #expect(again.body.contains("bereits registriert"))
            #expect(try await MenteeRegistration.query(on: app.db).count() == 1)
            #expect(try await TestBrowser(app).get("/join/falsch").status == .notFound)

            let organiser = try await Self.organiser(app, fixture)
            let overview = try await organiser.get("/organiser/programmes/\(id)/members")
            #expect(overview.body.contains("Uwe Unternehmer"))
            let registration = try #require(try await MenteeRegistration.query(on: app.db).first())
            let approved = try await organiser.post("/organiser/programmes/\(id)/members/registrations/\(try registration.requireID())/approve")
            #expect(approved.status == .seeOther)
            #expect(try await Participation.query(on: app.db).filter(\.$role == .mentee).count() == 2)
            #expect(try await organiser.post("/organiser/programmes/\(id)/members/registrations/\(try registration.requireID())/approve").status == .conflict)

            let csv = try await organiser.get("/organiser/programmes/\(id)/participants.csv")
            #expect(csv.headers.first(name: .contentType)?.hasPrefix("text/csv") == true)
            #expect(csv.body.hasPrefix("role,name,email,company,position,topics,language\r\n"))
            #expect(csv.body.contains("mentee,Uwe Unternehmer,uwe@firma.example,Uwe KG,CEO,,de"))
            let funnel = try await organiser.get("/organiser/programmes/\(id)/members")
            #expect(funnel.body.contains("<span class=\"count-value\">1</span> registriert"))
            #expect(funnel.body.contains("<span class=\"count-value\">1</span> freigegeben"))
        }
    }
}
