import Fluent
import Matching
import Mentoring
import SQLKit
import Vapor

extension KickoffPlanController {
    struct Page: Encodable {
        let programmeID: String
        let links: ProgrammeLinks
        let programmeName: String
        let startsAt: String
        let rounds: Int
        let minutesPerRound: Int
        let breakSeconds: Int
        let hasKickoff: Bool
        let planned: String?
        let summary: String?
        let roundsPlan: [RoundPlan]
        let planFolded: Bool
        let personOptions: [PersonChoice]
        let personName: String?
        let exclusions: [ExclusionRow]
        let mentees: [PersonOption]
        let mentors: [PersonOption]
        let errors: [String]
        let liveHref: String?
        let control: ControlRoom?
        let openShortlists: Int
        let invitationsSent: String?
        let externalVideo: Bool
        let meetingLinkTemplate: String
        let deadline: String
        let finished: Bool
        let closed: String?
        let completion: [CompletionRow]
        let completionSummary: String?
    }
    struct CompletionRow: Encodable {
        let name: String
        let role: String
        let status: String
        let done: Bool
    }
    struct RoundPlan: Encodable {
        let number: Int
        /// "500 Gespräche · 3 pausieren"
        let count: String
        let talks: [String]
        let pausing: String
    }
    /// A large plan (hundreds of talks a round) is shown folded: counts per round, and one person's talks on
    /// request. Listing 4,000 talks made the page 313 kB and slow for everybody.
    static let fullPlanLimit = 300
    /// One stored talk, read without Fluent's models (a plan has thousands).
    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The fields are the table's column names, decoded by SQLKit without a CodingKeys table.
    struct PlannedTalk: Decodable {
        let round: Int
        let mentee_id: UUID
        let mentor_id: UUID
        let fit: Int
    }
    struct ExclusionRow: Encodable {
        let id: String
        let text: String
        let deleteAction: String
    }
    struct PersonChoice: Encodable {
        let id: String
        let name: String
        let selected: Bool
    }
    struct PersonOption: Encodable {
        let id: String
        let name: String
    }

    struct People {
        let mentees: [User]
        let mentors: [User]
    }
}
