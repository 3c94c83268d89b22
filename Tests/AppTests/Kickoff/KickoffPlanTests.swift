import Fluent
import Foundation
import Mentoring
import Testing
import VaporTesting

@testable import App

@Suite("Kickoff timing and round plan")
struct KickoffPlanTests {
    /// A programme with 3 mentees and 4 mentors, topics on both sides.
    static func setUp(_ app: Application) async throws -> (Fixture, [User], [User]) {
        let fixture = try await Fixture.make(on: app.db)
        let programmeID = try fixture.programme.requireID()
        var mentees = [fixture.mentee], mentors = [fixture.mentor]
        for index in 1...2 {
            let mentee = User(email: "mentee\(index)@test.example", name: "Mentee \(index)")
            try await mentee.create(on: app.db)
            try await Participation(userID: mentee.requireID(), programmeID: programmeID, role: .mentee).create(
                on: app.db)
            mentees.append(mentee)
        }
        for index in 1...3 {
            let mentor = User(email: "mentor\(index)@test.example", name: "Mentor \(index)")
            try await mentor.create(on: app.db)
            try await Participation(userID: mentor.requireID(), programmeID: programmeID, role: .mentor).create(
                on: app.db)
            mentors.append(mentor)
        }
        // Erika (mentee 0) wants KI; Mentor 2 offers KI.
        let registration = try RegistrationController.makeRegistration(
            .init(company: "E AG", position: "CTO", topics: "KI", consent: "on"), programme: fixture.programme,
            userID: fixture.mentee.requireID(), invitationID: nil, status: .approved, now: app.clock.now())
        try await registration.create(on: app.db)
        let application = MentorApplicationRecord(
            programmeID: programmeID, userID: try mentors[2].requireID(),
            draft: MentorApplicationDraft(
                name: "Mentor 2", email: mentors[2].email, teamRole: "Dev",
                companyStartDate: CalendarDate(year: 2020, month: 1, day: 1)!, tookPartInTalentProgramme: true,
                expertiseTopics: ["ki"], languages: ["Deutsch"], motivation: "m"),
            result: EligibilityResult(tenureMonths: 70, findings: []))
        application.status = .preselected
        try await application.create(on: app.db)
        return (fixture, mentees, mentors)
    }

    @Test("Timing is saved; the plan gives every mentee a talk with every mentor, no double booking, fit first")
    func planAllRounds() async throws {
        try await withTestApp { app in
            let (fixture, mentees, mentors) = try await Self.setUp(app)
            let id = try fixture.programme.requireID()
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.organiser)
            #expect(try await browser.get("/organiser/programmes/\(id)/kickoff").status == .ok)
            let bad = try await browser.post(
                "/organiser/programmes/\(id)/kickoff",
                ["startsAt": "morgen", "rounds": "0", "minutesPerRound": "5", "breakSeconds": "30"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("Erlaubt ist 1–20."))
            #expect(try await Kickoff.query(on: app.db).count() == 0)
            let saved = try await browser.post(
                "/organiser/programmes/\(id)/kickoff",
                ["startsAt": "2027-01-15T17:00", "rounds": "4", "minutesPerRound": "5", "breakSeconds": "30"])
            #expect(saved.status == .seeOther)
            let planned = try await browser.post("/organiser/programmes/\(id)/kickoff/plan")
            #expect(planned.status == .seeOther)

            let kickoff = try #require(try await Kickoff.query(on: app.db).first())
            #expect(kickoff.roundSeconds == 300)
            #expect(kickoff.startsAt == ISO8601DateFormatter().date(from: "2027-01-15T16:00:00Z"))
            let meetings = try await KickoffMeeting.query(on: app.db).all()
            // 3 mentees × 4 mentors, 4 rounds: everyone meets everyone.
            #expect(meetings.count == 12)
            for round in 1...4 {
                let inRound = meetings.filter { $0.round == round }
                #expect(Set(inRound.map(\.$mentee.id)).count == inRound.count, "a mentee twice in round \(round)")
                #expect(Set(inRound.map(\.$mentor.id)).count == inRound.count, "a mentor twice in round \(round)")
            }
            #expect(Set(meetings.map { "\($0.$mentee.id)-\($0.$mentor.id)" }).count == 12, "no pair meets twice")
            #expect(meetings.first { $0.$mentee.id == mentees[0].id && $0.$mentor.id == mentors[2].id }?.fit == 1)
            let page = try await browser.get("/organiser/programmes/\(id)/kickoff")
            #expect(page.body.contains("Runde 4"))
            #expect(page.body.contains("Erika Mentee ↔ Mentor 2 (1 gemeinsames Thema)"))
            #expect(page.body.contains("12 Gespräche, mindestens 4 pro Mentee"))
        }
    }

    @Test("An excluded pair never meets; re-planning respects it; fewer rounds than mentors is fair")
    func exclusions() async throws {
        try await withTestApp { app in
            let (fixture, mentees, mentors) = try await Self.setUp(app)
            let id = try fixture.programme.requireID()
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.organiser)
            try await browser.post(
                "/organiser/programmes/\(id)/kickoff",
                ["startsAt": "2027-01-15T17:00", "rounds": "2", "minutesPerRound": "5", "breakSeconds": "0"])
            let excluded = try await browser.post(
                "/organiser/programmes/\(id)/kickoff/exclusions",
                ["mentee": try mentees[1].requireID().uuidString, "mentor": try mentors[0].requireID().uuidString])
            #expect(excluded.status == .seeOther)
            try await browser.post("/organiser/programmes/\(id)/kickoff/plan")
            let meetings = try await KickoffMeeting.query(on: app.db).all()
            #expect(!meetings.contains { $0.$mentee.id == mentees[1].id && $0.$mentor.id == mentors[0].id })
            for mentee in mentees {
                #expect(meetings.filter { $0.$mentee.id == mentee.id }.count == 2, "each mentee has both rounds")
            }
            // Bad input: a person not in this programme.
            let stranger = try await browser.post(
                "/organiser/programmes/\(id)/kickoff/exclusions",
                ["mentee": UUID().uuidString, "mentor": try mentors[0].requireID().uuidString])
            #expect(stranger.status == .badRequest)
            #expect(try await KickoffExclusion.query(on: app.db).count() == 1)
            let exclusion = try #require(try await KickoffExclusion.query(on: app.db).first())
            #expect(
                try await browser.post(
                    "/organiser/programmes/\(id)/kickoff/exclusions/\(try exclusion.requireID())/delete"
                ).status == .seeOther)
            #expect(try await KickoffExclusion.query(on: app.db).count() == 0)
        }
    }
}
