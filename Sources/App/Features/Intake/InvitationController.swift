import Fluent
import Mentoring
import QRCode
import Vapor

/// Organisers invite executives: import the member list (preview, per-line report, all-or-nothing), send
/// personal invitations with a QR code, re-send, revoke, print; approve registrations from the programme-wide
/// link; see the funnel; export participants.
struct InvitationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        // The lists are ``Lists``.
        routes.post(.programme(.key, .membersImport), bodyLimit: "2mb", use: preview)
        routes.post(.programme(.key, .membersImportConfirm), bodyLimit: "2mb", use: confirm)
        routes.post(.programme(.key, .invitationResend(.key)), use: resend)
        routes.post(.programme(.key, .invitationRevoke(.key)), use: revoke)
        routes.post(.programme(.key, .invitationPrint(.key)), use: print)
        routes.post(.programme(.key, .registrationDecision(.key, decision: .key)), use: decideRegistration)
    }

    /// The member overview and the participants export: reading only, so open in more phases than the changes.
    struct Lists: RouteCollection {
        func boot(routes: any RoutesBuilder) throws {
            let controller = InvitationController()
            routes.get(.programme(.key, .members), use: controller.overview)
            routes.get(.programme(.key, .participantsCSV), use: controller.exportParticipants)
        }
    }

    static func effectiveStatus(_ invitation: Invitation, now: Date) -> String {
        if invitation.status == .invited && invitation.expiresAt <= now { return "expired" }
        return invitation.status.rawValue
    }

    static func funnel(programmeID: UUID, req: Request) async throws -> [Step] {
        steps(try await ProgrammeFunnel.cached(programme: programmeID, req: req), req: req)
    }

    static func steps(_ funnel: ProgrammeFunnel, req: Request) -> [Step] {
        [
            .init(label: req.t("funnel.invited"), value: funnel.invited),
            .init(label: req.t("funnel.registered"), value: funnel.registered),
            .init(label: req.t("funnel.approved"), value: funnel.approved),
            .init(label: req.t("funnel.applied"), value: funnel.applied),
            .init(label: req.t("funnel.eligible"), value: funnel.eligible),
            .init(label: req.t("funnel.preselected"), value: funnel.preselected),
        ]
    }

    static func joinLink(_ programme: Programme, app: Application) -> String {
        SiteURL.join(code: .value(programme.publicCode ?? "")).absolute(app)
    }

    /// Gives the invitation a fresh token and expiry, saves it and queues the e-mail. Returns the link.
    @discardableResult
    static func issueAndSend(
        _ invitation: Invitation, programme: Programme, app: Application, on db: any Database,
        sendMail: Bool = true
    ) async throws -> String {
        let token = SecureToken.generate()
        invitation.tokenHash = SecureToken.hash(token)
        invitation.expiresAt = app.clock.now().addingTimeInterval(app.appConfig.invitationLifetime)
        invitation.status = .invited
        try await invitation.save(on: db)
        let link = SiteURL.invitation(token: .value(token)).absolute(app)
        if sendMail {
            // The invitee has no account yet: address the e-mail to a transient person in German, the
            // programme's language; they choose their language when registering.
            let recipient = User(email: invitation.email, name: invitation.name, locale: AppLocale.default.rawValue)
            try await Outbox(app: app).enqueue(
                to: recipient, template: "mail.invitation", arguments: [programme.name], actionURL: link,
                withQRCode: true,
                on: db)
        }
        return link
    }

    static func findInvitation(_ req: Request, programmeID: UUID) async throws -> Invitation {
        guard let id = req.parameters.get("invitationID", as: UUID.self),
            let invitation = try await Invitation.query(on: req.db).filter(\.$id == id)
                .filter(\.$programme.$id == programmeID).first()
        else { throw AppError.notFound }
        return invitation
    }

    @Sendable func resend(req: Request) async throws -> Response {
        let programme = try req.programme
        let programmeID = try programme.requireID()
        let invitation = try await Self.findInvitation(req, programmeID: programmeID)
        guard invitation.status == .invited else { throw AppError.wrongPhase }
        try await req.db.writeTransaction { db in
            try await Self.issueAndSend(invitation, programme: programme, app: req.application, on: db)
            try await req.audit("invitation.resent", programme: programmeID, details: invitation.email, on: db)
        }
        req.flash("success", req.t("invitation.resent", invitation.email))
        return req.redirect(to: .programme(programmeID, .members))
    }

    @Sendable func revoke(req: Request) async throws -> Response {
        let programme = try req.programme
        let programmeID = try programme.requireID()
        let invitation = try await Self.findInvitation(req, programmeID: programmeID)
        guard invitation.status == .invited else { throw AppError.wrongPhase }
        invitation.status = .revoked
        try await req.db.writeTransaction { db in
            try await invitation.save(on: db)
            try await req.audit("invitation.revoked", programme: programmeID, details: invitation.email, on: db)
        }
        req.flash("success", req.t("invitation.revokedFlash", invitation.email))
        return req.redirect(to: .programme(programmeID, .members))
    }

    struct PrintPage: Encodable {
        let programmeName: String
        let name: String
        let position: String
        let company: String
        /// Today, as the letter's date.
        let date: String
        let patron: String?
        let link: String
        let qr: String
        let contacts: [String]
        let expires: String
        let duration: String
    }

    /// A printable A4 invitation with the QR code. Tokens are stored hashed, so printing issues a new link
    /// (the previous one stops working); it is a POST for that reason.
    @Sendable func print(req: Request) async throws -> Response {
        let programme = try req.programme
        let programmeID = try programme.requireID()
        let invitation = try await Self.findInvitation(req, programmeID: programmeID)
        guard invitation.status == .invited else { throw AppError.wrongPhase }
        let link = try await req.db.writeTransaction { db in
            let link = try await Self.issueAndSend(
                invitation, programme: programme, app: req.application, on: db, sendMail: false)
            try await req.audit("invitation.printed", programme: programmeID, details: invitation.email, on: db)
            return link
        }
        let settings = programme.settings(timeZone: req.application.appConfig.timeZone)
        let page = PrintPage(
            programmeName: programme.name, name: invitation.name, position: invitation.position,
            company: invitation.company, date: req.application.dateFormatting.date(req.now, req.appLocale),
            patron: programme.patronText.isEmpty ? nil : programme.patronText, link: link,
            qr: try QRCode(link).svg(moduleSize: 6, title: req.t("invitation.qrTitle")),
            contacts: settings.contacts.map(\.description),
            expires: req.application.dateFormatting.date(invitation.expiresAt, req.appLocale),
            duration: req.tp("programme.durationMonths", programme.durationMonths))
        return try await PageRenderer.render(
            "Intake/invitation-print", page, title: req.t("invitation.print.title"), for: req)
    }

    // MARK: Registrations through the programme-wide link

    @Sendable func decideRegistration(req: Request) async throws -> Response {
        let programme = try req.programme
        let programmeID = try programme.requireID()
        guard let id = req.parameters.get("registrationID", as: UUID.self),
            let registration = try await MenteeRegistration.query(on: req.db).filter(\.$id == id)
                .filter(\.$programme.$id == programmeID).with(\.$user).first()
        else { throw AppError.notFound }
        let decision = req.parameters.get("decision")
        guard registration.status == .pending, decision == "approve" || decision == "reject" else {
            throw AppError.wrongPhase
        }
        try await req.db.writeTransaction { db in
            registration.status = decision == "approve" ? .approved : .rejected
            try await registration.save(on: db)
            if registration.status == .approved {
                try await Participation(userID: registration.user.requireID(), programmeID: programmeID, role: .mentee)
                    .create(on: db)
            }
            try await Outbox(app: req.application).enqueue(
                to: registration.user, template: "mail.registration.\(registration.status.rawValue)",
                arguments: [programme.name],
                actionURL: SiteURL.login.absolute(req.application), on: db)
            try await req.audit(
                "registration.\(registration.status.rawValue)", programme: programmeID, details: registration.user.name,
                on: db)
        }
        req.flash("success", req.t("registration.decided.\(registration.status.rawValue)", registration.user.name))
        return req.redirect(to: .programme(programmeID, .members))
    }

    // MARK: Export

    /// Participants (preselected mentors, approved mentees) as CSV for the organisers' own tools; with
    /// `?format=excel` in the dialect German Excel opens directly (UTF-8 BOM, `;`). Cells that would start a
    /// formula are neutralised in both (``CSVText/neutralise(_:)``).
    @Sendable func exportParticipants(req: Request) async throws -> Response {
        let programme = try req.programme
        let programmeID = try programme.requireID()
        let participations = try await Participation.query(on: req.db).filter(\.$programme.$id == programmeID).with(
            \.$user
        ).all()
        let registrations = try await MenteeRegistration.query(on: req.db).filter(\.$programme.$id == programmeID).all()
        let applications = try await MentorApplicationRecord.query(on: req.db).filter(\.$programme.$id == programmeID)
            .all()
        let rows = participations.sorted { ($0.role.rawValue, $0.user.name) < ($1.role.rawValue, $1.user.name) }.map {
            participation in
            let userID = participation.user.id
            let registration = registrations.first { $0.$user.id == userID }
            let application = applications.first { $0.$user.id == userID }
            return [
                participation.role.rawValue, participation.user.name, participation.user.email,
                registration?.company ?? "", registration?.position ?? application?.teamRole ?? "",
                (registration.map { JSONText.decode([String].self, $0.topicsJSON) ?? [] } ?? application?
                    .expertiseTopics ?? [])
                    .joined(separator: "; "),
                participation.user.locale,
            ]
        }
        let excel = req.query[String.self, at: "format"] == "excel"
        let csv = try CSVText.write(
            header: ["role", "name", "email", "company", "position", "topics", "language"], rows: rows,
            dialect: excel ? .excel : .standard)
        try await req.audit("participants.exported", programme: programmeID, details: String(rows.count), on: req.db)
        let response = Response(status: .ok, body: .init(string: csv))
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        let filename = excel ? "teilnehmende-excel.csv" : "teilnehmende.csv"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        return response
    }
}
