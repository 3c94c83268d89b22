import Fluent
import Foundation
import SQLKit
import Vapor

/// Vapor sessions kept in the `sessions` table. The cookie holds a random id; the table holds its hash.
/// Sessions end after `idleTimeout` without a request and after `maxAge` in any case.
struct DatabaseSessions: SessionDriver {
    let idleTimeout: TimeInterval
    let maxAge: TimeInterval
    /// Session data key that asks for a new id on the next save (after sign-in, against session fixation).
    static let rotateKey = "_rotate"
    /// A session whose data did not change is written at most this often (its last-seen time), so that
    /// reading pages costs no database writes.
    static let lastSeenRefresh: TimeInterval = 60

    /// The session's columns a request reads (its person comes in the same row, see `readSession`).
    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The fields are the table's column names, decoded by SQLKit without a CodingKeys table.
    private struct StoredSession: Decodable {
        let data: String
        let created_at: Date
        let last_seen_at: Date
    }

    /// The person read with the session, for ``SessionAuthenticator`` (which then needs no query of its own).
    struct SessionUser: StorageKey {
        typealias Value = User
    }

    /// What was read at the start of the request, to tell at its end whether anything needs writing.
    private struct ReadSnapshot: StorageKey {
        typealias Value = ReadSnapshot
        let data: SessionData
        let lastSeenAt: Date
    }

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        request.eventLoop.makeFutureWithTask {
            // Vapor starts an (empty) session for a stale cookie or a mere look at `request.session`; nothing
            // worth a row. The id is never stored, so the cookie it gets refers to nothing.
            if Self.isEmpty(data) { return SessionID(string: SecureToken.generate()) }
            return try await create(data, on: request.db, now: request.now)
        }
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        let idleTimeout = idleTimeout, maxAge = maxAge
        return request.eventLoop.makeFutureWithTask {
            // Every signed-in request reads its session: plain SQL, without Fluent's per-query model reflection.
            let hash = SecureToken.hash(sessionID.string)
            // Runs before `SQLiteReadsMiddleware`, so it names the read connections itself.
            let sql = try request.application.sqliteReads?.sql ?? request.db.plainSQL
            guard
                let row = try await sql.raw(
                    """
                    SELECT s.data, s.created_at, s.last_seen_at, \(unsafeRaw: UserRow.columns(of: "u", prefix: "u_"))
                    FROM sessions s LEFT JOIN users u ON u.id = s.user_id
                    WHERE s.id_hash = \(bind: hash)
                    """
                ).first()
            else { return nil }
            let record = try row.decode(model: StoredSession.self)
            // No person: the session names nobody, or a person who is gone (LEFT JOIN gives NULLs).
            let user = try row.decodeNil(column: "u_id") ? nil : row.decode(model: UserRow.self, prefix: "u_").model
            let now = request.now
            if now.timeIntervalSince(record.last_seen_at) > idleTimeout
                || now.timeIntervalSince(record.created_at) > maxAge
            {
                try await request.db.writingSQL.delete(from: UserSession.schema).where("id_hash", .equal, hash).run()
                return nil
            }
            let data = try JSONDecoder().decode(SessionData.self, from: Data(record.data.utf8))
            request.storage[ReadSnapshot.self] = ReadSnapshot(data: data, lastSeenAt: record.last_seen_at)
            request.storage[SessionUser.self] = user
            return data
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID>
    {
        request.eventLoop.makeFutureWithTask {
            let hash = SecureToken.hash(sessionID.string)
            if data[Self.rotateKey] != nil {
                var fresh = data
                fresh[Self.rotateKey] = nil
                try await UserSession.query(on: request.db).filter(\.$idHash == hash).delete()
                return try await create(fresh, on: request.db, now: request.now)
            }
            let now = request.now
            if let snapshot = request.storage[ReadSnapshot.self], snapshot.data == data,
                now.timeIntervalSince(snapshot.lastSeenAt) < Self.lastSeenRefresh
            {
                return sessionID
            }
            let encoded = String(decoding: try JSONEncoder().encode(data), as: UTF8.self)
            try await UserSession.query(on: request.db).filter(\.$idHash == hash)
                .set(\.$data, to: encoded).set(\.$lastSeenAt, to: now).set(\.$userID, to: Self.userID(in: data))
                .update()
            return sessionID
        }
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        request.eventLoop.makeFutureWithTask {
            try await UserSession.query(on: request.db).filter(\.$idHash == SecureToken.hash(sessionID.string)).delete()
        }
    }

    /// The person the session data names (``SessionAuthenticator/userKey``).
    private static func userID(in data: SessionData) -> UUID? {
        data[SessionAuthenticator.userKey].flatMap(UUID.init(uuidString:))
    }

    private static func isEmpty(_ data: SessionData) -> Bool {
        data.snapshot.keys.allSatisfy { $0 == rotateKey }
    }

    private func create(_ data: SessionData, on db: any Database, now: Date) async throws -> SessionID {
        var data = data
        data[Self.rotateKey] = nil
        let id = SecureToken.generate()
        let encoded = String(decoding: try JSONEncoder().encode(data), as: UTF8.self)
        try await UserSession(idHash: SecureToken.hash(id), data: encoded, userID: Self.userID(in: data), now: now)
            .create(on: db)
        return SessionID(string: id)
    }

    /// Removes expired sessions; called by the background worker.
    static func purgeExpired(
        on db: any Database, idleTimeout: TimeInterval, maxAge: TimeInterval, now: Date
    ) async throws {
        try await UserSession.query(on: db)
            .group(.or) { group in
                group.filter(\.$lastSeenAt < now.addingTimeInterval(-idleTimeout))
                    .filter(\.$createdAt < now.addingTimeInterval(-maxAge))
            }
            .delete()
    }
}
