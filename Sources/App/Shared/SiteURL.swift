import Foundation
import Vapor

/// Every path of the site, built in one place: controllers register their routes with it (`pathComponents`,
/// with `.key` for each parameter), and redirects, e-mailed links, navigation and page contexts build their
/// hrefs with it (`path`, with `.value(…)`). Templates receive ready-made hrefs and spell no path themselves.
///
/// Shaped after SwiftPackageIndex-Server's `SiteURL`; unlike it, a page of a programme is a nested
/// ``ProgrammePage`` so the organiser paths under `/organiser/programmes/:programmeID` read as one list.
/// `SiteURLTests` checks every case: its path, its route pattern, and that the app registers exactly these.
enum SiteURL: Sendable, Hashable {
    case home
    case healthz
    case dashboard

    // Accounts
    case login
    case loginSent
    case loginPassword
    case loginLink(token: Parameter<String>)
    case logout
    case account
    case accountLanguage
    case accountPassword
    case accountExport

    // Intake
    case apply(programmeID: Parameter<UUID>)
    case applySent(programmeID: Parameter<UUID>)
    case myApplications
    case invitation(token: Parameter<String>)
    case join(code: Parameter<String>)

    // Kickoff, for participants
    case event(token: Parameter<String>)
    case kickoff(kickoffID: Parameter<UUID>)
    case kickoffSocket(kickoffID: Parameter<UUID>)
    case kickoffRatings(kickoffID: Parameter<UUID>)
    case kickoffShortlist(kickoffID: Parameter<UUID>)

    // Pairing, for participants
    case myTandem
    case tandemAccept(tandemID: Parameter<UUID>)
    case tandemDecline(tandemID: Parameter<UUID>)
    case tandemExit(tandemID: Parameter<UUID>)

    // The tandem space, for the two partners
    case tandemSpace(tandemID: Parameter<UUID>)
    case tandemAgreement(tandemID: Parameter<UUID>)
    case tandemAgreementConfirm(tandemID: Parameter<UUID>)
    case tandemMeetings(tandemID: Parameter<UUID>)
    case tandemMeeting(tandemID: Parameter<UUID>, meetingID: Parameter<UUID>, MeetingAction)
    case tandemNotes(tandemID: Parameter<UUID>)
    case tandemNote(tandemID: Parameter<UUID>, noteID: Parameter<UUID>)
    case tandemReflections(tandemID: Parameter<UUID>)
    case tandemExperiments(tandemID: Parameter<UUID>)
    case tandemExperiment(tandemID: Parameter<UUID>, experimentID: Parameter<UUID>)
    case tandemPrompt(tandemID: Parameter<UUID>, month: Parameter<Int>)
    // A person's private calendar feed of their meetings, and making or revoking its address
    case calendarFeed(token: Parameter<String>)
    case accountCalendar
    case accountCalendarRevoke

    // Organisers
    case outbox
    case outboxRetry(messageID: Parameter<UUID>)
    case programmes
    case newProgramme
    case programme(Parameter<UUID>, ProgrammePage)

    /// What a partner does with a proposed or past meeting.
    enum MeetingAction: String, Sendable, Hashable, CaseIterable {
        case accept, reschedule, cancel, outcome
    }

    /// A path segment that is a route parameter: `.key` when registering a route, `.value` when linking.
    enum Parameter<Value: Sendable & Hashable & CustomStringConvertible>: Sendable, Hashable {
        case key
        case value(Value)
    }

    /// The pages and actions of one programme, below `/organiser/programmes/:programmeID`.
    enum ProgrammePage: Sendable, Hashable {
        case show
        case edit
        case phase
        case members
        case participantsCSV
        case participantsExcel
        case membersImport
        case membersImportConfirm
        case invitationResend(Parameter<UUID>)
        case invitationRevoke(Parameter<UUID>)
        case invitationPrint(Parameter<UUID>)
        case registrationDecision(Parameter<UUID>, decision: Parameter<String>)
        case applications
        case applicationsDecide
        case applicationOverride(Parameter<UUID>)
        case kickoff
        case kickoffPlan
        case kickoffExclusions
        case kickoffExclusionDelete(Parameter<UUID>)
        case kickoffInvite
        case kickoffLinks
        case kickoffVideo
        case kickoffDeadline
        case kickoffReminders
        case kickoffClose
        case kickoffControl
        case pairing
        case pairingRecompute
        case pairingAssign
        case pairingSwap
        case pairingCapacities
        case pairingSettings
        case pairingPublish
        case pairingExport
        case pairingUnassign(Parameter<UUID>)
        case pairingPin(Parameter<UUID>)
        case pairingBan(Parameter<UUID>)
        case pairingEnd(Parameter<UUID>)
        case tandems
        case tandemSettings
        case tandemCheckIn(Parameter<UUID>)
        case prompts

