import Fluent
import Foundation
import Mentoring
import Vapor

/// Reads what a live room needs from the database: the kickoff's clock and video settings, its plan, the
/// programme's people (their cards) and the check-ins. Runs off the hub; the hub takes over the value.
enum KickoffRoomLoader {
    struct Loaded: Sendable {
        let timeline: KickoffTimeline
        let meetings: [Int: [UUID: UUID]]  // round → person → partner (both directions)
        let cards: [UUID: KickoffHub.Card]
        let mentees: Set<UUID>
        let checkedIn: Set<UUID>
        let meetingLinkTemplate: MeetingLinkTemplate?
        let roomSecret: String
    }

    static func load(kickoffID: UUID, on db: any Database) async throws -> Loaded {
        guard let kickoff = try await Kickoff.find(kickoffID, on: db) else { throw AppError.notFound }
        let meetings = try await KickoffMeeting.query(on: db).filter(\.$kickoff.$id == kickoffID).all()
        let programmeID = kickoff.$programme.id
        let participations = try await Participation.query(on: db).filter(\.$programme.$id == programmeID).with(\.$user)
            .all()
        let registrations = try await MenteeRegistration.query(on: db).filter(\.$programme.$id == programmeID).all()
        let applications = try await MentorApplicationRecord.query(on: db).filter(\.$programme.$id == programmeID).all()
        let registrationByUser = Dictionary(registrations.map { ($0.$user.id, $0) }, uniquingKeysWith: { a, _ in a })
        let applicationByUser = Dictionary(applications.map { ($0.$user.id, $0) }, uniquingKeysWith: { a, _ in a })
        var cards: [UUID: KickoffHub.Card] = [:]
        var mentees = Set<UUID>()
        for participation in participations {
            let user = participation.user
            guard let id = user.id else { continue }
            let topics =
                participation.role == .mentee
                ? registrationByUser[id].flatMap { JSONText.decode([String].self, $0.topicsJSON) } ?? []
                : applicationByUser[id]?.expertiseTopics ?? []
            cards[id] = KickoffHub.Card(
                id: id.uuidString, name: user.name, role: participation.role.rawValue, topics: topics)
            if participation.role == .mentee { mentees.insert(id) }
        }
        var plan: [Int: [UUID: UUID]] = [:]
        for meeting in meetings {
            plan[meeting.round, default: [:]][meeting.$mentee.id] = meeting.$mentor.id
            plan[meeting.round, default: [:]][meeting.$mentor.id] = meeting.$mentee.id
        }
        let checkIns = try await KickoffCheckIn.query(on: db).filter(\.$kickoff.$id == kickoffID).all()
        return Loaded(
            timeline: try kickoff.timeline(), meetings: plan, cards: cards, mentees: mentees,
            checkedIn: Set(checkIns.map { $0.$user.id }),
            meetingLinkTemplate: kickoff.videoMode == .external
                ? kickoff.meetingLinkTemplate.flatMap { try? MeetingLinkTemplate($0) } : nil,
            roomSecret: kickoff.roomSecret)
    }
}
