import Fluent
import Mentoring
import Vapor

/// A participant's home: for every programme they are in (or applied to, or registered for) its phase, what
/// happens next for them, their next date, and a link to each thing that is theirs now. Nothing depends on
/// keeping an e-mail: the kickoff, the lobby and the shortlist are all reachable from here.
enum ParticipantHome {
    struct Card: Encodable {
        let programme: String
        let role: String
        let phase: String
        /// 1…5 for the phase stepper (intake … closed), 0 for a draft.
        let step: Int
        let next: String
        let nextDate: String?
        let links: [Link]
    }
    struct Link: Encodable {
        let label: String
        let href: String
        let primary: Bool
    }

    static func cards(for user: User, req: Request) async throws -> [Card] {
        let userID = try user.requireID()
        let db = req.db
        let participations = try await Participation.query(on: db).filter(\.$user.$id == userID).with(\.$programme)
            .all()
        let applications = try await MentorApplicationRecord.query(on: db).filter(\.$user.$id == userID).with(
            \.$programme
        ).all()
        let registrations = try await MenteeRegistration.query(on: db).filter(\.$user.$id == userID).with(\.$programme)
            .all()
        let programmeIDs = participations.map(\.$programme.id)
        let kickoffs =
            programmeIDs.isEmpty ? [] : try await Kickoff.query(on: db).filter(\.$programme.$id ~~ programmeIDs).all()
        let kickoffByProgramme = Dictionary(
            kickoffs.map { ($0.$programme.id, $0) }, uniquingKeysWith: { first, _ in first })
        let kickoffIDs = kickoffs.compactMap(\.id)
        let shortlists =
            kickoffIDs.isEmpty
            ? []
            : try await KickoffShortlist.query(on: db)
                .filter(\.$user.$id == userID).filter(\.$kickoff.$id ~~ kickoffIDs).all()
        let submitted = Set(shortlists.map(\.$kickoff.id))
        let now = req.now
        // Published tandems only: organisers' drafts stay invisible until they publish.
        let tandems = try await Tandem.query(on: db).group(.or) {
            $0.filter(\.$mentee.$id == userID).filter(\.$mentor.$id == userID)
        }
        .filter(\.$status != .draft).all()
        var tandemByProgramme: [UUID: Tandem] = [:]
        for tandem in tandems {
            let kept = tandemByProgramme[tandem.$programme.id]
            // A current tandem wins over a closed one; among closed ones, the latest.
            if kept == nil || (tandem.status.isCurrent && !kept!.status.isCurrent)
                || (tandem.status.isCurrent == kept!.status.isCurrent
                    && (tandem.publishedAt ?? .distantPast) > (kept!.publishedAt ?? .distantPast))
            {
                tandemByProgramme[tandem.$programme.id] = tandem
            }
        }

        var cards: [Card] = []
        for participation in participations {
            var card = try card(
                participation, kickoff: kickoffByProgramme[participation.$programme.id],
                shortlistDone: submitted, now: now, req: req)
            if let tandem = tandemByProgramme[participation.$programme.id] {
                card = withTandem(card, tandem: tandem, role: participation.role, req: req)
            }
            cards.append(card)
        }
        let participating = Set(programmeIDs)
        for application in applications where !participating.contains(application.$programme.id) {
            cards.append(
                waiting(
                    application.programme, role: req.t("home.card.application"),
                    next: req.t("home.next.application.\(application.status.rawValue)"),
                    links: [
                        Link(label: req.t("home.link.application"), href: SiteURL.myApplications.path, primary: true)
                    ], req: req))
        }
        for registration in registrations where !participating.contains(registration.$programme.id) {
            cards.append(
                waiting(
                    registration.programme, role: req.t("home.card.registration"),
                    next: req.t("home.next.registration.\(registration.status.rawValue)"), links: [], req: req))
        }
        return cards
    }

    private static func waiting(_ programme: Programme, role: String, next: String, links: [Link], req: Request) -> Card
    {
        Card(
            programme: programme.name, role: role, phase: req.t("phase.\(programme.phase.rawValue)"),
            step: step(programme.phase), next: next, nextDate: nil, links: links)
    }

