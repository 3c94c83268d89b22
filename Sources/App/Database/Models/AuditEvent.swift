import Fluent
import Foundation
import Vapor

/// One organiser decision or change: who, what, when. Written in the same transaction as the change.
final class AuditEvent: Model, @unchecked Sendable {
    static let schema = "audit_events"

    @ID(key: .id) var id: UUID?
    @OptionalField(key: "actor_id") var actorID: UUID?
    /// Kept as text so the log still reads right after the person is erased.
    @Field(key: "actor_name") var actorName: String
    @OptionalField(key: "programme_id") var programmeID: UUID?
    /// A catalogue key under `audit.`, e.g. "programme.created".
    @Field(key: "action") var action: String
    @Field(key: "details") var details: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(actor: User?, programmeID: UUID?, action: String, details: String) {
        self.actorID = actor?.id
        self.actorName = actor?.name ?? "system"
        self.programmeID = programmeID
        self.action = action
        self.details = details
    }
}

extension Request {
    /// Records what the signed-in organiser did, on `db` (pass the transaction's database).
    func audit(_ action: String, programme: UUID?, details: String = "", on db: any Database) async throws {
        try await AuditEvent(actor: currentUser, programmeID: programme, action: action, details: details).create(
            on: db)
    }
}
