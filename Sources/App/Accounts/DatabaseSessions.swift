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

    /// The columns a request reads: the session and, in the same query, the person signed in with it.
    private struct StoredSession: Decodable {
        let data: String
        let created_at: Date  // swiftlint:disable:this identifier_name
        let last_seen_at: Date  // swiftlint:disable:this identifier_name
        let user_id: UUID?
        let email: String?
        let name: String?
        let locale: String?
        let is_organiser: Bool?
        let password_hash: String?
        let user_created_at: Date?

        /// The person as a stored model, when the session names one that still exists.
        var user: User? {
            guard let user_id, let email, let name, let locale, let is_organiser else { return nil }
            let user = User(id: user_id, email: email, name: name, locale: locale, isOrganiser: is_organiser)
            user.passwordHash = password_hash
            user.createdAt = user_created_at
            user.$id.exists = true
            return user
        }
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
            let sql = try request.db.plainSQL
            guard let record = try await sql.raw("""
                SELECT s.data, s.created_at, s.last_seen_at, u.id AS user_id, u.email, u.name, u.locale, u.is_organiser,
                       u.password_hash, u.created_at AS user_created_at
                FROM sessions s LEFT JOIN users u ON u.id = s.user_id
                WHERE s.id_hash = \(bind: hash)
                """).first(decoding: StoredSession.self)
            else { return nil }
            let now = request.now
            if now.timeIntervalSince(record.last_seen_at) > idleTimeout || now.timeIntervalSince(record.created_at) > maxAge {
                try await sql.delete(from: UserSession.schema).where("id_hash", .equal, hash).run()
                return nil
            }
            let data = try JSONDecoder().decode(SessionData.self, from: Data(record.data.utf8))
            request.storage[ReadSnapshot.self] = ReadSnapshot(data: data, lastSeenAt: record.last_seen_at)
            request.storage[SessionUser.self] = record.user
            return data
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
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
               now.timeIntervalSince(snapshot.lastSeenAt) < Self.lastSeenRefresh {
                return sessionID
            }
            let encoded = String(decoding: try JSONEncoder().encode(data), as: UTF8.self)
            try await UserSession.query(on: request.db).filter(\.$idHash == hash)
                .set(\.$data, to: encoded).set(\.$lastSeenAt, to: now).set(\.$userID, to: Self.userID(in: data)).update()
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
        try await UserSession(idHash: SecureToken.hash(id), data: encoded, userID: Self.userID(in: data), now: now).create(on: db)
        return SessionID(string: id)
    }

    /// Removes expired sessions; called by the background worker.
    static func purgeExpired(on db: any Database, idleTimeout: TimeInterval, maxAge: TimeInterval, now: Date) async throws {
        try await UserSession.query(on: db)
            .group(.or) { group in
                group.filter(\.$lastSeenAt < now.addingTimeInterval(-idleTimeout))
                    .filter(\.$createdAt < now.addingTimeInterval(-maxAge))
            }
            .delete()
    }
}
