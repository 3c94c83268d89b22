import Fluent
import Mentoring
import Vapor

/// The organisers' control room actions: start, pause, resume, extend the current round, end.
struct KickoffControlController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post(.programme(.key, .kickoffControl), use: control)
    }

    struct ControlForm: Content {
        var action: String
        var seconds: Int?
        var returnTo: String?
    }

    @Sendable func control(req: Request) async throws -> Response {
        let programme = try req.programme
        let programmeID = try programme.requireID()
        guard let kickoff = try await Kickoff.query(on: req.db).filter(\.$programme.$id == programmeID).first() else {
            throw AppError.wrongPhase
        }
        let form = try req.content.decode(ControlForm.self)
        let hub = req.application.kickoffHub
        let kickoffID = try kickoff.requireID()
        let now = await hub.now()
        // After the event (or once it is closed) no control may rewrite its record.
        try KickoffRecord.ensure(.openRounds, kickoff, now: now)
        if form.action == "replan" {
            // No-shows and late arrivals: re-plan the rounds not yet begun for who is connected now.
            try await hub.load(kickoffID: kickoffID, on: req.db)
            let changed = try await hub.replanForPresent(kickoffID: kickoffID, on: req.db, force: true)
            try await hub.reloadIfOpen(kickoffID: kickoffID, on: req.db)
            try await req.audit("kickoff.replanned", programme: programmeID, on: req.db)
            req.flash(
                changed ? "success" : "info", req.t(changed ? "live.control.replan" : "live.control.replanNothing"))
            return req.redirect(
                to: form.returnTo == "live" ? .kickoff(kickoffID: .value(kickoffID)) : .programme(programmeID, .kickoff)
            )
        }
        let control: KickoffTimeline.Control
        switch form.action {
        case "start": control = .start(at: now)
        // "We begin in a minute": everyone gets a countdown, and no-shows are planned out 10 s before.
        case "startInAMinute": control = .start(at: now.addingTimeInterval(60))
        case "pause": control = .pause(at: now)
        case "resume": control = .resume(at: now)
        case "extend": control = .extend(seconds: form.seconds ?? 60, at: now)
        case "end": control = .end(at: now)
        default: throw Abort(.badRequest)
        }
        do {
            try await hub.control(control, kickoffID: kickoffID, on: req.db)
        } catch is KickoffTimeline.ControlError {
            req.flash("error", req.t("live.control.refused"))
            return req.redirect(
                to: form.returnTo == "live" ? .kickoff(kickoffID: .value(kickoffID)) : .programme(programmeID, .kickoff)
            )
        }
        try await req.audit("kickoff.control", programme: programmeID, details: form.action, on: req.db)
        req.flash("success", req.t("live.control.\(form.action)"))
        return req.redirect(
            to: form.returnTo == "live" ? .kickoff(kickoffID: .value(kickoffID)) : .programme(programmeID, .kickoff))
    }
}