    private static func card(
        _ participation: Participation, kickoff: Kickoff?, shortlistDone: Set<UUID>, now: Date, req: Request
    ) throws -> Card {
        let programme = participation.programme
        let role = participation.role
        let formatting = req.application.dateFormatting, locale = req.appLocale
        var links: [Link] = []
        var next: String
        var nextDate: String?
        if role == .mentor {
            links.append(Link(label: req.t("home.link.application"), href: SiteURL.myApplications.path, primary: false))
        }
        if let kickoff, let kickoffID = kickoff.id {
            let timeline = try kickoff.timeline()
            let live = SiteURL.kickoff(kickoffID: .value(kickoffID)).path,
                shortlist = SiteURL.kickoffShortlist(kickoffID: .value(kickoffID)).path
            switch timeline.state(at: now) {
            case .notStarted where kickoff.closedAt == nil:
                next = req.t("home.next.kickoff.\(role.rawValue)")
                nextDate = req.t(
                    "home.date.kickoff", formatting.dateTime(timeline.startsAt ?? kickoff.startsAt, locale))
                links.insert(Link(label: req.t("home.link.lobby"), href: live, primary: true), at: 0)
            case .finished, .notStarted:
                if kickoff.closedAt == nil {
                    let done = shortlistDone.contains(kickoffID)
                    next = req.t(done ? "home.next.shortlist.done" : "home.next.shortlist.\(role.rawValue)")
                    nextDate = kickoff.shortlistDeadline.map {
                        req.t("home.date.shortlist", formatting.dateTime($0, locale))
                    }
                    links.insert(
                        Link(label: req.t("home.link.shortlist.\(role.rawValue)"), href: shortlist, primary: !done),
                        at: 0)
                } else {
                    next = req.t("home.next.\(programme.phase.rawValue)")
                    links.insert(Link(label: req.t("home.link.shortlistRead"), href: shortlist, primary: false), at: 0)
                }
            default:
                next = req.t("home.next.live")
                links.insert(Link(label: req.t("home.link.live"), href: live, primary: true), at: 0)
            }
        } else {
            next = req.t("home.next.\(programme.phase.rawValue)")
            nextDate = programme.kickoffAt.flatMap {
                $0 > now ? req.t("home.date.kickoff", formatting.dateTime($0, locale)) : nil
            }
        }
        return Card(
            programme: programme.name, role: req.t("role.\(role.rawValue)"),
            phase: req.t("phase.\(programme.phase.rawValue)"),
            step: step(programme.phase), next: next, nextDate: nextDate, links: links)
    }

    /// Once a tandem is published, it is the next step: confirm it, wait for the partner, or meet.
    private static func withTandem(_ card: Card, tandem: Tandem, role: ParticipantRole, req: Request) -> Card {
        let mine = role == .mentee ? tandem.menteeAcceptedAt : tandem.mentorAcceptedAt
        let next: String
        switch tandem.status {
        case .proposed: next = req.t(mine == nil ? "home.next.tandem.confirm" : "home.next.tandem.waiting")
        case .active: next = req.t("home.next.tandem.active")
        case .ended where tandem.closedBy == nil: next = req.t("home.next.tandem.completed")
        default: next = req.t("home.next.tandem.replanning")
        }
        var links = [Link(label: req.t("home.link.tandem"), href: SiteURL.myTandem.path, primary: true)]
        // The tandem space: once active, and read-only after a completed year.
        if let id = tandem.id, tandem.status == .active || (tandem.status == .ended && tandem.closedBy == nil) {
            links.insert(
                Link(
                    label: req.t("home.link.space"), href: SiteURL.tandemSpace(tandemID: .value(id)).path, primary: true
                ),
                at: 0)
            links[1] = Link(label: links[1].label, href: links[1].href, primary: false)
        }
        return Card(
            programme: card.programme, role: card.role, phase: card.phase, step: card.step, next: next,
            nextDate: nil, links: links + card.links.map { Link(label: $0.label, href: $0.href, primary: false) })
    }

    static func step(_ phase: ProgrammePhase) -> Int {
        switch phase {
        case .draft: 0
        case .intake: 1
        case .kickoff: 2
        case .pairing: 3
        case .running: 4
        case .closed: 5
        }
    }
}
