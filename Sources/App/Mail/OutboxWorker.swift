import Fluent
import Foundation
import Vapor

/// Delivers the outbox in the background: due messages are claimed, sent, and on failure retried with
/// exponential back-off (30 s, 1 min, 2 min … capped at 1 h) until `maxAttempts`, then marked failed.
final class OutboxWorker: LifecycleHandler, @unchecked Sendable {
    private let config: AppConfig
    private var task: Task<Void, Never>?

    init(config: AppConfig) { self.config = config }

    func didBoot(_ application: Application) throws {
        guard config.runOutboxWorker else { return }
        let config = config
        task = Task { [weak application] in
            while !Task.isCancelled {
                guard let app = application else { return }
                do {
                    try await OutboxWorker.deliverDue(app: app, maxAttempts: config.outboxMaxAttempts)
                    try await ShortlistReminders.sendDue(app: app)
                    try await TandemYearCare.runIfDue(app: app)
                    try await DatabaseSessions.purgeExpired(
                        on: app.db, idleTimeout: config.sessionIdleTimeout, maxAge: config.sessionMaxAge,
                        now: app.clock.now())
                } catch {
                    app.logger.error("Outbox run failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(config.outboxPollInterval))
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task?.cancel()
        await task?.value
    }

    static func backoff(afterAttempt attempt: Int) -> TimeInterval {
        min(3600, 30 * pow(2, Double(max(0, attempt - 1))))
    }

    /// Sends every message that is due. Returns how many were sent. Safe to call from tests.
    @discardableResult
    static func deliverDue(app: Application, maxAttempts: Int, now: Date? = nil, limit: Int = 50) async throws -> Int {
        let now = now ?? app.clock.now()
        let due = try await OutboxMessage.query(on: app.db)
            .filter(\.$status == .pending)
            .filter(\.$nextAttemptAt <= now)
            .sort(\.$nextAttemptAt)
            .limit(limit)
            .all()
        var sent = 0
        for message in due {
            // Claim it first, so a second worker (another instance) cannot send it twice.
            let attempt = message.attempts + 1
            let claimed = try await claim(message, attempt: attempt, on: app.db)
            guard claimed else { continue }
            let mail = OutgoingMail(
                toEmail: message.toEmail, toName: message.toName, subject: message.subject,
                textBody: message.textBody, htmlBody: message.htmlBody, language: message.locale, qrURL: message.qrURL,
                calendarICS: message.calendarICS)
            do {
                try await app.mailTransport.send(
                    mail, from: app.appConfig.mailFrom, fromName: app.appConfig.mailFromName)
                message.status = .sent
                message.sentAt = app.clock.now()
                message.lastError = nil
                sent += 1
            } catch {
                let transient = (error as? any TransientMailError)?.isTransient ?? false
                message.lastError = String(describing: error).prefix(1000).description
                if transient && attempt < maxAttempts {
                    message.status = .pending
                    message.nextAttemptAt = now.addingTimeInterval(backoff(afterAttempt: attempt))
                } else {
                    message.status = .failed
                }
                app.logger.warning(
                    "E-mail delivery failed",
                    metadata: [
                        "outbox_id": "\(message.id?.uuidString ?? "")", "attempt": "\(attempt)", "error": "\(error)",
                    ])
            }
            message.attempts = attempt
            try await message.save(on: app.db)
        }
        return sent
    }

    private static func claim(_ message: OutboxMessage, attempt: Int, on db: any Database) async throws -> Bool {
        guard let id = message.id else { return false }
        try await OutboxMessage.query(on: db)
            .filter(\.$id == id).filter(\.$status == .pending).filter(\.$attempts == message.attempts)
            .set(\.$status, to: .sending)
            .update()
        let current = try await OutboxMessage.find(id, on: db)
        return current?.status == .sending && current?.attempts == message.attempts
    }
}
