import Mentoring
import Vapor

/// The programme phases in which a route group is open. Declared once per group in `routes.swift`, after the
/// group's ``ProgrammeLoader``; in any other phase the request is refused with a ``PhaseError``.
struct PhaseGuard: AsyncMiddleware {
    let open: Set<ProgrammePhase>
    /// The phases in which the group's pages may be read (GET, HEAD); by default the same as `open`.
    let reading: Set<ProgrammePhase>

    /// `reading`: e.g. every phase, so that organisers can look back at what a closed step produced.
    init(open: Set<ProgrammePhase>, reading: Set<ProgrammePhase>? = nil) {
        self.open = open
        self.reading = reading ?? open
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let phase = try request.programme.phase
        let phases = request.method == .GET || request.method == .HEAD ? reading : open
        guard phases.contains(phase) else { throw PhaseError(current: phase, open: phases) }
        return try await next.respond(to: request)
    }
}

extension Set where Element == ProgrammePhase {
    /// Every phase: the group is not bound to one.
    static var everyPhase: Self { Set(ProgrammePhase.allCases) }
}

/// A request to a route whose group is closed in the programme's current phase (see ``PhaseGuard``).
/// Rendered by ``ErrorPageMiddleware`` as a 409 page that names the current phase.
struct PhaseError: Error, Equatable {
    let current: ProgrammePhase
    let open: Set<ProgrammePhase>

    var status: HTTPResponseStatus { .conflict }
    static let messageKey = "error.phaseClosed"

    /// The explanation in the reader's language: the current phase and the phases in which the action is possible.
    func message(for request: Request) -> String {
        let openNames = ProgrammePhase.allCases.filter(open.contains).map { request.t("phase.\($0.rawValue)") }
        return request.t(Self.messageKey, request.t("phase.\(current.rawValue)"), openNames.joined(separator: ", "))
    }
}
