import Fluent
import Mentoring
import Vapor

extension ProgrammeController {
    // MARK: Form

    struct FormField: Encodable {
        let id: String
        let label: String
        let value: String
        let kind: String
        let hint: String?
        let error: String?
        let required: Bool
        let min: Int?
        let max: Int?
    }
    struct FormPage: Encodable {
        let heading: String
        let action: String
        let submitLabel: String
        let fields: [FormField]
        let errors: [ErrorLink]
        let cancelHref: String
    }
    struct ErrorLink: Encodable {
        let href: String
        let text: String
    }

    static func formPage(
        _ form: ProgrammeForm, problems: FieldProblems?, heading: String, action: String, cancel: String, req: Request
    ) -> FormPage {
        func message(_ problem: FieldProblem) -> String {
            req.t("form.error.\(problem.kind.rawValue)", problem.detail ?? "")
        }
        func field(
            _ id: String, _ value: String?, _ kind: String = "text", required: Bool = false,
            range: ClosedRange<Int>? = nil, hint: Bool = false
        ) -> FormField {
            let fieldProblems = problems?.all.filter { $0.field == id } ?? []
            return FormField(
                id: id, label: req.t("programme.field.\(id)"), value: value ?? "", kind: kind,
                hint: hint ? req.t("programme.hint.\(id)") : nil,
                error: fieldProblems.isEmpty ? nil : fieldProblems.map(message).joined(separator: " "),
                required: required, min: range?.lowerBound, max: range?.upperBound)
        }
        let fields = [
            field("name", form.name, required: true),
            field("description", form.description, "textarea"),
            field("focusTopics", form.focusTopics, hint: true),
            field("contacts", form.contacts, "textarea", hint: true),
            field("patronText", form.patronText, "textarea"),
            field("kickoffAt", form.kickoffAt, "datetime-local", hint: true),
            field("roundsAtKickoff", form.roundsAtKickoff, "number", range: ProgrammeSettings.roundsRange),
            field("minutesPerRound", form.minutesPerRound, "number", range: ProgrammeSettings.minutesRange),
            field("shortlistSize", form.shortlistSize, "number", range: ProgrammeSettings.shortlistRange),
            field("durationMonths", form.durationMonths, "number", range: TandemDuration.allowedMonths, hint: true),
            field("requiredTalentProgramme", form.requiredTalentProgramme, hint: true),
            field("minimumTenureMonths", form.minimumTenureMonths, "number", range: ProgrammeSettings.tenureRange),
            field("applicationDeadline", form.applicationDeadline, "date"),
            field("privacyNotice", form.privacyNotice, "textarea", hint: true),
        ]
        let errors = (problems?.all ?? []).map {
            ErrorLink(href: "#" + $0.field, text: req.t("programme.field.\($0.field)") + ": " + message($0))
        }
        return FormPage(
            heading: heading, action: action, submitLabel: req.t("action.save"), fields: fields, errors: errors,
            cancelHref: cancel)
    }

    @Sendable func new(req: Request) async throws -> Response {
        var form = ProgrammeForm(ProgrammeSettings.defaults)
        // A starting point the organiser adapts: without a notice nobody can consent when registering.
        form.privacyNotice = req.t("programme.privacyNotice.default")
        let page = Self.formPage(
            form, problems: nil, heading: req.t("programme.new.title"), action: SiteURL.programmes.path,
            cancel: SiteURL.dashboard.path, req: req)
        return try await PageRenderer.render(
            "Intake/programme-form", page, title: req.t("programme.new.title"), for: req)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let form = try req.content.decode(ProgrammeForm.self)
        let now = LocalDateTime.format(req.now, in: req.application.appConfig.timeZone)
        switch form.validated(now: now) {
        case .failure(let problems):
            let page = Self.formPage(
                form, problems: problems, heading: req.t("programme.new.title"), action: SiteURL.programmes.path,
                cancel: SiteURL.dashboard.path, req: req)
            return try await PageRenderer.render(
                "Intake/programme-form", page, title: req.t("programme.new.title"), for: req,
                status: .unprocessableEntity)
        case .success(let settings):
            let programme = Programme(name: settings.name, description: settings.description, phase: .draft)
            programme.apply(settings, timeZone: req.application.appConfig.timeZone)
            try await req.db.writeTransaction { db in
                try await programme.create(on: db)
                try await req.audit("programme.created", programme: programme.id, details: programme.name, on: db)
            }
            req.flash("success", req.t("programme.created", programme.name))
            return req.redirect(to: .programme(try programme.requireID()))
        }
    }

    @Sendable func edit(req: Request) async throws -> Response {
        let programme = try req.programme
        let id = try programme.requireID()
        let form = ProgrammeForm(programme.settings(timeZone: req.application.appConfig.timeZone))
        let page = Self.formPage(
            form, problems: nil, heading: req.t("programme.edit.title", programme.name),
            action: SiteURL.programme(id).path, cancel: SiteURL.programme(id).path, req: req)
        return try await PageRenderer.render("Intake/programme-form", page, title: page.heading, for: req)
    }

    @Sendable func update(req: Request) async throws -> Response {
        let programme = try req.programme
        let id = try programme.requireID()
        let form = try req.content.decode(ProgrammeForm.self)
        let timeZone = req.application.appConfig.timeZone
        let now = LocalDateTime.format(req.now, in: timeZone)
        switch form.validated(now: now, storedKickoff: programme.settings(timeZone: timeZone).kickoffLocal) {
        case .failure(let problems):
            let page = Self.formPage(
                form, problems: problems, heading: req.t("programme.edit.title", programme.name),
                action: SiteURL.programme(id).path, cancel: SiteURL.programme(id).path, req: req)
            return try await PageRenderer.render(
                "Intake/programme-form", page, title: page.heading, for: req, status: .unprocessableEntity)
        case .success(let settings):
            let noticeVersion = programme.privacyNoticeVersion
            programme.apply(settings, timeZone: req.application.appConfig.timeZone)
            let now = req.now
            try await req.db.writeTransaction { db in
                try await programme.save(on: db)
                try await KickoffPlanning.adoptProgrammeSettings(programme, on: db, now: now)
                try await req.audit("programme.updated", programme: id, details: programme.name, on: db)
                if programme.privacyNoticeVersion != noticeVersion {
                    try await req.audit(
                        "programme.privacyNotice", programme: id, details: "v\(programme.privacyNoticeVersion)", on: db)
                }
            }
            req.flash("success", req.t("programme.saved"))
            return req.redirect(to: .programme(id))
        }
    }
}
