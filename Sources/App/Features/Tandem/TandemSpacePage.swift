import Fluent
import Foundation
import Mentoring
import Vapor

/// The tandem space's page context, for one of the two partners. Sealed text is opened here and nowhere on an
/// organiser's page (those are built from ``TandemHealthRow``, which has no field for it).
struct TandemSpacePage: Sendable {
    /// The catalogue in the reader's language (looked up once for the whole page).
    let texts: Texts
    /// The session's CSRF token, for the page's many forms.
    let csrfToken: String
    struct Goal: Sendable {
        let goal, sign: String
    }
    struct Agreement: Sendable {
        let version: Int
        let goals: [Goal]
        let groundRules: String
        let channel: String
        let rhythm: String
        let endsOn: String
        let confirmed: Bool
        let waitingForMe: Bool
        let waitingForPartner: Bool
        let date: String
    }
    struct Option: Sendable {
        let value, label: String
        let selected: Bool
    }
    struct AgreementForm: Sendable {
        let goals: [Goal]
        let groundRules: String
        let channels: [Option]
        let rhythms: [Option]
        let endsOn: String
        let minDate, maxDate: String
    }
    struct Meeting: Sendable {
        let id: String
        let when: String
        let date: String
        let time: String
        let minutes: Int
        let length: String
        let place: String
        let status: String
        let statusLabel: String
        let proposedByMe: Bool
        let sequence: Int
        let canAccept, canChange, needsOutcome: Bool
        let acceptAction, rescheduleAction, cancelAction, outcomeAction: String
    }
    struct Prompt: Sendable {
        let month: Int
        let question: String
        let material: String?
        let discussed, insight: Bool
        let action: String
    }
    struct Note: Sendable {
        let id: String
        let author: String
        let date: String
        let body: String
        let action: String
        let meeting: String?
        let closing: Bool
    }
    struct Experiment: Sendable {
        let id: String
        let what, happened, learned: String
        let owner, due, status, statusLabel: String
        let open: Bool
        let statuses: [Option]
        let action: String
    }

    let tandemID: String
    let programme: String
    let partnerName: String
    let partnerRole: String
    let readOnly: Bool
    let yearText: String
    let monthText: String
    let progressPercent: Int
    let agreement: Agreement?
    let pending: Agreement?
    let history: [Agreement]
    let agreementForm: AgreementForm
    let agreementAction, confirmAction: String
    let upcoming: [Meeting]
    let awaitingOutcome: [Meeting]
    let past: [Meeting]
    let meetingAction: String
    let meetingMinDate, meetingMaxDate: String
    let prompt: Prompt?
    let earlierPrompts: [Prompt]
    let notes: [Note]
    let noteAction: String
    let reflections: [Note]
    let reflectionAction: String
    let meetingOptions: [Option]
    let closingOpen: Bool
    let experiments: [Experiment]
    let experimentAction: String
    let owners: [Option]
    let limits: Limits
    let accountLink: String

    struct Limits: Sendable {
        let goal = TandemSpace.Limit.goal
        let groundRules = TandemSpace.Limit.groundRules
        let place = TandemSpace.Limit.place
        let note = TandemSpace.Limit.note
        let experiment = TandemSpace.Limit.experiment
    }

