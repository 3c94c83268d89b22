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

    // MARK: Overview and phases

    struct OverviewPage {
        let id: String
        let links: Links
        let name: String
        let description: String
        let phase: String
        let phaseKey: String
        let phases: [PhaseStep]
        /// The cockpit: numbers from invitation to preselection, what waits for an organiser, the dates ahead.
        let funnel: [InvitationController.Step]
        let people: String
        let attention: [Attention]
        let dates: [Fact]
        let nextPhase: String?
        let nextPhaseLabel: String?
        let facts: [Fact]
        let contacts: [String]
        let topics: [String]
        let audit: [AuditRow]
        let phaseWarnings: [String]
    }
    /// Only the links this page shows (it is one of the busiest pages; ``ProgrammeLinks`` has them all).
    struct Links {
        let edit, applications, members, kickoff, pairing, tandems, prompts, phase: String

        init(_ id: UUID) {
            edit = SiteURL.programme(id, .edit).path
            applications = SiteURL.programme(id, .applications).path
            members = SiteURL.programme(id, .members).path
            kickoff = SiteURL.programme(id, .kickoff).path
            pairing = SiteURL.programme(id, .pairing).path
            tandems = SiteURL.programme(id, .tandems).path
            prompts = SiteURL.programme(id, .prompts).path
            phase = SiteURL.programme(id, .phase).path
        }
    }
    struct Attention {
        let text: String
        let href: String
        /// "warn" or "bad": the badge colour.
        let kind: String
    }
    struct PhaseStep {
        let label: String
        let current: Bool
        let done: Bool
    }
    struct Fact {
        let label: String
        let value: String
    }
    struct AuditRow {
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
        let cockpit = try await CockpitFacts.cached(programme: programme, req: req)
        let kickoff = cockpit.kickoff
        let kickoffAt = kickoff?.starts_at ?? programme.kickoffAt
        let rounds = kickoff?.rounds ?? settings.roundsAtKickoff
        let minutes = kickoff.map { $0.round_seconds / 60 } ?? settings.minutesPerRound
        let facts: [Fact] = [
            .init(
                label: req.t("programme.field.kickoffAt"),
                value: kickoffAt.map { formatting.dateTime($0, locale) } ?? "–"),
            .init(
                label: req.t("programme.kickoffFormat"),
                value: req.t(
                    "programme.kickoffFormatValue", req.tp("kickoff.rounds", rounds), req.tp("kickoff.minutes", minutes)
                )),
            .init(label: req.t("programme.field.shortlistSize"), value: String(settings.shortlistSize)),
            .init(
                label: req.t("programme.duration"), value: req.tp("programme.durationMonths", settings.durationMonths)),
            .init(label: req.t("programme.rhythm"), value: req.t("programme.rhythm.monthly")),
            .init(label: req.t("programme.eligibility"), value: Self.eligibilityText(settings.eligibility, req: req)),
            .init(
                label: req.t("programme.field.applicationDeadline"),
                value: settings.applicationDeadline.map {
                    locale == .de ? $0.german : $0.description
                } ?? "–"),
            .init(label: req.t("programme.privacyNoticeVersion"), value: "v\(programme.privacyNoticeVersion)"),
        ]
        let events = cockpit.events
        let funnel = try await ProgrammeFunnel.cached(programme: id, req: req)
        // Tandems exist from the pairing phase on; earlier phases skip the query.
        let tandems = cockpit.tandems
        var care: [TandemHealth: Int] = [:]
        if let tandems, tandems.active > 0 {
            for row in try await TandemHealthRow.cached(programme: programme, req: req) {
                if let health = TandemHealth(rawValue: row.health) { care[health, default: 0] += 1 }
            }
        }
        var dates: [Fact] = []
        if let kickoffAt {
            dates.append(.init(label: req.t("cockpit.date.kickoff"), value: formatting.dateTime(kickoffAt, locale)))
        }
        if let deadline = settings.applicationDeadline {
            dates.append(
                .init(
                    label: req.t("cockpit.date.applicationDeadline"),
                    value: locale == .de ? deadline.german : deadline.description))
        }
        if let shortlists = kickoff?.shortlist_deadline {
            dates.append(
                .init(label: req.t("cockpit.date.shortlistDeadline"), value: formatting.dateTime(shortlists, locale)))
        }
        let page = OverviewPage(
            id: id.uuidString, links: Links(id), name: programme.name, description: programme.description,
            phase: req.t("phase.\(programme.phase.rawValue)"), phaseKey: programme.phase.rawValue,
            phases: ProgrammePhase.allCases.map {
                .init(label: req.t("phase.\($0.rawValue)"), current: $0 == programme.phase, done: $0 < programme.phase)
            },
            funnel: InvitationController.steps(funnel, req: req),
            people: req.t("cockpit.people", String(funnel.mentors), String(funnel.mentees)),
            attention: Self.attention(
                programme, funnel: funnel, hasKickoff: kickoff != nil, tandems: tandems, care: care, req: req),
            dates: dates,
            nextPhase: programme.phase.next?.rawValue,
            nextPhaseLabel: programme.phase.next.map {
                req.t("programme.phase.advance", req.t("phase.\($0.rawValue)"))
            },
            facts: facts,
            contacts: settings.contacts.map(\.description),
            topics: settings.focusTopics,
            audit: events.map {
                .init(
                    when: $0.created_at.map { formatting.dateTime($0, locale) } ?? "", who: $0.actor_name,
                    what: Self.describeAudit(action: $0.action, details: $0.details, req: req))
            },
            phaseWarnings: Self.phaseWarnings(
                programme, funnel: funnel, kickoffClosed: kickoff.map { $0.closed_at != nil }, tandems: tandems,
                req: req))
        return PageRenderer.render(title: programme.name, for: req) { page.write(into: &$0, for: req) }
    }

    /// An audit entry in the reader's words: phases and controls are stored as keys, shown translated.
    static func describeAudit(action: String, details: String, req: Request) -> String {
        var shown = details
        switch action {
        case "programme.phaseChanged", "programme.phase":
            shown = details.components(separatedBy: " → ").map { req.t("phase.\($0)") }.joined(separator: " → ")
        case "kickoff.control":
            shown = req.t("live.action.\(details)")
        case _ where action.hasPrefix("pairing.change."):
            // The change's own text takes its subject (names) as {1}.
            return req.t(action, details.isEmpty ? "" : details)
        default:
            break
        }
        return req.t("audit.\(action)") + (shown.isEmpty ? "" : " – " + shown)
    }

    /// What the organiser should know before moving on: the next phase cannot be undone.
    /// `kickoffClosed`: nil without a kickoff.
    /// What waits for an organiser, each with the page that deals with it.
    static func attention(
        _ programme: Programme, funnel: ProgrammeFunnel, hasKickoff: Bool, tandems: TandemCounts? = nil,
        care: [TandemHealth: Int] = [:], req: Request
    ) -> [Attention] {
        guard let id = programme.id else { return [] }
        var items: [Attention] = []
        let intake = programme.phase == .intake || programme.phase == .kickoff
        if intake && funnel.pending_registrations > 0 {
            items.append(
                .init(
                    text: req.tp("cockpit.attention.registrations", funnel.pending_registrations),
                    href: SiteURL.programme(id, .members).path, kind: "warn"))
        }
        if intake && funnel.undecided > 0 {
            items.append(
                .init(
                    text: req.tp("cockpit.attention.applications", funnel.undecided),
                    href: SiteURL.programme(id, .applications).path, kind: "warn"))
        }
        if intake && !hasKickoff {
            items.append(
                .init(
                    text: req.t("cockpit.attention.noKickoff"), href: SiteURL.programme(id, .kickoff).path,
                    kind: "warn"))
        }
        if let tandems, programme.phase == .pairing || programme.phase == .running {
            let board = SiteURL.programme(id, .pairing).path
            if programme.phase == .pairing && tandems.current == 0 {
                items.append(.init(text: req.t("cockpit.attention.pairing"), href: board, kind: "warn"))
            }
            if tandems.draft > 0 {
                items.append(.init(text: req.tp("cockpit.attention.drafts", tandems.draft), href: board, kind: "warn"))
            }
            if tandems.proposed > 0 {
                items.append(
                    .init(text: req.tp("cockpit.attention.awaiting", tandems.proposed), href: board, kind: "warn"))
            }
        }
        // The tandem year: stalled tandems are flagged here, on the organisers' first page, and due ones noted.
        let overview = SiteURL.programme(id, .tandems).path
        if let stalled = care[.stalled], stalled > 0 {
            items.append(
                .init(
                    text: req.tp("cockpit.attention.stalled", stalled, String(programme.stalledAfterDays)),
                    href: overview + "?state=stalled", kind: "bad"))
        }
        if let due = care[.due], due > 0 {
            items.append(.init(text: req.tp("cockpit.attention.due", due), href: overview + "?state=due", kind: "warn"))
        }
        if funnel.failed_mail > 0 {
            items.append(
                .init(
                    text: req.tp("cockpit.attention.failedMail", funnel.failed_mail), href: SiteURL.outbox.path,
                    kind: "bad"))
        }
        return items
    }

    static func phaseWarnings(
        _ programme: Programme, funnel: ProgrammeFunnel, kickoffClosed: Bool?, tandems: TandemCounts? = nil,
        req: Request
    )
        -> [String]
    {
        var warnings: [String] = []
        switch programme.phase.next {
        case .kickoff?:
            if funnel.mentors == 0 { warnings.append(req.t("programme.phase.warn.noMentors")) }
            if funnel.mentees == 0 { warnings.append(req.t("programme.phase.warn.noMentees")) }
        case .pairing?:
            if kickoffClosed != true { warnings.append(req.t("programme.phase.warn.kickoffOpen")) }
        case .running?:
            if (tandems?.active ?? 0) == 0 { warnings.append(req.t("programme.phase.warn.noTandems")) }
            if let open = tandems.map({ $0.draft + $0.proposed }), open > 0 {
                warnings.append(req.tp("programme.phase.warn.tandemsOpen", open))
            }
        case .closed?:
            warnings.append(req.t("programme.phase.warn.closing"))
        default:
            break
        }
        return warnings
    }

    static func eligibilityText(_ rules: EligibilityRules, req: Request) -> String {
        var parts = [req.t("programme.eligibility.tenure", req.tp("months", rules.minimumTenureMonths))]
        if let programme = rules.requiredTalentProgramme {
            parts.append(req.t("programme.eligibility.talent", programme))
        }
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
        if target == .closed, try await TandemCounts.load(programme: id, on: req.db).active > 0 {
            throw TandemError.notEnded
        }
        let from = programme.phase
        programme.phase = target
        try await req.db.writeTransaction { db in
            try await programme.save(on: db)
            try await req.audit(
                "programme.phaseChanged", programme: id, details: "\(from.rawValue) → \(target.rawValue)", on: db)
        }
        req.flash("success", req.t("programme.phase.changed", req.t("phase.\(target.rawValue)")))
        return req.redirect(to: .programme(id))
    }
}
