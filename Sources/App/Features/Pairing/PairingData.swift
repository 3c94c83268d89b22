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

    /// Every person's key in `input` (the UUID's text), computed once.
    let keys: [UUID: String]

    /// The tandems that hold a mentee and a place of the mentor's capacity.
    var current: [Tandem] { tandems.filter { $0.status.isCurrent } }

    /// A tandem's pair in the policy's terms.
    func pair(_ tandem: Tandem) -> PairID {
        PairID(
            mentee: keys[tandem.$mentee.id] ?? tandem.$mentee.id.uuidString,
            mentor: keys[tandem.$mentor.id] ?? tandem.$mentor.id.uuidString)
    }

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
        let user_id: String
        let picks: String
    }

    /// Everybody's answers as one text per rater, "partner answer,partner answer,…": SQLite stores UUIDs as text,
    /// and decoding 16,000 rows of three columns (two parsed as UUIDs by sscanf) was most of the board's load time.
    /// One row per rater, and the ids looked up as text in a table of the programme's people instead.
    static func answersQuery(_ sql: any SQLDatabase) -> String {
        let pair = "CAST(partner_id AS TEXT) || ' ' || answer"
        let joined = sql.dialect.name == "sqlite" ? "group_concat(\(pair), ',')" : "string_agg(\(pair), ',')"
        return "SELECT CAST(rater_id AS TEXT) AS rater, \(joined) AS answers FROM talk_ratings"
    }

    /// The profiles and the kickoff's shortlists, marks and answers, keyed as `PairingInput` keys people.
    static func readKickoffPart(
        _ programmeID: UUID, menteeKey: [String: String], mentorKey: [String: String], on db: any Database
    ) async throws -> PairingInputCache.Part {
        let sql = try db.plainSQL
        var part = PairingInputCache.Part()
        for row in try await sql.raw(
            """
            SELECT user_id, company, position, topics, languages FROM mentee_registrations
            WHERE programme_id = \(bind: programmeID) AND status = 'approved'
            """
        ).all(decoding: MenteeRow.self) {
            part.menteeProfiles[row.user_id] = MenteeProfile(
                company: row.company, position: row.position,
                topics: JSONText.decode([String].self, row.topics) ?? [],
                languages: JSONText.decode([String].self, row.languages) ?? [])
        }
        for row in try await sql.raw(
            """
            SELECT user_id, team_role, expertise_topics, languages FROM mentor_applications
            WHERE programme_id = \(bind: programmeID) AND status = 'preselected'
            """
        ).all(decoding: MentorRow.self) {
            part.mentorProfiles[row.user_id] = MentorProfile(
                teamRole: row.team_role, topics: JSONText.decode([String].self, row.expertise_topics) ?? [],
                languages: JSONText.decode([String].self, row.languages) ?? [])
        }
        if let kickoff = try await Kickoff.query(on: db).filter(\.$programme.$id == programmeID).first() {
            let kickoffID = try kickoff.requireID()
            for row in try await sql.raw(
                """
                SELECT CAST(user_id AS TEXT) AS user_id, picks FROM kickoff_shortlists
                WHERE kickoff_id = \(bind: kickoffID)
                """
            ).all(decoding: ShortlistRow.self) {
                let picks = JSONText.decode([String].self, row.picks) ?? []
                if let mentee = menteeKey[row.user_id] {
                    part.shortlists[mentee] = picks.compactMap { mentorKey[$0] }
                } else if let mentor = mentorKey[row.user_id] {
                    for pick in picks {
                        guard let mentee = menteeKey[pick] else { continue }
                        part.marks.insert(PairID(mentee: mentee, mentor: mentor))
                    }
                }
            }
            for row in try await sql.raw(
                "\(unsafeRaw: answersQuery(sql)) WHERE kickoff_id = \(bind: kickoffID) GROUP BY rater_id"
            ).all() {
                let rater = try row.decode(column: "rater", as: String.self)
                let answers = try row.decode(column: "answers", as: String.self)
                let raterIsMentee = menteeKey[rater] != nil
                guard let raterKey = menteeKey[rater] ?? mentorKey[rater] else { continue }
                for entry in answers.split(separator: ",") {
                    guard let space = entry.firstIndex(of: " "),
                        let answer = ContinueAnswer(rawValue: String(entry[entry.index(after: space)...]))
                    else { continue }
                    let partner = String(entry[..<space])
                    if raterIsMentee, let mentor = mentorKey[partner] {
                        part.menteeAnswers[PairID(mentee: raterKey, mentor: mentor)] = answer
                    } else if !raterIsMentee, let mentee = menteeKey[partner] {
                        part.mentorAnswers[PairID(mentee: mentee, mentor: raterKey)] = answer
                    }
                }
            }
        }
        return part
    }

    /// Reads everything; with `cache` (the board), the profiles and the kickoff's input come from it while its
    /// fingerprint holds.
    static func load(
        programmeID: UUID, on db: any Database, cache: PairingInputCache? = nil
    ) async throws -> PairingData {
        let sql = try db.plainSQL
        let people = try await KickoffPlanController.people(programmeID: programmeID, on: db)
        var byID: [UUID: User] = [:]
        for person in people.mentees + people.mentors { byID[person.id!] = person }
        let menteeIDs = Set(people.mentees.compactMap(\.id)), mentorIDs = Set(people.mentors.compactMap(\.id))

        var capacities: [UUID: Int] = [:]
        for row in try await sql.raw(
            "SELECT user_id, capacity FROM participations WHERE programme_id = \(bind: programmeID) AND role = 'mentor'"
        ).all(decoding: CapacityRow.self) {
            capacities[row.user_id] = row.capacity
        }

        // Every person's key (the upper-case UUID text), by the id's text in either case (SQLite keeps upper case,
        // PostgreSQL's uuid::text lower case).
        var menteeKey: [String: String] = [:], mentorKey: [String: String] = [:], keys: [UUID: String] = [:]
        for mentee in people.mentees {
            let key = mentee.id!.uuidString
            keys[mentee.id!] = key
            menteeKey[key] = key
            menteeKey[key.lowercased()] = key
        }
        for mentor in people.mentors {
            let key = mentor.id!.uuidString
            keys[mentor.id!] = key
            mentorKey[key] = key
            mentorKey[key.lowercased()] = key
        }
        let part: PairingInputCache.Part
        if let cache {
            let fingerprint = try await PairingInputCache.fingerprint(programme: programmeID, on: db)
            if let cached = cache.value(for: programmeID, fingerprint: fingerprint) {
                part = cached
            } else {
                part = try await readKickoffPart(programmeID, menteeKey: menteeKey, mentorKey: mentorKey, on: db)
                cache.store(part, for: programmeID, fingerprint: fingerprint)
            }
        } else {
            part = try await readKickoffPart(programmeID, menteeKey: menteeKey, mentorKey: mentorKey, on: db)
        }
        let menteeProfiles = part.menteeProfiles, mentorProfiles = part.mentorProfiles
        var input = PairingInput(
            mentees: people.mentees.map { keys[$0.id!]! }, mentors: people.mentors.map { keys[$0.id!]! })
        input.shortlists = part.shortlists
        input.marks = part.marks
        input.menteeAnswers = part.menteeAnswers
        input.mentorAnswers = part.mentorAnswers
        for (id, profile) in menteeProfiles {
            guard let key = keys[id] else { continue }
            input.menteeTopics[key] = profile.topics
            input.menteeLanguages[key] = profile.languages
        }
        for (id, profile) in mentorProfiles {
            guard let key = keys[id] else { continue }
            input.mentorTopics[key] = profile.topics
            input.mentorLanguages[key] = profile.languages
        }
        for (id, capacity) in capacities {
            if let key = keys[id] { input.capacities[key] = capacity }
        }

        let tandems = try await Tandem.all(programme: programmeID, on: db)
        let bans = try await PairingBan.query(on: db).filter(\.$programme.$id == programmeID).all()
        input.bans = Set(
            bans.map {
                PairID(
                    mentee: keys[$0.$mentee.id] ?? $0.$mentee.id.uuidString,
                    mentor: keys[$0.$mentor.id] ?? $0.$mentor.id.uuidString)
            })
        // Pinned drafts and published tandems are fixed; only people still in the programme count.
        input.pins = tandems.filter {
            ($0.status == .draft && $0.pinned) || $0.status == .proposed || $0.status == .active
        }
        .filter { menteeIDs.contains($0.$mentee.id) && mentorIDs.contains($0.$mentor.id) }
        .map { PairID(mentee: keys[$0.$mentee.id]!, mentor: keys[$0.$mentor.id]!) }
        let board = try await PairingBoard.query(on: db).filter(\.$programme.$id == programmeID).first()
        return PairingData(
            programmeID: programmeID, mentees: people.mentees, mentors: people.mentors, people: byID,
            menteeProfiles: menteeProfiles, mentorProfiles: mentorProfiles, capacities: capacities, tandems: tandems,
            bans: bans, board: board, input: input, keys: keys)
    }
}