        fileprivate var segments: [Segment] {
            switch self {
            case .show: []
            case .edit: ["edit"]
            case .phase: ["phase"]
            case .members: ["members"]
            case .participantsCSV, .participantsExcel: ["participants.csv"]
            case .membersImport: ["members", "import"]
            case .membersImportConfirm: ["members", "import", "confirm"]
            case .invitationResend(let id): ["members", .parameter("invitationID", id), "resend"]
            case .invitationRevoke(let id): ["members", .parameter("invitationID", id), "revoke"]
            case .invitationPrint(let id): ["members", .parameter("invitationID", id), "print"]
            case .registrationDecision(let id, let decision):
                ["members", "registrations", .parameter("registrationID", id), .parameter("decision", decision)]
            case .applications: ["applications"]
            case .applicationsDecide: ["applications", "decide"]
            case .applicationOverride(let id): ["applications", .parameter("applicationID", id), "override"]
            case .kickoff: ["kickoff"]
            case .kickoffPlan: ["kickoff", "plan"]
            case .kickoffExclusions: ["kickoff", "exclusions"]
            case .kickoffExclusionDelete(let id): ["kickoff", "exclusions", .parameter("exclusionID", id), "delete"]
            case .kickoffInvite: ["kickoff", "invite"]
            case .kickoffLinks: ["kickoff", "links"]
            case .kickoffVideo: ["kickoff", "video"]
            case .kickoffDeadline: ["kickoff", "deadline"]
            case .kickoffReminders: ["kickoff", "reminders"]
            case .kickoffClose: ["kickoff", "close"]
            case .kickoffControl: ["kickoff", "control"]
            case .pairing: ["pairing"]
            case .pairingRecompute: ["pairing", "recompute"]
            case .pairingAssign: ["pairing", "assign"]
            case .pairingSwap: ["pairing", "swap"]
            case .pairingCapacities: ["pairing", "capacities"]
            case .pairingSettings: ["pairing", "settings"]
            case .pairingPublish: ["pairing", "publish"]
            case .pairingExport: ["pairing", "tandems.csv"]
            case .pairingUnassign(let id): ["pairing", "tandems", .parameter("tandemID", id), "unassign"]
            case .pairingPin(let id): ["pairing", "tandems", .parameter("tandemID", id), "pin"]
            case .pairingBan(let id): ["pairing", "tandems", .parameter("tandemID", id), "ban"]
            case .pairingEnd(let id): ["pairing", "tandems", .parameter("tandemID", id), "end"]
            case .tandems: ["tandems"]
            case .tandemSettings: ["tandems", "settings"]
            case .tandemCheckIn(let id): ["tandems", .parameter("tandemID", id), "check-in"]
            case .prompts: ["prompts"]
            }
        }
    }

    fileprivate var segments: [Segment] {
        switch self {
        case .home: []
        case .healthz: ["healthz"]
        case .dashboard: ["dashboard"]
        case .login: ["login"]
        case .loginSent: ["login", "sent"]
        case .loginPassword: ["login", "password"]
        case .loginLink(let token): ["login", .parameter("token", token)]
        case .logout: ["logout"]
        case .account: ["account"]
        case .accountLanguage: ["account", "language"]
        case .accountPassword: ["account", "password"]
        case .accountExport: ["account", "export"]
        case .apply(let id): ["programmes", .parameter("programmeID", id), "apply"]
        case .applySent(let id): ["programmes", .parameter("programmeID", id), "apply", "sent"]
        case .myApplications: ["applications"]
        case .invitation(let token): ["invitation", .parameter("token", token)]
        case .join(let code): ["join", .parameter("code", code)]
        case .event(let token): ["event", .parameter("token", token)]
        case .kickoff(let id): ["kickoff", .parameter("kickoffID", id)]
        case .kickoffSocket(let id): ["kickoff", .parameter("kickoffID", id), "socket"]
        case .kickoffRatings(let id): ["kickoff", .parameter("kickoffID", id), "ratings"]
        case .kickoffShortlist(let id): ["kickoff", .parameter("kickoffID", id), "shortlist"]
        case .myTandem: ["tandem"]
        case .tandemAccept(let id): ["tandem", .parameter("tandemID", id), "accept"]
        case .tandemDecline(let id): ["tandem", .parameter("tandemID", id), "decline"]
        case .tandemExit(let id): ["tandem", .parameter("tandemID", id), "exit"]
        case .tandemSpace(let id): ["tandem", .parameter("tandemID", id)]
        case .tandemAgreement(let id): ["tandem", .parameter("tandemID", id), "agreement"]
        case .tandemAgreementConfirm(let id): ["tandem", .parameter("tandemID", id), "agreement", "confirm"]
        case .tandemMeetings(let id): ["tandem", .parameter("tandemID", id), "meetings"]
        case .tandemMeeting(let id, let meeting, let action):
            [
                "tandem", .parameter("tandemID", id), "meetings", .parameter("meetingID", meeting),
                .constant(action.rawValue),
            ]
        case .tandemNotes(let id): ["tandem", .parameter("tandemID", id), "notes"]
        case .tandemNote(let id, let note): ["tandem", .parameter("tandemID", id), "notes", .parameter("noteID", note)]
        case .tandemReflections(let id): ["tandem", .parameter("tandemID", id), "reflections"]
        case .tandemExperiments(let id): ["tandem", .parameter("tandemID", id), "experiments"]
        case .tandemExperiment(let id, let experiment):
            ["tandem", .parameter("tandemID", id), "experiments", .parameter("experimentID", experiment)]
        case .tandemPrompt(let id, let month):
            ["tandem", .parameter("tandemID", id), "prompts", .parameter("month", month)]
        case .calendarFeed(let token): ["calendar", .parameter("token", token)]
        case .accountCalendar: ["account", "calendar"]
        case .accountCalendarRevoke: ["account", "calendar", "revoke"]
        case .outbox: ["organiser", "outbox"]
        case .outboxRetry(let id): ["organiser", "outbox", .parameter("messageID", id), "retry"]
        case .programmes: ["organiser", "programmes"]
        case .newProgramme: ["organiser", "programmes", "new"]
        case .programme(let id, let page): ["organiser", "programmes", .parameter("programmeID", id)] + page.segments
        }
    }

