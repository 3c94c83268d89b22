import Fluent
import Foundation
import Mentoring
import Vapor

/// The tandem space: the two partners' own page with their agreement, meetings, the month's prompt, shared notes,
/// private reflections and experiments. Organisers have no route here; another person gets 403 for everything.
struct TandemSpaceController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.tandemSpace(tandemID: .key), use: show)
        routes.post(.tandemAgreement(tandemID: .key), use: proposeAgreement)
        routes.post(.tandemAgreementConfirm(tandemID: .key), use: confirmAgreement)
        routes.post(.tandemMeetings(tandemID: .key), use: proposeMeeting)
        routes.post(.tandemMeeting(tandemID: .key, meetingID: .key, .accept), use: acceptMeeting)
        routes.post(.tandemMeeting(tandemID: .key, meetingID: .key, .reschedule), use: rescheduleMeeting)
        routes.post(.tandemMeeting(tandemID: .key, meetingID: .key, .cancel), use: cancelMeeting)
        routes.post(.tandemMeeting(tandemID: .key, meetingID: .key, .outcome), use: meetingOutcome)
        routes.post(.tandemNotes(tandemID: .key), use: addNote)
        routes.post(.tandemNote(tandemID: .key, noteID: .key), use: editNote)
        routes.post(.tandemReflections(tandemID: .key), use: addReflection)
        routes.post(.tandemExperiments(tandemID: .key), use: addExperiment)
        routes.post(.tandemExperiment(tandemID: .key, experimentID: .key), use: editExperiment)
        routes.post(.tandemPrompt(tandemID: .key, month: .key), use: markPrompt)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let space = try await TandemSpace.load(req, on: req.db)
        let page = try await TandemSpacePage.make(space, req: req, on: req.db)
        return PageRenderer.render(title: req.t("space.title"), for: req, capacity: 65_536) {
            page.write(into: &$0, for: req)
        }
    }

    /// Runs `body` in one transaction on the space as it is now, then back to the space (at `anchor`).
    private func change(
        _ req: Request, anchor: String, flash: String, writable: Bool = true,
        _ body: @escaping @Sendable (TandemSpace, any Database) async throws -> Void
    ) async throws -> Response {
        let outer = try await TandemSpace.load(req, on: req.db)
        if writable { try outer.requireWritable() }
        try await req.db.writeTransaction { db in
            let space = try await TandemSpace.load(req, on: db)
            if writable { try space.requireWritable() }
            try await body(space, db)
        }
        req.flash("success", req.t(flash))
        return req.redirect(to: SiteURL.tandemSpace(tandemID: .value(outer.tandemID)).path + "#" + anchor)
    }

    // MARK: - Agreement

    struct AgreementForm: Content {
        var goal1, sign1, goal2, sign2, goal3, sign3: String?
        var groundRules: String?
        var channel: String?
        var rhythmWeeks: Int?
        var endsOn: String?
    }

    static let rhythms = [2, 4, 6, 8]

    @Sendable func proposeAgreement(req: Request) async throws -> Response {
        let form = try req.content.decode(AgreementForm.self)
        let space = try await TandemSpace.load(req, on: req.db)
        var goals: [TandemAgreement.Content.Goal] = []
        for (goal, sign) in [(form.goal1, form.sign1), (form.goal2, form.sign2), (form.goal3, form.sign3)] {
            let text = try TandemSpace.optional(
                goal, field: req.t("space.agreement.goal"), limit: TandemSpace.Limit.goal)
            let signText = try TandemSpace.optional(
                sign, field: req.t("space.agreement.sign"), limit: TandemSpace.Limit.goal)
            if text.isEmpty && signText.isEmpty { continue }
            guard !text.isEmpty else { throw TandemError.fieldMissing(req.t("space.agreement.goal")) }
            guard !signText.isEmpty else { throw TandemError.fieldMissing(req.t("space.agreement.sign")) }
            goals.append(.init(goal: text, progressSign: signText))
        }
        guard !goals.isEmpty else { throw TandemError.fieldMissing(req.t("space.agreement.goal")) }
        let rules = try TandemSpace.required(
            form.groundRules, field: req.t("space.agreement.rules"), limit: TandemSpace.Limit.groundRules)
        guard let channel = form.channel.flatMap(TandemAgreement.Channel.init(rawValue:)) else {
            throw TandemError.fieldMissing(req.t("space.agreement.channel"))
        }
        guard let rhythm = form.rhythmWeeks, Self.rhythms.contains(rhythm) else {
            throw TandemError.fieldMissing(req.t("space.agreement.rhythm"))
        }
        let today = CalendarDate.today(in: space.timeZone, now: req.now)
        let latest = space.year.start.adding(months: 12).adding(days: -1)
        guard let endsOn = form.endsOn.flatMap(CalendarDate.init(parsing:)), endsOn >= today, endsOn <= latest,
            endsOn > space.year.start
        else { throw TandemError.badDate(req.t("space.agreement.endsOn")) }
        let sealed = try req.sealer.seal(json: TandemAgreement.Content(goals: goals, groundRules: rules))
        return try await change(req, anchor: "agreement", flash: "space.agreement.proposed") { space, db in
            let last = try await TandemAgreement.query(on: db).filter(\.$tandem.$id == space.tandemID)
                .sort(\.$version, .descending).first()
            let agreement = TandemAgreement()
            agreement.$tandem.id = space.tandemID
            agreement.version = (last?.version ?? 0) + 1
            agreement.contentSealed = sealed
            agreement.channel = channel
            agreement.rhythmWeeks = rhythm
            agreement.endsOn = endsOn.description
            agreement.proposedBy = space.userID
            if space.role == .mentee {
                agreement.menteeConfirmedAt = req.now
            } else {
                agreement.mentorConfirmedAt = req.now
            }
            try await agreement.create(on: db)
            try await TandemNotices.tellPartner(
                space, template: "mail.agreement.proposed", app: req.application, on: db)
        }
    }

    struct VersionForm: Content {
        /// The agreement's version or the meeting's sequence the person saw: a confirmation counts only for that.
        var version: Int?
    }

    @Sendable func confirmAgreement(req: Request) async throws -> Response {
        let seen = try req.content.decode(VersionForm.self).version
        return try await change(req, anchor: "agreement", flash: "space.agreement.confirmed") { space, db in
            guard let pending = try await space.agreements(on: db).pending else { throw TandemError.nothingToConfirm }
            // The partner proposed a newer version since this page was loaded: nobody confirms what they did not see.
            guard pending.version == seen else { throw TandemError.changedMeanwhile }
            switch space.role {
            case .mentee:
                guard pending.menteeConfirmedAt == nil else { throw TandemError.ownProposal }
                pending.menteeConfirmedAt = req.now
            case .mentor:
                guard pending.mentorConfirmedAt == nil else { throw TandemError.ownProposal }
                pending.mentorConfirmedAt = req.now
            }
            try await pending.save(on: db)
        }
    }

    // MARK: - Meetings

    struct MeetingForm: Content {
        var date: String?
        var time: String?
        var minutes: Int?
        var place: String?
    }

    private func checkedMeeting(
        _ req: Request, space: TandemSpace, on db: any Database
    ) async throws -> (start: Date, minutes: Int, place: String) {
        let form = try req.content.decode(MeetingForm.self)
        let agreement = try await space.agreements(on: db).current
        let (start, minutes) = try space.meetingStart(
            date: form.date, time: form.time, minutes: form.minutes, now: req.now, agreement: agreement)
        let place = try TandemSpace.required(
            form.place, field: req.t("space.meeting.place"), limit: TandemSpace.Limit.place)
        return (start, minutes, place)
    }

    @Sendable func proposeMeeting(req: Request) async throws -> Response {
        let space = try await TandemSpace.load(req, on: req.db)
        try space.requireWritable()
        let (start, minutes, place) = try await checkedMeeting(req, space: space, on: req.db)
        let sealedPlace = try req.sealer.seal(place)
        return try await change(req, anchor: "meetings", flash: "space.meeting.proposed") { space, db in
            // A second click on the same form (or a resent request) finds the open meeting this person proposed
            // with the same time, length and place: no second meeting, no second invitation.
            let same = try await TandemMeeting.query(on: db).filter(\.$tandem.$id == space.tandemID)
                .filter(\.$startsAt == start).filter(\.$minutes == minutes).filter(\.$proposedBy == space.userID)
                .filter(\.$status ~~ [.proposed, .accepted]).all()
            if same.contains(where: { (try? req.sealer.open($0.placeSealed)) == place }) { return }
            let meeting = TandemMeeting()
            meeting.$tandem.id = space.tandemID
            meeting.startsAt = start
            meeting.minutes = minutes
            meeting.placeSealed = sealedPlace
            meeting.status = .proposed
            meeting.proposedBy = space.userID
            meeting.sequence = 0
            try await meeting.create(on: db)
            try await notify(.proposed, meeting, place: place, space: space, onlyPartner: true, req: req, on: db)
        }
    }

    /// The meeting of the URL, if it belongs to this tandem (else 403, as for a stranger).
    private func meeting(_ req: Request, space: TandemSpace, on db: any Database) async throws -> TandemMeeting {
        guard let id = req.parameters.get("meetingID", as: UUID.self),
            let meeting = try await TandemMeeting.find(id, on: db), meeting.$tandem.id == space.tandemID
        else { throw TandemError.notPartner }
        return meeting
    }

    private func notify(
        _ change: TandemCalendar.Change, _ meeting: TandemMeeting, place: String, space: TandemSpace,
        onlyPartner: Bool, req: Request, on db: any Database
    ) async throws {
        guard let people = try await TandemCalendar.people(of: space.tandem, on: db) else { return }
        let partner = space.role == .mentee ? people.mentor : people.mentee
        try await TandemCalendar.notify(
            change, meeting: meeting, place: place, tandem: space.tandem, programme: space.programme,
            recipients: onlyPartner ? [partner] : [people.mentee, people.mentor], people: people,
            app: req.application, on: db)
    }

    @Sendable func acceptMeeting(req: Request) async throws -> Response {
        let seen = try req.content.decode(VersionForm.self).version
        return try await change(req, anchor: "meetings", flash: "space.meeting.accepted") { space, db in
            let meeting = try await meeting(req, space: space, on: db)
            guard meeting.status == .proposed else { throw TandemError.meetingNotOpen }
            // Another time was proposed since this page was loaded: confirm only the time that was shown.
            guard meeting.sequence == seen else { throw TandemError.changedMeanwhile }
            guard meeting.proposedBy != space.userID else { throw TandemError.ownProposal }
            guard meeting.startsAt > req.now else { throw TandemError.meetingInPast }
            meeting.status = .accepted
            meeting.sequence += 1
            try await meeting.save(on: db)
            try await notify(
                .accepted, meeting, place: try req.sealer.open(meeting.placeSealed), space: space, onlyPartner: false,
                req: req, on: db)
        }
    }

    @Sendable func rescheduleMeeting(req: Request) async throws -> Response {
        let space = try await TandemSpace.load(req, on: req.db)
        try space.requireWritable()
        let (start, minutes, place) = try await checkedMeeting(req, space: space, on: req.db)
        let sealedPlace = try req.sealer.seal(place)
        return try await change(req, anchor: "meetings", flash: "space.meeting.rescheduled") { space, db in
            let meeting = try await meeting(req, space: space, on: db)
            guard meeting.status == .proposed || meeting.status == .accepted else { throw TandemError.meetingNotOpen }
            // Once begun, a meeting is held or not (its outcome), no longer moved.
            guard meeting.startsAt > req.now else { throw TandemError.meetingBegun }
            meeting.startsAt = start
            meeting.minutes = minutes
            meeting.placeSealed = sealedPlace
            meeting.status = .proposed
            meeting.proposedBy = space.userID
            meeting.sequence += 1
            try await meeting.save(on: db)
            try await notify(.rescheduled, meeting, place: place, space: space, onlyPartner: false, req: req, on: db)
        }
    }

    @Sendable func cancelMeeting(req: Request) async throws -> Response {
        try await change(req, anchor: "meetings", flash: "space.meeting.cancelled") { space, db in
            let meeting = try await meeting(req, space: space, on: db)
            guard meeting.status == .proposed || meeting.status == .accepted else { throw TandemError.meetingNotOpen }
            guard meeting.startsAt > req.now else { throw TandemError.meetingBegun }
            meeting.status = .cancelled
            meeting.sequence += 1
            try await meeting.save(on: db)
            try await notify(
                .cancelled, meeting, place: try req.sealer.open(meeting.placeSealed), space: space, onlyPartner: false,
                req: req, on: db)
        }
    }

    struct OutcomeForm: Content {
        var held: String?
    }

    @Sendable func meetingOutcome(req: Request) async throws -> Response {
        let held = try req.content.decode(OutcomeForm.self).held == "yes"
        return try await change(
            req, anchor: "meetings", flash: held ? "space.meeting.markedHeld" : "space.meeting.markedMissed"
        ) { space, db in
            let meeting = try await meeting(req, space: space, on: db)
            guard meeting.status == .proposed || meeting.status == .accepted else { throw TandemError.meetingNotOpen }
            guard meeting.startsAt <= req.now else { throw TandemError.notYetHeld }
            meeting.status = held ? .held : .missed
            meeting.outcomeBy = space.userID
            try await meeting.save(on: db)
        }
    }

    // MARK: - Notes and reflections

    struct NoteForm: Content {
        var body: String?
        var meetingID: UUID?
        var kind: String?
    }

    @Sendable func addNote(req: Request) async throws -> Response {
        let body = try TandemSpace.required(
            try req.content.decode(NoteForm.self).body, field: req.t("space.notes.body"), limit: TandemSpace.Limit.note)
        let sealed = try req.sealer.seal(body)
        let sealer = req.sealer
        return try await change(req, anchor: "notes", flash: "space.notes.saved") { space, db in
            // A second click on the same form (or a resent request): the same text as this person's newest note is
            // that note, not a new one.
            let newest = try await TandemNote.query(on: db).filter(\.$tandem.$id == space.tandemID)
                .filter(\.$authorID == space.userID).filter(\.$kind == .shared)
                .sort(\.$createdAt, .descending).sort(\.$id, .descending).first()
            if let newest, (try? sealer.open(newest.bodySealed)) == body { return }
            let note = TandemNote()
            note.$tandem.id = space.tandemID
            note.kind = .shared
            note.authorID = space.userID
            note.bodySealed = sealed
            try await note.create(on: db)
        }
    }

    @Sendable func editNote(req: Request) async throws -> Response {
        let body = try TandemSpace.required(
            try req.content.decode(NoteForm.self).body, field: req.t("space.notes.body"), limit: TandemSpace.Limit.note)
        let sealed = try req.sealer.seal(body)
        let space = try await TandemSpace.load(req, on: req.db)
        // A closing reflection may still be written once the tandem has ended; the rest is read-only then.
        let note = try await ownNote(req, space: space, on: req.db)
        return try await change(
            req, anchor: note.kind == .shared ? "notes" : "reflections", flash: "space.notes.saved",
            writable: note.kind != .closing
        ) { space, db in
            let note = try await ownNote(req, space: space, on: db)
            note.bodySealed = sealed
            try await note.save(on: db)
        }
    }

    /// A shared note of this tandem, or a reflection the signed-in partner wrote; anything else is 403.
    private func ownNote(_ req: Request, space: TandemSpace, on db: any Database) async throws -> TandemNote {
        guard let id = req.parameters.get("noteID", as: UUID.self), let note = try await TandemNote.find(id, on: db),
            note.$tandem.id == space.tandemID, note.kind == .shared || note.authorID == space.userID
        else { throw TandemError.notPartner }
        return note
    }

    @Sendable func addReflection(req: Request) async throws -> Response {
        let form = try req.content.decode(NoteForm.self)
        let body = try TandemSpace.required(
            form.body, field: req.t("space.reflections.body"), limit: TandemSpace.Limit.note)
        let sealed = try req.sealer.seal(body)
        let closing = form.kind == "closing"
        return try await change(
            req, anchor: "reflections", flash: "space.reflections.saved", writable: !closing
        ) { space, db in
            if closing, !space.closingOpen(today: CalendarDate.today(in: space.timeZone, now: req.now)) {
                throw TandemError.closingNotYet
            }
            if let meetingID = form.meetingID {
                guard let meeting = try await TandemMeeting.find(meetingID, on: db),
                    meeting.$tandem.id == space.tandemID
                else { throw TandemError.notPartner }
            }
            let note = TandemNote()
            note.$tandem.id = space.tandemID
            note.kind = closing ? .closing : .reflection
            note.authorID = space.userID
            note.$meeting.id = closing ? nil : form.meetingID
            note.bodySealed = sealed
            try await note.create(on: db)
        }
    }

    // MARK: - Experiments

    struct ExperimentForm: Content {
        var what: String?
        var owner: String?
        var dueOn: String?
        var status: String?
        var happened: String?
        var learned: String?
    }

    @Sendable func addExperiment(req: Request) async throws -> Response {
        let form = try req.content.decode(ExperimentForm.self)
        let space = try await TandemSpace.load(req, on: req.db)
        let what = try TandemSpace.required(
            form.what, field: req.t("space.experiments.what"), limit: TandemSpace.Limit.experiment)
        guard let owner = form.owner.flatMap(TandemExperiment.Owner.init(rawValue:)) else {
            throw TandemError.fieldMissing(req.t("space.experiments.owner"))
        }
        let today = CalendarDate.today(in: space.timeZone, now: req.now)
        guard let due = form.dueOn.flatMap(CalendarDate.init(parsing:)), due >= today,
            due <= space.lastDay(agreement: try await space.agreements(on: req.db).current)
        else { throw TandemError.badDate(req.t("space.experiments.due")) }
        let sealed = try req.sealer.seal(json: TandemExperiment.Content(what: what, happened: "", learned: ""))
        return try await change(req, anchor: "experiments", flash: "space.experiments.saved") { space, db in
            let experiment = TandemExperiment()
            experiment.$tandem.id = space.tandemID
            experiment.contentSealed = sealed
            experiment.owner = owner
            experiment.dueOn = due.description
            experiment.status = .planned
            experiment.createdBy = space.userID
            try await experiment.create(on: db)
        }
    }

    @Sendable func editExperiment(req: Request) async throws -> Response {
        let form = try req.content.decode(ExperimentForm.self)
        guard let status = form.status.flatMap(TandemExperiment.Status.init(rawValue:)) else {
            throw TandemError.fieldMissing(req.t("space.experiments.status"))
        }
        let happened = try TandemSpace.optional(
            form.happened, field: req.t("space.experiments.happened"), limit: TandemSpace.Limit.experiment)
        let learned = try TandemSpace.optional(
            form.learned, field: req.t("space.experiments.learned"), limit: TandemSpace.Limit.experiment)
        return try await change(req, anchor: "experiments", flash: "space.experiments.saved") { space, db in
            guard let id = req.parameters.get("experimentID", as: UUID.self),
                let experiment = try await TandemExperiment.find(id, on: db), experiment.$tandem.id == space.tandemID
            else { throw TandemError.notPartner }
            var content = try req.sealer.open(json: TandemExperiment.Content.self, experiment.contentSealed)
            content.happened = happened
            content.learned = learned
            experiment.contentSealed = try req.sealer.seal(json: content)
            experiment.status = status
            try await experiment.save(on: db)
        }
    }

    // MARK: - Prompts

    struct MarkForm: Content {
        var discussed: String?
        var insight: String?
    }

    @Sendable func markPrompt(req: Request) async throws -> Response {
        let form = try req.content.decode(MarkForm.self)
        return try await change(req, anchor: "prompt", flash: "space.prompt.saved") { space, db in
            let today = CalendarDate.today(in: space.timeZone, now: req.now)
            let current = space.year.month(of: today) ?? space.year.months
            guard let month = req.parameters.get("month", as: Int.self), (1...current).contains(month) else {
                throw TandemError.notPartner
            }
            let mark =
                try await TandemPromptMark.query(on: db).filter(\.$tandem.$id == space.tandemID)
                .filter(\.$month == month).first() ?? TandemPromptMark(tandemID: space.tandemID, month: month)
            mark.discussedAt = form.discussed == "on" ? (mark.discussedAt ?? req.now) : nil
            mark.insightAt = form.insight == "on" ? (mark.insightAt ?? req.now) : nil
            try await mark.save(on: db)
        }
    }
}
