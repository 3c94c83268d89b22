import Fluent
import Mentoring
import QRCode
import Vapor

/// Organisers invite executives: import the member list (preview, per-line report, all-or-nothing), send
/// personal invitations with a QR code, re-send, revoke, print; approve registrations from the programme-wide
/// link; see the funnel; export participants.
struct InvitationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        // Relative to `programmes/:programmeID` (behind a ``ProgrammeLoader``); the lists are ``Lists``.
        let members = routes.grouped("members")
        members.post("import", bodyLimit: "2mb", use: preview)
        members.post("import", "confirm", bodyLimit: "2mb", use: confirm)
        members.post(":invitationID", "resend", use: resend)
        members.post(":invitationID", "revoke", use: revoke)
        members.post(":invitationID", "print", use: print)
        members.post("registrations", ":registrationID", ":decision", use: decideRegistration)
    }

    /// The member overview and the participants export: reading only, so open in more phases than the changes.
    struct Lists: RouteCollection {
        func boot(routes: any RoutesBuilder) throws {
            let controller = InvitationController()
            routes.get("members", use: controller.overview)
            routes.get("participants.csv", use: controller.exportParticipants)
        }
    }

    // MARK: Overview and funnel

    struct OverviewPage: Encodable {
        let programmeID: String
        let programmeName: String
        let funnel: [Step]
        let joinLink: String
        let joinQR: String
        let invitations: [InvitationRow]
        let pending: [RegistrationRow]
        let q: String
    }
    struct Step: Encodable {
        let label: String
        let value: Int
    }
    struct InvitationRow: Encodable {
        let id: String
        let name: String
        let email: String
        let company: String
        let position: String
        let status: String
        let statusKey: String
        let expires: String
        let canResend: Bool
        let canRevoke: Bool
    }
    struct RegistrationRow: Encodable {
        let id: String
        let name: String
        let email: String
        let company: String
        let position: String
        let questions: String
    }

    @Sendable func overview(req: Request) async throws -> Response {
        let programme = try req.programme
        let id = try programme.requireID()
        let search = (req.query[String.self, at: "q"] ?? "").lowercased().trimmingCharacters(in: .whitespaces)
        let locale = req.appLocale, formatting = req.application.dateFormatting, now = req.now
        var invitations = try await Invitation.query(on: req.db).filter(\.$programme.$id == id).sort(\.$name).all()
        if !search.isEmpty {
            invitations = invitations.filter {
                $0.name.lowercased().contains(search) || $0.email.contains(search) || $0.company.lowercased().contains(search)
            }
        }
        let pending = try await MenteeRegistration.query(on: req.db).filter(\.$programme.$id == id)
            .filter(\.$status == .pending).with(\.$user).all()
        let joinLink = Self.joinLink(programme, app: req.application)
        let page = OverviewPage(
            programmeID: id.uuidString, programmeName: programme.name,
            funnel: try await Self.funnel(programmeID: id, req: req),
            joinLink: joinLink, joinQR: try QRCode(joinLink).svg(moduleSize: 6, title: req.t("members.joinQR")),
            invitations: invitations.map { invitation in
                InvitationRow(
                    id: invitation.id?.uuidString ?? "", name: invitation.name, email: invitation.email,
                    company: invitation.company, position: invitation.position,
                    status: req.t("invitation.status.\(Self.effectiveStatus(invitation, now: now))"),
                    statusKey: Self.effectiveStatus(invitation, now: now), expires: formatting.dateTime(invitation.expiresAt, locale),
                    canResend: invitation.status == .invited, canRevoke: invitation.status == .invited)
            },
            pending: pending.map {
                RegistrationRow(id: $0.id?.uuidString ?? "", name: $0.user.name, email: $0.user.email, company: $0.company,
                                position: $0.position, questions: $0.questions)
            },
            q: search)
        return try await PageRenderer.render("Intake/members", page, title: req.t("members.title"), for: req)
    }

    static func effectiveStatus(_ invitation: Invitation, now: Date) -> String {
        if invitation.status == .invited && invitation.expiresAt <= now { return "expired" }
        return invitation.status.rawValue
    }

    static func funnel(programmeID: UUID, req: Request) async throws -> [Step] {
        let db = req.db
        let invited = try await Invitation.query(on: db).filter(\.$programme.$id == programmeID).filter(\.$status != .revoked).count()
        let registered = try await MenteeRegistration.query(on: db).filter(\.$programme.$id == programmeID).count()
        let approved = try await MenteeRegistration.query(on: db).filter(\.$programme.$id == programmeID)
            .filter(\.$status == .approved).count()
        let applications = MentorApplicationRecord.query(on: db).filter(\.$programme.$id == programmeID)
        let applied = try await applications.copy().filter(\.$status != .unconfirmed).count()
        let eligible = try await applications.copy().filter(\.$status != .unconfirmed).filter(\.$eligible == true).count()
        let preselected = try await applications.copy().filter(\.$status == .preselected).count()
        return [
            .init(label: req.t("funnel.invited"), value: invited), .init(label: req.t("funnel.registered"), value: registered),
            .init(label: req.t("funnel.approved"), value: approved), .init(label: req.t("funnel.applied"), value: applied),
            .init(label: req.t("funnel.eligible"), value: eligible), .init(label: req.t("funnel.preselected"), value: preselected),
        ]
    }

    static func joinLink(_ programme: Programme, app: Application) -> String {
        app.publicBaseURL + "/join/" + (programme.publicCode ?? "")
    }

    // MARK: Import

    struct ImportForm: Content {
        var csv: String?
        var file: File?
    }

    struct PreviewPage: Encodable {
        let programmeID: String
        let programmeName: String
        /// The checked list as text (UTF-8), carried by the confirm form's hidden field.
        let csv: String
        let rows: [PreviewRow]
        let skipped: [PreviewRow]
        let problems: [String]
        let clean: Bool
        /// Clean and with somebody new to invite.
        let canImport: Bool
        let count: Int
        let skippedCount: Int
        let problemCount: Int
        /// Set when the uploaded file was converted to UTF-8 (catalogue key of the note).
        let conversionNote: String?
    }
    struct PreviewRow: Encodable {
        let line: Int
        let name: String
        let email: String
        let company: String
        let position: String
    }

    /// The list's text and how the upload was stored.
    struct ImportText {
        let text: String
        let encoding: CSVText.SourceEncoding
        /// The upload is no text file (e.g. an .xlsx workbook).
        var notText = false
    }

    /// Reads the list and validates it against the programme's existing invitations.
    static func check(_ text: String, programmeID: UUID, on db: any Database) async throws -> MemberList.Report {
        let parsed = CSVText.parse(text)
        let invited = try await Invitation.query(on: db).filter(\.$programme.$id == programmeID).all().map(\.email)
        return MemberList.validate(header: parsed.header, records: parsed.records, alreadyInvited: Set(invited),
                                   readingProblems: parsed.problems)
    }

    /// "Zeile 3, Feld „email“: keine gültige E-Mail-Adresse: kaputt", all words from the reader's catalogue.
    static func describe(_ problem: ImportProblem, req: Request) -> String {
        let message = req.application.catalogue.text("import.problem.\(problem.kind.rawValue)", req.appLocale, problem.values)
        guard problem.line > 0 else { return message }
        let field = problem.field.map { req.t("import.field", $0) } ?? ""
        return req.t("import.line", String(problem.line)) + field + ": " + message
    }

    /// The uploaded file's bytes (UTF-8, with or without BOM, else converted from Windows-1252), or the pasted text.
    static func text(of form: ImportForm) -> ImportText {
        if let file = form.file, file.data.readableBytes > 0 {
            let bytes = file.data.getBytes(at: file.data.readerIndex, length: file.data.readableBytes) ?? []
            do {
                let decoded = try CSVText.decode(bytes)
                return ImportText(text: decoded.text, encoding: decoded.encoding)
            } catch {
                return ImportText(text: "", encoding: .utf8, notText: true)
            }
        }
        return ImportText(text: CSVText.dropByteOrderMark(form.csv ?? ""), encoding: .utf8)
    }

    func renderPreview(_ programme: Programme, input: ImportText, report: MemberList.Report, req: Request,
                       status: HTTPResponseStatus) async throws -> Response {
        func row(_ entry: (line: Int, member: Member)) -> PreviewRow {
            .init(line: entry.line, name: entry.member.name, email: entry.member.email, company: entry.member.company,
                  position: entry.member.position)
        }
        let page = PreviewPage(
            programmeID: try programme.requireID().uuidString, programmeName: programme.name, csv: input.text,
            rows: report.members.map(row), skipped: report.skipped.map(row),
            problems: report.problems.map { Self.describe($0, req: req) }, clean: report.isClean,
            canImport: report.isClean && !report.members.isEmpty, count: report.members.count,
            skippedCount: report.skipped.count, problemCount: report.problems.count,
            conversionNote: input.encoding == .utf8 ? nil : "import.converted.\(input.encoding.rawValue)")
        return try await PageRenderer.render("Intake/members-preview", page, title: req.t("import.preview.title"), for: req, status: status)
    }

    /// The report for an upload that is no text file.
    static let notTextReport = MemberList.Report(members: [], problems: [ImportProblem(line: 0, field: nil, kind: .notText)])

    @Sendable func preview(req: Request) async throws -> Response {
        let programme = try req.programme
        let input = Self.text(of: try req.content.decode(ImportForm.self))
        let report: MemberList.Report
        if input.notText {
            report = Self.notTextReport
        } else {
            report = try await Self.check(input.text, programmeID: try programme.requireID(), on: req.db)
        }
        return try await renderPreview(programme, input: input, report: report, req: req, status: report.isClean ? .ok : .unprocessableEntity)
    }

    /// Imports the checked list (the preview's hidden field) and queues every invitation in one transaction: a
    /// list with any problem imports nothing; people invited already are skipped.
    @Sendable func confirm(req: Request) async throws -> Response {
        let programme = try req.programme
        let programmeID = try programme.requireID()
        let input = Self.text(of: try req.content.decode(ImportForm.self))
        let app = req.application
        if input.notText {
            return try await renderPreview(programme, input: input, report: Self.notTextReport, req: req, status: .unprocessableEntity)
        }
        let outcome = try await req.db.writeTransaction { db -> MemberList.Report in
            // Checked again inside the transaction: the list may have changed hands, or others been invited since.
            let report = try await Self.check(input.text, programmeID: programmeID, on: db)
            guard report.isClean, !report.members.isEmpty else { return report }
            for (_, member) in report.members {
                let invitation = Invitation(
                    programmeID: programmeID, name: member.name, email: member.email, company: member.company,
                    position: member.position, tokenHash: "", expiresAt: app.clock.now())
                try await Self.issueAndSend(invitation, programme: programme, app: app, on: db)
            }
            try await req.audit("members.imported", programme: programmeID, details: String(report.members.count), on: db)
            return report
        }
        guard outcome.isClean else {
            return try await renderPreview(programme, input: input, report: outcome, req: req, status: .unprocessableEntity)
        }
        var message = outcome.members.isEmpty ? req.t("import.preview.nothingNew") : req.tp("import.done", outcome.members.count)
        if !outcome.skipped.isEmpty { message += " " + req.tp("import.skippedDone", outcome.skipped.count) }
        req.flash("success", message)
        return req.redirect(to: "/organiser/programmes/\(programmeID)/members")
    }

    /// Gives the invitation a fresh token and expiry, saves it and queues the e-mail. Returns the link.
    @discardableResult
    static func issueAndSend(_ invitation: Invitation, programme: Programme, app: Application, on db: any Database,
                             sendMail: Bool = true) async throws -> String {
        let token = SecureToken.generate()
        invitation.tokenHash = SecureToken.hash(token)
        invitation.expiresAt = app.clock.now().addingTimeInterval(app.appConfig.invitationLifetime)
        invitation.status = .invited
        try await invitation.save(on: db)
        let link = app.publicBaseURL + "/invitation/" + token
        if sendMail {
            // The invitee has no account yet: address the e-mail to a transient person in German, the
            // programme's language; they choose their language when registering.
            let recipient = User(email: invitation.email, name: invitation.name, locale: AppLocale.default.rawValue)
            try await Outbox(app: app).enqueue(
                to: recipient, template: "mail.invitation", arguments: [programme.name], actionURL: link, withQRCode: true,
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
        return req.redirect(to: "/organiser/programmes/\(programmeID)/members")
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
        return req.redirect(to: "/organiser/programmes/\(programmeID)/members")
    }

    struct PrintPage: Encodable {
        let programmeName: String
        let name: String
        let company: String
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
            let link = try await Self.issueAndSend(invitation, programme: programme, app: req.application, on: db, sendMail: false)
            try await req.audit("invitation.printed", programme: programmeID, details: invitation.email, on: db)
            return link
        }
        let settings = programme.settings(timeZone: req.application.appConfig.timeZone)
        let page = PrintPage(
            programmeName: programme.name, name: invitation.name, company: invitation.company, link: link,
            qr: try QRCode(link).svg(moduleSize: 6, title: req.t("invitation.qrTitle")),
            contacts: settings.contacts.map(\.description),
            expires: req.application.dateFormatting.date(invitation.expiresAt, req.appLocale),
            duration: req.tp("programme.durationMonths", programme.durationMonths))
        return try await PageRenderer.render("Intake/invitation-print", page, title: req.t("invitation.print.title"), for: req)
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
        guard registration.status == .pending, decision == "approve" || decision == "reject" else { throw AppError.wrongPhase }
        try await req.db.writeTransaction { db in
            registration.status = decision == "approve" ? .approved : .rejected
            try await registration.save(on: db)
            if registration.status == .approved {
                try await Participation(userID: registration.user.requireID(), programmeID: programmeID, role: .mentee).create(on: db)
            }
            try await Outbox(app: req.application).enqueue(
                to: registration.user, template: "mail.registration.\(registration.status.rawValue)", arguments: [programme.name],
                actionURL: req.application.publicBaseURL + "/login", on: db)
            try await req.audit("registration.\(registration.status.rawValue)", programme: programmeID, details: registration.user.name, on: db)
        }
        req.flash("success", req.t("registration.decided.\(registration.status.rawValue)", registration.user.name))
        return req.redirect(to: "/organiser/programmes/\(programmeID)/members")
    }

    // MARK: Export

    /// Participants (preselected mentors, approved mentees) as CSV for the organisers' own tools; with
    /// `?format=excel` in the dialect German Excel opens directly (UTF-8 BOM, `;`). Cells that would start a
    /// formula are neutralised in both (``CSVText/neutralise(_:)``).
    @Sendable func exportParticipants(req: Request) async throws -> Response {
        let programme = try req.programme
        let programmeID = try programme.requireID()
        let participations = try await Participation.query(on: req.db).filter(\.$programme.$id == programmeID).with(\.$user).all()
        let registrations = try await MenteeRegistration.query(on: req.db).filter(\.$programme.$id == programmeID).all()
        let applications = try await MentorApplicationRecord.query(on: req.db).filter(\.$programme.$id == programmeID).all()
        let rows = participations.sorted { ($0.role.rawValue, $0.user.name) < ($1.role.rawValue, $1.user.name) }.map { participation in
            let userID = participation.user.id
            let registration = registrations.first { $0.$user.id == userID }
            let application = applications.first { $0.$user.id == userID }
            return [
                participation.role.rawValue, participation.user.name, participation.user.email,
                registration?.company ?? "", registration?.position ?? application?.teamRole ?? "",
                (registration.map { JSONText.decode([String].self, $0.topicsJSON) ?? [] } ?? application?.expertiseTopics ?? [])
                    .joined(separator: "; "),
                participation.user.locale,
            ]
        }
        let excel = req.query[String.self, at: "format"] == "excel"
        let csv = try CSVText.write(header: ["role", "name", "email", "company", "position", "topics", "language"], rows: rows,
                                    dialect: excel ? .excel : .standard)
        try await req.audit("participants.exported", programme: programmeID, details: String(rows.count), on: req.db)
        let response = Response(status: .ok, body: .init(string: csv))
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        let filename = excel ? "teilnehmende-excel.csv" : "teilnehmende.csv"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        return response
    }
}
