import Fluent
import Mentoring
import Vapor

/// *Mein Tandem*: a partner's published tandems with the partner's profile, why this pairing, the contacts and
/// what happens next; accept, decline (with a reason for the organisers only) and a no-fault exit.
struct MyTandemController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.myTandem, use: show)
        routes.post(.tandemAccept(tandemID: .key), use: accept)
        routes.post(.tandemDecline(tandemID: .key), use: decline)
        routes.post(.tandemExit(tandemID: .key), use: exit)
    }

    struct Contact: Encodable, Sendable {
        let name, email: String
    }

    struct TandemView: Encodable, Sendable {
        let id: String
        let programme: String
        let status, statusLabel: String
        let partner: TandemPartner
        let partnerRoleKey: String
        let contacts: [Contact]
        let next: String
        let canAnswer, accepted, canExit: Bool
        let acceptAction, declineAction, exitAction: String
        let publishedAt: String
        /// The tandem space, once the tandem is active (and read-only after a completed year).
        let spaceLink: String?
    }

    struct Page: Encodable, Sendable {
        let tandems: [TandemView]
        let reasonLimit: Int
    }

    @Sendable func show(req: Request) async throws -> Response {
        let user = try req.requireUser
        let userID = try user.requireID()
        let tandems = try await Tandem.query(on: req.db).group(.or) {
            $0.filter(\.$mentee.$id == userID).filter(\.$mentor.$id == userID)
        }
        .filter(\.$status != .draft).sort(\.$publishedAt, .descending).all()
        let catalogue = req.application.catalogue, locale = req.appLocale
        var views: [TandemView] = []
        var dataByProgramme: [UUID: PairingData] = [:]
        for tandem in tandems {
            let programmeID = tandem.$programme.id
            guard let programme = try await Programme.load(programmeID, on: req.db) else { continue }
            if dataByProgramme[programmeID] == nil {
                dataByProgramme[programmeID] = try await PairingData.load(
                    programmeID: programmeID, on: req.db, cache: req.application.pairingInputCache)
            }
            let data = dataByProgramme[programmeID]!
            let role: ParticipantRole = tandem.$mentee.id == userID ? .mentee : .mentor
            let mine = role == .mentee ? tandem.menteeAcceptedAt : tandem.mentorAcceptedAt
            let id = try tandem.requireID()
            let next: String
            switch tandem.status {
            case .proposed: next = req.t(mine == nil ? "tandem.next.confirm" : "tandem.next.waiting")
            case .active: next = req.t("tandem.next.active")
            case .ended: next = req.t(tandem.closedBy == nil ? "tandem.next.completed" : "tandem.next.ended")
            default: next = req.t("tandem.next.replanning")
            }
            views.append(
                TandemView(
                    id: id.uuidString, programme: programme.name, status: tandem.status.rawValue,
                    statusLabel: catalogue.text("tandem.status.\(tandem.status.rawValue)", locale),
                    partner: TandemPartner(
                        tandem: tandem, viewer: role, data: data, catalogue: catalogue, locale: locale),
                    partnerRoleKey: role == .mentee ? "role.mentor" : "role.mentee",
                    contacts: programme.settings(timeZone: req.application.appConfig.timeZone).contacts.map {
                        Contact(name: $0.name, email: $0.email)
                    },
                    next: next, canAnswer: tandem.status == .proposed && mine == nil,
                    accepted: tandem.status == .proposed && mine != nil, canExit: tandem.status == .active,
                    acceptAction: SiteURL.tandemAccept(tandemID: .value(id)).path,
                    declineAction: SiteURL.tandemDecline(tandemID: .value(id)).path,
                    exitAction: SiteURL.tandemExit(tandemID: .value(id)).path,
                    publishedAt: tandem.publishedAt.map { req.application.dateFormatting.date($0, locale) } ?? "",
                    spaceLink: tandem.status == .active || (tandem.status == .ended && tandem.closedBy == nil)
                        ? SiteURL.tandemSpace(tandemID: .value(id)).path : nil))
        }
        return try await PageRenderer.render(
            "Pairing/my-tandem", Page(tandems: views, reasonLimit: PairingPublishing.reasonLimit),
            title: req.t("tandem.title"), for: req)
    }

    /// The tandem of the URL, if the signed-in person is one of its partners (anybody else learns nothing, not even
    /// whether it exists), with their role in it.
    private func own(_ req: Request, on db: any Database) async throws -> (Tandem, ParticipantRole) {
        let userID = try req.requireUser.requireID()
        guard let id = req.parameters.get("tandemID", as: UUID.self), let tandem = try await Tandem.find(id, on: db)
        else { throw PairingError.notPartner }
        if tandem.$mentee.id == userID, tandem.status != .draft { return (tandem, .mentee) }
        if tandem.$mentor.id == userID, tandem.status != .draft { return (tandem, .mentor) }
        throw PairingError.notPartner
    }

    private func programme(of tandem: Tandem, on db: any Database) async throws -> Programme {
        guard let programme = try await Programme.load(tandem.$programme.id, on: db) else {
            throw PairingError.unknownTandem
        }
        return programme
    }

    /// Runs an answer under the programme's pairing lock, on the tandem as it is now.
    private func answer(
        _ req: Request, action: String,
        _ body: @escaping @Sendable (Tandem, ParticipantRole, any Database) async throws -> Void
    ) async throws {
        let (tandem, _) = try await own(req, on: req.db)
        let name = try req.requireUser.name
        try await PairingChanges.apply(
            .init(key: action, subject: name), programmeID: tandem.$programme.id, expectedRevision: nil, req: req
        ) { db in
            let (fresh, role) = try await own(req, on: db)
            try await body(fresh, role, db)
        }
    }

    @Sendable func accept(req: Request) async throws -> Response {
        try await answer(req, action: "pairing.change.accepted") { tandem, role, db in
            switch tandem.status {
            case .proposed: break
            case .active: throw PairingError.alreadyAnswered
            default: throw PairingError.withdrawn
            }
            if (role == .mentee ? tandem.menteeAcceptedAt : tandem.mentorAcceptedAt) != nil {
                throw PairingError.alreadyAnswered
            }
            try await PairingPublishing.accept(tandem, as: role, req: req, on: db)
        }
        req.flash("success", req.t("tandem.accepted"))
        return req.redirect(to: .myTandem)
    }

    struct ReasonForm: Content {
        let reason: String?
    }

    @Sendable func decline(req: Request) async throws -> Response {
        _ = try await own(req, on: req.db)  // a stranger learns nothing, not even that a reason is missing
        let reason = try PairingPublishing.validReason(try req.content.decode(ReasonForm.self).reason)
        try await answer(req, action: "pairing.change.declined") { tandem, role, db in
            switch tandem.status {
            case .proposed: break
            case .declined: throw PairingError.alreadyAnswered
            case .active: throw PairingError.alreadyAnswered
            default: throw PairingError.withdrawn
            }
            let programme = try await programme(of: tandem, on: db)
            try await PairingPublishing.close(
                tandem, by: role == .mentee ? .mentee : .mentor, reason: reason, programme: programme, req: req, on: db)
        }
        req.flash("success", req.t("tandem.declined"))
        return req.redirect(to: .myTandem)
    }

    @Sendable func exit(req: Request) async throws -> Response {
        _ = try await own(req, on: req.db)  // a stranger learns nothing, not even that a reason is missing
        let reason = try PairingPublishing.validReason(try req.content.decode(ReasonForm.self).reason)
        try await answer(req, action: "pairing.change.exited") { tandem, role, db in
            guard tandem.status == .active else { throw PairingError.notActive }
            let programme = try await programme(of: tandem, on: db)
            try await PairingPublishing.close(
                tandem, by: role == .mentee ? .mentee : .mentor, reason: reason, programme: programme, req: req, on: db)
        }
        req.flash("success", req.t("tandem.exited"))
        return req.redirect(to: .myTandem)
    }
}
