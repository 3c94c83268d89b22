import Fluent
import Mentoring
import Vapor

/// The public mentor application: anyone may apply to a programme in intake, before its deadline.
/// The e-mailed link confirms the address (and signs the applicant in).
struct ApplicationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        // Behind a ``ProgrammeLoader``. The phase is checked here, not by a ``PhaseGuard``: outside intake the
        // form shows a page with the contacts instead of an error.
        routes.get(.apply(programmeID: .key), use: form)
        routes.grouped(RateLimitMiddleware(name: "application", rule: RateLimits.applicationsPerClient))
            .post(.apply(programmeID: .key), use: submit)
        routes.get(.applySent(programmeID: .key), use: sent)
    }

    struct FormPage: Encodable {
        let programmeName: String
        let programmeDescription: String
        let action: String
        let fields: [ProgrammeController.FormField]
        let talentProgramme: String?
        let talentChecked: Bool
        let errors: [ProgrammeController.ErrorLink]
        let contacts: [String]
        let privacyNotice: String
        let rules: String
    }

    struct ClosedPage: Encodable {
        let programmeName: String
        let reason: String
        let contacts: [String]
    }

    @Sendable func form(req: Request) async throws -> Response {
        let programme = try req.programme
        if let closed = try await Self.closedPage(programme, req: req) { return closed }
        return try await render(programme, MentorApplicationForm(), problems: nil, req: req)
    }

    func render(
        _ programme: Programme, _ form: MentorApplicationForm, problems: FieldProblems?, req: Request,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let settings = programme.settings(timeZone: req.application.appConfig.timeZone)
        func message(_ problem: FieldProblem) -> String {
            req.t("form.error.\(problem.kind.rawValue)", problem.detail ?? "")
        }
        func field(
            _ id: String, _ value: String?, _ kind: String = "text", required: Bool = true, hint: Bool = false
        ) -> ProgrammeController.FormField {
            let own = problems?.all.filter { $0.field == id } ?? []
            return .init(
                id: id, label: req.t("application.field.\(id)"), value: value ?? "", kind: kind,
                hint: hint ? req.t("application.hint.\(id)") : nil,
                error: own.isEmpty ? nil : own.map(message).joined(separator: " "), required: required, min: nil,
                max: nil)
        }
        let page = FormPage(
            programmeName: programme.name, programmeDescription: programme.description,
            action: SiteURL.apply(programmeID: .value(try programme.requireID())).path,
            fields: [
                field("name", form.name), field("email", form.email, "email"), field("teamRole", form.teamRole),
                field("companyStartDate", form.companyStartDate, "date"),
                field("expertiseTopics", form.expertiseTopics, hint: true),
                field("languages", form.languages, required: false, hint: true),
                field("motivation", form.motivation, "textarea", hint: true),
            ],
            talentProgramme: settings.eligibility.requiredTalentProgramme,
            talentChecked: form.tookPartInTalentProgramme != nil,
            errors: (problems?.all ?? []).map {
                .init(href: "#" + $0.field, text: req.t("application.field.\($0.field)") + ": " + message($0))
            },
            contacts: settings.contacts.map(\.description),
            privacyNotice: settings.privacyNotice,
            rules: ProgrammeController.eligibilityText(settings.eligibility, req: req))
        return try await PageRenderer.render(
            "Intake/apply", page, title: req.t("application.title", programme.name), for: req, status: status)
    }

    @Sendable func submit(req: Request) async throws -> Response {
        let programme = try req.programme
        if let closed = try await Self.closedPage(programme, req: req) { return closed }
        let programmeID = try programme.requireID()
        let form = try req.content.decode(MentorApplicationForm.self)
        let config = req.application.appConfig
        let today = CalendarDate.today(in: config.timeZone, now: req.now)
        let draft: MentorApplicationDraft
        switch form.validated(today: today) {
        case .failure(let problems):
            return try await render(programme, form, problems: problems, req: req, status: .unprocessableEntity)
        case .success(let valid):
            draft = valid
        }
        let result = Eligibility.check(
            ApplicantFacts(
                companyStartDate: draft.companyStartDate, tookPartInRequiredProgramme: draft.tookPartInTalentProgramme),
            against: programme.settings(timeZone: config.timeZone).eligibility, today: today)

        let duplicate = try await req.db.writeTransaction { db -> Bool in
            let user: User
            if let existing = try await User.query(on: db).filter(\.$email == draft.email).first() {
                user = existing
                if try await MentorApplicationRecord.query(on: db)
                    .filter(\.$programme.$id == programmeID).filter(\.$user.$id == existing.requireID()).first() != nil
                {
                    return true
                }
            } else {
                user = User(email: draft.email, name: draft.name, locale: req.appLocale.rawValue)
                try await user.create(on: db)
            }
            try await MentorApplicationRecord(
                programmeID: programmeID, userID: user.requireID(), draft: draft, result: result
            )
            .create(on: db)
            let link = try await MagicLinks.create(
                for: user, next: SiteURL.myApplications.path, app: req.application, on: db)
            try await Outbox(app: req.application).enqueue(
                to: user, template: "mail.applicationConfirm",
                arguments: [programme.name, String(Int(config.magicLinkLifetime / 60))], actionURL: link, on: db)
            return false
        }
        if duplicate {
            let page = ClosedPage(
                programmeName: programme.name, reason: req.t("application.duplicate"),
                contacts: programme.settings(timeZone: config.timeZone).contacts.map(\.description))
            return try await PageRenderer.render(
                "Intake/apply-closed", page, title: programme.name, for: req, status: .conflict)
        }
        return req.redirect(to: .applySent(programmeID: .value(programmeID)))
    }

    @Sendable func sent(req: Request) async throws -> Response {
        let programme = try req.programme
        return try await PageRenderer.render(
            "Intake/apply-sent", ["programmeName": programme.name], title: req.t("application.sent.title"), for: req)
    }

    /// Why the programme takes no applications now (phase, deadline), or nil while it does.
    static func closedReason(_ programme: Programme, req: Request) -> String? {
        let config = req.application.appConfig
        if programme.phase != .intake {
            return req.t("application.closed.phase", req.t("phase.\(programme.phase.rawValue)"))
        }
        if let deadline = programme.applicationDeadlineDate,
            deadline < CalendarDate.today(in: config.timeZone, now: req.now)
        {
            return req.t("application.closed.deadline", req.appLocale == .de ? deadline.german : deadline.description)
        }
        return nil
    }

    /// A clear page (409) when the programme does not take applications now; nil when it does.
    static func closedPage(_ programme: Programme, req: Request) async throws -> Response? {
        guard let reason = closedReason(programme, req: req) else { return nil }
        let settings = programme.settings(timeZone: req.application.appConfig.timeZone)
        let page = ClosedPage(
            programmeName: programme.name, reason: reason,
            contacts: settings.contacts.map(\.description))
        return try await PageRenderer.render(
            "Intake/apply-closed", page, title: programme.name, for: req, status: .conflict)
    }
}
