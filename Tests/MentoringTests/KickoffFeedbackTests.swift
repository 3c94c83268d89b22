import Foundation
import Mentoring
import Testing

@Suite("Kickoff: rounds begun, talk ratings, mentor marks, external meeting links")
struct KickoffFeedbackTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let settings = KickoffTimeline.Settings(rounds: 3, roundSeconds: 300, breakSeconds: 30)
    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    @Test("Rounds begun: 0 before the start, the current round while talking, the previous one in breaks")
    func roundsBegun() throws {
        var timeline = try KickoffTimeline(settings: Self.settings)
        #expect(timeline.roundsBegun(at: Self.at(0)) == 0)
        try timeline.apply(.start(at: Self.t0))
        #expect(timeline.roundsBegun(at: Self.at(-1)) == 0)
        #expect(timeline.roundsBegun(at: Self.at(0)) == 1)
        #expect(timeline.roundsBegun(at: Self.at(310)) == 1, "in the break before round 2")
        #expect(timeline.roundsBegun(at: Self.at(330)) == 2)
        #expect(timeline.roundsBegun(at: Self.at(5000)) == 3, "after the last round")
        #expect(timeline.isFinished(at: Self.at(5000)))
        try timeline.apply(.pause(at: Self.at(320)))  // paused during the break: round 2 has not begun
        #expect(timeline.roundsBegun(at: Self.at(400)) == 1)
        try timeline.apply(.resume(at: Self.at(400)))
        try timeline.apply(.end(at: Self.at(500)))  // ended by the organiser in round 2
        #expect(timeline.roundsBegun(at: Self.at(600)) == 2)
        #expect(timeline.isFinished(at: Self.at(600)))
        #expect(!timeline.isFinished(at: Self.at(499)))
    }

    @Test("A rating needs a talk held with that partner, a known answer and a note of sensible length")
    func ratings() {
        #expect(
            TalkFeedback.validate(answer: "yes", note: "  gut  ", partner: "m1", heldPartner: "m1").map(\.1)
                == .success("gut"))
        #expect(
            TalkFeedback.validate(answer: "maybe", note: "", partner: "m1", heldPartner: "m1").map(\.0)
                == .success(.maybe))
        #expect(
            TalkFeedback.validate(answer: "yes", note: "", partner: "m2", heldPartner: "m1").map(\.1)
                == .failure(.talkNotHeld))
        #expect(
            TalkFeedback.validate(answer: "yes", note: "", partner: "m1", heldPartner: nil).map(\.1)
                == .failure(.talkNotHeld))
        #expect(
            TalkFeedback.validate(answer: "vielleicht", note: "", partner: "m1", heldPartner: "m1").map(\.1)
                == .failure(.unknownAnswer("vielleicht")))
        let long = String(repeating: "ä", count: TalkFeedback.maximumNoteLength + 1)
        #expect(
            TalkFeedback.validate(answer: "no", note: long, partner: "m1", heldPartner: "m1").map(\.1)
                == .failure(
                    .noteTooLong(count: TalkFeedback.maximumNoteLength + 1, allowed: TalkFeedback.maximumNoteLength)))
    }

    @Test("Mentors mark any number of mentees they met, nobody twice")
    func marks() {
        let met: Set = ["a", "b", "c"]
        #expect(Shortlist.validateMarks([], met: met) == .success([]))
        #expect(Shortlist.validateMarks(["a", "c"], met: met) == .success(["a", "c"]))
        #expect(Shortlist.validateMarks(["a", "x"], met: met) == .failure(.notMet("x")))
        #expect(Shortlist.validateMarks(["a", "a"], met: met) == .failure(.duplicate("a")))
    }

    @Test("Meeting-link templates: https, a {room}, only known placeholders")
    func meetingLinks() throws {
        let template = try MeetingLinkTemplate("https://meet.jit.si/rm-{room}-r{round}")
        #expect(template.link(room: "a1b2", round: 3) == "https://meet.jit.si/rm-a1b2-r3")
        #expect(throws: MeetingLinkTemplate.Problem.notHTTPS) { try MeetingLinkTemplate("http://meet.example/{room}") }
        #expect(throws: MeetingLinkTemplate.Problem.missingRoom) {
            try MeetingLinkTemplate("https://meet.example/fixed")
        }
        #expect(throws: MeetingLinkTemplate.Problem.unknownPlaceholder("name")) {
            try MeetingLinkTemplate("https://meet.example/{room}?n={name}")
        }
        #expect(throws: MeetingLinkTemplate.Problem.invalidURL) { try MeetingLinkTemplate("https:///{room}") }
        #expect(throws: MeetingLinkTemplate.Problem.invalidURL) {
            try MeetingLinkTemplate("https://meet.example/a b/{room}")
        }
        #expect(throws: MeetingLinkTemplate.Problem.tooLong) {
            try MeetingLinkTemplate("https://meet.example/{room}/" + String(repeating: "x", count: 500))
        }
    }
}
