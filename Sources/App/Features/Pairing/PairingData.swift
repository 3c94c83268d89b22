// swift-format-ignore-file: AlwaysUseLowerCamelCase

// (Row fields are the tables' column names, decoded by SQLKit without CodingKeys tables.)
import Fluent
import Foundation
import Mentoring
import SQLKit
import Vapor

/// Everything the pairing board and the partners' pages look at, read from the database once per page: the
/// people with their profiles, the kickoff's shortlists, marks and answers, the tandems, bans and the board row,
/// and from them the policy's `PairingInput` (ids as strings).
///
/// The profile, shortlist and answer reads are literal SQL (see `PageReads.swift`): the board of a programme with
/// a thousand mentees reads some 20,000 rows, and Fluent's reflection per row was most of the page's time.
struct PairingData: Sendable {
    struct MenteeProfile: Sendable {
        var company = "", position = ""
        var topics: [String] = [], languages: [String] = []
    }

    struct MentorProfile: Sendable {
        var teamRole = ""
        var topics: [String] = [], languages: [String] = []
    }

    let programmeID: UUID
    let mentees: [User]
    let mentors: [User]
    let people: [UUID: User]
    let menteeProfiles: [UUID: MenteeProfile]
    let mentorProfiles: [UUID: MentorProfile]
    let capacities: [UUID: Int]
    let tandems: [Tandem]
    let bans: [PairingBan]
    let board: PairingBoard?
    let input: PairingInput

    /// The tandems that hold a mentee and a place of the mentor's capacity.
    var current: [Tandem] { tandems.filter { $0.status.isCurrent } }

    private struct MenteeRow: Decodable {
        let user_id: UUID
        let company: String
        let position: String
        let topics: String
        let languages: String
    }

    private struct MentorRow: Decodable {
        let user_id: UUID
        let team_role: String
        let expertise_topics: String
        let languages: String
    }

    private struct CapacityRow: Decodable {
        let user_id: UUID
        let capacity: Int
    }

    private struct ShortlistRow: Decodable {
        let user_id: UUID
        let picks: String
    }

    private struct AnswerRow: Decodable {
        let rater_id: UUID
        let partner_id: UUID
        let answer: String
    }

    static func load(programmeID: UUID, on db: any Database) async throws -> PairingData {
        let sql = try db.plainSQL
        let people = try await KickoffPlanController.people(programmeID: programmeID, on: db)
        var byID: [UUID: User] = [:]
        for person in people.mentees + people.mentors { byID[person.id!] = person }
        let menteeIDs = Set(people.mentees.compactMap(\.id)), mentorIDs = Set(people.mentors.compactMap(\.id))

        var menteeProfiles: [UUID: MenteeProfile] = [:]
        for row in try await sql.raw(
            """
            SELECT user_id, company, position, topics, languages FROM mentee_registrations
            WHERE programme_id = \(bind: programmeID) AND status = 'approved'
            """
        ).all(decoding: MenteeRow.self) {
            menteeProfiles[row.user_id] = MenteeProfile(
                company: row.company, position: row.position,
                topics: JSONText.decode([String].self, row.topics) ?? [],
                languages: JSONText.decode([String].self, row.languages) ?? [])
        }
        var mentorProfiles: [UUID: MentorProfile] = [:]
        for row in try await sql.raw(
            """
            SELECT user_id, team_role, expertise_topics, languages FROM mentor_applications
            WHERE programme_id = \(bind: programmeID) AND status = 'preselected'
            """
        ).all(decoding: MentorRow.self) {
            mentorProfiles[row.user_id] = MentorProfile(
                teamRole: row.team_role, topics: JSONText.decode([String].self, row.expertise_topics) ?? [],
                languages: JSONText.decode([String].self, row.languages) ?? [])
        }
        var capacities: [UUID: Int] = [:]
        for row in try await sql.raw(
            "SELECT user_id, capacity FROM participations WHERE programme_id = \(bind: programmeID) AND role = 'mentor'"
        ).all(decoding: CapacityRow.self) {
            capacities[row.user_id] = row.capacity
        }

        var input = PairingInput(
            mentees: people.mentees.map { $0.id!.uuidString }, mentors: people.mentors.map { $0.id!.uuidString })
        if let kickoff = try await Kickoff.query(on: db).filter(\.$programme.$id == programmeID).first() {
            let kickoffID = try kickoff.requireID()
            for row in try await sql.raw(
                "SELECT user_id, picks FROM kickoff_shortlists WHERE kickoff_id = \(bind: kickoffID)"
            ).all(decoding: ShortlistRow.self) {
                let picks = JSONText.decode([String].self, row.picks) ?? []
                if menteeIDs.contains(row.user_id) {
                    input.shortlists[row.user_id.uuidString] = picks.map { $0.uppercased() }
                } else if mentorIDs.contains(row.user_id) {
                    for mentee in picks {
                        input.marks.insert(PairID(mentee: mentee.uppercased(), mentor: row.user_id.uuidString))
                    }
                }
            }
            for row in try await sql.raw(
                "SELECT rater_id, partner_id, answer FROM talk_ratings WHERE kickoff_id = \(bind: kickoffID)"
            ).all(decoding: AnswerRow.self) {
                guard let answer = ContinueAnswer(rawValue: row.answer) else { continue }
                if menteeIDs.contains(row.rater_id) {
                    input.menteeAnswers[PairID(mentee: row.rater_id.uuidString, mentor: row.partner_id.uuidString)] =
                        answer
                } else if mentorIDs.contains(row.rater_id) {
                    input.mentorAnswers[PairID(mentee: row.partner_id.uuidString, mentor: row.rater_id.uuidString)] =
                        answer
                }
            }
        }
        for (id, profile) in menteeProfiles {
            input.menteeTopics[id.uuidString] = profile.topics
            input.menteeLanguages[id.uuidString] = profile.languages
        }
        for (id, profile) in mentorProfiles {
            input.mentorTopics[id.uuidString] = profile.topics
            input.mentorLanguages[id.uuidString] = profile.languages
        }
        for (id, capacity) in capacities { input.capacities[id.uuidString] = capacity }

        let tandems = try await Tandem.query(on: db).filter(\.$programme.$id == programmeID).all()
        let bans = try await PairingBan.query(on: db).filter(\.$programme.$id == programmeID).all()
        input.bans = Set(bans.map { PairID(mentee: $0.$mentee.id.uuidString, mentor: $0.$mentor.id.uuidString) })
        // Pinned drafts and published tandems are fixed; only people still in the programme count.
        input.pins = tandems.filter {
            ($0.status == .draft && $0.pinned) || $0.status == .proposed || $0.status == .active
        }
        .filter { menteeIDs.contains($0.$mentee.id) && mentorIDs.contains($0.$mentor.id) }
        .map(\.pair)
        let board = try await PairingBoard.query(on: db).filter(\.$programme.$id == programmeID).first()
        return PairingData(
            programmeID: programmeID, mentees: people.mentees, mentors: people.mentors, people: byID,
            menteeProfiles: menteeProfiles, mentorProfiles: mentorProfiles, capacities: capacities, tandems: tandems,
            bans: bans, board: board, input: input)
    }
}
