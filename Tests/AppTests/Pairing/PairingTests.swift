import Fluent
import Foundation
import Mentoring
import Testing
import VaporTesting

@testable import App

/// The pairing phase through the app: the board's proposal, edits, publishing, the partners' answers and exits,
/// bad input and two organisers at once. Everything goes through HTTP as people use it.
@Suite("Pairing board and tandems")
struct PairingTests {
    /// A programme in pairing with a closed kickoff: mentees e0…, mentors r0…, and the values the policy reads,
    /// written into the tables the app reads them from.
    struct Scene {
        let programme: Programme
        let organiser: User
        let mentees: [User]
        let mentors: [User]
        /// The same data as a hand-built policy input (ids as strings), to compare with what the app loads.
        let input: PairingInput

        var id: UUID { programme.id! }
        var board: String { "/organiser/programmes/\(id)/pairing" }
    }

    struct Person {
        let topics: [String]
        let languages: [String]
    }

    static func makeScene(
        _ app: Application, mentees menteePeople: [Person], mentors mentorPeople: [Person],
        shortlists: [Int: [Int]] = [:], marks: [(mentor: Int, mentee: Int)] = [],
        answers: [(mentee: Int, mentor: Int, menteeSays: ContinueAnswer, mentorSays: ContinueAnswer)] = [],
        capacities: [Int: Int] = [:]
    ) async throws -> Scene {
        let db = app.db
        let programme = Programme(name: "Paarungsprogramm", description: "Test", phase: .pairing)
        programme.contactsJSON = JSONText.encode([ProgrammeSettings.Contact(name: "Olga", email: "orga@test.example")])
        try await programme.create(on: db)
        let programmeID = try programme.requireID()
        let organiser = User(email: "orga@test.example", name: "Olga Organisatorin", isOrganiser: true)
        try await organiser.create(on: db)
        var mentees: [User] = [], mentors: [User] = []
        for (i, person) in menteePeople.enumerated() {
            let user = User(email: "e\(i)@test.example", name: "Mentee \(i)", locale: i == 0 ? "en" : "de")
            try await user.create(on: db)
            try await Participation(userID: user.requireID(), programmeID: programmeID, role: .mentee).create(on: db)
            let registration = try RegistrationController.makeRegistration(
                .init(company: "Firma \(i) GmbH", position: "CTO", consent: "on"), programme: programme,
                userID: user.requireID(), invitationID: nil, status: .approved, now: Date())
            registration.topicsJSON = JSONText.encode(person.topics)
            registration.languagesJSON = JSONText.encode(person.languages)
            try await registration.create(on: db)
            mentees.append(user)
        }
        for (j, person) in mentorPeople.enumerated() {
            let user = User(email: "r\(j)@test.example", name: "Mentor \(j)")
            try await user.create(on: db)
            let participation = Participation(userID: try user.requireID(), programmeID: programmeID, role: .mentor)
            participation.capacity = capacities[j] ?? 1
            try await participation.create(on: db)
            let application = MentorApplicationRecord(
                programmeID: programmeID, userID: try user.requireID(),
                draft: MentorApplicationDraft(
                    name: user.name, email: user.email, teamRole: "Entwicklerin \(j)",
                    companyStartDate: CalendarDate(year: 2020, month: 1, day: 1)!, tookPartInTalentProgramme: true,
                    expertiseTopics: person.topics, languages: person.languages, motivation: "m"),
                result: EligibilityResult(tenureMonths: 60, findings: []))
            application.status = .preselected
            try await application.create(on: db)
            mentors.append(user)
        }
        let kickoff = Kickoff(
            programmeID: programmeID, startsAt: Date(), rounds: 8, roundSeconds: 300, breakSeconds: 30)
        kickoff.closedAt = Date()
        try await kickoff.create(on: db)
        let kickoffID = try kickoff.requireID()
        for (i, picks) in shortlists {
            try await KickoffShortlist(
                kickoffID: kickoffID, userID: mentees[i].requireID(),
                picks: try picks.map { try mentors[$0].requireID() },
                at: Date()
            ).create(on: db)
        }
        var marksByMentor: [Int: [Int]] = [:]
        for mark in marks { marksByMentor[mark.mentor, default: []].append(mark.mentee) }
        for (j, marked) in marksByMentor {
            try await KickoffShortlist(
                kickoffID: kickoffID, userID: mentors[j].requireID(),
                picks: try marked.map { try mentees[$0].requireID() },
                at: Date()
            ).create(on: db)
        }
        for (round, answer) in answers.enumerated() {
            try await TalkRating(
                kickoffID: kickoffID, round: round + 1, raterID: mentees[answer.mentee].requireID(),
                partnerID: mentors[answer.mentor].requireID(), answer: answer.menteeSays, note: "privat"
            ).create(on: db)
            try await TalkRating(
                kickoffID: kickoffID, round: round + 1, raterID: mentors[answer.mentor].requireID(),
                partnerID: mentees[answer.mentee].requireID(), answer: answer.mentorSays, note: "privat"
            ).create(on: db)
        }

        let key = { (user: User) in user.id!.uuidString }
        var input = PairingInput(
            mentees: mentees.sorted { $0.name < $1.name }.map(key),
            mentors: mentors.sorted { $0.name < $1.name }.map(key))
        for (i, picks) in shortlists { input.shortlists[key(mentees[i])] = picks.map { key(mentors[$0]) } }
        for mark in marks {
            input.marks.insert(PairID(mentee: key(mentees[mark.mentee]), mentor: key(mentors[mark.mentor])))
        }
        for answer in answers {
            let pair = PairID(mentee: key(mentees[answer.mentee]), mentor: key(mentors[answer.mentor]))
            input.menteeAnswers[pair] = answer.menteeSays
            input.mentorAnswers[pair] = answer.mentorSays
        }
        for (i, person) in menteePeople.enumerated() {
            input.menteeTopics[key(mentees[i])] = person.topics
            input.menteeLanguages[key(mentees[i])] = person.languages
        }
        for (j, person) in mentorPeople.enumerated() {
            input.mentorTopics[key(mentors[j])] = person.topics
            input.mentorLanguages[key(mentors[j])] = person.languages
            input.capacities[key(mentors[j])] = capacities[j] ?? 1
        }
        return Scene(programme: programme, organiser: organiser, mentees: mentees, mentors: mentors, input: input)
    }

