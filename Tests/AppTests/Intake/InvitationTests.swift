import Fluent
import Foundation
import Mentoring
import Testing
import VaporTesting

@testable import App

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
            let mail = try #require(
                try await OutboxMessage.query(on: app.db).filter(\.$toEmail == "karin.vogt@vogt.example").first())
            #expect(mail.subject == "Persönliche Einladung zum Reverse Mentoring")
            let link = try #require(
                mail.textBody.range(of: "http://mentoring.test/invitation/").map {
                    String(mail.textBody[$0.lowerBound...].prefix { !$0.isWhitespace })
                })
            let token = String(link.dropFirst("http://mentoring.test/invitation/".count))
            #expect(invitations.contains { $0.tokenHash == SecureToken.hash(token) })
            #expect(!invitations.contains { $0.tokenHash == token })
            #expect(
                try await AuditEvent.query(on: app.db).filter(\.$action == "members.imported").first()?.details == "2")

            let overview = try await browser.get("/organiser/programmes/\(id)/members")
            #expect(overview.body.contains("<svg"))
            #expect(overview.body.contains("/join/\(fixture.programme.publicCode ?? "-")"))

            // The same list again: everybody is invited already; that is no error, and nothing is doubled.
            let samePreview = try await browser.post("/organiser/programmes/\(id)/members/import", ["csv": Self.csv])
            #expect(samePreview.status == .ok)
            #expect(samePreview.body.contains("2 Personen sind bereits eingeladen und werden übersprungen"))
            #expect(samePreview.body.contains("Alle Personen der Liste sind bereits eingeladen"))
            #expect(!samePreview.body.contains("/members/import/confirm"), "nothing to confirm")
            let again = try await browser.post("/organiser/programmes/\(id)/members/import/confirm", ["csv": Self.csv])
            #expect(again.status == .seeOther)
            #expect(try await Invitation.query(on: app.db).count() == 2)
            #expect(
                try await browser.get("/organiser/programmes/\(id)/members").body
                    .contains("2 bereits eingeladene Personen wurden übersprungen."))
        }
    }

    @Test(
        "A list with any error imports nothing and names line, field and why",
        arguments: [
            (
                "name,email,company,position\nA,a@x.example,A AG,CTO\nB,kaputt,B AG,CTO\n",
                "Zeile 3, Feld „email“: keine gültige E-Mail-Adresse: kaputt"
            ),
            ("name,mail,company\nA,a@x.example,A AG\n", "Zeile 1: falsche Kopfzeile"),
            (
                "name,email,company,position\nA,a@x.example,\"A AG,CTO\nB,b@x.example,B AG,CTO\n",
                "Zeile 2: Anführungszeichen wird nicht geschlossen"
            ),
            (
                "name,email,company,position\nA,a@x.example,A AG,CTO\nA2,A@x.example,A AG,CTO\n",
                "Zeile 3, Feld „email“: doppelt in der Datei: a@x.example steht schon in Zeile 2"
            ),
            ("name,email,company,position\nA,a@x.example,A AG\n", "Zeile 2: falsche Anzahl Felder: 3 statt 4"),
            (
                "name,mail,company\nA,a@x.example,A AG\n",
                "Zeile 1: falsche Kopfzeile „name,mail,company“ – erwartet: name,email,company,position"
            ),
            ("name,email,company,position\r\n", "Die Liste enthält nur die Kopfzeile, aber niemanden zum Einladen."),
            ("", "Die Liste ist leer."),
            (
                "name,email,company,position\nJ\u{FFFD}rgen,j@x.example,J AG,CEO\n",
                "Zeile 2, Feld „name“: enthält ein unlesbares Zeichen"
            ),
            (
                "name,email,company,position\n\"Multi\nLine\",m@x.example,M AG,CTO\n,b@x.example,B AG,CTO\n",
                "Zeile 4, Feld „name“: fehlt"
            ),
        ])
    func badLists(csv: String, message: String) async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let id = try fixture.programme.requireID()
            let browser = try await Self.organiser(app, fixture)
            let response = try await browser.post("/organiser/programmes/\(id)/members/import/confirm", ["csv": csv])
            #expect(response.status == .unprocessableEntity)
            #expect(
                response.body.contains(message),
                "\(response.body.components(separatedBy: "import-problems").dropFirst().first?.prefix(400) ?? "")")
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
            let body =
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(browser.csrf ?? "")\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"liste.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + Self.csv + "\r\n--\(boundary)--\r\n"
            let response = try await browser.send(
                .POST, "/organiser/programmes/\(id)/members/import", body: body,
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
            let mail = try #require(
                try await OutboxMessage.query(on: app.db).filter(\.$toEmail == "karin.vogt@vogt.example").first())
            let path = try #require(
                mail.textBody.range(of: "/invitation/").map {
                    String(mail.textBody[$0.lowerBound...].prefix { !$0.isWhitespace })
                })

            let karin = TestBrowser(app)
            let form = try await karin.get(path)
            #expect(form.status == .ok)
            #expect(form.body.contains("value=\"Vogt GmbH\""))
            let noConsent = try await karin.post(
                path, ["name": "Dr. Karin Vogt", "company": "Vogt GmbH", "position": "CTO"])
            #expect(noConsent.status == .unprocessableEntity)
            #expect(noConsent.body.contains("Ohne Ihre Einwilligung"))
            #expect(try await MenteeRegistration.query(on: app.db).count() == 0)

            let done = try await karin.post(
                path,
                [
                    "name": "Dr. Karin Vogt", "company": "Vogt GmbH", "position": "CTO", "topics": "KI, Social Media",
                    "questions": "Wie führe ich hybride Teams?", "languages": "Deutsch", "locale": "en",
                    "consent": "on",
                ])
            #expect(done.status == .seeOther)
            let registration = try #require(try await MenteeRegistration.query(on: app.db).with(\.$user).first())
            #expect(registration.status == .approved)
            #expect(registration.privacyNoticeVersion == fixture.programme.privacyNoticeVersion)
            #expect(registration.user.locale == "en")
            #expect(
                try await Participation.query(on: app.db).filter(\.$user.$id == registration.user.requireID())
                    .first()?.role == .mentee)
            #expect(
                try await Invitation.query(on: app.db).filter(\.$email == "karin.vogt@vogt.example").first()?.status
                    == .registered)
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
            let invitation = Invitation(
                programmeID: id, name: "I", email: "i@x.example", company: "I", position: "CTO",
                tokenHash: "", expiresAt: Date())
            let link = try await InvitationController.issueAndSend(
                invitation, programme: fixture.programme, app: app, on: app.db)
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
            #expect(
                try await TestBrowser(app).post(path, ["name": "x", "company": "x", "position": "x", "consent": "on"])
                    .status == .gone)
            #expect(try await TestBrowser(app).get("/invitation/unbekannt").status == .notFound)

            // Re-sending issues a new link; the old one stops working.
            invitation.expiresAt = Date().addingTimeInterval(3600)
            try await invitation.save(on: app.db)
            try await organiser.get("/organiser/programmes/\(id)/members")
            #expect(
                try await organiser.post("/organiser/programmes/\(id)/members/\(try invitation.requireID())/resend")
                    .status == .seeOther)
            #expect(try await TestBrowser(app).get(path).status == .notFound)
            let printed = try await organiser.post(
                "/organiser/programmes/\(id)/members/\(try invitation.requireID())/print")
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
            let form = [
                "name": "Uwe Unternehmer", "email": "uwe@firma.example", "company": "Uwe KG", "position": "CEO",
                "consent": "on",
            ]
            let sent = try await visitor.post("/join/\(code)", form)
            #expect(sent.status == .ok)
            #expect(sent.body.contains("wartet auf die Freigabe"))
            // Only the fixture's mentee.
            #expect(try await Participation.query(on: app.db).filter(\.$role == .mentee).count() == 1)
            let again = try await visitor.post("/join/\(code)", form)
            #expect(again.status == .conflict)
            #expect(again.body.contains("bereits registriert"))
            #expect(try await MenteeRegistration.query(on: app.db).count() == 1)
            #expect(try await TestBrowser(app).get("/join/falsch").status == .notFound)

            let organiser = try await Self.organiser(app, fixture)
            let overview = try await organiser.get("/organiser/programmes/\(id)/members")
            #expect(overview.body.contains("Uwe Unternehmer"))
            let registration = try #require(try await MenteeRegistration.query(on: app.db).first())
            let approved = try await organiser.post(
                "/organiser/programmes/\(id)/members/registrations/\(try registration.requireID())/approve")
            #expect(approved.status == .seeOther)
            #expect(try await Participation.query(on: app.db).filter(\.$role == .mentee).count() == 2)
            #expect(
                try await organiser.post(
                    "/organiser/programmes/\(id)/members/registrations/\(try registration.requireID())/approve"
                ).status == .conflict)

            let csv = try await organiser.get("/organiser/programmes/\(id)/participants.csv")
            #expect(csv.headers.first(name: .contentType)?.hasPrefix("text/csv") == true)
            #expect(csv.body.hasPrefix("role,name,email,company,position,topics,language\r\n"))
            #expect(csv.body.contains("mentee,Uwe Unternehmer,uwe@firma.example,Uwe KG,CEO,,de"))
            let funnel = try await organiser.get("/organiser/programmes/\(id)/members")
            #expect(funnel.body.contains("<span class=\"count-value\">1</span> registriert"))
            #expect(funnel.body.contains("<span class=\"count-value\">1</span> freigegeben"))
        }
    }

    // MARK: Member lists as people really send them

    /// Posts a file upload with exactly these bytes (as a browser does for `<input type="file">`).
    static func upload(
        _ browser: TestBrowser, _ path: String, _ bytes: [UInt8], filename: String = "liste.csv"
    ) async throws
        -> TestBrowser.Page
    {
        if browser.csrf == nil { try await browser.get("/") }
        let boundary = "----test-boundary-\(UUID().uuidString)"
        var body = ByteBuffer()
        body.writeString(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(browser.csrf ?? "")\r\n")
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"csv\"\r\n\r\n\r\n")
        body.writeString(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\n"
                + "Content-Type: text/csv\r\n\r\n")
        body.writeBytes(bytes)
        body.writeString("\r\n--\(boundary)--\r\n")
        var headers = HTTPHeaders()
        headers.add(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        headers.add(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        let response = try await browser.app.testing().sendRequest(.POST, path, headers: headers, body: body)
        let text = response.body.getString(at: response.body.readerIndex, length: response.body.readableBytes) ?? ""
        return TestBrowser.Page(status: response.status, headers: response.headers, body: text)
    }

    /// The list the preview's confirm form carries in its hidden field, as a browser would send it back.
    static func hiddenList(in body: String) throws -> String {
        let value = try #require(
            TestBrowser.firstMatch(in: body, after: "<input type=\"hidden\" name=\"csv\" value=\""))
        return value.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The confirm form (from its opening tag to its end), to check what it lets the organiser change.
    static func confirmForm(in body: String) -> String? {
        guard let start = body.range(of: "/members/import/confirm\"") else { return nil }
        let rest = body[start.upperBound...]
        return rest.range(of: "</form>").map { String(rest[..<$0.lowerBound]) }
    }

    /// A German member list of `count` people as Excel writes it: umlauts, commas inside companies (quoted
    /// only when the delimiter needs it).
    static func germanList(count: Int, delimiter: String, lineBreak: String) -> String {
        var text = ["name", "email", "company", "position"].joined(separator: delimiter) + lineBreak
        for i in 1...count {
            let company = i % 10 == 0 ? "Bäckerei Größer; Köln, Süd" : "Müller & Söhne GmbH, Düsseldorf \(i % 13)"
            let quotedCompany = company.contains(delimiter) ? "\"\(company)\"" : company
            let fields = [
                "Jürgen Müller-Lüdenscheid \(i)", "juergen.mueller\(i)@mitglied.example", quotedCompany,
                i % 3 == 0 ? "Geschäftsführerin" : "Vorstand für Übernahmen",
            ]
            text += fields.joined(separator: delimiter) + lineBreak
        }
        return text
    }

    @Test("300 members in Windows-1252 with semicolons and CRLF, as German Excel saves CSV: converted, not mangled")
    func germanExcelFile() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let id = try fixture.programme.requireID()
            let browser = try await Self.organiser(app, fixture)
            let text = Self.germanList(count: 300, delimiter: ";", lineBreak: "\r\n")
            let bytes = [UInt8](try #require(text.data(using: .windowsCP1252)))
            #expect(bytes.contains(0xFC) && !bytes.starts(with: [0xEF, 0xBB, 0xBF]), "real Windows-1252 bytes, no BOM")
            #expect(String(data: Data(bytes), encoding: .utf8) == nil, "not valid UTF-8")

            let preview = try await Self.upload(browser, "/organiser/programmes/\(id)/members/import", bytes)
            #expect(preview.status == .ok)
            #expect(preview.body.contains("300 Einladungen sind bereit."))
            #expect(preview.body.contains("in Windows-1252 (so speichert Excel"))
            #expect(preview.body.contains("<td>Jürgen Müller-Lüdenscheid 1</td>"))
            #expect(preview.body.contains("<td>Bäckerei Größer; Köln, Süd</td>"))
            #expect(preview.body.contains("<td>Müller &amp; Söhne GmbH, Düsseldorf 1</td>"))
            #expect(
                !preview.body.contains("\u{FFFD}") && !preview.body.contains("J�rgen")
                    && !preview.body.contains("JÃ¼rgen"))

            let list = try Self.hiddenList(in: preview.body)
            let done = try await browser.post("/organiser/programmes/\(id)/members/import/confirm", ["csv": list])
            #expect(done.status == .seeOther)
            #expect(try await Invitation.query(on: app.db).count() == 300)
            let first = try #require(
                try await Invitation.query(on: app.db).filter(\.$email == "juergen.mueller1@mitglied.example").first())
            #expect(first.name == "Jürgen Müller-Lüdenscheid 1")
            #expect(first.company == "Müller & Söhne GmbH, Düsseldorf 1")
            #expect(first.position == "Vorstand für Übernahmen")
            let tenth = try #require(
                try await Invitation.query(on: app.db).filter(\.$email == "juergen.mueller10@mitglied.example").first())
            #expect(tenth.company == "Bäckerei Größer; Köln, Süd")
            let mail = try #require(
                try await OutboxMessage.query(on: app.db).filter(\.$toEmail == "juergen.mueller1@mitglied.example")
                    .first())
            #expect(mail.toName == "Jürgen Müller-Lüdenscheid 1")
            #expect(
                try await browser.get("/organiser/programmes/\(id)/members").body
                    .contains("300 Einladungen wurden angelegt und werden versendet."))
        }
    }

    @Test("300 members in UTF-8 (with and without BOM), commas, quoted companies: preview and import")
    func utf8List() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let id = try fixture.programme.requireID()
            let browser = try await Self.organiser(app, fixture)
            let text = Self.germanList(count: 300, delimiter: ",", lineBreak: "\n")
            let withBOM = try await Self.upload(
                browser, "/organiser/programmes/\(id)/members/import", [0xEF, 0xBB, 0xBF] + Array(text.utf8))
            #expect(withBOM.status == .ok)
            #expect(withBOM.body.contains("300 Einladungen sind bereit."))
            #expect(!withBOM.body.contains("Windows-1252"), "UTF-8 is taken as it is")

            let preview = try await browser.post("/organiser/programmes/\(id)/members/import", ["csv": text])
            #expect(preview.status == .ok)
            #expect(preview.body.contains("<td>Müller &amp; Söhne GmbH, Düsseldorf 12</td>"))
            let done = try await browser.post(
                "/organiser/programmes/\(id)/members/import/confirm", ["csv": try Self.hiddenList(in: preview.body)])
            #expect(done.status == .seeOther)
            #expect(try await Invitation.query(on: app.db).count() == 300)
            let invitation = try #require(
                try await Invitation.query(on: app.db).filter(\.$email == "juergen.mueller12@mitglied.example").first())
            #expect(invitation.name == "Jürgen Müller-Lüdenscheid 12")
            #expect(invitation.company == "Müller & Söhne GmbH, Düsseldorf 12")
        }
    }

    @Test("The confirm step shows the checked list read-only; the list is changed by checking it again")
    func readOnlyConfirm() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let id = try fixture.programme.requireID()
            let browser = try await Self.organiser(app, fixture)
            let preview = try await browser.post("/organiser/programmes/\(id)/members/import", ["csv": Self.csv])
            let form = try #require(Self.confirmForm(in: preview.body))
            #expect(!form.contains("<textarea"), "nothing to edit in the confirm form")
            #expect(form.contains("<input type=\"hidden\" name=\"csv\""))
            #expect(form.contains("2 Einladungen senden"))
            #expect(preview.body.contains("<h2 id=\"rows-heading\">2 neue Einladungen</h2>"))
            #expect(try Self.hiddenList(in: preview.body) == Self.csv)
            #expect(preview.body.contains("<summary>Liste ändern</summary>"))
            #expect(
                preview.body.contains(
                    "action=\"/organiser/programmes/\(id)/members/import\" enctype=\"multipart/form-data\""))
            #expect(preview.body.contains("Abbrechen und zurück zur Übersicht"))
            #expect(preview.body.contains("<td>Hoffmann, Bernd</td>"))
        }
    }

    @Test("On re-upload, people invited already are skipped with their lines and the others are imported")
    func reupload() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let id = try fixture.programme.requireID()
            let browser = try await Self.organiser(app, fixture)
            #expect(
                try await browser.post("/organiser/programmes/\(id)/members/import/confirm", ["csv": Self.csv]).status
                    == .seeOther)
            let longer =
                "name,email,company,position\nDr. Karin Vogt,Karin.Vogt@vogt.example,Vogt GmbH,CTO\n"
                + "Neu Neumann,neu@neumann.example,Neumann KG,CEO\n\"Hoffmann, Bernd\",bernd@hoffmann.example,,\n"
            let preview = try await browser.post("/organiser/programmes/\(id)/members/import", ["csv": longer])
            #expect(preview.status == .ok)
            #expect(preview.body.contains("1 Einladung ist bereit."))
            #expect(preview.body.contains("2 Personen sind bereits eingeladen und werden übersprungen"))
            #expect(preview.body.contains("<tr><td>2</td><td>Dr. Karin Vogt</td><td>karin.vogt@vogt.example</td></tr>"))
            #expect(preview.body.contains("<tr><td>4</td><td>Hoffmann, Bernd</td><td>bernd@hoffmann.example</td></tr>"))
            #expect(preview.body.contains("1 Einladung senden"))
            let done = try await browser.post(
                "/organiser/programmes/\(id)/members/import/confirm", ["csv": try Self.hiddenList(in: preview.body)])
            #expect(done.status == .seeOther)
            #expect(try await Invitation.query(on: app.db).count() == 3)
            #expect(try await Invitation.query(on: app.db).filter(\.$email == "neu@neumann.example").count() == 1)
            #expect(
                try await AuditEvent.query(on: app.db).filter(\.$action == "members.imported").all().map(\.details)
                    .sorted() == ["1", "2"])
            #expect(
                try await browser.get("/organiser/programmes/\(id)/members").body
                    .contains(
                        "1 Einladung wurde angelegt und wird versendet. 2 bereits eingeladene Personen wurden übersprungen."
                    ))
        }
    }

    @Test("Every problem of a list is reported at once: several broken quotes and bad lines; nothing is imported")
    func everyProblem() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let id = try fixture.programme.requireID()
            let browser = try await Self.organiser(app, fixture)
            let list =
                [
                    "name;email;company;position",
                    "A;a@x.example;\"A AG;CTO",
                    "B;b@x.example;B AG;CTO",
                    "C;kaputt;C AG;CTO",
                    "D;d@x.example;\"D\" AG;CTO",
                    ";e@x.example;E AG",
                    "F;f@x.example;\"F AG;CTO",
                    "G;g@x.example;G AG;CTO",
                ].joined(separator: "\r\n") + "\r\n"
            let response = try await browser.post("/organiser/programmes/\(id)/members/import", ["csv": list])
            #expect(response.status == .unprocessableEntity)
            #expect(response.body.contains("Die Liste enthält 5 Fehler:"))
            for message in [
                "Zeile 2: Anführungszeichen wird nicht geschlossen",
                "Zeile 4, Feld „email“: keine gültige E-Mail-Adresse: kaputt",
                "Zeile 5: nach dem schließenden Anführungszeichen folgt noch Text",
                "Zeile 6: falsche Anzahl Felder: 3 statt 4",
                "Zeile 7: Anführungszeichen wird nicht geschlossen",
            ] {
                #expect(response.body.contains(message), "\(message)")
            }
            #expect(!response.body.contains("/members/import/confirm"), "no way to import a list with errors")
            #expect(response.body.contains("2 Zeilen ohne Fehler") && !response.body.contains("neue Einladung"))
            #expect(response.body.contains("<details class=\"panel import-change\" open>"))
            let confirmed = try await browser.post("/organiser/programmes/\(id)/members/import/confirm", ["csv": list])
            #expect(confirmed.status == .unprocessableEntity)
            #expect(try await Invitation.query(on: app.db).count() == 0)
        }
    }

    @Test("The report is in the reader's language, with no English inside German sentences")
    func reportLanguage() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let id = try fixture.programme.requireID()
            let browser = try await Self.organiser(app, fixture)
            let list =
                "name,email,company,position\nA,a@x.example,A AG,CTO\nA2,a@x.example,A AG,CTO\nB,b@x.example,B AG\n"
            let german = try await browser.post("/organiser/programmes/\(id)/members/import", ["csv": list])
            let germanProblems = try #require(
                german.body.components(separatedBy: "import-problems").dropFirst().first?
                    .components(separatedBy: "</ul>").first)
            for english in ["line", "expected", "found", " of ", "field"] {
                #expect(!germanProblems.contains(english), "\(english) in \(germanProblems)")
            }
            browser.acceptLanguage = "en"
            let english = try await browser.post("/organiser/programmes/\(id)/members/import?lang=en", ["csv": list])
            #expect(english.body.contains("The list has 2 errors:"))
            #expect(english.body.contains("Line 3, field “email”: twice in the file: a@x.example is on line 2 already"))
            #expect(english.body.contains("Line 4: wrong number of fields: 3 instead of 4"))
            let header = try await browser.post(
                "/organiser/programmes/\(id)/members/import", ["csv": "name,email,company,position\n"])
            #expect(header.body.contains("The list has only the header row and nobody to invite."))
        }
    }

    @Test("A workbook instead of CSV, and a header-only file, are refused with a clear message")
    func notAList() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let id = try fixture.programme.requireID()
            let browser = try await Self.organiser(app, fixture)
            let xlsx: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00]
            let workbook = try await Self.upload(
                browser, "/organiser/programmes/\(id)/members/import", xlsx, filename: "liste.xlsx")
            #expect(workbook.status == .unprocessableEntity)
            #expect(workbook.body.contains("Die Datei ist keine CSV-Datei"))
            let headerOnly = try await Self.upload(
                browser, "/organiser/programmes/\(id)/members/import",
                Array("name;email;company;position\r\n".utf8))
            #expect(headerOnly.status == .unprocessableEntity)
            #expect(headerOnly.body.contains("Die Liste enthält nur die Kopfzeile, aber niemanden zum Einladen."))
            #expect(try await Invitation.query(on: app.db).count() == 0)
        }
    }

    @Test("Every import problem has its words in German and English")
    func problemTexts() throws {
        for locale in ["de", "en"] {
            let data = try Data(
                contentsOf: URL(fileURLWithPath: packageRoot + "/Resources/Localization/\(locale).json"))
            let catalogue = try JSONDecoder().decode([String: String].self, from: data)
            for kind in ImportProblem.Kind.allCases {
                #expect(catalogue["import.problem.\(kind.rawValue)"] != nil, "\(locale): \(kind)")
            }
            for key in ["import.converted.windows1252", "import.converted.utf16"] { #expect(catalogue[key] != nil) }
        }
    }

    @Test("Participant exports neutralise formulas; the Excel variant has a BOM and semicolons")
    func exportIsSafe() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let id = try fixture.programme.requireID()
            let code = try #require(fixture.programme.publicCode)
            let visitor = TestBrowser(app)
            try await visitor.get("/join/\(code)")
            let sent = try await visitor.post(
                "/join/\(code)",
                [
                    "name": "@Mallory Müller", "email": "mallory@firma.example",
                    "company": "=HYPERLINK(\"http://evil.example\",\"klick\")",
                    "position": "-1+2", "consent": "on",
                ])
            #expect(sent.status == .ok)
            let organiser = try await Self.organiser(app, fixture)
            let overview = try await organiser.get("/organiser/programmes/\(id)/members")
            #expect(overview.body.contains("/organiser/programmes/\(id)/participants.csv?format=excel"))
            let registration = try #require(try await MenteeRegistration.query(on: app.db).first())
            try await organiser.post(
                "/organiser/programmes/\(id)/members/registrations/\(try registration.requireID())/approve")

            let csv = try await organiser.get("/organiser/programmes/\(id)/participants.csv")
            #expect(csv.body.hasPrefix("role,name,email,company,position,topics,language\r\n"))
            #expect(
                csv.body.contains(
                    "mentee,'@Mallory Müller,mallory@firma.example,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"klick\"\")\",'-1+2,,de\r\n"
                ))
            let lines = csv.body.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
            #expect(!lines.isEmpty)
            for line in lines {
                for cell in line.components(separatedBy: ",") {
                    let text = cell.hasPrefix("\"") ? String(cell.dropFirst()) : cell
                    #expect(!["=", "+", "-", "@"].contains(text.first.map(String.init) ?? ""), "\(cell)")
                }
            }

            let excel = try await organiser.get("/organiser/programmes/\(id)/participants.csv?format=excel")
            #expect(excel.status == .ok)
            #expect(excel.headers.first(name: .contentType) == "text/csv; charset=utf-8")
            #expect(excel.headers.first(name: .contentDisposition)?.contains("teilnehmende-excel.csv") == true)
            #expect(excel.body.hasPrefix("\u{FEFF}role;name;email;company;position;topics;language\r\n"))
            #expect(
                excel.body.contains(
                    "mentee;'@Mallory Müller;mallory@firma.example;\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"klick\"\")\";'-1+2;;de\r\n"
                ))
        }
    }
}
