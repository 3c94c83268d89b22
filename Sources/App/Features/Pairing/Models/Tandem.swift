import Fluent
import Foundation
import Mentoring
import SQLKit

/// A mentee and a mentor as a pair, from the board's draft to the end of their year.
///
/// `draft` (organisers only) → `proposed` (published, waiting for both partners) → `active`; a proposed tandem
/// may be `declined` by a partner or `withdrawn` by the organisers, an active one `ended` (no-fault exit). Without
/// the programme's confirmation step, publishing makes a tandem `active` at once. The closing reason is for the
/// organisers only.
final class Tandem: Model, @unchecked Sendable {
    static let schema = "tandems"

    enum Status: String, Codable, Sendable, CaseIterable {
        case draft, proposed, active, declined, withdrawn, ended

        /// Statuses that hold the mentee and a place of the mentor's capacity.
        static let current: [Status] = [.draft, .proposed, .active]
        var isCurrent: Bool { Self.current.contains(self) }
    }

    /// Who closed a tandem.
    enum Closer: String, Codable, Sendable {
        case mentee, mentor, organiser
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Parent(key: "mentee_id") var mentee: User
    @Parent(key: "mentor_id") var mentor: User
    @Field(key: "status") var status: Status
    @Field(key: "pinned") var pinned: Bool
    @Field(key: "weight") var weight: Int
    /// JSON array of `PairReason`.
    @Field(key: "reasons") var reasonsJSON: String
    @OptionalField(key: "published_at") var publishedAt: Date?
    @OptionalField(key: "mentee_accepted_at") var menteeAcceptedAt: Date?
    @OptionalField(key: "mentor_accepted_at") var mentorAcceptedAt: Date?
    @OptionalField(key: "activated_at") var activatedAt: Date?
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "closed_by") var closedBy: Closer?
    /// Why the tandem was declined or ended: organisers only, never shown to the partner.
    @OptionalField(key: "closing_reason") var closingReason: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(programmeID: UUID, menteeID: UUID, mentorID: UUID, pinned: Bool, weight: Int, reasons: [PairReason]) {
        self.$programme.id = programmeID
        self.$mentee.id = menteeID
        self.$mentor.id = mentorID
        self.status = .draft
        self.pinned = pinned
        self.weight = weight
        self.reasonsJSON = JSONText.encode(reasons)
    }

    var reasons: [PairReason] { JSONText.decode([PairReason].self, reasonsJSON) ?? [] }

    var pair: PairID { PairID(mentee: $mentee.id.uuidString, mentor: $mentor.id.uuidString) }
}

// swift-format-ignore: AlwaysUseLowerCamelCase
extension Tandem {
    /// Every column of `tandems`, in the model's order.
    static let columns = """
        id, programme_id, mentee_id, mentor_id, status, pinned, weight, reasons, published_at, mentee_accepted_at,
        mentor_accepted_at, activated_at, closed_at, closed_by, closing_reason, created_at, updated_at
        """

    private struct Row: Decodable {
        let id: UUID
        let programme_id: UUID
        let mentee_id: UUID
        let mentor_id: UUID
        let status: Status
        let pinned: Bool
        let weight: Int
        let reasons: String
        let published_at: Date?
        let mentee_accepted_at: Date?
        let mentor_accepted_at: Date?
        let activated_at: Date?
        let closed_at: Date?
        let closed_by: Closer?
        let closing_reason: String?
        let created_at: Date?
        let updated_at: Date?

        var model: Tandem {
            let tandem = Tandem()
            tandem.id = id
            tandem.$programme.id = programme_id
            tandem.$mentee.id = mentee_id
            tandem.$mentor.id = mentor_id
            tandem.status = status
            tandem.pinned = pinned
            tandem.weight = weight
            tandem.reasonsJSON = reasons
            tandem.publishedAt = published_at
            tandem.menteeAcceptedAt = mentee_accepted_at
            tandem.mentorAcceptedAt = mentor_accepted_at
            tandem.activatedAt = activated_at
            tandem.closedAt = closed_at
            tandem.closedBy = closed_by
            tandem.closingReason = closing_reason
            tandem.createdAt = created_at
            tandem.updatedAt = updated_at
            tandem.$id.exists = true
            return tandem
        }
    }

    /// One tandem by id, in literal SQL (the tandem space reads it on every view).
    static func load(_ id: UUID, on db: any Database) async throws -> Tandem? {
        try await db.plainSQL.raw("SELECT \(unsafeRaw: columns) FROM tandems WHERE id = \(bind: id)")
            .first(decoding: Row.self)?.model
    }

    /// A programme's tandems, every status, in literal SQL (the board reads a thousand on every view; see
    /// `PageReads.swift` for why not Fluent there).
    static func all(programme: UUID, on db: any Database) async throws -> [Tandem] {
        try await db.plainSQL.raw(
            "SELECT \(unsafeRaw: columns) FROM tandems WHERE programme_id = \(bind: programme)"
        ).all(decoding: Row.self).map(\.model)
    }
}
