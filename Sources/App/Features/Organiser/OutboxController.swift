import Fluent
import Vapor

/// Organisers see every e-mail's delivery state and can send a failed one again.
struct OutboxController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.outbox, use: list)
        routes.post(.outboxRetry(messageID: .key), use: retry)
    }

    struct OutboxPage: Encodable {
        let messages: [Row]
        let counts: [Count]
    }
    struct Row: Encodable {
        let id: String
        let to: String
        let subject: String
        let status: String
        let statusKey: String
        let attempts: Int
        let lastError: String?
        let created: String
        let nextAttempt: String?
        let canRetry: Bool
        let retryAction: String?
    }
    struct Count: Encodable {
        let label: String
        let value: Int
    }

    @Sendable func list(req: Request) async throws -> Response {
        let messages = try await OutboxMessage.query(on: req.db).sort(\.$createdAt, .descending).limit(200).all()
        let locale = req.appLocale, formatting = req.application.dateFormatting
        let rows = messages.map { message in
            Row(
                id: message.id?.uuidString ?? "",
                to: message.toEmail,
                subject: message.subject,
                status: req.t("outbox.status.\(message.status.rawValue)"),
                statusKey: message.status.rawValue,
                attempts: message.attempts,
                lastError: message.lastError,
                created: message.createdAt.map { formatting.dateTime($0, locale) } ?? "",
                nextAttempt: message.status == .pending ? formatting.dateTime(message.nextAttemptAt, locale) : nil,
                canRetry: message.status == .failed,
                retryAction: message.status == .failed
                    ? message.id.map { SiteURL.outboxRetry(messageID: .value($0)).path } : nil)
        }
        var counts: [Count] = []
        for status in OutboxMessage.Status.allCases {
            counts.append(
                .init(
                    label: req.t("outbox.status.\(status.rawValue)"),
                    value: try await OutboxMessage.query(on: req.db).filter(\.$status == status).count()))
        }
        return try await PageRenderer.render(
            "Organiser/outbox", OutboxPage(messages: rows, counts: counts), title: req.t("outbox.title"), for: req)
    }

    @Sendable func retry(req: Request) async throws -> Response {
        guard let id = req.parameters.get("messageID", as: UUID.self),
            let message = try await OutboxMessage.find(id, on: req.db)
        else { throw AppError.notFound }
        guard message.status == .failed else {
            req.flash("info", req.t("outbox.retry.notFailed"))
            return req.redirect(to: .outbox)
        }
        message.status = .pending
        message.nextAttemptAt = req.now
        try await message.save(on: req.db)
        req.flash("success", req.t("outbox.retry.queued", message.toEmail))
        return req.redirect(to: .outbox)
    }
}
