import Fluent
import Foundation
import Vapor

/// What the programme cockpit reads on every view besides the funnel: the kickoff's facts, the newest audit lines
/// and, from the pairing phase on, the tandem counts. Kept 5 s per programme in ``Application/cockpitCache``, like
/// the funnel: any write request, and any Fluent change of a kickoff, a tandem or an audit entry, empties it at once;
/// what changes behind the app's back (the live event's hub) shows within the 5 s.
struct CockpitFacts: Sendable {
    let kickoff: KickoffFacts?
    let events: [AuditLine]
    let tandems: TandemCounts?

    static func cached(programme: Programme, req: Request) async throws -> CockpitFacts {
        let id = try programme.requireID()
        // The phase is part of the key: counting tandems starts with pairing, whoever changed the phase.
        let key = CockpitKey(programme: id, countsTandems: programme.phase >= .pairing)
        return try await req.application.cockpitCache.value(for: key, now: req.now) {
            try await load(key, on: req.db)
        }
    }

    static func load(_ key: CockpitKey, on db: any Database) async throws -> CockpitFacts {
        CockpitFacts(
            kickoff: try await KickoffFacts.load(programme: key.programme, on: db),
            events: try await AuditLine.latest(programme: key.programme, limit: 20, on: db),
            tandems: key.countsTandems ? try await TandemCounts.load(programme: key.programme, on: db) : nil)
    }
}

struct CockpitKey: Hashable, Sendable {
    let programme: UUID
    let countsTandems: Bool
}

extension Application {
    private struct CockpitCacheKey: StorageKey { typealias Value = GenerationCache<CockpitKey, CockpitFacts> }

    /// The cockpit's facts by programme, made in `configure` before requests run in parallel.
    var cockpitCache: GenerationCache<CockpitKey, CockpitFacts> { generationCache(CockpitCacheKey.self) }
}
