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

    private struct Row: Decodable {
        let id: UUID
        let tandem_id: UUID
        let starts_at: Date
        let minutes: Int
        let place_sealed: String
        let status: Status
        let proposed_by: UUID
        let sequence: Int
        let outcome_by: UUID?
        let created_at: Date?
        let updated_at: Date?

        var model: TandemMeeting {
            let meeting = TandemMeeting()
            meeting.id = id
            meeting.$tandem.id = tandem_id
            meeting.startsAt = starts_at
            meeting.minutes = minutes
            meeting.placeSealed = place_sealed
            meeting.status = status
            meeting.proposedBy = proposed_by
            meeting.sequence = sequence
            meeting.outcomeBy = outcome_by
            meeting.createdAt = created_at
            meeting.updatedAt = updated_at
            meeting.$id.exists = true
            return meeting
        }
    }

    /// A tandem's meetings, earliest first.
    static func all(tandem: UUID, on db: any Database) async throws -> [TandemMeeting] {
        try await db.plainSQL.raw(
            """
            SELECT \(unsafeRaw: columns) FROM tandem_meetings WHERE tandem_id = \(bind: tandem)
            ORDER BY starts_at, id
            """
        ).all(decoding: Row.self).map(\.model)
    }
}

extension TandemNote {
    static let columns = "id, tandem_id, kind, author_id, meeting_id, body_sealed, created_at, updated_at"

    private struct Row: Decodable {
        let id: UUID
        let tandem_id: UUID
        let kind: Kind
        let author_id: UUID
        let meeting_id: UUID?
        let body_sealed: String
        let created_at: Date?
        let updated_at: Date?

        var model: TandemNote {
            let note = TandemNote()
            note.id = id
            note.$tandem.id = tandem_id
            note.kind = kind
            note.authorID = author_id
            note.$meeting.id = meeting_id
            note.bodySealed = body_sealed
            note.createdAt = created_at
            note.updatedAt = updated_at
            note.$id.exists = true
            return note
        }
    }

    /// A tandem's notes of every kind, newest first. The caller keeps only what the reader may see.
    static func all(tandem: UUID, on db: any Database) async throws -> [TandemNote] {
        try await db.plainSQL.raw(
            """
            SELECT \(unsafeRaw: columns) FROM tandem_notes WHERE tandem_id = \(bind: tandem)
            ORDER BY created_at DESC, id
            """
        ).all(decoding: Row.self).map(\.model)
    }
}

extension TandemExperiment {
    static let columns = "id, tandem_id, content_sealed, owner, due_on, status, created_by, created_at, updated_at"

    private struct Row: Decodable {
        let id: UUID
        let tandem_id: UUID
        let content_sealed: String
        let owner: Owner
        let due_on: String
        let status: Status
        let created_by: UUID
        let created_at: Date?
        let updated_at: Date?

        var model: TandemExperiment {
            let experiment = TandemExperiment()
            experiment.id = id
            experiment.$tandem.id = tandem_id
            experiment.contentSealed = content_sealed
            experiment.owner = owner
            experiment.dueOn = due_on
            experiment.status = status
            experiment.createdBy = created_by
            experiment.createdAt = created_at
            experiment.updatedAt = updated_at
            experiment.$id.exists = true
            return experiment
        }
    }

    /// A tandem's experiments by date.
    static func all(tandem: UUID, on db: any Database) async throws -> [TandemExperiment] {
        try await db.plainSQL.raw(
            """
            SELECT \(unsafeRaw: columns) FROM tandem_experiments WHERE tandem_id = \(bind: tandem)
            ORDER BY due_on, id
            """
        ).all(decoding: Row.self).map(\.model)
    }
}

extension TandemPromptMark {
    static let columns = "id, tandem_id, month, discussed_at, insight_at"

    private struct Row: Decodable {
        let id: UUID
        let tandem_id: UUID
        let month: Int
        let discussed_at: Date?
        let insight_at: Date?

        var model: TandemPromptMark {
            let mark = TandemPromptMark(tandemID: tandem_id, month: month)
            mark.id = id
            mark.discussedAt = discussed_at
            mark.insightAt = insight_at
            mark.$id.exists = true
            return mark
        }
    }

    /// A tandem's marks on the monthly prompts.
    static func all(tandem: UUID, on db: any Database) async throws -> [TandemPromptMark] {
        try await db.plainSQL.raw(
            "SELECT \(unsafeRaw: columns) FROM tandem_prompt_marks WHERE tandem_id = \(bind: tandem) ORDER BY month"
        ).all(decoding: Row.self).map(\.model)
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