    static func make(_ space: TandemSpace, req: Request, on db: any Database) async throws -> TandemSpacePage {
        let texts = req.texts
        let locale = texts.locale
        let formatting = req.application.dateFormatting
        let sealer = req.sealer
        let id = space.tandemID
        let now = req.now
        let today = CalendarDate.today(in: space.timeZone, now: now)
        guard let partner = try await User.load(space.partnerID, on: db) else { throw TandemError.notPartner }
        // A value that cannot be opened (damaged, or sealed with a key that is gone) shows as such and is logged;
        // the rest of the space stays readable instead of the whole page failing.
        let unreadable = texts.t("space.unreadable")
        func open(_ sealed: String, _ what: String, _ rowID: UUID?) -> String {
            do {
                return try sealer.open(sealed)
            } catch {
                req.logger.error(
                    "A sealed value cannot be opened",
                    metadata: ["what": .string(what), "row": .string(rowID?.uuidString ?? "-"), "tandem": "\(id)"])
                return unreadable
            }
        }
        func openAgreement(_ agreement: TandemAgreement) -> TandemAgreement.Content {
            let text = open(agreement.contentSealed, "agreement", agreement.id)
            return text == unreadable
                ? .init(goals: [], groundRules: unreadable)
                : JSONText.decode(TandemAgreement.Content.self, text) ?? .init(goals: [], groundRules: unreadable)
        }

        // Agreement
        let (current, pending, all) = try await space.agreements(on: db)
        func agreementView(_ agreement: TandemAgreement) throws -> Agreement {
            let content = openAgreement(agreement)
            let mine = space.role == .mentee ? agreement.menteeConfirmedAt : agreement.mentorConfirmedAt
            let theirs = space.role == .mentee ? agreement.mentorConfirmedAt : agreement.menteeConfirmedAt
            return Agreement(
                version: agreement.version, goals: content.goals.map { Goal(goal: $0.goal, sign: $0.progressSign) },
                groundRules: content.groundRules,
                channel: texts.t("space.channel.\(agreement.channel.rawValue)"),
                rhythm: texts.tp("space.rhythm.weeks", agreement.rhythmWeeks),
                endsOn: CalendarDate(parsing: agreement.endsOn)?.german ?? agreement.endsOn,
                confirmed: agreement.isConfirmed, waitingForMe: mine == nil, waitingForPartner: theirs == nil,
                // The day it came into force (both confirmed), else the day it was proposed.
                date: ([agreement.menteeConfirmedAt, agreement.mentorConfirmedAt].allSatisfy { $0 != nil }
                    ? [agreement.menteeConfirmedAt!, agreement.mentorConfirmedAt!].max() : agreement.createdAt)
                    .map { formatting.date($0, locale) } ?? "")
        }
        let base = (pending ?? current).map(openAgreement)
        var formGoals = base?.goals.map { Goal(goal: $0.goal, sign: $0.progressSign) } ?? []
        while formGoals.count < TandemSpace.Limit.goals { formGoals.append(Goal(goal: "", sign: "")) }
        let channel = (pending ?? current)?.channel ?? .video
        let rhythm = (pending ?? current)?.rhythmWeeks ?? 4
        let lastDay = space.lastDay(agreement: current)
        let agreementForm = AgreementForm(
            goals: formGoals, groundRules: base?.groundRules ?? texts.t("space.agreement.defaultRules"),
            channels: TandemAgreement.Channel.allCases.map {
                Option(value: $0.rawValue, label: texts.t("space.channel.\($0.rawValue)"), selected: $0 == channel)
            },
            rhythms: TandemSpaceController.rhythms.map {
                Option(value: String($0), label: texts.tp("space.rhythm.weeks", $0), selected: $0 == rhythm)
            },
            endsOn: space.year.lastDay(agreement: pending ?? current).description,
            minDate: max(today, space.year.start.adding(days: 1)).description,
            maxDate: space.year.start.adding(months: 12).adding(days: -1).description)

        // Meetings
        let meetings = try await TandemMeeting.all(tandem: id, on: db)
        var upcoming: [Meeting] = [], awaiting: [Meeting] = [], past: [Meeting] = []
        var meetingOptions: [Option] = []
        var meetingWhen: [UUID: String] = [:]  // for the notes written at a meeting
        for meeting in meetings {
            let meetingID = meeting.id
            let place = open(meeting.placeSealed, "meeting place", meetingID)
            let local = LocalDateTime.format(meeting.startsAt, in: space.timeZone)
            let open = meeting.status == .proposed || meeting.status == .accepted
            let view = Meeting(
                id: meetingID.uuidString, when: formatting.dateTime(meeting.startsAt, locale),
                date: String(local.prefix(10)), time: String(local.suffix(5)), minutes: meeting.minutes,
                length: texts.tp("space.meeting.minutes", meeting.minutes), place: place,
                status: meeting.status.rawValue,
                statusLabel: texts.t("space.meeting.status.\(meeting.status.rawValue)"),
                proposedByMe: meeting.proposedBy == space.userID, sequence: meeting.sequence,
                canAccept: !space.isReadOnly && meeting.status == .proposed && meeting.proposedBy != space.userID
                    && meeting.startsAt > now,
                canChange: !space.isReadOnly && open && meeting.startsAt > now,
                needsOutcome: !space.isReadOnly && open && meeting.startsAt <= now,
                acceptAction: SiteURL.tandemMeeting(tandemID: .value(id), meetingID: .value(meetingID), .accept).path,
                rescheduleAction: SiteURL.tandemMeeting(tandemID: .value(id), meetingID: .value(meetingID), .reschedule)
                    .path,
                cancelAction: SiteURL.tandemMeeting(tandemID: .value(id), meetingID: .value(meetingID), .cancel).path,
                outcomeAction: SiteURL.tandemMeeting(tandemID: .value(id), meetingID: .value(meetingID), .outcome).path)
            meetingWhen[meetingID] = view.when
            if open && meeting.startsAt > now {
                upcoming.append(view)
            } else if open {
                awaiting.append(view)
            } else {
                past.append(view)
            }
            if meeting.status == .held {
                meetingOptions.append(Option(value: meetingID.uuidString, label: view.when, selected: false))
            }
        }

        // Prompts
        let programmeID = try space.programme.requireID()
        let catalogue = try await PromptCatalogue.loadForReading(programmeID: programmeID, req: req)
        let marks = try await TandemPromptMark.all(tandem: id, on: db)
        let currentMonth = space.year.month(of: today) ?? (today < space.year.start ? 1 : space.year.months)
        func promptView(_ month: Int) -> Prompt? {
            guard let entry = catalogue.entry(month: month) else { return nil }
            let mark = marks.first { $0.month == month }
            return Prompt(
                month: month, question: entry.question(locale), material: entry.materialURL,
                discussed: mark?.discussedAt != nil, insight: mark?.insightAt != nil,
                action: SiteURL.tandemPrompt(tandemID: .value(id), month: .value(month)).path)
        }

        // Notes: shared ones, and only the viewer's own reflections
        let notes = try await TandemNote.all(tandem: id, on: db)
        let me = try req.requireUser
        var shared: [Note] = [], reflections: [Note] = []
        for note in notes where note.kind == .shared || note.authorID == space.userID {
            let noteID = note.id
            let view = Note(
                id: noteID.uuidString, author: note.authorID == space.userID ? me.name : partner.name,
                date: (note.updatedAt ?? note.createdAt).map { formatting.dateTime($0, locale) } ?? "",
                body: open(note.bodySealed, "note", noteID),
                action: SiteURL.tandemNote(tandemID: .value(id), noteID: .value(noteID)).path,
                meeting: note.meetingID.flatMap { meetingWhen[$0] }, closing: note.kind == .closing)
            if note.kind == .shared { shared.append(view) } else { reflections.append(view) }
        }

        // Experiments
        let experiments = try await TandemExperiment.all(tandem: id, on: db)
        var experimentViews: [Experiment] = []
        for experiment in experiments {
            let experimentID = experiment.id
            let opened = open(experiment.contentSealed, "experiment", experimentID)
            let content =
                JSONText.decode(TandemExperiment.Content.self, opened)
                ?? .init(what: unreadable, happened: "", learned: "")
            experimentViews.append(
                Experiment(
                    id: experimentID.uuidString, what: content.what, happened: content.happened,
                    learned: content.learned, owner: texts.t("space.experiments.owner.\(experiment.owner.rawValue)"),
                    due: CalendarDate(parsing: experiment.dueOn)?.german ?? experiment.dueOn,
                    status: experiment.status.rawValue,
                    statusLabel: texts.t("space.experiments.status.\(experiment.status.rawValue)"),
                    open: experiment.status.isOpen,
                    statuses: TandemExperiment.Status.allCases.map {
                        Option(
                            value: $0.rawValue, label: texts.t("space.experiments.status.\($0.rawValue)"),
                            selected: $0 == experiment.status)
                    },
                    action: SiteURL.tandemExperiment(tandemID: .value(id), experimentID: .value(experimentID)).path))
        }

        let end = lastDay
        let totalDays = max(1, end.days(since: space.year.start) + 1)
        let elapsed = min(max(0, today.days(since: space.year.start) + 1), totalDays)
        let closingOpen = space.closingOpen(today: today)
        return TandemSpacePage(
            texts: texts, csrfToken: req.csrfToken, tandemID: id.uuidString, programme: space.programme.name,
            partnerName: partner.name,
            partnerRole: texts.t(space.role == .mentee ? "role.mentor" : "role.mentee"),
            readOnly: space.isReadOnly,
            yearText: texts.t("space.year", space.year.start.german, end.german),
            monthText: texts.t("space.month", String(currentMonth), String(space.year.months)),
            progressPercent: elapsed * 100 / totalDays,
            agreement: try current.map(agreementView), pending: try pending.map(agreementView),
            history: try all.filter { $0.isConfirmed && $0.id != current?.id }.map(agreementView),
            agreementForm: agreementForm,
            agreementAction: SiteURL.tandemAgreement(tandemID: .value(id)).path,
            confirmAction: SiteURL.tandemAgreementConfirm(tandemID: .value(id)).path,
            upcoming: upcoming, awaitingOutcome: awaiting, past: past.reversed(),
            meetingAction: SiteURL.tandemMeetings(tandemID: .value(id)).path,
            meetingMinDate: max(today, space.year.start).description, meetingMaxDate: end.description,
            prompt: promptView(currentMonth),
            earlierPrompts: (1..<max(1, currentMonth)).reversed().compactMap(promptView),
            notes: shared, noteAction: SiteURL.tandemNotes(tandemID: .value(id)).path,
            reflections: reflections, reflectionAction: SiteURL.tandemReflections(tandemID: .value(id)).path,
            meetingOptions: meetingOptions.reversed(), closingOpen: closingOpen,
            experiments: experimentViews, experimentAction: SiteURL.tandemExperiments(tandemID: .value(id)).path,
            owners: TandemExperiment.Owner.allCases.map {
                Option(
                    value: $0.rawValue, label: texts.t("space.experiments.owner.\($0.rawValue)"), selected: $0 == .both)
            },
            limits: Limits(), accountLink: SiteURL.account.path)
    }
}
