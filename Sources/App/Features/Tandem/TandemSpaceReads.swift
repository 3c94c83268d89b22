// swift-format-ignore-file: AlwaysUseLowerCamelCase

// (Row fields are the tables' column names, decoded by SQLKit without CodingKeys tables.)
import Fluent
import Foundation
import SQLKit

// The tandem space's reads in literal SQL: the page reads a tandem's agreements, meetings, notes, experiments,
// prompt marks and the programme's prompts on every view, and Fluent's reflection over each model was a third of
// its CPU time (`perf`, tandem benchmark). Why and how: `Database/PageReads.swift`. `PageReadsTests` compares
// every row read here with the one Fluent reads, field by field, and every select list with the model's keys.

extension TandemAgreement {
    static let columns = """
        id, tandem_id, version, content_sealed, channel, rhythm_weeks, ends_on, proposed_by, mentee_confirmed_at,
        mentor_confirmed_at, created_at
        """

    private struct Row: Decodable {
        let id: UUID
        let tandem_id: UUID
        let version: Int
        let content_sealed: String
        let channel: Channel
        let rhythm_weeks: Int
        let ends_on: String
        let proposed_by: UUID
        let mentee_confirmed_at: Date?
        let mentor_confirmed_at: Date?
        let created_at: Date?

        var model: TandemAgreement {
            let agreement = TandemAgreement()
            agreement.id = id
            agreement.$tandem.id = tandem_id
            agreement.version = version
            agreement.contentSealed = content_sealed
            agreement.channel = channel
            agreement.rhythmWeeks = rhythm_weeks
            agreement.endsOn = ends_on
            agreement.proposedBy = proposed_by
            agreement.menteeConfirmedAt = mentee_confirmed_at
            agreement.mentorConfirmedAt = mentor_confirmed_at
            agreement.createdAt = created_at
            agreement.$id.exists = true
            return agreement
        }
    }

    /// Every version of a tandem's agreement, newest first.
    static func all(tandem: UUID, on db: any Database) async throws -> [TandemAgreement] {
        try await db.plainSQL.raw(
            """
            SELECT \(unsafeRaw: columns) FROM tandem_agreements WHERE tandem_id = \(bind: tandem)
            ORDER BY version DESC
            """
        ).all(decoding: Row.self).map(\.model)
    }
}

extension TandemMeeting {
    static let columns = """
        id, tandem_id, starts_at, minutes, place_sealed, status, proposed_by, sequence, outcome_by, created_at,
        updated_at
        """

    /// A stored meeting as plain values, for the space's page (no Fluent model: its property wrappers cost more
    /// than the read).
    struct Stored: Sendable {
        let id: UUID
        let tandemID: UUID
        let startsAt: Date
        let minutes: Int
        let placeSealed: String
        let status: Status
        let proposedBy: UUID
        let sequence: Int
        let outcomeBy: UUID?
        let createdAt: Date?
        let updatedAt: Date?

        init(row: any SQLRow) throws {
            id = try row.uuid("id")
            tandemID = try row.uuid("tandem_id")
            startsAt = try row.value("starts_at")
            minutes = try row.value("minutes")
            placeSealed = try row.value("place_sealed")
            status = try row.value("status", as: Status.self)
            proposedBy = try row.uuid("proposed_by")
            sequence = try row.value("sequence")
            outcomeBy = try row.optionalUUID("outcome_by")
            createdAt = try row.optionalValue("created_at")
            updatedAt = try row.optionalValue("updated_at")
        }

        /// The same row as a Fluent model (for comparisons in tests).
        var model: TandemMeeting {
            let meeting = TandemMeeting()
            meeting.id = id
            meeting.$tandem.id = tandemID
            meeting.startsAt = startsAt
            meeting.minutes = minutes
            meeting.placeSealed = placeSealed
            meeting.status = status
            meeting.proposedBy = proposedBy
            meeting.sequence = sequence
            meeting.outcomeBy = outcomeBy
            meeting.createdAt = createdAt
            meeting.updatedAt = updatedAt
            meeting.$id.exists = true
            return meeting
        }
    }

    /// A tandem's meetings, earliest first.
    static func all(tandem: UUID, on db: any Database) async throws -> [Stored] {
        try await db.plainSQL.raw(
            """
            SELECT \(unsafeRaw: columns) FROM tandem_meetings WHERE tandem_id = \(bind: tandem)
            ORDER BY starts_at, id
            """
        ).all().map(Stored.init(row:))
    }
}

extension TandemNote {
    static let columns = "id, tandem_id, kind, author_id, meeting_id, body_sealed, created_at, updated_at"

    /// A stored note as plain values, for the space's page.
    struct Stored: Sendable {
        let id: UUID
        let tandemID: UUID
        let kind: Kind
        let authorID: UUID
        let meetingID: UUID?
        let bodySealed: String
        let createdAt: Date?
        let updatedAt: Date?

        init(row: any SQLRow) throws {
            id = try row.uuid("id")
            tandemID = try row.uuid("tandem_id")
            kind = try row.value("kind", as: Kind.self)
            authorID = try row.uuid("author_id")
            meetingID = try row.optionalUUID("meeting_id")
            bodySealed = try row.value("body_sealed")
            createdAt = try row.optionalValue("created_at")
            updatedAt = try row.optionalValue("updated_at")
        }

