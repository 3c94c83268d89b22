import Foundation
import Mentoring
import Testing

@Suite("Kickoff clock, shortlists, topic fit")
struct KickoffTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let settings = KickoffTimeline.Settings(rounds: 3, roundSeconds: 300, breakSeconds: 30)
    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    @Test("Rounds and breaks follow each other; the event finishes after the last round")
    func plainRun() throws {
        let timeline = try KickoffTimeline(settings: Self.settings, controls: [.start(at: Self.t0)])
        #expect(timeline.state(at: Self.at(-1)) == .notStarted)
        #expect(timeline.state(at: Self.at(0)) == .talking(round: 1, remaining: 300))
        #expect(timeline.state(at: Self.at(299.5)) == .talking(round: 1, remaining: 1))
        #expect(timeline.state(at: Self.at(300)) == .between(nextRound: 2, remaining: 30))
        #expect(timeline.state(at: Self.at(330)) == .talking(round: 2, remaining: 300))
        #expect(timeline.state(at: Self.at(330 + 300 + 30 + 299)) == .talking(round: 3, remaining: 1))
        #expect(timeline.state(at: Self.at(960)) == .finished)
        #expect(try KickoffTimeline(settings: Self.settings).state(at: Self.t0) == .notStarted)
        #expect(timeline.nextSwitch(after: Self.at(100.5)) == Self.at(300))
        #expect(timeline.nextSwitch(after: Self.at(310)) == Self.at(330))
        #expect(timeline.nextSwitch(after: Self.at(2000)) == nil)
    }

    @Test("Pause freezes the clock, resume continues, extend lengthens only the current round")
    func controls() throws {
        var timeline = try KickoffTimeline(settings: Self.settings, controls: [.start(at: Self.t0)])
        try timeline.apply(.pause(at: Self.at(100)))
        #expect(timeline.state(at: Self.at(500)) == .paused(round: 1, remaining: 200, inBreak: false))
        try timeline.apply(.resume(at: Self.at(600)))
        #expect(timeline.state(at: Self.at(600)) == .talking(round: 1, remaining: 200))
        try timeline.apply(.extend(seconds: 60, at: Self.at(700)))
        #expect(timeline.state(at: Self.at(700)) == .talking(round: 1, remaining: 160))
        #expect(timeline.state(at: Self.at(860)) == .between(nextRound: 2, remaining: 30))
        #expect(timeline.state(at: Self.at(890)) == .talking(round: 2, remaining: 300), "round 2 keeps its length")
        try timeline.apply(.end(at: Self.at(900)))
        #expect(timeline.state(at: Self.at(901)) == .finished)
    }

    @Test("Controls that make no sense are refused and change nothing")
    func refused() throws {
        var timeline = try KickoffTimeline(settings: Self.settings)
        #expect(throws: KickoffTimeline.ControlError.notStarted) { try timeline.apply(.pause(at: Self.t0)) }
        try timeline.apply(.start(at: Self.t0))
        #expect(throws: KickoffTimeline.ControlError.alreadyStarted) { try timeline.apply(.start(at: Self.at(1))) }
        #expect(throws: KickoffTimeline.ControlError.notPaused) { try timeline.apply(.resume(at: Self.at(2))) }
        #expect(throws: KickoffTimeline.ControlError.invalidExtension) {
            try timeline.apply(.extend(seconds: 0, at: Self.at(3)))
        }
        #expect(throws: KickoffTimeline.ControlError.invalidExtension) {
            try timeline.apply(.extend(seconds: 60, at: Self.at(310)))
        }
        try timeline.apply(.pause(at: Self.at(10)))
        #expect(throws: KickoffTimeline.ControlError.alreadyPaused) { try timeline.apply(.pause(at: Self.at(11))) }
        #expect(throws: KickoffTimeline.ControlError.outOfOrder) { try timeline.apply(.resume(at: Self.at(5))) }
        #expect(timeline.controls.count == 2)
        try timeline.apply(.end(at: Self.at(20)))
        #expect(throws: KickoffTimeline.ControlError.finished) { try timeline.apply(.resume(at: Self.at(21))) }
    }

    @Test("Shortlists: only mentors met, nobody twice, at most the programme's size")
    func shortlist() {
        let met: Set = ["a", "b", "c", "d"]
        #expect(Shortlist.validate(["b", "a"], met: met, size: 3) == .success(["b", "a"]))
        #expect(
            Shortlist.validate(["a", "b", "c", "d"], met: met, size: 3) == .failure(.tooMany(count: 4, allowed: 3)))
        #expect(Shortlist.validate(["a", "x"], met: met, size: 3) == .failure(.notMet("x")))
        #expect(Shortlist.validate(["a", "a"], met: met, size: 3) == .failure(.duplicate("a")))
        #expect(Shortlist.validate([], met: met, size: 3) == .failure(.empty))
    }

    @Test("Topic fit counts shared topics, ignoring case and spaces")
    func topicFit() {
        #expect(
            TopicFit.score(mentorTopics: ["KI", "Social Media"], menteeTopics: [" ki", "Daten", "social media"]) == 2)
        #expect(TopicFit.score(mentorTopics: [], menteeTopics: ["KI"]) == 0)
    }
}