    /// The path to link to, e.g. `/organiser/programmes/4F…/kickoff`. Every parameter must have a value.
    var path: String {
        let path = "/" + segments.map(\.text).joined(separator: "/")
        switch self {
        case .programme(_, .participantsExcel): return path + "?format=excel"
        default: return path
        }
    }

    /// The path with the site's public base, for e-mails and QR codes (never the request's Host header).
    func absolute(_ app: Application) -> String { app.publicBaseURL + path }

    /// The route pattern to register, e.g. `organiser/programmes/:programmeID/kickoff`.
    var pathComponents: [PathComponent] { segments.map(\.component) }

    /// A literal segment or a named parameter.
    fileprivate enum Segment: ExpressibleByStringLiteral {
        case constant(String)
        case parameter(name: String, value: String?)

        init(stringLiteral value: String) { self = .constant(value) }

        static func parameter<Value>(_ name: String, _ parameter: Parameter<Value>) -> Segment {
            switch parameter {
            case .key: .parameter(name: name, value: nil)
            case .value(let value): .parameter(name: name, value: value.description)
            }
        }

        /// RFC 3986's unreserved characters: A–Z, a–z, 0–9, `-`, `.`, `_`, `~`.
        private static func isUnreserved(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                true
            default: false
            }
        }

        var component: PathComponent {
            switch self {
            case .constant(let text): .constant(text)
            case .parameter(let name, _): .parameter(name)
            }
        }

        var text: String {
            switch self {
            case .constant(let text): return text
            case .parameter(let name, let value?):
                // Ids, tokens and codes come from us and are URL-safe (checked cheaply: this runs for every link of
                // a busy page), but a path must never break on a stray character.
                if value.utf8.allSatisfy(Self.isUnreserved) { return value }
                return value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"]))
                    ?? { preconditionFailure("parameter \(name) cannot be percent-encoded") }()
            case .parameter(let name, nil):
                preconditionFailure("SiteURL.path needs a value for :\(name); `.key` is for registering routes")
            }
        }
    }
}

extension SiteURL {
    /// A programme's page by the programme's id.
    static func programme(_ id: UUID, _ page: ProgrammePage = .show) -> SiteURL { .programme(.value(id), page) }
}

extension Request {
    /// `303 See Other` to a page of the site.
    func redirect(to url: SiteURL) -> Response { redirect(to: url.path) }
}

extension RoutesBuilder {
    @discardableResult
    func get(
        _ url: SiteURL, use closure: @Sendable @escaping (Request) async throws -> some AsyncResponseEncodable
    ) -> Route {
        get(url.pathComponents, use: closure)
    }

    @discardableResult
    func post(
        _ url: SiteURL, use closure: @Sendable @escaping (Request) async throws -> some AsyncResponseEncodable
    ) -> Route {
        post(url.pathComponents, use: closure)
    }
}

/// The files under `Public/` that pages written in Swift link to (the layout, ``HTMLWriter/icon(_:)``).
enum StaticAsset {
    static let favicon = "/favicon.svg"
    static let stylesheet = "/css/app.css"
    static let menuScript = "/js/menu.js"
    static let copyScript = "/js/copy.js"
    static let iconSprite = "/icons/sprite.svg"
}
