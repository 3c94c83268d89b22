import Fluent
import Foundation
import Mentoring
import Testing
import VaporTesting

@testable import App

/// The plain-SQL reads of the busy pages (`PageReads.swift`) must give exactly what Fluent gives.
@Suite("Plain-SQL page reads")
struct PageReadsTests {
    /// Every value differs from the model's defaults, so a column the plain read forgot shows up as a difference.
    static func unusualProgramme() -> Programme {
        let programme = Programme(
            name: "Ä-Programm \"2027\"", description: String(repeating: "Beschreibung – ", count: 300),
            phase: .kickoff, kickoffAt: Date(timeIntervalSince1970: 1_800_000_000), durationMonths: 11)
        programme.focusTopicsJSON = #"["KI","Führung"]"#
        programme.contactsJSON = #"[{"email":"a@b.example","name":"Anna"}]"#
        programme.patronText = "Schirmherrin: Dr. Jana Beispiel"
        programme.roundsAtKickoff = 6
        programme.minutesPerRound = 7
        programme.shortlistSize = 2
        programme.meetingRhythm = "fortnightly"
        programme.requiredTalentProgramme = "Digital Talents"
        programme.minimumTenureMonths = 9
        programme.applicationDeadline = "2027-01-31"
        programme.privacyNotice = "Datenschutz"
        programme.privacyNoticeVersion = 4
        programme.publicCode = "public-code"
        return programme
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test("The plain read selects every column of the programme model")
    func everyProgrammeColumn() {
        let selected = Set(Programme.columns.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init))
        let model = Set(Programme.keys.map(\.description))
        #expect(selected == model)
    }

    @Test("A programme read by plain SQL equals the one Fluent reads, and saves as an update")
    func programmeEqualsFluent() async throws {
        try await withTestApp { app in
            let stored = Self.unusualProgramme()
            try await stored.create(on: app.db)
            let id = try stored.requireID()
            let fluent = try #require(try await Programme.find(id, on: app.db))
            let plain = try #require(try await Programme.load(id, on: app.db))
            #expect(try Self.json(plain) == Self.json(fluent))
            #expect(try await Programme.load(UUID(), on: app.db) == nil)
            #expect(try await Programme.loadAll(on: app.db).map(\.id) == [id])
            #expect(try await Programme.loadPublic(on: app.db).map(\.id) == [id])
            // Marked as stored: saving updates the row instead of inserting a second one.
            plain.name = "Umbenannt"
            try await plain.save(on: app.db)
            #expect(try await Programme.query(on: app.db).count() == 1)
            #expect(try await Programme.find(id, on: app.db)?.name == "Umbenannt")
            // Drafts and closed programmes are not public.
            plain.phase = .closed
            try await plain.save(on: app.db)
            #expect(try await Programme.loadPublic(on: app.db).isEmpty)
        }
    }

