import Fluent
import Foundation
import Mentoring
import SQLKit
import Vapor

/// Every change of a programme's tandems goes through here, in one transaction: it claims the board's next
/// revision (one conditional UPDATE, so of two organisers editing the same page only the first succeeds and the
/// second learns what changed), runs the change and writes the audit line. Partners' answers claim a revision
/// too, without the check: that serialises all changes of one programme's tandems on both databases.
enum PairingChanges {
    /// A change described for the board's "changed meanwhile" message and the audit log: a catalogue key
    /// (`pairing.change.*`, taking the subject as `{1}`) and its subject, usually the two names.
    struct Change: Sendable {
        let key: String
        let subject: String
    }

    /// Runs `body` in a transaction after claiming the board's revision. With `expectedRevision`, the change is
    /// refused (409, naming the last change) when the board moved on since the page was loaded.
    static func apply<T: Sendable>(
        _ change: Change, programmeID: UUID, expectedRevision: Int?, req: Request,
        _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        let actor = req.currentUser?.name ?? ""
        let now = req.now
        let locale = req.appLocale
        let app = req.application
        return try await req.db.writeTransaction { db in
            let sql = try db.plainSQL
            try await sql.insert(into: PairingBoard.schema)
                .columns(
                    "id", "programme_id", "revision", "optimum_weight", "optimum_paired", "last_change",
                    "last_change_by"
                )
                .values(
                    SQLBind(UUID()), SQLBind(programmeID), SQLBind(0), SQLBind(0), SQLBind(0), SQLBind(""), SQLBind("")
                )
                .ignoringConflicts(with: ["programme_id"])
                .run()
            var update = sql.update(PairingBoard.schema)
                .set("revision", to: SQLRaw("revision + 1"))
                .set("last_change", to: SQLBind(JSONText.encode([change.key, change.subject])))
                .set("last_change_by", to: SQLBind(actor))
                .set("last_change_at", to: SQLBind(now))
                .where("programme_id", .equal, SQLBind(programmeID))
            if let expectedRevision { update = update.where("revision", .equal, SQLBind(expectedRevision)) }
            let claimed = try await update.returning("revision").all()
            if claimed.isEmpty {
                let board = try await PairingBoard.query(on: db).filter(\.$programme.$id == programmeID).first()
                throw PairingError.boardChanged(
                    change: describe(board?.lastChange ?? "", app: app, locale: locale), by: board?.lastChangeBy ?? "",
                    at: board?.lastChangeAt.map { app.dateFormatting.dateTime($0, locale) } ?? "",
                    board: SiteURL.programme(.value(programmeID), .pairing).path)
            }
            let result = try await body(db)
            try await AuditEvent(
                actor: req.currentUser, programmeID: programmeID, action: change.key, details: change.subject
            ).create(on: db)
            return result
        }
    }

    /// The stored last change in words, e.g. "Tandem zugewiesen: Dr. Karin Vogt – Lea Brandt".
    static func describe(_ stored: String, app: Application, locale: AppLocale) -> String {
        guard let parts = JSONText.decode([String].self, stored), parts.count == 2 else { return "" }
        return app.catalogue.text(parts[0], locale, [parts[1]])
    }

    /// Moves the programme on to *running* when every published tandem is active and nothing waits: no draft,
    /// no proposal without both answers.
    static func advanceIfComplete(programmeID: UUID, req: Request, on db: any Database) async throws {
        guard let programme = try await Programme.find(programmeID, on: db), programme.phase == .pairing else {
            return
        }
        let tandems = try await Tandem.query(on: db).filter(\.$programme.$id == programmeID)
            .filter(\.$status ~~ [.draft, .proposed, .active]).all()
        guard !tandems.isEmpty, tandems.allSatisfy({ $0.status == .active }) else { return }
        programme.phase = .running
        try await programme.save(on: db)
        try await AuditEvent(
            actor: req.currentUser, programmeID: programmeID, action: "programme.phase", details: "pairing → running"
        ).create(on: db)
    }
}
