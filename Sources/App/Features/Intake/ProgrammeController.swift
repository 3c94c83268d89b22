import Fluent
import Mentoring
import Vapor

/// Organisers create programmes, edit their settings and move them through the phases.
/// `boot` registers the routes of one programme (behind a ``ProgrammeLoader``); ``Creation`` the two that make a
/// new one.
struct ProgrammeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.programme(.key, .show), use: show)
        routes.get(.programme(.key, .edit), use: edit)
        routes.post(.programme(.key, .show), use: update)
        routes.post(.programme(.key, .phase), use: advancePhase)
    }

    /// `programmes/new` and `POST programmes`: no programme to load yet.
    struct Creation: RouteCollection {
        func boot(routes: any RoutesBuilder) throws {
            let controller = ProgrammeController()
            routes.get(.newProgramme, use: controller.new)
            routes.post(.programmes, use: controller.create)
        }
    }

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
        func field(_ id: String, _ value: String?, _ kind: String = "text", required: Bool = false,
                   range: ClosedRange<Int>? = nil, hint: Bool = false) -> FormField {
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
        return try await PageRenderer.render("Intake/programme-form", page, title: req.t("programme.new.title"), for: req)
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
                "Intake/programme-form", page, title: req.t("programme.new.title"), for: req, status: .unprocessableEntity)
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
            return try await PageRenderer.render("Intake/programme-form", page, title: page.heading, for: req, status: .unprocessableEntity)
        case .success(let settings):
            let noticeVersion = programme.privacyNoticeVersion
            programme.apply(settings, timeZone: req.application.appConfig.timeZone)
            let now = req.now
            try await req.db.writeTransaction { db in
                try await programme.save(on: db)
                try await KickoffPlanning.adoptProgrammeSettings(programme, on: db, now: now)
                try await req.audit("programme.updated", programme: id, details: programme.name, on: db)
                if programme.privacyNoticeVersion != noticeVersion {
                    try await req.audit("programme.privacyNotice", programme: id, details: "v\(programme.privacyNoticeVersion)", on: db)
                }
            }
            req.flash("success", req.t("programme.saved"))
            return req.redirect(to: .programme(id))
        }
    }

    // MARK: Overview and phases

    struct OverviewPage: Encodable {
        let id: String
        let links: Links
        let name: String
        let description: String
        let phase: String
        let phases: [PhaseStep]
        let nextPhase: String?
        let nextPhaseLabel: String?
        let facts: [Fact]
        let contacts: [String]
        let topics: [String]
        let audit: [AuditRow]
        let phaseWarnings: [String]
    }
    /// Only the links this page shows (it is one of the busiest pages; ``ProgrammeLinks`` has them all).
    struct Links: Encodable {
        let edit, applications, members, kickoff, phase: String

        init(_ id: UUID) {
            edit = SiteURL.programme(id, .edit).path
            applications = SiteURL.programme(id, .applications).path
            members = SiteURL.programme(id, .members).path
            kickoff = SiteURL.programme(id, .kickoff).path
            phase = SiteURL.programme(id, .phase).path
        }
    }
    struct PhaseStep: Encodable {
        let label: String
        let current: Bool
        let done: Bool
    }
    struct Fact: Encodable {
        let label: String
        let value: String
    }
    struct AuditRow: Encodable {
        let when: String
        let who: String
        let what: String
    }

    @Sendable func show(req: Request) async throws -> Response {
        let programme = try req.programme
        let id = try programme.requireID()
        let config = req.application.appConfig
        let settings = programme.settings(timeZone: config.timeZone)
        let locale = req.appLocale, formatting = req.application.dateFormatting
        // Once the kickoff is set up, its own settings are the truth (the control room may have moved it).
        let kickoff = try await KickoffFacts.load(programme: id, on: req.db)
        let kickoffAt = kickoff?.starts_at ?? programme.kickoffAt
        let rounds = kickoff?.rounds ?? settings.roundsAtKickoff
        let minutes = kickoff.map { $0.round_seconds / 60 } ?? settings.minutesPerRound
        let facts: [Fact] = [
            .init(label: req.t("programme.field.kickoffAt"), value: kickoffAt.map { formatting.dateTime($0, locale) } ?? "–"),
            .init(label: req.t("programme.kickoffFormat"), value: req.t(
                "programme.kickoffFormatValue", req.tp("kickoff.rounds", rounds), req.tp("kickoff.minutes", minutes))),
            .init(label: req.t("programme.field.shortlistSize"), value: String(settings.shortlistSize)),
            .init(label: req.t("programme.duration"), value: req.tp("programme.durationMonths", settings.durationMonths)),
            .init(label: req.t("programme.rhythm"), value: req.t("programme.rhythm.monthly")),
            .init(label: req.t("programme.eligibility"), value: Self.eligibilityText(settings.eligibility, req: req)),
            .init(label: req.t("programme.field.applicationDeadline"), value: settings.applicationDeadline.map {
                locale == .de ? $0.german : $0.description } ?? "–"),
            .init(label: req.t("programme.privacyNoticeVersion"), value: "v\(programme.privacyNoticeVersion)"),
        ]
        let events = try await AuditLine.latest(programme: id, limit: 20, on: req.db)
        let page = OverviewPage(
            id: id.uuidString, links: Links(id), name: programme.name, description: programme.description,
            phase: req.t("phase.\(programme.phase.rawValue)"),
            phases: ProgrammePhase.allCases.map {
                .init(label: req.t("phase.\($0.rawValue)"), current: $0 == programme.phase, done: $0 < programme.phase)
            },
            nextPhase: programme.phase.next?.rawValue,
            nextPhaseLabel: programme.phase.next.map { req.t("programme.phase.advance", req.t("phase.\($0.rawValue)")) },
            facts: facts,
            contacts: settings.contacts.map(\.description),
            topics: settings.focusTopics,
            audit: events.map {
                .init(when: $0.created_at.map { formatting.dateTime($0, locale) } ?? "", who: $0.actor_name,
                      what: Self.describeAudit(action: $0.action, details: $0.details, req: req))
            },
            phaseWarnings: try await Self.phaseWarnings(programme, kickoffClosed: kickoff.map { $0.closed_at != nil }, req: req))
        return try await PageRenderer.render("Intake/programme", page, title: programme.name, for: req)
    }

    /// An audit entry in the reader's words: phases and controls are stored as keys, shown translated.
    static func describeAudit(action: String, details: String, req: Request) -> String {
        var shown = details
        switch action {
        case "programme.phaseChanged", "programme.phase":
            shown = details.components(separatedBy: " → ").map { req.t("phase.\($0)") }.joined(separator: " → ")
        case "kickoff.control":
            shown = req.t("live.action.\(details)")
        default:
            break
        }
        return req.t("audit.\(action)") + (shown.isEmpty ? "" : " – " + shown)
    }

    /// What the organiser should know before moving on: the next phase cannot be undone.
    /// `kickoffClosed`: nil without a kickoff.
    static func phaseWarnings(_ programme: Programme, kickoffClosed: Bool?, req: Request) async throws -> [String] {
        let id = try programme.requireID()
        var warnings: [String] = []
        switch programme.phase.next {
        case .kickoff?:
            let counts = try await ParticipantCounts.load(programme: id, on: req.db)
            if counts.mentors(id) == 0 { warnings.append(req.t("programme.phase.warn.noMentors")) }
            if counts.mentees(id) == 0 { warnings.append(req.t("programme.phase.warn.noMentees")) }
        case .pairing?:
            if kickoffClosed != true { warnings.append(req.t("programme.phase.warn.kickoffOpen")) }
        case .running?:
            // Tandems are composed in the pairing phase; until that exists, the year would start without any.
            warnings.append(req.t("programme.phase.warn.noTandems"))
        case .closed?:
            warnings.append(req.t("programme.phase.warn.closing"))
        default:
            break
        }
        return warnings
    }

    static func eligibilityText(_ rules: EligibilityRules, req: Request) -> String {
        var parts = [req.t("programme.eligibility.tenure", req.tp("months", rules.minimumTenureMonths))]
        if let programme = rules.requiredTalentProgramme { parts.append(req.t("programme.eligibility.talent", programme)) }
        return parts.joined(separator: "; ")
    }

    struct PhaseForm: Content { var to: String }

    /// Moves the programme one phase on. The form names the target phase, so a double submit cannot skip one.
    @Sendable func advancePhase(req: Request) async throws -> Response {
        let programme = try req.programme
        let id = try programme.requireID()
        let form = try req.content.decode(PhaseForm.self)
        guard let target = ProgrammePhase(rawValue: form.to), target == programme.phase.next else {
            throw AppError.wrongPhase
        }
        let from = programme.phase
        programme.phase = target
        try await req.db.writeTransaction { db in
            try await programme.save(on: db)
            try await req.audit("programme.phaseChanged", programme: id, details: "\(from.rawValue) → \(target.rawValue)", on: db)
        }
        req.flash("success", req.t("programme.phase.changed", req.t("phase.\(target.rawValue)")))
        return req.redirect(to: .programme(id))
    }
}