        /// The same row as a Fluent model (for comparisons in tests).
        var model: TandemNote {
            let note = TandemNote()
            note.id = id
            note.$tandem.id = tandemID
            note.kind = kind
            note.authorID = authorID
            note.$meeting.id = meetingID
            note.bodySealed = bodySealed
            note.createdAt = createdAt
            note.updatedAt = updatedAt
            note.$id.exists = true
            return note
        }
    }

    /// A tandem's notes of every kind, newest first. The caller keeps only what the reader may see.
    static func all(tandem: UUID, on db: any Database) async throws -> [Stored] {
        try await db.plainSQL.raw(
            """
            SELECT \(unsafeRaw: columns) FROM tandem_notes WHERE tandem_id = \(bind: tandem)
            ORDER BY created_at DESC, id
            """
        ).all().map(Stored.init(row:))
    }
}

extension TandemExperiment {
    static let columns = "id, tandem_id, content_sealed, owner, due_on, status, created_by, created_at, updated_at"

    /// A stored experiment as plain values, for the space's page.
    struct Stored: Sendable {
        let id: UUID
        let tandemID: UUID
        let contentSealed: String
        let owner: Owner
        let dueOn: String
        let status: Status
        let createdBy: UUID
        let createdAt: Date?
        let updatedAt: Date?

        init(row: any SQLRow) throws {
            id = try row.uuid("id")
            tandemID = try row.uuid("tandem_id")
            contentSealed = try row.value("content_sealed")
            owner = try row.value("owner", as: Owner.self)
            dueOn = try row.value("due_on")
            status = try row.value("status", as: Status.self)
            createdBy = try row.uuid("created_by")
            createdAt = try row.optionalValue("created_at")
            updatedAt = try row.optionalValue("updated_at")
        }

        /// The same row as a Fluent model (for comparisons in tests).
        var model: TandemExperiment {
            let experiment = TandemExperiment()
            experiment.id = id
            experiment.$tandem.id = tandemID
            experiment.contentSealed = contentSealed
            experiment.owner = owner
            experiment.dueOn = dueOn
            experiment.status = status
            experiment.createdBy = createdBy
            experiment.createdAt = createdAt
            experiment.updatedAt = updatedAt
            experiment.$id.exists = true
            return experiment
        }
    }

    /// A tandem's experiments by date.
    static func all(tandem: UUID, on db: any Database) async throws -> [Stored] {
        try await db.plainSQL.raw(
            """
            SELECT \(unsafeRaw: columns) FROM tandem_experiments WHERE tandem_id = \(bind: tandem)
            ORDER BY due_on, id
            """
        ).all().map(Stored.init(row:))
    }
}

extension TandemPromptMark {
    static let columns = "id, tandem_id, month, discussed_at, insight_at"

    /// A stored mark as plain values, for the space's page.
    struct Stored: Sendable {
        let id: UUID
        let tandemID: UUID
        let month: Int
        let discussedAt: Date?
        let insightAt: Date?

        init(row: any SQLRow) throws {
            id = try row.uuid("id")
            tandemID = try row.uuid("tandem_id")
            month = try row.value("month")
            discussedAt = try row.optionalValue("discussed_at")
            insightAt = try row.optionalValue("insight_at")
        }

        /// The same row as a Fluent model (for comparisons in tests).
        var model: TandemPromptMark {
            let mark = TandemPromptMark(tandemID: tandemID, month: month)
            mark.id = id
            mark.discussedAt = discussedAt
            mark.insightAt = insightAt
            mark.$id.exists = true
            return mark
        }
    }

    /// A tandem's marks on the monthly prompts.
    static func all(tandem: UUID, on db: any Database) async throws -> [Stored] {
        try await db.plainSQL.raw(
            "SELECT \(unsafeRaw: columns) FROM tandem_prompt_marks WHERE tandem_id = \(bind: tandem) ORDER BY month"
        ).all().map(Stored.init(row:))
    }
}

extension ProgrammePrompt {
    static let columns = "id, programme_id, month, question_de, question_en, material_url"

    private struct Row: Decodable {
        let id: UUID
        let programme_id: UUID
        let month: Int
        let question_de: String
        let question_en: String
        let material_url: String?

        var model: ProgrammePrompt {
            let prompt = ProgrammePrompt()
            prompt.id = id
            prompt.$programme.id = programme_id
            prompt.month = month
            prompt.questionDE = question_de
            prompt.questionEN = question_en
            prompt.materialURL = material_url
            prompt.$id.exists = true
            return prompt
        }
    }

    /// A programme's own prompts (the catalogue's defaults fill the other months).
    static func all(programme: UUID, on db: any Database) async throws -> [ProgrammePrompt] {
        try await db.plainSQL.raw(
            "SELECT \(unsafeRaw: columns) FROM programme_prompts WHERE programme_id = \(bind: programme) ORDER BY month"
        ).all(decoding: Row.self).map(\.model)
    }
}
