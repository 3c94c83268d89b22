import Fluent
import Foundation
import Vapor

/// Vapor sessions kept in the `sessions` table. The cookie holds a random id; the table holds its hash.
/// Sessions end after `idleTimeout` without a request and after `maxAge` in any case.
struct DatabaseSessions: SessionDriver {
    let idleTimeout: TimeInterval
    let maxAge: TimeInterval
    /// Session data key that asks for a new id on the next save (after sign-in, against session fixation).
    static let rotateKey = "_rotate"

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        request.eventLoop.makeFutureWithTask { try await create(data, on: request.db) }
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        let idleTimeout = idleTimeout, maxAge = maxAge
        return request.eventLoop.makeFutureWithTask {
            guard let record = try await UserSession.query(on: request.db)
                .filter(\.$idHash == SecureToken.hash(sessionID.string)).first()
            else { return nil }
            let now = Date()
            if now.timeIntervalSince(record.lastSeenAt) > idleTimeout || now.timeIntervalSince(record.createdAt) > maxAge {
                try await record.delete(on: request.db)
                return nil
            }
            return try JSONDecoder().decode(SessionData.self, from: Data(record.data.utf8))
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        request.eventLoop.makeFutureWithTask {
            let hash = SecureToken.hash(sessionID.string)
            if data[Self.rotateKey] != nil {
                var fresh = data
                fresh[Self.rotateKey] = nil
                try await UserSession.query(on: request.db).filter(\.$idHash == hash).delete()
                return try await create(fresh, on: request.db)
            }
            let encoded = String(decoding: try JSONEncoder().encode(data), as: UTF8.self)
            try await UserSession.query(on: request.db).filter(\.$idHash == hash)
                .set(\.$data, to: encoded).set(\.$lastSeenAt, to: Date()).update()
            return sessionID
        }
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        request.eventLoop.makeFutureWithTask {
            try await UserSession.query(on: request.db).filter(\.$idHash == SecureToken.hash(sessionID.string)).delete()
        }
    }

    private func create(_ data: SessionData, on db: any Database) async throws -> SessionID {
        var data = data
        data[Self.rotateKey] = nil
        let id = SecureToken.generate()
        let encoded = String(decoding: try JSONEncoder().encode(data), as: UTF8.self)
        try await UserSession(idHash: SecureToken.hash(id), data: encoded, now: Date()).create(on: db)
        return SessionID(string: id)
    }

    /// Removes expired sessions; called by the background worker.
    static func purgeExpired(on db: any Database, idleTimeout: TimeInterval, maxAge: TimeInterval, now: Date = Date()) async throws {
        try await UserSession.query(on: db)
            .group(.or) { group in
                group.filter(\.$lastSeenAt < now.addingTimeInterval(-idleTimeout))
                    .filter(\.$createdAt < now.addingTimeInterval(-maxAge))
            }
            .delete()
    }
}
