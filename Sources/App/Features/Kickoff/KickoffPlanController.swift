import Fluent
import Matching
import Mentoring
import SQLKit
import Vapor

/// Before the kickoff: organisers set the timing, exclude pairs and generate the round plan with
/// `MeetingPlanner` (fairest minimum of talks per mentee, then most talks, then best topic fit).
struct KickoffPlanController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.programme(.key, .kickoff), use: show)
        routes.post(.programme(.key, .kickoff), use: saveSettings)
        routes.post(.programme(.key, .kickoffPlan), use: plan)
        routes.post(.programme(.key, .kickoffExclusions), use: addExclusion)
        routes.post(.programme(.key, .kickoffExclusionDelete(.key)), use: deleteExclusion)
    }

    static func people(programmeID: UUID, on db: any Database) async throws -> People {
        let participants = try await User.participants(programme: programmeID, on: db)
        // By name, ties by id; the id's text only for ties (formatting it per comparison was a tenth of the
        // pairing board's time with two thousand people).
        let byName: (User, User) -> Bool = { a, b in
            if a.name != b.name { return a.name < b.name }
            return (a.id?.uuidString ?? "") < (b.id?.uuidString ?? "")
        }
        let sorted = { (role: ParticipantRole) -> [User] in
            participants.filter { $0.role == role }.map(\.user).sorted(by: byName)
        }
        return People(mentees: sorted(.mentee), mentors: sorted(.mentor))
    }

    @Sendable func show(req: Request) async throws -> Response {
        let programme = try req.programme
        return try await render(programme, errors: [], req: req)
    }

    func render(
        _ programme: Programme, errors: [String], req: Request, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let programmeID = try programme.requireID()
        let kickoff = try await Kickoff.query(on: req.db).filter(\.$programme.$id == programmeID).first()
        let people = try await Self.people(programmeID: programmeID, on: req.db)
        let config = req.application.appConfig
        let locale = req.appLocale, formatting = req.application.dateFormatting
        var rounds: [RoundPlan] = []
        var planFolded = false
        let person = req.query[UUID.self, at: "person"]
        var exclusions: [ExclusionRow] = []
        var summary: String?
        if let kickoff, let kickoffID = kickoff.id {
            let sql = try (req.db as? any SQLDatabase).orThrow(Abort(.internalServerError))
            let meetings = try await sql.select().columns("round", "mentee_id", "mentor_id", "fit").from(
                KickoffMeeting.schema
            )
            .where("kickoff_id", .equal, kickoffID).orderBy("round").all(decoding: PlannedTalk.self)
            let names = Dictionary(
                (people.mentees + people.mentors).map { ($0.id!, $0.name) }, uniquingKeysWith: { first, _ in first })
            let everybody = people.mentees + people.mentors
            planFolded = meetings.count > Self.fullPlanLimit
            let byRound = Dictionary(grouping: meetings, by: \.round)
            for number in 1...max(1, kickoff.rounds) where !meetings.isEmpty {
                let talks = byRound[number] ?? []
                let busy = Set(talks.flatMap { [$0.mentee_id, $0.mentor_id] })
                let pausing = everybody.filter { !busy.contains($0.id!) }
                let listed = planFolded ? talks.filter { $0.mentee_id == person || $0.mentor_id == person } : talks
                let listedPausing = planFolded ? pausing.filter { $0.id == person } : pausing
                rounds.append(
                    RoundPlan(
                        number: number,
                        count: req.tp("kickoff.talks", talks.count) + " · "
                            + req.tp("kickoff.pausingCount", pausing.count),
                        talks: listed.map {
                            "\(names[$0.mentee_id] ?? "?") ↔ \(names[$0.mentor_id] ?? "?")"
                                + ($0.fit > 0 ? " (" + req.tp("kickoff.sharedTopics", $0.fit) + ")" : "")
                        },
                        pausing: listedPausing.map(\.name).joined(separator: ", ")))
            }
            if !meetings.isEmpty {
                let perMentee = Dictionary(grouping: meetings, by: \.mentee_id).mapValues(\.count)
                let minimum = people.mentees.map { perMentee[$0.id!] ?? 0 }.min() ?? 0
                summary = req.t(
                    "kickoff.summary", req.tp("kickoff.talks", meetings.count), String(minimum),
                    req.tp("kickoff.sharedTopics", meetings.map(\.fit).reduce(0, +)))
            }
            exclusions = try await KickoffExclusion.query(on: req.db).filter(\.$kickoff.$id == kickoffID)
                .with(\.$mentee).with(\.$mentor).all()
                .map {
                    .init(
                        id: $0.id?.uuidString ?? "", text: "\($0.mentee.name) – \($0.mentor.name)",
                        deleteAction: SiteURL.programme(
                            programmeID, .kickoffExclusionDelete(.value(try $0.requireID()))
                        ).path)
                }
        }
        var controlState: String?
        if let kickoff, let kickoffID = kickoff.id {
            let hub = req.application.kickoffHub
            let connected = await hub.connectedCount(kickoffID: kickoffID)
            let phase: String =
                switch try kickoff.timeline().state(at: req.now) {
                case .notStarted: req.t("live.notStarted")
                case .talking(let round, _):
                    req.t("live.talking") + " · " + req.t("live.round", String(round), String(kickoff.rounds))
                case .between(let round, _):
                    req.t("live.between") + " · " + req.t("live.round", String(round), String(kickoff.rounds))
                case .paused: req.t("live.paused")
                case .finished: req.t("live.finished")
                }
            controlState = req.t("live.control.state", phase, String(connected))
        }
        var completion: [CompletionRow] = []
        var completionSummary: String?
        let finished = try kickoff?.timeline().isFinished(at: req.now) ?? false
        if let kickoff, let kickoffID = kickoff.id, finished {
            // Organisers see who has answered, never what (nor anybody's notes).
            let lists = try await KickoffShortlist.query(on: req.db).filter(\.$kickoff.$id == kickoffID).all()
            let submitted = Dictionary(lists.map { ($0.$user.id, $0.submittedAt) }, uniquingKeysWith: { a, _ in a })
            for (person, role) in people.mentees.map({ ($0, "role.mentee") })
                + people.mentors.map({ ($0, "role.mentor") })
            {
                let at = submitted[person.id!]
                completion.append(
                    CompletionRow(
                        name: person.name, role: req.t(role),
                        status: at.map { req.t("shortlist.status.done", formatting.dateTime($0, locale)) }
                            ?? req.t("shortlist.status.open"),
                        done: at != nil))
            }
            let menteesDone = people.mentees.filter { submitted[$0.id!] != nil }.count
            let mentorsDone = people.mentors.filter { submitted[$0.id!] != nil }.count
            completionSummary = req.t(
                "shortlist.completion", String(menteesDone), String(people.mentees.count),
                String(mentorsDone), String(people.mentors.count))
        }
        let starts = kickoff?.startsAt ?? programme.kickoffAt ?? req.now.addingTimeInterval(14 * 86400)
        let page = Page(
            programmeID: programmeID.uuidString, links: ProgrammeLinks(programmeID), programmeName: programme.name,
            startsAt: LocalDateTime.format(starts, in: config.timeZone),
            rounds: kickoff?.rounds ?? programme.roundsAtKickoff,
            minutesPerRound: (kickoff?.roundSeconds).map { $0 / 60 } ?? programme.minutesPerRound,
            breakSeconds: kickoff?.breakSeconds ?? 30,
            hasKickoff: kickoff != nil,
            planned: kickoff?.plannedAt.map { formatting.dateTime($0, locale) },
            summary: summary, roundsPlan: rounds, planFolded: planFolded,
            personOptions: (people.mentees + people.mentors).map {
                .init(id: $0.id!.uuidString, name: $0.name, selected: $0.id == person)
            },
            personName: person.flatMap { id in (people.mentees + people.mentors).first { $0.id == id }?.name },
            exclusions: exclusions,
            mentees: people.mentees.map { .init(id: $0.id!.uuidString, name: $0.name) },
            mentors: people.mentors.map { .init(id: $0.id!.uuidString, name: $0.name) },
            errors: errors,
            liveHref: try kickoff.map { SiteURL.kickoff(kickoffID: .value(try $0.requireID())).path },
            // Once the event is over nothing is left to steer (every control would be refused).
            control: kickoff == nil || kickoff?.closedAt != nil || finished
                ? nil
                : ControlRoom.make(programmeID: programmeID, state: controlState, returnTo: "plan", req: req),
            openShortlists: completion.filter { !$0.done }.count,
            invitationsSent: kickoff?.invitationsSentAt.map { formatting.dateTime($0, locale) },
            externalVideo: kickoff?.videoMode == .external, meetingLinkTemplate: kickoff?.meetingLinkTemplate ?? "",
            deadline: kickoff?.shortlistDeadline.map { LocalDateTime.format($0, in: config.timeZone) }
                ?? LocalDateTime.format(
                    (kickoff?.plannedEnd ?? starts).addingTimeInterval(3 * 86400), in: config.timeZone),
            finished: finished, closed: kickoff?.closedAt.map { formatting.dateTime($0, locale) },
            completion: completion, completionSummary: completionSummary)
        return try await PageRenderer.render(
            "Kickoff/plan", page, title: req.t("kickoff.title"), for: req, status: status)
    }

    struct SettingsForm: Content {
        var startsAt: String?
        var rounds: String?
        var minutesPerRound: String?
        var breakSeconds: String?
    }

    @Sendable func saveSettings(req: Request) async throws -> Response {
        let programme = try req.programme
        let programmeID = try programme.requireID()
        let form = try req.content.decode(SettingsForm.self)
        var errors: [String] = []
        let starts = form.startsAt.flatMap { LocalDateTime.parse($0, in: req.application.appConfig.timeZone) }
        if starts == nil { errors.append(req.t("kickoff.field.startsAt") + ": " + req.t("form.error.invalidDate")) }
        func number(_ raw: String?, _ range: ClosedRange<Int>, _ label: String) -> Int? {
            guard let value = raw.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), range.contains(value)
            else {
                errors.append(
                    req.t(label) + ": " + req.t("form.error.outOfRange", "\(range.lowerBound)–\(range.upperBound)"))
                return nil
            }
            return value
        }
        let rounds = number(form.rounds, ProgrammeSettings.roundsRange, "programme.field.roundsAtKickoff")
        let minutes = number(form.minutesPerRound, ProgrammeSettings.minutesRange, "programme.field.minutesPerRound")
        let pause = number(form.breakSeconds, 0...600, "kickoff.field.breakSeconds")
        let now = req.now
        if let starts, starts <= now {
            errors.append(req.t("kickoff.field.startsAt") + ": " + req.t("form.error.inThePast"))
        }
        guard errors.isEmpty, let starts, let rounds, let minutes, let pause else {
            return try await render(programme, errors: errors, req: req, status: .unprocessableEntity)
        }
        try await req.db.writeTransaction { db in
            let kickoff =
                try await Kickoff.query(on: db).filter(\.$programme.$id == programmeID).first()
                ?? Kickoff(
                    programmeID: programmeID, startsAt: starts, rounds: rounds, roundSeconds: minutes * 60,
                    breakSeconds: pause)
            // The event has begun (or was scheduled to start by a control): its timing is fixed.
            guard JSONText.decode([KickoffTimeline.Control].self, kickoff.controlsJSON)?.isEmpty ?? true else {
                throw KickoffError.started
            }
            if kickoff.id != nil { try KickoffRecord.ensure(.settingsOrWholePlan, kickoff, now: now) }
            if kickoff.rounds != rounds, let id = kickoff.id {
                // A different number of rounds makes the old plan meaningless.
                try await KickoffMeeting.query(on: db).filter(\.$kickoff.$id == id).delete()
                kickoff.plannedAt = nil
            }
            kickoff.startsAt = starts
            kickoff.rounds = rounds
            kickoff.roundSeconds = minutes * 60
            kickoff.breakSeconds = pause
            try await kickoff.save(on: db)
            // One source of truth: the programme page and e-mails show the kickoff's own settings.
            programme.kickoffAt = starts
            programme.roundsAtKickoff = rounds
            programme.minutesPerRound = minutes
            try await programme.save(on: db)
            try await req.audit(
                "kickoff.settings", programme: programmeID,
                details: LocalDateTime.format(starts, in: req.application.appConfig.timeZone), on: db)
        }
        if let kickoffID = try await Kickoff.query(on: req.db).filter(\.$programme.$id == programmeID).first()?.id {
            try await req.application.kickoffHub.reloadIfOpen(kickoffID: kickoffID, on: req.db)
        }
        req.flash("success", req.t("kickoff.saved"))
        return req.redirect(to: .programme(programmeID, .kickoff))
    }

    /// Builds the plan from the current people, topics and exclusions and replaces the stored one.
    @Sendable func plan(req: Request) async throws -> Response {
        let programme = try req.programme
        let programmeID = try programme.requireID()
        guard let kickoff = try await Kickoff.query(on: req.db).filter(\.$programme.$id == programmeID).first() else {
            req.flash("error", req.t("kickoff.noSettings"))
            return req.redirect(to: .programme(programmeID, .kickoff))
        }
        // A whole new plan would replace who met whom; during the event the control room re-plans open rounds.
        try KickoffRecord.ensure(.settingsOrWholePlan, kickoff, now: req.now)
        let result = try await Self.generatePlan(kickoff: kickoff, programmeID: programmeID, on: req.db, now: req.now)
        // People already waiting in the lobby see the new plan.
        try await req.application.kickoffHub.reloadIfOpen(kickoffID: kickoff.requireID(), on: req.db)
        try await req.audit("kickoff.planned", programme: programmeID, details: "\(result.meetings.count)", on: req.db)
        req.flash(
            "success",
            req.t(
                "kickoff.planned", req.tp("kickoff.talks", result.meetings.count), String(result.minimumMenteeMeetings))
        )
        return req.redirect(to: .programme(programmeID, .kickoff))
    }

    static func generatePlan(
        kickoff: Kickoff, programmeID: UUID, on db: any Database, now: Date
    ) async throws -> MeetingPlan {
        try await KickoffPlanning.generate(kickoff: kickoff, on: db, now: now)
    }
}
