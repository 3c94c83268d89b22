import Vapor

/// Renders every error as a friendly page in the visitor's language (404, 403, 500, …) and logs server
/// errors. Replaces Vapor's JSON error middleware for the browser-facing site.
struct ErrorPageMiddleware: AsyncMiddleware {
    let environment: Environment

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return await page(for: error, request: request)
        }
    }

    private func page(for error: any Error, request: Request) async -> Response {
        let status: HTTPResponseStatus
        let message: String
        var backLink: (href: String, labelKey: String)?
        switch error {
        case let phaseError as PhaseError:
            status = phaseError.status
            message = phaseError.message(for: request)
        case let pageError as any PageError:
            status = pageError.status
            message = request.application.catalogue.text(
                pageError.messageKey, request.appLocale, pageError.messageArguments)
            backLink = pageError.backLink
        case let abort as any AbortError:
            status = abort.status
            message = request.t(Self.genericKey(for: status))
        default:
            status = .internalServerError
            message = request.t(Self.genericKey(for: status))
        }
        if status.code >= 500 {
            request.logger.error("Request failed", metadata: ["error": "\(String(reflecting: error))"])
        } else {
            request.logger.info("Request refused", metadata: ["status": "\(status.code)", "error": "\(error)"])
        }
        let context = ErrorPage(
            status: Int(status.code),
            title: request.t(Self.titleKey(for: status)),
            message: message,
            showSignIn: status == .unauthorized || error as? AppError == .loginLinkExpired
                || error as? AppError == .loginLinkUsed || error as? AppError == .loginLinkUnknown,
            backLink: backLink?.href, backLabel: backLink.map { request.t($0.labelKey) })
        do {
            let response = try await PageRenderer.render("Errors/error", context, for: request, status: status)
            // e.g. Retry-After of a 429
            if let abort = error as? any AbortError {
                for (name, value) in abort.headers { response.headers.replaceOrAdd(name: name, value: value) }
            }
            return response
        } catch {
            // The error page itself failed (e.g. templates missing): plain text still tells what happened.
            let response = Response(
                status: status, body: .init(string: "\(status.code) \(context.title)\n\(context.message)\n"))
            response.headers.contentType = .plainText
            return response
        }
    }

    static func genericKey(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "error.400.text"
        case 401: "error.signInRequired"
        case 403: "error.403.text"
        case 404: "error.404.text"
        case 405: "error.405.text"
        case 413: "error.413.text"
        case 429: "error.429.text"
        case 400..<500: "error.400.text"
        default: "error.500.text"
        }
    }

    static func titleKey(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 401: "error.401.title"
        case 403: "error.403.title"
        case 404: "error.404.title"
        case 409: "error.409.title"
        case 410: "error.410.title"
        case 429: "error.429.title"
        case 400..<500: "error.400.title"
        default: "error.500.title"
        }
    }
}

struct ErrorPage: Encodable {
    let status: Int
    let title: String
    let message: String
    let showSignIn: Bool
    /// Where to go on from here, when the error belongs to a page (e.g. back to the pairing board), and its label.
    var backLink: String? = nil
    var backLabel: String? = nil
}
