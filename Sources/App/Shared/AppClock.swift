import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The one place the app reads the current time. Handlers use `req.now`, background work and helpers without a
/// request `app.clock.now()`; tests install a ``ManualClock`` and move time on instead of sleeping or backdating
/// rows. `ClockTests` keeps `Date()` out of the rest of `Sources/App`.
struct AppClock: Sendable {
    let now: @Sendable () -> Date

    /// The system's wall clock.
    static let system = AppClock { Date() }
}

/// A clock that stands still until told otherwise (for tests).
final class ManualClock: Sendable {
    private let current: NIOLockedValueBox<Date>

    /// Starts at `start`, by default the real time now (rows stamped by Fluent's `@Timestamp` use the real time).
    init(_ start: Date = AppClock.system.now()) {
        current = NIOLockedValueBox(start)
    }

    var now: Date { current.withLockedValue { $0 } }

    func set(_ date: Date) { current.withLockedValue { $0 = date } }

    func advance(by interval: TimeInterval) { current.withLockedValue { $0 += interval } }

    /// The ``AppClock`` reading this clock.
    var clock: AppClock { AppClock { [self] in now } }
}

extension Application {
    private struct AppClockKey: StorageKey { typealias Value = AppClock }
    /// The app's clock: the system clock unless a test set another (before or after `configure`; the parts
    /// made in `configure` read it at every use).
    var clock: AppClock {
        get { storage[AppClockKey.self] ?? .system }
        set { storage[AppClockKey.self] = newValue }
    }
}

extension Request {
    /// The current time by the app's clock.
    var now: Date { application.clock.now() }
}
