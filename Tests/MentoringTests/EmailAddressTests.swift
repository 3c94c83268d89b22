import Mentoring
import Testing

@Suite("E-mail address check")
struct EmailAddressTests {
    @Test(
        "Valid addresses are trimmed and lower-cased",
        arguments: [
            ("  Heike@Example.DE ", "heike@example.de"), ("a.b-c+d@sub.firma-x.de", "a.b-c+d@sub.firma-x.de"),
        ])
    func valid(raw: String, normalised: String) throws {
        #expect(try EmailAddress.normalise(raw).get() == normalised)
    }

    @Test(
        "Invalid addresses name the problem",
        arguments: [
            ("", EmailAddress.Problem.empty), ("ohne-at.de", .missingAt), ("a@@b.de", .missingAt),
            (".a@b.de", .invalidLocalPart),
            ("a..b@c.de", .invalidLocalPart), ("a@localhost", .invalidDomain), ("a@-x.de", .invalidDomain),
            ("a b@c.de", .containsWhitespace),
            ("a@b..de", .invalidDomain), ("jürgen@test.de", .nonASCII),
            (String(repeating: "a", count: 250) + "@b.de", .tooLong),
        ])
    func invalid(raw: String, problem: EmailAddress.Problem) {
        #expect(throws: problem) { try EmailAddress.normalise(raw).get() }
    }

    @Test("Phases move forward in order")
    func phases() {
        #expect(ProgrammePhase.draft.next == .intake)
        #expect(ProgrammePhase.closed.next == nil)
        #expect(ProgrammePhase.kickoff < .pairing)
    }
}