    @Test("The plain read of tandems selects every column, and a tandem read so equals the one Fluent reads")
    func tandemEqualsFluent() async throws {
        let selected = Set(Tandem.columns.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init))
        #expect(selected == Set(Tandem.keys.map(\.description)))
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let tandem = Tandem(
                programmeID: try fixture.programme.requireID(), menteeID: try fixture.mentee.requireID(),
                mentorID: try fixture.mentor.requireID(), pinned: true, weight: 654_321,
                reasons: [.menteeChoice(rank: 2), .sharedTopics(3)])
            tandem.status = .ended
            tandem.publishedAt = Date(timeIntervalSince1970: 1_800_000_000)
            tandem.menteeAcceptedAt = Date(timeIntervalSince1970: 1_800_000_100)
            tandem.mentorAcceptedAt = Date(timeIntervalSince1970: 1_800_000_200)
            tandem.activatedAt = Date(timeIntervalSince1970: 1_800_000_200)
            tandem.closedAt = Date(timeIntervalSince1970: 1_810_000_000)
            tandem.closedBy = .mentor
            tandem.closingReason = "Zu weit weg – „leider“"
            try await tandem.create(on: app.db)
            let fluent = try #require(try await Tandem.find(tandem.id, on: app.db))
            let plain = try await Tandem.all(programme: fixture.programme.requireID(), on: app.db)
            #expect(plain.count == 1)
            #expect(try Self.json(plain[0]) == Self.json(fluent))
            #expect(plain[0].reasons == [.menteeChoice(rank: 2), .sharedTopics(3)])
            // Marked as stored: saving updates the row.
            plain[0].pinned = false
            try await plain[0].save(on: app.db)
            #expect(try await Tandem.query(on: app.db).count() == 1)
        }
    }

    static func columnSet(_ columns: String) -> Set<String> {
        Set(columns.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init))
    }

    @Test("The tandem space's plain reads select every column and equal what Fluent reads, and save as updates")
    func tandemSpaceEqualsFluent() async throws {
        #expect(Self.columnSet(TandemAgreement.columns) == Set(TandemAgreement.keys.map(\.description)))
        #expect(Self.columnSet(TandemMeeting.columns) == Set(TandemMeeting.keys.map(\.description)))
        #expect(Self.columnSet(TandemNote.columns) == Set(TandemNote.keys.map(\.description)))
        #expect(Self.columnSet(TandemExperiment.columns) == Set(TandemExperiment.keys.map(\.description)))
        #expect(Self.columnSet(TandemPromptMark.columns) == Set(TandemPromptMark.keys.map(\.description)))
        #expect(Self.columnSet(ProgrammePrompt.columns) == Set(ProgrammePrompt.keys.map(\.description)))
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let programmeID = try fixture.programme.requireID()
            let menteeID = try fixture.mentee.requireID(), mentorID = try fixture.mentor.requireID()
            let tandem = Tandem(
                programmeID: programmeID, menteeID: menteeID, mentorID: mentorID, pinned: false, weight: 1, reasons: [])
            tandem.status = .active
            try await tandem.create(on: app.db)
            let tandemID = try tandem.requireID()
            let fluentTandem = try #require(try await Tandem.find(tandemID, on: app.db))
            #expect(try Self.json(try #require(try await Tandem.load(tandemID, on: app.db))) == Self.json(fluentTandem))
            #expect(try await Tandem.load(UUID(), on: app.db) == nil)
            #expect(try await User.load(mentorID, on: app.db)?.name == fixture.mentor.name)

            let agreement = TandemAgreement()
            agreement.$tandem.id = tandemID
            agreement.version = 2
            agreement.contentSealed = "s1.k.Zm9v"
            agreement.channel = .inPerson
            agreement.rhythmWeeks = 3
            agreement.endsOn = "2027-06-30"
            agreement.proposedBy = mentorID
            agreement.menteeConfirmedAt = Date(timeIntervalSince1970: 1_800_000_000)
            agreement.mentorConfirmedAt = Date(timeIntervalSince1970: 1_800_000_100)
            try await agreement.create(on: app.db)
            let meeting = TandemMeeting()
            meeting.$tandem.id = tandemID
            meeting.startsAt = Date(timeIntervalSince1970: 1_800_100_000)
            meeting.minutes = 75
            meeting.placeSealed = "s1.k.YmFy"
            meeting.status = .held
            meeting.proposedBy = menteeID
            meeting.sequence = 3
            meeting.outcomeBy = mentorID
            try await meeting.create(on: app.db)
            let note = TandemNote()
            note.$tandem.id = tandemID
            note.kind = .reflection
            note.authorID = menteeID
            note.$meeting.id = try meeting.requireID()
            note.bodySealed = "s1.k.YmF6"
            try await note.create(on: app.db)
            let experiment = TandemExperiment()
            experiment.$tandem.id = tandemID
            experiment.contentSealed = "s1.k.cXV4"
            experiment.owner = .mentor
            experiment.dueOn = "2027-02-01"
            experiment.status = .running
            experiment.createdBy = mentorID
            try await experiment.create(on: app.db)
            let mark = TandemPromptMark(tandemID: tandemID, month: 4)
            mark.discussedAt = Date(timeIntervalSince1970: 1_800_200_000)
            try await mark.create(on: app.db)
            let prompt = ProgrammePrompt(
                programmeID: programmeID, month: 5, questionDE: "Frage „fünf“", questionEN: "Question five",
                materialURL: "https://example.org/material")
            try await prompt.create(on: app.db)

            let fluent = try (
                Self.json(try await TandemAgreement.query(on: app.db).all()),
                Self.json(try await TandemMeeting.query(on: app.db).all()),
                Self.json(try await TandemNote.query(on: app.db).all()),
                Self.json(try await TandemExperiment.query(on: app.db).all()),
                Self.json(try await TandemPromptMark.query(on: app.db).all()),
                Self.json(try await ProgrammePrompt.query(on: app.db).all())
            )
            let plainAgreements = try await TandemAgreement.all(tandem: tandemID, on: app.db)
            #expect(try Self.json(plainAgreements) == fluent.0)
            // Through Fluent's connection, and on SQLite also through the direct read connections.
            let paths: [SQLiteReadConnections?] = app.sqliteReads.map { [nil, $0] } ?? [nil]
            for reads in paths {
                try await SQLiteReadConnections.$current.withValue(reads) {
                    let agreements = try await TandemAgreement.all(tandem: tandemID, on: app.db)
                    #expect(try Self.json(agreements) == fluent.0)
                    let meetings = try await TandemMeeting.all(tandem: tandemID, on: app.db)
                    #expect(try Self.json(meetings.map(\.model)) == fluent.1)
                    let notes = try await TandemNote.all(tandem: tandemID, on: app.db)
                    #expect(try Self.json(notes.map(\.model)) == fluent.2)
                    let experiments = try await TandemExperiment.all(tandem: tandemID, on: app.db)
                    #expect(try Self.json(experiments.map(\.model)) == fluent.3)
                    let marks = try await TandemPromptMark.all(tandem: tandemID, on: app.db)
                    #expect(try Self.json(marks.map(\.model)) == fluent.4)
                    #expect(
                        try Self.json(try await ProgrammePrompt.all(programme: programmeID, on: app.db)) == fluent.5)
                    #expect(
                        try Self.json(try #require(try await Tandem.load(tandemID, on: app.db)))
                            == Self.json(fluentTandem))
                    #expect(try await User.load(mentorID, on: app.db)?.name == fixture.mentor.name)
                    // Another tandem's rows stay out.
                    #expect(try await TandemNote.all(tandem: UUID(), on: app.db).isEmpty)
                }
            }
            if let reads = app.sqliteReads { #expect(reads.readsServed >= 9, "the direct reads were not used") }
            // Marked as stored: saving updates the row.
            plainAgreements[0].rhythmWeeks = 5
            try await plainAgreements[0].save(on: app.db)
            #expect(try await TandemAgreement.query(on: app.db).count() == 1)
            #expect(try await TandemAgreement.query(on: app.db).first()?.rhythmWeeks == 5)
        }
    }

    @Test("Dates with times are written as the DateFormatter wrote them, in both languages and around DST")
    func dateTimeAsFormatter() throws {
        var instants: [Date] = []
        var t = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01, then every 131 minutes for two years
        for _ in 0..<(2 * 365 * 24 * 60 / 131) { instants.append(t); t += 131 * 60 }
        instants += [1_774_746_000, 1_774_749_599, 1_774_749_600, 1_792_890_000, 1_792_893_600, 0, -86_400 * 400]
            .map { Date(timeIntervalSince1970: $0) }
        for zone in ["Europe/Berlin", "UTC", "America/New_York"] {
            let timeZone = try #require(TimeZone(identifier: zone))
            let formatting = DateFormatting(timeZone: timeZone)
            for locale in AppLocale.allCases {
                let reference = DateFormatting.referenceFormatter(locale, timeZone)
                for instant in instants {
                    #expect(
                        formatting.dateTime(instant, locale) == reference.string(from: instant), "\(zone) \(instant)")
                }
            }
        }
        #expect(
            DateFormatting(timeZone: TimeZone(identifier: "Europe/Berlin")!).dateTime(
                Date(timeIntervalSince1970: 1_800_000_000), .de) == "15.01.2027, 09:00")
    }

    @Test("The signed-in user read by plain SQL equals the one Fluent reads")
    func userEqualsFluent() async throws {
        try await withTestApp { app in
            let user = User(email: "jürgen@test.example", name: "Jürgen „Jü“ Müller", locale: "en", isOrganiser: true)
            user.passwordHash = "$2b$12$abcdefghijklmnopqrstuv"
            try await user.create(on: app.db)
            let id = try user.requireID()
            let fluent = try #require(try await User.find(id, on: app.db))
            let plain = try #require(try await User.load(id, on: app.db))
            #expect(try Self.json(plain) == Self.json(fluent))
            #expect(User.keys.count == 7, "a new user column needs a place in UserRow")
        }
    }

    @Test("Counts, kickoff facts and the audit lines read by plain SQL")
    func countsFactsAudit() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let id = try fixture.programme.requireID()
            let withCounts = try await Programme.loadAllWithCounts(on: app.db)
            #expect(
                withCounts.count == 1 && withCounts[0].programme.id == id && withCounts[0].mentors == 1
                    && withCounts[0].mentees == 1)
            #expect(try await KickoffFacts.load(programme: id, on: app.db) == nil)
            let kickoff = Kickoff(
                programmeID: id, startsAt: Date(timeIntervalSince1970: 1_800_000_000), rounds: 8, roundSeconds: 300,
                breakSeconds: 30)
            try await kickoff.create(on: app.db)
            let facts = try #require(try await KickoffFacts.load(programme: id, on: app.db))
            #expect(
                facts.starts_at == kickoff.startsAt && facts.rounds == 8 && facts.round_seconds == 300
                    && facts.closed_at == nil && facts.shortlist_deadline == nil)
            for n in 0..<25 {
                try await AuditEvent(
                    actor: fixture.organiser, programmeID: id, action: "programme.updated", details: "\(n)"
                ).create(on: app.db)
            }
            let lines = try await AuditLine.latest(programme: id, limit: 20, on: app.db)
            #expect(lines.count == 20)
            #expect(lines.first?.actor_name == "Olga Organisatorin")
            let times = lines.compactMap(\.created_at)
            #expect(times == times.sorted(by: >))
        }
    }

    @Test(
        "LocalDateTime.format (calendar fields) gives what the DateFormatter gave, also around DST and in other zones")
    func localDateTimeFormat() throws {
        var instants: [Date] = []
        // Every 97 minutes over two years (crosses four DST changes), plus the changes themselves.
        var t = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01
        for _ in 0..<(2 * 365 * 24 * 60 / 97) { instants.append(t); t += 97 * 60 }
        instants += [1_774_746_000, 1_774_749_599, 1_774_749_600, 1_792_890_000, 1_792_893_600, 0, -86_400 * 400]
            .map { Date(timeIntervalSince1970: $0) }
        for zone in ["Europe/Berlin", "UTC", "America/New_York", "Asia/Kolkata"] {
            let timeZone = try #require(TimeZone(identifier: zone))
            let reference = LocalDateTime.formatter(timeZone)
            for instant in instants {
                #expect(
                    LocalDateTime.format(instant, in: timeZone) == reference.string(from: instant), "\(zone) \(instant)"
                )
            }
        }
    }

    @Test(
        "A session names its person: read together, an old session without the column still works, a deleted person reads as signed out"
    )
    func sessionReadsItsPerson() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.organiser)
            let cookie = try #require(browser.cookies["rm_session"])
            let record = try #require(
                try await UserSession.query(on: app.db).filter(\.$idHash == SecureToken.hash(cookie)).first())
            #expect(record.userID == fixture.organiser.id)
            let page = try await browser.get("/dashboard")
            #expect(page.status == .ok && page.body.contains("Olga Organisatorin"))
            // A session stored before sessions named their person.
            record.userID = nil
            try await record.save(on: app.db)
            let again = try await browser.get("/dashboard")
            #expect(again.status == .ok && again.body.contains("Olga Organisatorin"))
            // The person is gone: signed out, not an error.
            try await fixture.organiser.delete(on: app.db)
            let gone = try await browser.get("/dashboard")
            #expect(gone.status == .seeOther && gone.location?.hasPrefix("/login") == true)
        }
    }

    @Test("Token hashes are SHA-256 in lower-case hex")
    func tokenHash() {
        #expect(SecureToken.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SecureToken.hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("Tokens carry 256 random bits as 43 base64url characters, and every position varies")
    func tokens() throws {
        let tokens = (0..<2_000).map { _ in SecureToken.generate() }
        #expect(Set(tokens).count == tokens.count)
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for token in tokens {
            #expect(token.count == 43 && token.allSatisfy(alphabet.contains))
        }
        // Each of the 32 bytes is random, not only some (a draw that filled part of the buffer would show here).
        for position in 0..<42 {
            let seen = Set(tokens.map { Array($0)[position] })
            #expect(seen.count > 40, "position \(position)")
        }
    }

    @Test("Participants read by one joined query equal Fluent's eager load")
    func participantsEqualFluent() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let id = try fixture.programme.requireID()
            let other = Programme(name: "Anderes", description: "", phase: .intake)
            try await other.create(on: app.db)
            try await Participation(
                userID: fixture.organiser.requireID(), programmeID: other.requireID(), role: .mentor
            ).create(on: app.db)
            let plain = try await User.participants(programme: id, on: app.db)
            let fluent = try await Participation.query(on: app.db).filter(\.$programme.$id == id).with(\.$user).all()
            #expect(plain.count == 2 && fluent.count == 2)
            for participation in fluent {
                let match = try #require(plain.first { $0.user.id == participation.user.id })
                #expect(match.role == participation.role)
                #expect(try Self.json(match.user) == Self.json(participation.user))
            }
        }
    }

    @Test("The programme funnel read in one statement equals Fluent's counts")
    func funnelEqualsFluent() async throws {
        try await withTestApp { app in
            #expect(try await DemoProgramme.seedIfEmpty(on: app.db, now: Date(), sealer: app.sealer))
            let programme = try #require(try await Programme.query(on: app.db).first())
            let id = try programme.requireID()
            // Every state each count tells apart: a revoked invitation, registrations of all three states,
            // applications of several states and both eligibilities, failed and sent mail.
            let invitations = try await Invitation.query(on: app.db).filter(\.$programme.$id == id).all()
            try #require(invitations.count >= 2)
            invitations[0].status = .revoked
            try await invitations[0].save(on: app.db)
            let applications = try await MentorApplicationRecord.query(on: app.db).filter(\.$programme.$id == id).all()
            try #require(applications.count >= 3)
            applications[0].status = .preselected
            applications[1].status = .unconfirmed
            try await applications[0].save(on: app.db)
            try await applications[1].save(on: app.db)
            for (n, status) in [OutboxMessage.Status.failed, .failed, .sent].enumerated() {
                let mail = OutboxMessage(
                    toEmail: "x\(n)@demo.example", toName: "X", locale: "de", subject: "S", textBody: "T",
                    htmlBody: "H",
                    now: Date())
                mail.status = status
                try await mail.create(on: app.db)
            }
            let registrations = MenteeRegistration.query(on: app.db).filter(\.$programme.$id == id)
            let confirmed = MentorApplicationRecord.query(on: app.db).filter(\.$programme.$id == id)
                .filter(\.$status != .unconfirmed)
            let participations = Participation.query(on: app.db).filter(\.$programme.$id == id)
            let expected = ProgrammeFunnel(
                invited: try await Invitation.query(on: app.db).filter(\.$programme.$id == id)
                    .filter(\.$status != .revoked).count(),
                registered: try await registrations.copy().count(),
                approved: try await registrations.copy().filter(\.$status == .approved).count(),
                pending_registrations: try await registrations.copy().filter(\.$status == .pending).count(),
                applied: try await confirmed.copy().count(),
                eligible: try await confirmed.copy().filter(\.$eligible == true).count(),
                undecided: try await confirmed.copy().filter(\.$status == .submitted).count(),
                preselected: try await confirmed.copy().filter(\.$status == .preselected).count(),
                mentors: try await participations.copy().filter(\.$role == .mentor).count(),
                mentees: try await participations.copy().filter(\.$role == .mentee).count(),
                failed_mail: 2)
            #expect(try await ProgrammeFunnel.load(programme: id, on: app.db) == expected)
            // The counts are of this programme only.
            let empty = try await ProgrammeFunnel.load(programme: UUID(), on: app.db)
            #expect(empty.invited == 0 && empty.applied == 0 && empty.mentors == 0 && empty.failed_mail == 2)
        }
    }

}
