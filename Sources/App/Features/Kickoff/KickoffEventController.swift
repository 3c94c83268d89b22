import Fluent
import ICalendar
import Mentoring
import Vapor

/// The organisers' side of the event around the live rounds: invitations with calendar file and personal
/// link, personal links to hand out, built-in or external video, the shortlist deadline, reminders and closing.
struct KickoffEventController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post(.programme(.key, .kickoffInvite), use: invite)
        routes.post(.programme(.key, .kickoffLinks), use: links)
        routes.post(.programme(.key, .kickoffVideo), use: saveVideo)
        routes.post(.programme(.key, .kickoffDeadline), use: saveDeadline)
        routes.post(.programme(.key, .kickoffReminders), use: remind)
        routes.post(.programme(.key, .kickoffClose), use: close)
    }

    static func kickoff(_ req: Request) async throws -> (Programme, Kickoff) {
        let programme = try req.programme
        guard
            let kickoff = try await Kickoff.query(on: req.db).filter(\.$programme.$id == programme.requireID()).first()
        else {
            throw AppError.wrongPhase
        }
        return (programme, kickoff)
    }

    private func back(_ req: Request, _ programme: Programme) throws -> Response {
        req.redirect(to: .programme(try programme.requireID(), .kickoff))
    }

    // MARK: Invitations

    /// E-mails every participant the time, a calendar file and a personal event link, all or nothing.
    @Sendable func invite(req: Request) async throws -> Response {
        let (programme, kickoff) = try await Self.kickoff(req)
        guard kickoff.closedAt == nil else { throw KickoffError.closed }
        let programmeID = try programme.requireID()
        let people = try await KickoffPlanController.people(programmeID: programmeID, on: req.db)
        let everyone = people.mentees + people.mentors
        try await req.db.writeTransaction { db in
            kickoff.invitationSequence += 1
            kickoff.invitationsSentAt = req.now
            try await kickoff.save(on: db)
            for person in everyone {
                try await KickoffInvitations.send(
                    to: person, kickoff: kickoff, programme: programme, app: req.application, on: db)
            }
            try await req.audit("kickoff.invited", programme: programmeID, details: "\(everyone.count)", on: db)
        }
        req.flash("success", req.tp("event.invited", everyone.count))
        return try back(req, programme)
    }

    struct LinksPage: Encodable {
        let programmeID: String
        let links: ProgrammeLinks
        let programmeName: String
        let rows: [LinkRow]
    }
    struct LinkRow: Encodable {
        let name: String
        let role: String
        let firstPartner: String
        let link: String
    }

    /// Shows a fresh personal link for everybody (e.g. to try the demo in two windows). Earlier links keep
    /// working: each person may hold several.
    @Sendable func links(req: Request) async throws -> Response {
        let (programme, kickoff) = try await Self.kickoff(req)
        guard kickoff.closedAt == nil else { throw KickoffError.closed }
        let programmeID = try programme.requireID()
        let people = try await KickoffPlanController.people(programmeID: programmeID, on: req.db)
        let firstRound = try await KickoffMeeting.query(on: req.db).filter(\.$kickoff.$id == kickoff.requireID())
            .filter(\.$round == 1).all()
        let names = Dictionary(uniqueKeysWithValues: (people.mentees + people.mentors).map { ($0.id!, $0.name) })
        let rows = try await req.db.writeTransaction { db in
            var rows: [LinkRow] = []
            for (person, role) in people.mentees.map({ ($0, "role.mentee") })
                + people.mentors.map({ ($0, "role.mentor") })
            {
                let id = try person.requireID()
                let partner =
                    firstRound.first { $0.$mentee.id == id }?.$mentor.id
                    ?? firstRound.first { $0.$mentor.id == id }?.$mentee.id
                rows.append(
                    LinkRow(
                        name: person.name, role: req.t(role), firstPartner: partner.flatMap { names[$0] } ?? "–",
                        link: try await KickoffPasses.issue(kickoff: kickoff, userID: id, app: req.application, on: db))
                )
            }
            try await req.audit("kickoff.linksShown", programme: programmeID, details: "\(rows.count)", on: db)
            return rows
        }
        return try await PageRenderer.render(
            "Kickoff/links",
            LinksPage(
                programmeID: programmeID.uuidString, links: ProgrammeLinks(programmeID), programmeName: programme.name,
                rows: rows),
            title: req.t("event.links.title"), for: req)
    }

    // MARK: Settings

    struct VideoForm: Content {
        var videoMode: String
        var meetingLinkTemplate: String?
    }

    @Sendable func saveVideo(req: Request) async throws -> Response {
        let (programme, kickoff) = try await Self.kickoff(req)
        let form = try req.content.decode(VideoForm.self)
        guard let mode = Kickoff.VideoMode(rawValue: form.videoMode) else { throw Abort(.badRequest) }
        let raw = form.meetingLinkTemplate?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if mode == .external || !raw.isEmpty {
            do {
                kickoff.meetingLinkTemplate = try MeetingLinkTemplate(raw).template
            } catch {
                req.flash("error", req.t("event.video.field") + ": " + req.t("event.video.problem.\(Self.key(error))"))
                return try back(req, programme)
            }
        } else {
            kickoff.meetingLinkTemplate = nil
        }
        kickoff.videoMode = mode
        if kickoff.roomSecret.isEmpty { kickoff.roomSecret = SecureToken.generate() }
        try await req.db.writeTransaction { db in
            try await kickoff.save(on: db)
            try await req.audit("kickoff.video", programme: programme.requireID(), details: mode.rawValue, on: db)
        }
        try await req.application.kickoffHub.reloadIfOpen(kickoffID: kickoff.requireID(), on: req.db)
        req.flash("success", req.t("event.video.saved"))
        return try back(req, programme)
    }

    static func key(_ problem: MeetingLinkTemplate.Problem) -> String {
        switch problem {
        case .notHTTPS: "notHTTPS"
        case .missingRoom: "missingRoom"
        case .unknownPlaceholder: "unknownPlaceholder"
        case .invalidURL: "invalidURL"
        case .tooLong: "tooLong"
        }
    }

    struct DeadlineForm: Content {
        var deadline: String
    }

    @Sendable func saveDeadline(req: Request) async throws -> Response {
        let (programme, kickoff) = try await Self.kickoff(req)
        guard kickoff.closedAt == nil else { throw KickoffError.closed }
        let form = try req.content.decode(DeadlineForm.self)
        guard let deadline = LocalDateTime.parse(form.deadline, in: req.application.appConfig.timeZone) else {
            req.flash("error", req.t("shortlist.deadline.field") + ": " + req.t("form.error.invalidDate"))
            return try back(req, programme)
        }
        guard deadline > kickoff.startsAt else {
            req.flash("error", req.t("shortlist.deadline.field") + ": " + req.t("shortlist.deadline.beforeEvent"))
            return try back(req, programme)
        }
        kickoff.shortlistDeadline = deadline
        kickoff.remindersSentAt = nil  // a new deadline gets its own reminder
        try await req.db.writeTransaction { db in
            try await kickoff.save(on: db)
            try await req.audit("kickoff.deadline", programme: programme.requireID(), details: form.deadline, on: db)
        }
        req.flash("success", req.t("shortlist.deadline.saved"))
        return try back(req, programme)
    }

    // MARK: After the event

    @Sendable func remind(req: Request) async throws -> Response {
        let (programme, kickoff) = try await Self.kickoff(req)
        guard kickoff.closedAt == nil else { throw KickoffError.closed }
        guard try kickoff.timeline().isFinished(at: req.now) else { throw KickoffError.shortlistNotOpen }
        let count = try await req.db.writeTransaction { db in
            let count = try await ShortlistReminders.send(
                kickoff: kickoff, programme: programme, app: req.application, on: db)
            try await req.audit("kickoff.reminded", programme: programme.requireID(), details: "\(count)", on: db)
            return count
        }
        req.flash("success", req.tp("shortlist.reminded", count))
        return try back(req, programme)
    }

    /// Ends the kickoff: shortlists are final, and the programme moves on to pairing.
    @Sendable func close(req: Request) async throws -> Response {
        let (programme, kickoff) = try await Self.kickoff(req)
        guard kickoff.closedAt == nil else { throw KickoffError.closed }
        guard try kickoff.timeline().isFinished(at: req.now) else {
            req.flash("error", req.t("kickoff.close.notFinished"))
            return try back(req, programme)
        }
        guard programme.phase == .kickoff else {
            req.flash("error", req.t("kickoff.close.wrongPhase"))
            return try back(req, programme)
        }
        try await req.db.writeTransaction { db in
            kickoff.closedAt = req.now
            try await kickoff.save(on: db)
            programme.phase = .pairing
            try await programme.save(on: db)
            try await req.audit("kickoff.closed", programme: programme.requireID(), on: db)
            try await req.audit(
                "programme.phase", programme: programme.requireID(), details: "kickoff → pairing", on: db)
        }
        req.flash("success", req.t("kickoff.close.done"))
        return try back(req, programme)
    }
}
