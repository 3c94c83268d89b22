import Fluent
import Mentoring
import Vapor

/// The member import of ``InvitationController``: paste or upload the list, see every line checked (a read-only
/// preview), then confirm: all-or-nothing, already invited people skipped.
extension InvitationController {
    struct ImportForm: Content {
        var csv: String?
        var file: File?
    }

    struct PreviewPage: Encodable {
        let programmeID: String
        let links: ProgrammeLinks
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
        return MemberList.validate(
            header: parsed.header, records: parsed.records, alreadyInvited: Set(invited),
            readingProblems: parsed.problems)
    }

    /// "Zeile 3, Feld „email“: keine gültige E-Mail-Adresse: kaputt", all words from the reader's catalogue.
    static func describe(_ problem: ImportProblem, req: Request) -> String {
        let message = req.application.catalogue.text(
            "import.problem.\(problem.kind.rawValue)", req.appLocale, problem.values)
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

    func renderPreview(
        _ programme: Programme, input: ImportText, report: MemberList.Report, req: Request,
        status: HTTPResponseStatus
    ) async throws -> Response {
        func row(_ entry: (line: Int, member: Member)) -> PreviewRow {
            .init(
                line: entry.line, name: entry.member.name, email: entry.member.email, company: entry.member.company,
                position: entry.member.position)
        }
        let page = PreviewPage(
            programmeID: try programme.requireID().uuidString, links: ProgrammeLinks(try programme.requireID()),
            programmeName: programme.name, csv: input.text,
            rows: report.members.map(row), skipped: report.skipped.map(row),
            problems: report.problems.map { Self.describe($0, req: req) }, clean: report.isClean,
            canImport: report.isClean && !report.members.isEmpty, count: report.members.count,
            skippedCount: report.skipped.count, problemCount: report.problems.count,
            conversionNote: input.encoding == .utf8 ? nil : "import.converted.\(input.encoding.rawValue)")
        return try await PageRenderer.render(
            "Intake/members-preview", page, title: req.t("import.preview.title"), for: req, status: status)
    }

    /// The report for an upload that is no text file.
    static let notTextReport = MemberList.Report(
        members: [], problems: [ImportProblem(line: 0, field: nil, kind: .notText)])

    @Sendable func preview(req: Request) async throws -> Response {
        let programme = try req.programme
        let input = Self.text(of: try req.content.decode(ImportForm.self))
        let report: MemberList.Report
        if input.notText {
            report = Self.notTextReport
        } else {
            report = try await Self.check(input.text, programmeID: try programme.requireID(), on: req.db)
        }
        return try await renderPreview(
            programme, input: input, report: report, req: req, status: report.isClean ? .ok : .unprocessableEntity)
    }

    /// Imports the checked list (the preview's hidden field) and queues every invitation in one transaction: a
    /// list with any problem imports nothing; people invited already are skipped.
    @Sendable func confirm(req: Request) async throws -> Response {
        let programme = try req.programme
        let programmeID = try programme.requireID()
        let input = Self.text(of: try req.content.decode(ImportForm.self))
        let app = req.application
        if input.notText {
            return try await renderPreview(
                programme, input: input, report: Self.notTextReport, req: req, status: .unprocessableEntity)
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
            try await req.audit(
                "members.imported", programme: programmeID, details: String(report.members.count), on: db)
            return report
        }
        guard outcome.isClean else {
            return try await renderPreview(
                programme, input: input, report: outcome, req: req, status: .unprocessableEntity)
        }
        var message =
            outcome.members.isEmpty ? req.t("import.preview.nothingNew") : req.tp("import.done", outcome.members.count)
        if !outcome.skipped.isEmpty { message += " " + req.tp("import.skippedDone", outcome.skipped.count) }
        req.flash("success", message)
        return req.redirect(to: .programme(programmeID, .members))
    }
}
