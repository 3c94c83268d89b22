import Mentoring
import Vapor

/// Loads the programme named by the `programmeID` path parameter once per request, for every route of a group
/// under `programmes/:programmeID`; handlers read it as ``Request/programme``. An unknown or malformed id is a 404.
struct ProgrammeLoader: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let id = request.parameters.get("programmeID", as: UUID.self) else { throw AppError.notFound }
        // Page views read the programme through a short cache; anything that may write reads it from the database.
        let reads = request.method == .GET || request.method == .HEAD
        guard
            let programme = reads
                ? try await Programme.loadForReading(id, req: request) : try await Programme.load(id, on: request.db)
        else { throw AppError.notFound }
        request.storage[ProgrammeKey.self] = programme
        return try await next.respond(to: request)
    }
}

private struct ProgrammeKey: StorageKey {
    typealias Value = Programme
}

extension Request {
    /// The programme of `programmes/:programmeID`, loaded by ``ProgrammeLoader``. Throws when the route's group
    /// has no loader (a mistake in `routes.swift`, answered with a 500).
    var programme: Programme {
        get throws {
            guard let programme = storage[ProgrammeKey.self] else {
                throw Abort(.internalServerError, reason: "ProgrammeLoader missing in front of \(url.path)")
            }
            return programme
        }
    }
}
