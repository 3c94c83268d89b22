import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// A small in-memory cache for what busy pages read on every view: an entry lives `lifetime` seconds, and
/// `invalidate()` drops them all at once when something they show changed. A value computed while an
/// invalidation happened is not kept: read `generation` before computing and hand it to `store`.
final class GenerationCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry: Sendable {
        let value: Value
        let storedAt: Date
        let generation: Int
        /// Someone is computing a newer value since it expired.
        var refreshing = false
    }

    let lifetime: TimeInterval
    private let state = NIOLockedValueBox<(generation: Int, entries: [Key: Entry])>((0, [:]))

    init(lifetime: TimeInterval) {
        self.lifetime = lifetime
    }

    /// The value for `key` if it is younger than `lifetime` and nothing was invalidated since.
    func value(for key: Key, now: Date) -> Value? {
        state.withLockedValue { state in
            guard let entry = state.entries[key], entry.generation == state.generation,
                now.timeIntervalSince(entry.storedAt) < lifetime, now >= entry.storedAt
            else { return nil }
            return entry.value
        }
    }

    var generation: Int { state.withLockedValue { $0.generation } }

    /// A value to show now, and whether this caller should compute a new one.
    enum Lookup {
        /// Young enough: show it.
        case fresh(Value)
        /// Expired, but nothing was invalidated since it was computed: show it while one caller (the one told
        /// `refresh`) computes the next. Without this, every request arriving in the same instant recomputed, and
        /// fifty waited for fifty computations every `lifetime` seconds.
        case stale(Value, refresh: Bool)
        /// None, or invalidated: compute it.
        case missing
    }

    func lookup(_ key: Key, now: Date) -> Lookup {
        state.withLockedValue { state in
            guard let entry = state.entries[key], entry.generation == state.generation else { return .missing }
            if now.timeIntervalSince(entry.storedAt) < lifetime, now >= entry.storedAt { return .fresh(entry.value) }
            if entry.refreshing { return .stale(entry.value, refresh: false) }
            state.entries[key]?.refreshing = true
            return .stale(entry.value, refresh: true)
        }
    }

    /// The value for `key`: fresh, or expired but valid while this caller is not the one refreshing it, or computed
    /// by `compute` (after reading the generation, so an invalidation meanwhile keeps it out).
    func value(
        for key: Key, now: Date, compute: () async throws -> Value
    ) async throws -> Value {
        switch lookup(key, now: now) {
        case .fresh(let value), .stale(let value, refresh: false):
            return value
        case .stale(_, refresh: true), .missing:
            let generation = self.generation
            do {
                let value = try await compute()
                store(value, for: key, generation: generation, at: now)
                return value
            } catch {
                state.withLockedValue { state in state.entries[key]?.refreshing = false }
                throw error
            }
        }
    }

    /// Keeps `value`, computed after reading `generation`, unless an invalidation came in between.
    func store(_ value: Value, for key: Key, generation: Int, at now: Date) {
        state.withLockedValue { state in
            guard generation == state.generation else { return }
            state.entries[key] = Entry(value: value, storedAt: now, generation: generation)
        }
    }

    func invalidate() {
        state.withLockedValue { state in
            state.generation += 1
            state.entries = [:]
        }
    }
}

extension Application {
    /// The 5-second cache stored under `key`, made on first use. Each cache's accessor calls this from `configure`
    /// first, before requests run in parallel, so that requests only ever read the storage.
    func generationCache<Key: Hashable & Sendable, Value: Sendable, Slot: StorageKey>(
        _ slot: Slot.Type, lifetime: TimeInterval = 5
    ) -> GenerationCache<Key, Value> where Slot.Value == GenerationCache<Key, Value> {
        if let cache = storage[slot] { return cache }
        let cache = GenerationCache<Key, Value>(lifetime: lifetime)
        storage[slot] = cache
        return cache
    }
}

/// Runs `invalidate` after every create, update and delete of `M` through Fluent.
struct InvalidateOnChange<M: Model>: AsyncModelMiddleware {
    let invalidate: @Sendable () -> Void

    func create(model: M, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.create(model, on: db)
        invalidate()
    }

    func update(model: M, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.update(model, on: db)
        invalidate()
    }

    func delete(model: M, force: Bool, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.delete(model, force: force, on: db)
        invalidate()
    }
}