    /// Two mentees, three mentors: e0 wants r0 then r1; e1 wants r0; r2 speaks English only.
    static func smallScene(_ app: Application) async throws -> Scene {
        let german = Person(topics: ["KI"], languages: ["Deutsch"])
        return try await makeScene(
            app, mentees: [german, german],
            mentors: [german, german, Person(topics: ["KI"], languages: ["English"])],
            shortlists: [0: [0, 1], 1: [0]], marks: [(mentor: 0, mentee: 1)])
    }

    static func revision(_ page: TestBrowser.Page) -> String {
        TestBrowser.firstMatch(in: page.body, after: "name=\"revision\" value=\"") ?? "?"
    }

    static func tandems(_ app: Application, _ scene: Scene) async throws -> [Tandem] {
        try await Tandem.query(on: app.db).filter(\.$programme.$id == scene.id).all()
    }

    static func pairs(_ tandems: [Tandem], _ scene: Scene, status: Tandem.Status = .draft) -> Set<String> {
        let name = { (id: UUID) in
            (scene.mentees + scene.mentors).first { $0.id == id }.map { String($0.email.prefix(2)) } ?? "?"
        }
        return Set(tandems.filter { $0.status == status }.map { "\(name($0.$mentee.id))-\(name($0.$mentor.id))" })
    }

    @discardableResult
    static func recompute(_ browser: TestBrowser, _ scene: Scene) async throws -> TestBrowser.Page {
        let board = try await browser.get(scene.board)
        return try await browser.post(scene.board + "/recompute", ["revision": revision(board)])
    }

    // MARK: The proposal

    @Test("The board's proposal is the engine's optimum on the stored data, with reasons and the baseline beside it")
    func proposalEqualsOptimum() async throws {
        try await withTestApp { app in
            // Twelve mentees, ten mentors: shortlists, marks, answers, topics, two languages, capacities 0 and 2.
            let topics = ["KI", "Cloud", "Social Media", "Daten", "Recht"]
            let mentees = (0..<12).map { i in
                Person(topics: [topics[i % 5], topics[(i + 2) % 5]], languages: i == 11 ? ["English"] : ["Deutsch"])
            }
            let mentors = (0..<10).map { j in
                Person(
                    topics: [topics[j % 5], topics[(j + 1) % 5]],
                    languages: j % 3 == 0 ? ["Deutsch", "Englisch"] : ["Deutsch"])
            }
            var shortlists: [Int: [Int]] = [:]
            for i in 0..<10 { shortlists[i] = [(i * 7) % 10, (i * 3 + 1) % 10, (i + 5) % 10] }
            let marks = (0..<10).map { j in (mentor: j, mentee: (j * 5) % 12) }
            let answers = (0..<8).map { k in
                (
                    mentee: k, mentor: (k + 2) % 10, menteeSays: ContinueAnswer.yes,
                    mentorSays: k % 4 == 0 ? ContinueAnswer.no : .yes
                )
            }
            let scene = try await Self.makeScene(
                app, mentees: mentees, mentors: mentors, shortlists: shortlists, marks: marks, answers: answers,
                capacities: [4: 0, 6: 2])
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: scene.organiser)
            let before = try await organiser.get(scene.board)
            #expect(before.status == .ok)
            #expect(before.body.contains("Noch kein Vorschlag berechnet"))
            let response = try await Self.recompute(organiser, scene)
            #expect(response.status == .seeOther)

            let expected = try PairingPolicy().propose(scene.input)
            let stored = try await Self.tandems(app, scene)
            #expect(
                Set(stored.map { "\($0.$mentee.id.uuidString)-\($0.$mentor.id.uuidString)" })
                    == Set(expected.tandems.map { "\($0.mentee)-\($0.mentor)" }))
            #expect(stored.reduce(0) { $0 + $1.weight } == expected.totalWeight)
            #expect(stored.allSatisfy { $0.status == .draft && !$0.pinned })
            // The rules hold in the stored result: capacity 0 unused, capacity 2 at most twice, no "no", languages.
            #expect(!stored.contains { $0.$mentor.id == scene.mentors[4].id })
            #expect(stored.filter { $0.$mentor.id == scene.mentors[6].id }.count <= 2)
            let english = scene.mentees[11].id!
            if let tandem = stored.first(where: { $0.$mentee.id == english }) {
                let j = scene.mentors.firstIndex { $0.id == tandem.$mentor.id }!
                #expect(j % 3 == 0, "the English-only mentee is paired with an English speaker")
            }

