import Foundation
import Testing
import Vapor

@testable import App

@Suite("Typed URLs")
struct SiteURLTests {
    /// Every route pattern of the site. A new route is added to `SiteURL` and here.
    static let everyRoute: [SiteURL] =
        [
            .home, .healthz, .dashboard,
            .login, .loginSent, .loginPassword, .loginLink(token: .key), .logout,
            .account, .accountLanguage, .accountPassword, .accountExport,
            .apply(programmeID: .key), .applySent(programmeID: .key), .myApplications, .invitation(token: .key),
            .join(code: .key),
            .event(token: .key), .kickoff(kickoffID: .key), .kickoffSocket(kickoffID: .key),
            .kickoffRatings(kickoffID: .key), .kickoffShortlist(kickoffID: .key),
            .myTandem, .tandemAccept(tandemID: .key), .tandemDecline(tandemID: .key), .tandemExit(tandemID: .key),
            .tandemSpace(tandemID: .key), .tandemAgreement(tandemID: .key), .tandemAgreementConfirm(tandemID: .key),
            .tandemMeetings(tandemID: .key), .tandemNotes(tandemID: .key), .tandemNote(tandemID: .key, noteID: .key),
            .tandemReflections(tandemID: .key), .tandemExperiments(tandemID: .key),
            .tandemExperiment(tandemID: .key, experimentID: .key), .tandemPrompt(tandemID: .key, month: .key),
            .calendarFeed(token: .key), .accountCalendar, .accountCalendarRevoke,
            .outbox, .outboxRetry(messageID: .key), .programmes, .newProgramme,
        ]
        + SiteURL.MeetingAction.allCases.map { .tandemMeeting(tandemID: .key, meetingID: .key, $0) }
        + [
            .show, .edit, .phase, .members, .participantsCSV, .membersImport, .membersImportConfirm,
            .invitationResend(.key), .invitationRevoke(.key), .invitationPrint(.key),
            .registrationDecision(.key, decision: .key), .applications, .applicationsDecide, .applicationOverride(.key),
            .kickoff, .kickoffPlan, .kickoffExclusions, .kickoffExclusionDelete(.key), .kickoffInvite, .kickoffLinks,
            .kickoffVideo, .kickoffDeadline, .kickoffReminders, .kickoffClose, .kickoffControl,
            .pairing, .pairingRecompute, .pairingAssign, .pairingSwap, .pairingCapacities, .pairingSettings,
            .pairingPublish, .pairingExport, .pairingUnassign(.key), .pairingPin(.key), .pairingBan(.key),
            .pairingEnd(.key), .tandems, .tandemSettings, .tandemCheckIn(.key), .prompts,
        ].map { SiteURL.programme(.key, $0) }

    static func pattern(_ components: [PathComponent]) -> String {
        "/" + components.map(\.description).joined(separator: "/")
    }

    @Test("The app registers exactly the routes SiteURL builds")
    func registeredRoutes() async throws {
        try await withTestApp { app in
            let registered = Set(app.routes.all.map { Self.pattern($0.path) })
            let built = Set(Self.everyRoute.map { Self.pattern($0.pathComponents) })
            #expect(registered.subtracting(built).sorted() == [], "registered without a SiteURL")
            #expect(built.subtracting(registered).sorted() == [], "a SiteURL without a route")
        }
    }

    @Test("Paths with values")
    func paths() throws {
        let programme = try #require(UUID(uuidString: "6F1C2D3E-0000-4000-8000-000000000001"))
        let exclusion = try #require(UUID(uuidString: "6F1C2D3E-0000-4000-8000-000000000002"))
        #expect(SiteURL.home.path == "/")
        #expect(SiteURL.programme(programme).path == "/organiser/programmes/\(programme)")
        #expect(
            SiteURL.programme(programme, .kickoffExclusionDelete(.value(exclusion))).path
                == "/organiser/programmes/\(programme)/kickoff/exclusions/\(exclusion)/delete")
        #expect(
            SiteURL.programme(programme, .participantsExcel).path
                == "/organiser/programmes/\(programme)/participants.csv?format=excel")
        #expect(
            SiteURL.programme(programme, .registrationDecision(.value(exclusion), decision: .value("approve"))).path
                == "/organiser/programmes/\(programme)/members/registrations/\(exclusion)/approve")
        // A value never breaks out of its segment.
        #expect(SiteURL.join(code: .value("a/b?c#d")).path == "/join/a%2Fb%3Fc%23d")
        #expect(
            SiteURL.kickoffShortlist(kickoffID: .value(programme)).pathComponents.map(\.description)
                == ["kickoff", ":kickoffID", "shortlist"])
    }

    /// Paths are spelled once, in `SiteURL`: not in other sources, not in templates (which receive hrefs).
    @Test("No path literal outside SiteURL")
    func noPathLiterals() throws {
        let pathLiteral = try Regex(#""/[a-z]"#)
        let templatePath = try Regex(#"(href|action|src)="/(?!css/|js/|fonts/|img/|icons/|favicon)"#)
        var found: [String] = []
        for (folder, pattern) in [("/Sources/App", pathLiteral), ("/Resources/Views", templatePath)] {
            let root = packageRoot + folder
            for case let file as String in FileManager.default.enumerator(atPath: root) ?? .init() {
                guard file.hasSuffix(".swift") || file.hasSuffix(".leaf"),
                    !file.hasSuffix("SiteURL.swift"), !file.contains("Migrations/")
                else { continue }
                let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                where line.contains(pattern) {
                    found.append("\(folder)/\(file):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(found == [])
    }
}