            let page = try await organiser.get(scene.board)
            let analysis = PairingAnalysis(scene.input)
            let summary = analysis.summary(of: expected.tandems.map { PairID(mentee: $0.mentee, mentor: $0.mentor) })
            let baseline = analysis.summary(of: analysis.firstChoiceFirst())
            #expect(page.body.contains("<td>\(summary.paired)</td><td>\(baseline.paired)</td>"))
            #expect(page.body.contains("<td>\(summary.choices[0])</td><td>\(baseline.choices[0])</td>"))
            #expect(page.body.contains("<td>\(summary.mutual)</td><td>\(baseline.mutual)</td>"))
            #expect(page.body.contains("Wahl der Mentee"), "reasons in words")
            #expect(page.body.contains("Optimum bei der letzten Berechnung"))
            let unpaired = expected.unpaired.count
            #expect(page.body.contains(unpaired == 1 ? "1 Mentee ohne Tandem" : "\(unpaired) Mentees ohne Tandem"))
        }
    }

    @Test("The tandem table shows a hundred per page, found by name and status; the summary counts all")
    func tablePages() async throws {
        try await withTestApp { app in
            // 105 mentees without shortlists (they joined after the kickoff): paired by topics with 105 mentors.
            let person = Person(topics: ["KI"], languages: ["Deutsch"])
            let scene = try await Self.makeScene(
                app, mentees: Array(repeating: person, count: 105), mentors: Array(repeating: person, count: 105))
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: scene.organiser)
            try await Self.recompute(organiser, scene)
            let first = try await organiser.get(scene.board)
            #expect(first.body.components(separatedBy: "<tr id=\"tandem-").count - 1 == 100)
            #expect(first.body.contains("105 Tandems"))
            #expect(first.body.contains("Tandems 1–100 von 105"))
            #expect(first.body.contains("<td>105</td>"), "the summary counts every tandem")
            #expect(first.body.contains("rel=\"next\""))
            let second = try await organiser.get(scene.board + "?page=2")
            #expect(second.body.components(separatedBy: "<tr id=\"tandem-").count - 1 == 5)
            #expect(second.body.contains("Tandems 101–105 von 105") && second.body.contains("rel=\"prev\""))
            let found = try await organiser.get(scene.board + "?q=mentee+42")
            #expect(found.body.components(separatedBy: "<tr id=\"tandem-").count - 1 == 1)
            #expect(found.body.contains("Mentee 42"))
            let none = try await organiser.get(scene.board + "?status=active")
            #expect(none.body.contains("Keine Tandems passen zu dieser Suche."))
        }
    }

    @Test("The board's cached kickoff input is read again as soon as an answer, a mark or a participant changes")
    func cachedInputFollowsChanges() async throws {
        try await withTestApp { app in
            let scene = try await Self.smallScene(app)
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: scene.organiser)
            try await Self.recompute(organiser, scene)
            let mutual = { (page: TestBrowser.Page) in
                TestBrowser.firstMatch(in: page.body, after: "Gegenseitige Wahl</th><td>").map { String($0.prefix(1)) }
            }
            #expect(mutual(try await organiser.get(scene.board)) == "1")
            let before = try await PairingInputCache.fingerprint(programme: scene.id, on: app.db)
            // The mentor withdraws the mark: the fingerprint changes, and the board shows it at once.
            try await KickoffShortlist.query(on: app.db).filter(\.$user.$id == scene.mentors[0].id!).delete()
            let after = try await PairingInputCache.fingerprint(programme: scene.id, on: app.db)
            #expect(after != before)
            #expect(mutual(try await organiser.get(scene.board)) == "0")
            // A changed answer (same number of rows, a newer time) changes it too.
            let kickoff = try #require(try await Kickoff.query(on: app.db).first())
            try await TalkRating(
                kickoffID: kickoff.requireID(), round: 1, raterID: scene.mentees[0].requireID(),
                partnerID: scene.mentors[1].requireID(), answer: .yes, note: ""
            ).create(on: app.db)
            let rating = try #require(try await TalkRating.query(on: app.db).first())
            let withRating = try await PairingInputCache.fingerprint(programme: scene.id, on: app.db)
            try await Task.sleep(for: .milliseconds(20))
            rating.answer = .no
            try await rating.save(on: app.db)
            #expect(try await PairingInputCache.fingerprint(programme: scene.id, on: app.db) != withRating)
        }
    }

    // MARK: Edits

    @Test("Assign, pin, swap, unassign and ban; recompute keeps pins and bans")
    func edits() async throws {
        try await withTestApp { app in
            let scene = try await Self.smallScene(app)
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: scene.organiser)
            try await Self.recompute(organiser, scene)
            // e1 only wants r0 and r0 marked e1; e0 falls back to r1.
            #expect(Self.pairs(try await Self.tandems(app, scene), scene) == ["e0-r1", "e1-r0"])

            // Swap the mentors: both become pinned; a recompute keeps them.
            var board = try await organiser.get(scene.board)
            let stored = try await Self.tandems(app, scene)
            let e0 = try #require(stored.first { $0.$mentee.id == scene.mentees[0].id })
            let e1 = try #require(stored.first { $0.$mentee.id == scene.mentees[1].id })
            let swapped = try await organiser.post(
                scene.board + "/swap",
                ["revision": Self.revision(board), "first": e0.id!.uuidString, "second": e1.id!.uuidString])
            #expect(swapped.status == .seeOther)
            #expect(Self.pairs(try await Self.tandems(app, scene), scene) == ["e0-r0", "e1-r1"])
            try await Self.recompute(organiser, scene)
            let afterRecompute = try await Self.tandems(app, scene)
            #expect(Self.pairs(afterRecompute, scene) == ["e0-r0", "e1-r1"])
            #expect(afterRecompute.allSatisfy { $0.pinned })

            // Unpin e1's tandem, then ban it: e1 is left without a mentor (r0 is pinned to e0, r2 speaks English).
            board = try await organiser.get(scene.board)
            let e1Tandem = try #require(afterRecompute.first { $0.$mentee.id == scene.mentees[1].id })
            try await organiser.post(scene.board + "/tandems/\(e1Tandem.id!)/pin", ["revision": Self.revision(board)])
            #expect(try await Tandem.find(e1Tandem.id, on: app.db)?.pinned == false)
            board = try await organiser.get(scene.board)
            try await organiser.post(scene.board + "/tandems/\(e1Tandem.id!)/ban", ["revision": Self.revision(board)])
            #expect(Self.pairs(try await Self.tandems(app, scene), scene) == ["e0-r0"])
            try await Self.recompute(organiser, scene)
            #expect(Self.pairs(try await Self.tandems(app, scene), scene) == ["e0-r0"], "the ban holds")
            let page = try await organiser.get(scene.board)
            #expect(page.body.contains("1 Mentee ohne Tandem"))
            #expect(page.body.contains("Keine passende Person"))

            // Assign e1 to r2 by hand: refused, no common language; nothing changed.
            let refused = try await organiser.post(
                scene.board + "/assign",
                [
                    "revision": Self.revision(page), "mentee": scene.mentees[1].id!.uuidString,
                    "mentor": scene.mentors[2].id!.uuidString,
                ])
            #expect(refused.status == .seeOther)
            let message = try await organiser.get(scene.board)
            #expect(message.body.contains("keine gemeinsame Sprache"))
            #expect(Self.pairs(try await Self.tandems(app, scene), scene) == ["e0-r0"])
            // Banned pair by hand: refused too.
            let banned = try await organiser.post(
                scene.board + "/assign",
                [
                    "revision": Self.revision(message), "mentee": scene.mentees[1].id!.uuidString,
                    "mentor": scene.mentors[1].id!.uuidString,
                ])
            #expect(banned.status == .seeOther)
            #expect(try await organiser.get(scene.board).body.contains("dieses Paar ist ausgeschlossen"))

            // Unassign e0: both are free again.
            board = try await organiser.get(scene.board)
            let e0Tandem = try #require(try await Self.tandems(app, scene).first { $0.status == .draft })
            try await organiser.post(
                scene.board + "/tandems/\(e0Tandem.id!)/unassign", ["revision": Self.revision(board)])
            #expect(Self.pairs(try await Self.tandems(app, scene), scene).isEmpty)
            // Audit log names each change.
            let actions = try await AuditEvent.query(on: app.db).all().map(\.action)
            for action in [
                "pairing.change.recomputed", "pairing.change.swapped", "pairing.change.banned",
                "pairing.change.unassigned",
            ] {
                #expect(actions.contains(action), "\(action)")
            }
        }
    }

    @Test("Bad edits: a second tandem for a mentee, a mentor over capacity, capacity below load, a missing revision")
    func badEdits() async throws {
        try await withTestApp { app in
            let scene = try await Self.smallScene(app)
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: scene.organiser)
            try await Self.recompute(organiser, scene)
            let before = Self.pairs(try await Self.tandems(app, scene), scene)
            var board = try await organiser.get(scene.board)
            // e0 already has a tandem: a second one (a second pin) is refused.
            let twice = try await organiser.post(
                scene.board + "/assign",
                [
                    "revision": Self.revision(board), "mentee": scene.mentees[0].id!.uuidString,
                    "mentor": scene.mentors[0].id!.uuidString,
                ])
            #expect(twice.status == .conflict)
            #expect(twice.body.contains("bereits ein Tandem"))
            // r0 is full (capacity 1): assigning a freed e1 to r0 without displacing is refused.
            board = try await organiser.get(scene.board)
            let e1Tandem = try #require(
                try await Self.tandems(app, scene).first { $0.$mentee.id == scene.mentees[1].id })
            try await organiser.post(
                scene.board + "/tandems/\(e1Tandem.id!)/unassign", ["revision": Self.revision(board)])
            board = try await organiser.get(scene.board)
            let e0Tandem = try #require(
                try await Self.tandems(app, scene).first { $0.$mentee.id == scene.mentees[0].id })
            try await organiser.post(
                scene.board + "/assign",
                [
                    "revision": Self.revision(board), "mentee": scene.mentees[1].id!.uuidString,
                    "mentor": e0Tandem.$mentor.id.uuidString,
                ])
            #expect(try await organiser.get(scene.board).body.contains("ihre Kapazität"))
            #expect(Self.pairs(try await Self.tandems(app, scene), scene).count == before.count - 1)
            // Capacity below the tandems a mentor has: refused, nothing changed.
            board = try await organiser.get(scene.board)
            let lowered = try await organiser.post(
                scene.board + "/capacities",
                ["revision": Self.revision(board), "capacity[\(e0Tandem.$mentor.id.uuidString)]": "0"])
            #expect(lowered.status == .seeOther)
            #expect(try await organiser.get(scene.board + "/capacities").body.contains("hat bereits 1 Tandem"))
            let participation = try await Participation.query(on: app.db).filter(\.$user.$id == e0Tandem.$mentor.id)
                .first()
            #expect(participation?.capacity == 1)
            // Nonsense capacity.
            board = try await organiser.get(scene.board)
            try await organiser.post(
                scene.board + "/capacities",
                ["revision": Self.revision(board), "capacity[\(scene.mentors[2].id!)]": "viele"])
            #expect(try await organiser.get(scene.board + "/capacities").body.contains("bitte eine Zahl von 0 bis 5"))
            // A form without its revision.
            let unchecked = try await organiser.post(scene.board + "/recompute")
            #expect(unchecked.status == .badRequest)
        }
    }

    @Test("Two organisers on one board: the second edit gets 409 naming what changed, and changes nothing")
    func concurrentOrganisers() async throws {
        try await withTestApp { app in
            let scene = try await Self.smallScene(app)
            let second = User(email: "zweite.orga@test.example", name: "Zoe Zweitorga", isOrganiser: true)
            try await second.create(on: app.db)
            let olga = TestBrowser(app), zoe = TestBrowser(app)
            try await olga.signIn(as: scene.organiser)
            try await zoe.signIn(as: second)
            try await Self.recompute(olga, scene)
            let olgaBoard = try await olga.get(scene.board)
            let zoeBoard = try await zoe.get(scene.board)
            let stored = try await Self.tandems(app, scene)
            let e1Tandem = try #require(stored.first { $0.$mentee.id == scene.mentees[1].id })
            let e0Tandem = try #require(stored.first { $0.$mentee.id == scene.mentees[0].id })
            // Olga pins e1's tandem; Zoe, on her older page, unassigns e0's.
            try await olga.post(scene.board + "/tandems/\(e1Tandem.id!)/pin", ["revision": Self.revision(olgaBoard)])
            let late = try await zoe.post(
                scene.board + "/tandems/\(e0Tandem.id!)/unassign", ["revision": Self.revision(zoeBoard)])
            #expect(late.status == .conflict)
            #expect(late.body.contains("Tandem fixiert: Mentee 1 – Mentor 0"))
            #expect(late.body.contains("Olga Organisatorin"))
            #expect(late.body.contains("href=\"\(scene.board)\""), "a way back to the board")
            #expect(try await Tandem.find(e0Tandem.id, on: app.db) != nil, "nothing changed")
        }
    }

    // MARK: Publishing and the partners

    @Test("Publishing is one transaction and idempotent: a double click publishes once and e-mails once")
    func publishOnce() async throws {
        try await withTestApp { app in
            let scene = try await Self.smallScene(app)
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: scene.organiser)
            try await Self.recompute(organiser, scene)
            // Partners see nothing before publishing.
            let mentee = TestBrowser(app)
            try await mentee.signIn(as: scene.mentees[0])
            #expect(try await mentee.get("/tandem").body.contains("noch nicht fest") == false)
            #expect(try await mentee.get("/tandem").body.contains("not settled yet"), "English for e0")
            let mailsBefore = try await OutboxMessage.query(on: app.db).count()
            // Two clicks at once.
            async let first = organiser.post(scene.board + "/publish")
            async let second = organiser.post(scene.board + "/publish")
            let (a, b) = try await (first, second)
            #expect(a.status == .seeOther && b.status == .seeOther)
            let tandems = try await Self.tandems(app, scene)
            #expect(tandems.count == 2 && tandems.allSatisfy { $0.status == .proposed && $0.publishedAt != nil })
            let mails = try await OutboxMessage.query(on: app.db).sort(\.$createdAt).all().dropFirst(mailsBefore)
            #expect(mails.count == 4, "one introduction per partner, once")
            // A third click: nothing left.
            try await organiser.post(scene.board + "/publish")
            #expect(try await organiser.get(scene.board).body.contains("nichts mehr zu veröffentlichen"))
            #expect(try await OutboxMessage.query(on: app.db).count() == mailsBefore + 4)

            // The introduction, in the recipient's language: partner, role, company, topics, contacts, next step.
            let toE0 = try #require(mails.first { $0.toEmail == scene.mentees[0].email })
            #expect(toE0.subject.hasPrefix("Your tandem"))
            #expect(toE0.textBody.contains("Mentor 1") && toE0.textBody.contains("Entwicklerin 1"))
            #expect(toE0.textBody.contains("orga@test.example"))
            #expect(toE0.textBody.contains("http://mentoring.test/tandem"))
            let toMentor = try #require(mails.first { $0.toEmail == scene.mentors[0].email })
            #expect(toMentor.subject.hasPrefix("Ihr Tandem"))
            #expect(toMentor.textBody.contains("Mentee 1") && toMentor.textBody.contains("Firma 1 GmbH"))
            #expect(toMentor.textBody.contains("1. Wahl der Mentee"))
            let page = try await mentee.get("/tandem")
            #expect(page.body.contains("Mentor 1") && page.body.contains("Accept tandem"))
        }
    }

    @Test("Both accept: the tandem is active; all active: the programme runs")
    func acceptAndRun() async throws {
        try await withTestApp { app in
            let scene = try await Self.smallScene(app)
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: scene.organiser)
            try await Self.recompute(organiser, scene)
            try await organiser.post(scene.board + "/publish")
            for tandem in try await Self.tandems(app, scene) {
                for id in [tandem.$mentee.id, tandem.$mentor.id] {
                    let person = try #require((scene.mentees + scene.mentors).first { $0.id == id })
                    let browser = TestBrowser(app)
                    try await browser.signIn(as: person)
                    let home = try await browser.get("/dashboard")
                    #expect(home.body.contains("/tandem\""), "Mein Tandem is on the home page")
                    let accepted = try await browser.post("/tandem/\(tandem.id!)/accept")
                    #expect(accepted.status == .seeOther)
                    // Accepting twice is refused, nothing changes.
                    let again = try await browser.post("/tandem/\(tandem.id!)/accept")
                    #expect(again.status == .conflict)
                }
            }
            let tandems = try await Self.tandems(app, scene)
            #expect(tandems.allSatisfy { $0.status == .active && $0.activatedAt != nil })
            #expect(try await Programme.find(scene.id, on: app.db)?.phase == .running)
        }
    }

    @Test("Decline with a private reason: back on the board as 'not again', organisers told, partner never sees why")
    func declineAndRepair() async throws {
        try await withTestApp { app in
            let scene = try await Self.smallScene(app)
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: scene.organiser)
            try await Self.recompute(organiser, scene)
            try await organiser.post(scene.board + "/publish")
            let tandem = try #require(try await Self.tandems(app, scene).first { $0.$mentee.id == scene.mentees[1].id })
            let mentee = TestBrowser(app), mentor = TestBrowser(app)
            try await mentee.signIn(as: scene.mentees[1])
            try await mentor.signIn(as: scene.mentors[0])
            let before = try await OutboxMessage.query(on: app.db).count()
            // A reason is required.
            let empty = try await mentee.post("/tandem/\(tandem.id!)/decline", ["reason": "  "])
            #expect(empty.status == .unprocessableEntity)
            let secret = "Wir kennen uns privat – GEHEIM-\(UUID().uuidString.prefix(6))"
            let declined = try await mentee.post("/tandem/\(tandem.id!)/decline", ["reason": secret])
            #expect(declined.status == .seeOther)
            let stored = try #require(try await Tandem.find(tandem.id, on: app.db))
            #expect(stored.status == .declined && stored.closedBy == .mentee && stored.closingReason == secret)
            #expect(try await PairingBan.query(on: app.db).filter(\.$cause == .declined).count() == 1)
            // Declining twice, or accepting a declined tandem: refused, nothing changes.
            #expect(try await mentee.post("/tandem/\(tandem.id!)/decline", ["reason": "nochmal"]).status == .conflict)
            #expect(try await mentor.post("/tandem/\(tandem.id!)/accept").status == .conflict)
            #expect(try await Tandem.find(tandem.id, on: app.db)?.closingReason == secret)

            let mails = try await OutboxMessage.query(on: app.db).sort(\.$createdAt).all().dropFirst(before)
            let toOrganiser = try #require(mails.first { $0.toEmail == scene.organiser.email })
            #expect(toOrganiser.subject.contains("Mentee 1 – Mentor 0"))
            let toMentor = try #require(mails.first { $0.toEmail == scene.mentors[0].email })
            #expect(!toMentor.textBody.contains(secret) && !toMentor.htmlBody.contains(secret))
            // Each person's data export holds their tandem; the reason only in the export of the one who gave it.
            let menteeExport = try await mentee.get("/account/export")
            #expect(menteeExport.body.contains("\"status\" : \"declined\"") && menteeExport.body.contains("GEHEIM"))
            let mentorExport = try await mentor.get("/account/export")
            #expect(mentorExport.body.contains("\"partner\" : \"Mentee 1\"") && !mentorExport.body.contains("GEHEIM"))
            let mentorPage = try await mentor.get("/tandem")
            #expect(!mentorPage.body.contains(secret))
            #expect(mentorPage.body.contains("kommt nicht zustande"))
            // The organisers read the reason on the board (escaped); recomputing never proposes the pair again.
            let board = try await organiser.get(scene.board)
            #expect(board.body.contains(secret.replacingOccurrences(of: "–", with: "–")))
            try await Self.recompute(organiser, scene)
            let drafts = Self.pairs(try await Self.tandems(app, scene), scene)
            #expect(!drafts.contains("e1-r0"))
            // The mentor's capacity is free again: someone else may be paired with r0.
            #expect(
                try await Self.tandems(app, scene).filter {
                    $0.status.isCurrent && $0.$mentor.id == scene.mentors[0].id
                }.count <= 1)
        }
    }

    @Test(
        "A tandem the organisers withdraw before both confirmed: accepting or declining it is refused, nothing changes")
    func withdrawnBeforeConfirmation() async throws {
        try await withTestApp { app in
            let scene = try await Self.smallScene(app)
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: scene.organiser)
            try await Self.recompute(organiser, scene)
            try await organiser.post(scene.board + "/publish")
            let tandem = try #require(try await Self.tandems(app, scene).first { $0.$mentee.id == scene.mentees[1].id })
            let mentee = TestBrowser(app)
            try await mentee.signIn(as: scene.mentees[1])
            #expect(try await mentee.post("/tandem/\(tandem.id!)/accept").status == .seeOther)
            let board = try await organiser.get(scene.board)
            let withdrawn = try await organiser.post(
                scene.board + "/tandems/\(tandem.id!)/end", ["revision": Self.revision(board), "reason": "Doch anders"])
            #expect(withdrawn.status == .seeOther)
            let stored = try #require(try await Tandem.find(tandem.id, on: app.db))
            #expect(stored.status == .withdrawn && stored.closedBy == .organiser)
            let mentor = TestBrowser(app)
            try await mentor.signIn(as: scene.mentors[0])
            let late = try await mentor.post("/tandem/\(tandem.id!)/accept")
            #expect(late.status == .conflict)
            #expect(late.body.contains("zurückgezogen"))
            #expect(try await mentor.post("/tandem/\(tandem.id!)/decline", ["reason": "egal"]).status == .conflict)
            let after = try #require(try await Tandem.find(tandem.id, on: app.db))
            #expect(after.status == .withdrawn && after.mentorAcceptedAt == nil && after.closingReason == "Doch anders")
            // Both partners learn it is off, without the reason; the mentee's page says so too.
            #expect(try await mentee.get("/tandem").body.contains("kommt nicht zustande"))
            let mails = try await OutboxMessage.query(on: app.db).filter(\.$subject ~~ "neu geplant").all()
            #expect(mails.count == 2 && mails.allSatisfy { !$0.textBody.contains("Doch anders") })
        }
    }

    @Test("No-fault exit by either partner or the organisers; capacity returns; strangers learn nothing")
    func exitAndStrangers() async throws {
        try await withTestApp { app in
            let scene = try await Self.smallScene(app)
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: scene.organiser)
            let board = try await organiser.get(scene.board)
            try await organiser.post(scene.board + "/settings", ["revision": Self.revision(board)])  // no confirmation
            try await Self.recompute(organiser, scene)
            try await organiser.post(scene.board + "/publish")
            let tandems = try await Self.tandems(app, scene)
            #expect(tandems.allSatisfy { $0.status == .active }, "published without confirmation: active at once")
            #expect(try await Programme.find(scene.id, on: app.db)?.phase == .running)
            let t1 = try #require(tandems.first { $0.$mentee.id == scene.mentees[1].id })
            let t0 = try #require(tandems.first { $0.$mentee.id == scene.mentees[0].id })

            // A stranger (the other tandem's mentee) cannot touch t1: 403, nothing revealed.
            let stranger = TestBrowser(app)
            try await stranger.signIn(as: scene.mentees[0])
            let refused = try await stranger.post("/tandem/\(t1.id!)/exit", ["reason": ""])
            #expect(refused.status == .forbidden)
            #expect(try await stranger.post("/tandem/\(UUID())/accept").status == .forbidden)
            #expect(!(try await stranger.get("/tandem").body.contains("Mentee 1")))

            // The mentor of t1 leaves.
            let mentor = TestBrowser(app)
            try await mentor.signIn(as: scene.mentors[0])
            // A reason one character over the limit is refused and changes nothing; exactly at the limit it is kept.
            let tooLong = try await mentor.post(
                "/tandem/\(t1.id!)/exit", ["reason": String(repeating: "ä", count: PairingPublishing.reasonLimit + 1)])
            #expect(tooLong.status == .unprocessableEntity)
            #expect(try await Tandem.find(t1.id, on: app.db)?.status == .active)
            let longest = String(repeating: "Zu viel Reisezeit. ", count: 200).prefix(PairingPublishing.reasonLimit)
            let left = try await mentor.post("/tandem/\(t1.id!)/exit", ["reason": String(longest)])
            #expect(left.status == .seeOther)
            #expect(try await Tandem.find(t1.id, on: app.db)?.closingReason?.count == PairingPublishing.reasonLimit)
            #expect(try await Tandem.find(t1.id, on: app.db)?.status == .ended)
            // Exiting twice: refused.
            #expect(try await mentor.post("/tandem/\(t1.id!)/exit", ["reason": "nochmal"]).status == .conflict)
            // The organisers end t0; then re-pair from the board (the running programme keeps the board open).
            var page = try await organiser.get(scene.board)
            let ended = try await organiser.post(
                scene.board + "/tandems/\(t0.id!)/end", ["revision": Self.revision(page), "reason": "Neu aufstellen"])
            #expect(ended.status == .seeOther)
            #expect(try await Tandem.find(t0.id, on: app.db)?.status == .ended)
            page = try await organiser.get(scene.board)
            // Capacity is back: e1 can be assigned to r1 (not banned), e0 to r0 is banned now ("not again").
            let assigned = try await organiser.post(
                scene.board + "/assign",
                [
                    "revision": Self.revision(page), "mentee": scene.mentees[1].id!.uuidString,
                    "mentor": scene.mentors[1].id!.uuidString,
                ])
            #expect(assigned.status == .seeOther)
            #expect(Self.pairs(try await Self.tandems(app, scene), scene) == ["e1-r1"])
            let current = try await Self.tandems(app, scene).filter { $0.status == .draft }
            #expect(current.count == 1 && current.first?.$mentee.id == scene.mentees[1].id)
            let bans = try await PairingBan.query(on: app.db).all()
            #expect(bans.count == 2)
        }
    }

    @Test("The CSV export lists every tandem with both partners, without reasons")
    func export() async throws {
        try await withTestApp { app in
            let scene = try await Self.smallScene(app)
            let organiser = TestBrowser(app)
            try await organiser.signIn(as: scene.organiser)
            try await Self.recompute(organiser, scene)
            try await organiser.post(scene.board + "/publish")
            let csv = try await organiser.get(scene.board + "/tandems.csv")
            #expect(csv.status == .ok)
            #expect(csv.headers.first(name: .contentType)?.hasPrefix("text/csv") == true)
            let lines = csv.body.split(separator: "\r\n")
            #expect(
                lines.first
                    == "mentee,mentee_email,company,mentor,mentor_email,status,pinned,published,active_since,closed,closed_by"
            )
            #expect(lines.count == 3)
            #expect(csv.body.contains("Mentee 1,e1@test.example,Firma 1 GmbH,Mentor 0,r0@test.example,proposed,no,"))
            let excel = try await organiser.get(scene.board + "/tandems.csv?format=excel")
            #expect(excel.body.hasPrefix("\u{FEFF}mentee;"))
        }
    }
}
