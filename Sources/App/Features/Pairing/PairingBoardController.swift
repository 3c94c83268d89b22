import Fluent
import Mentoring
import Vapor

/// The organisers' pairing board: the optimal proposal with its reasons, edits by accessible forms (assign, swap,
/// unassign, pin, ban, capacities), recomputation that keeps pins and bans, publishing, ending a tandem and the
/// CSV export. Every edit form carries the board's revision; see ``PairingChanges``.
struct PairingBoardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.programme(.key, .pairing), use: show)
        routes.get(.programme(.key, .pairingExport), use: export)
        routes.get(.programme(.key, .pairingCapacities), use: showCapacities)
        routes.post(.programme(.key, .pairingRecompute), use: recompute)
        routes.post(.programme(.key, .pairingAssign), use: assign)
        routes.post(.programme(.key, .pairingSwap), use: swap)
        routes.post(.programme(.key, .pairingCapacities), use: saveCapacities)
        routes.post(.programme(.key, .pairingSettings), use: saveSettings)
        routes.post(.programme(.key, .pairingPublish), use: publish)
        routes.post(.programme(.key, .pairingUnassign(.key)), use: unassign)
        routes.post(.programme(.key, .pairingPin(.key)), use: pin)
        routes.post(.programme(.key, .pairingBan(.key)), use: ban)
        routes.post(.programme(.key, .pairingEnd(.key)), use: end)
    }

    /// An edit the rules refuse: shown on the board as a message, nothing changed.
    struct Refused: Error {
        let message: String
    }

    private func back(_ req: Request) throws -> Response {
        req.redirect(to: .programme(try req.programme.requireID(), .pairing))
    }

    private func backToCapacities(_ req: Request) throws -> Response {
        req.redirect(to: .programme(try req.programme.requireID(), .pairingCapacities))
    }

    /// Runs a board change; a refusal by the rules becomes a message on the board.
    private func change(
        _ req: Request, _ change: PairingChanges.Change, revision: Int?, success: String,
        backTo page: SiteURL.ProgrammePage = .pairing, _ body: @escaping @Sendable (any Database) async throws -> Void
    ) async throws -> Response {
        let programmeID = try req.programme.requireID()
        // Every edit form carries the revision it was made on; without one the edit cannot be checked.
        guard let revision else { throw Abort(.badRequest) }
        do {
            try await PairingChanges.apply(change, programmeID: programmeID, expectedRevision: revision, req: req, body)
            req.flash("success", success)
        } catch let refused as Refused {
            req.flash("error", refused.message)
        }
        return req.redirect(to: .programme(programmeID, page))
    }

    private func tandem(_ req: Request, on db: any Database) async throws -> Tandem {
        guard let id = req.parameters.get("tandemID", as: UUID.self),
            let tandem = try await Tandem.find(id, on: db),
            tandem.$programme.id == (try req.programme.requireID())
        else { throw PairingError.unknownTandem }
        return tandem
    }

    private func names(_ tandem: Tandem, on db: any Database) async throws -> String {
        let mentee = try await User.find(tandem.$mentee.id, on: db)?.name ?? ""
        let mentor = try await User.find(tandem.$mentor.id, on: db)?.name ?? ""
        return "\(mentee) – \(mentor)"
    }

    struct RevisionForm: Content {
        let revision: Int?
    }

    // MARK: Recompute

    /// Replaces the unpinned drafts by the optimum for the current data, keeping pins, bans and published tandems.
    @Sendable func recompute(req: Request) async throws -> Response {
        let form = try req.content.decode(RevisionForm.self)
        let programmeID = try req.programme.requireID()
        let now = req.now
        let locale = req.appLocale
        let app = req.application
        return try await change(
            req, .init(key: "pairing.change.recomputed", subject: ""), revision: form.revision,
            success: req.t("pairing.recomputed")
        ) { db in
            do {
                try await Self.storeProposal(programmeID: programmeID, on: db, now: now)
            } catch let error as PairingPolicyError {
                let data = try await PairingData.load(programmeID: programmeID, on: db)
                throw Refused(message: PairingWords.policyError(error, data: data, app: app, locale: locale))
            }
        }
    }

    /// Replaces the unpinned drafts with the policy's optimum and records it on the board (the recompute button and
    /// the demo). Run inside a transaction that claimed the board's revision.
    @discardableResult
    static func storeProposal(programmeID: UUID, on db: any Database, now: Date) async throws -> PairingProposal {
        try await Tandem.query(on: db).filter(\.$programme.$id == programmeID).filter(\.$status == .draft)
            .filter(\.$pinned == false).delete()
        let data = try await PairingData.load(programmeID: programmeID, on: db)
        let proposal = try PairingPolicy().propose(data.input)
        let drafts = proposal.tandems.filter { !$0.pinned }.compactMap { proposed -> Tandem? in
            guard let mentee = UUID(uuidString: proposed.mentee), let mentor = UUID(uuidString: proposed.mentor) else {
                return nil
            }
            return Tandem(
                programmeID: programmeID, menteeID: mentee, mentorID: mentor, pinned: false, weight: proposed.weight,
                reasons: proposed.reasons)
        }
        // A hundred rows per INSERT: one statement per tandem took a second for a thousand.
        for start in stride(from: 0, to: drafts.count, by: 100) {
            try await Array(drafts[start..<min(start + 100, drafts.count)]).create(on: db)
        }
        let board =
            try await PairingBoard.query(on: db).filter(\.$programme.$id == programmeID).first()
            ?? PairingBoard(programmeID: programmeID)
        board.optimumWeight = proposal.totalWeight
        board.optimumPaired = proposal.tandems.count
        board.computedAt = now
        try await board.save(on: db)
        return proposal
    }

    // MARK: Manual edits

    struct AssignForm: Content {
        let revision: Int?
        let mentee: UUID?
        let mentor: UUID?
        /// A draft tandem of the chosen mentor to dissolve (an alternative that displaces someone).
        let displace: UUID?
    }

    /// Pairs an unpaired mentee with a mentor (pinned: an organiser's decision survives recomputing).
    @Sendable func assign(req: Request) async throws -> Response {
        let form = try req.content.decode(AssignForm.self)
        let programmeID = try req.programme.requireID()
        guard let menteeID = form.mentee, let mentorID = form.mentor else {
            req.flash("error", req.t("pairing.assign.choose"))
            return try back(req)
        }
        let data = try await PairingData.load(programmeID: programmeID, on: req.db)
        guard let mentee = data.people[menteeID], let mentor = data.people[mentorID],
            data.mentees.contains(where: { $0.id == menteeID }), data.mentors.contains(where: { $0.id == mentorID })
        else {
            req.flash("error", req.t("pairing.assign.choose"))
            return try back(req)
        }
        let locale = req.appLocale
        let app = req.application
        let subject = "\(mentee.name) – \(mentor.name)"
        return try await change(
            req, .init(key: "pairing.change.assigned", subject: subject), revision: form.revision,
            success: req.t("pairing.assigned", subject)
        ) { db in
            let current = try await Tandem.query(on: db).filter(\.$programme.$id == programmeID)
                .filter(\.$status ~~ Tandem.Status.current).all()
            if current.contains(where: { $0.$mentee.id == menteeID }) { throw PairingError.alreadyPaired }
            var mentorTandems = current.filter { $0.$mentor.id == mentorID }
            if let displace = form.displace, let displaced = mentorTandems.first(where: { $0.id == displace }) {
                guard displaced.status == .draft, !displaced.pinned else { throw PairingError.notDraft }
                try await displaced.delete(on: db)
                mentorTandems.removeAll { $0.id == displace }
            }
            let pair = PairID(mentee: menteeID.uuidString, mentor: mentorID.uuidString)
            let analysis = PairingAnalysis(data.input)
            if let problem = analysis.check(pair, mentorLoad: mentorTandems.count) {
                throw Refused(message: PairingWords.editProblem(problem, subject: subject, app: app, locale: locale))
            }
            let (weight, reasons) = analysis.describe(pair)
            try await Tandem(
                programmeID: programmeID, menteeID: menteeID, mentorID: mentorID, pinned: true, weight: weight,
                reasons: reasons
            ).create(on: db)
        }
    }

    struct SwapForm: Content {
        let revision: Int?
        let first: UUID?
        let second: UUID?
    }

    /// Exchanges the mentors of two draft tandems; both become pinned.
    @Sendable func swap(req: Request) async throws -> Response {
        let form = try req.content.decode(SwapForm.self)
        let programmeID = try req.programme.requireID()
        guard let firstID = form.first, let secondID = form.second, firstID != secondID else {
            req.flash("error", req.t("pairing.swap.choose"))
            return try back(req)
        }
        let data = try await PairingData.load(programmeID: programmeID, on: req.db)
        guard let first = data.tandems.first(where: { $0.id == firstID }),
            let second = data.tandems.first(where: { $0.id == secondID })
        else { throw PairingError.unknownTandem }
        let name: @Sendable (UUID) -> String = { id in data.people[id]?.name ?? "" }
        let subject = "\(name(first.$mentee.id)) ⇄ \(name(second.$mentee.id))"
        let locale = req.appLocale
        let app = req.application
        return try await change(
            req, .init(key: "pairing.change.swapped", subject: subject), revision: form.revision,
            success: req.t("pairing.swapped", subject)
        ) { db in
            guard let first = try await Tandem.find(firstID, on: db),
                let second = try await Tandem.find(secondID, on: db),
                first.status == .draft, second.status == .draft
            else { throw PairingError.notDraft }
            let analysis = PairingAnalysis(data.input)
            let newFirst = PairID(mentee: first.$mentee.id.uuidString, mentor: second.$mentor.id.uuidString)
            let newSecond = PairID(mentee: second.$mentee.id.uuidString, mentor: first.$mentor.id.uuidString)
            for pair in [newFirst, newSecond] {
                // Capacity does not change in a swap; bans and languages must hold for both new pairs.
                if let problem = analysis.check(pair, mentorLoad: 0) {
                    let pairNames = "\(name(UUID(uuidString: pair.mentee)!)) – \(name(UUID(uuidString: pair.mentor)!))"
                    throw Refused(
                        message: PairingWords.editProblem(problem, subject: pairNames, app: app, locale: locale))
                }
            }
            let firstMentor = first.$mentor.id
            // Two updates in a row would briefly give nobody a problem: the unique index is on the mentee.
            for (tandem, mentor, pair) in [(first, second.$mentor.id, newFirst), (second, firstMentor, newSecond)] {
                let (weight, reasons) = analysis.describe(pair)
                tandem.$mentor.id = mentor
                tandem.pinned = true
                tandem.weight = weight
                tandem.reasonsJSON = JSONText.encode(reasons)
                try await tandem.save(on: db)
            }
        }
    }

    /// A change of one draft tandem (unassign, pin, ban), checked again inside the transaction: a draft that was
    /// published or dissolved meanwhile is refused.
    private func changeDraft(
        _ req: Request, key: (Tandem) -> String, success: (Tandem) -> String,
        _ body: @escaping @Sendable (Tandem, any Database) async throws -> Void
    ) async throws -> Response {
        let form = try req.content.decode(RevisionForm.self)
        let tandem = try await tandem(req, on: req.db)
        let subject = try await names(tandem, on: req.db)
        let id = tandem.id
        return try await change(
            req, .init(key: key(tandem), subject: subject), revision: form.revision,
            success: req.t(success(tandem), subject)
        ) { db in
            guard let fresh = try await Tandem.find(id, on: db), fresh.status == .draft else {
                throw PairingError.notDraft
            }
            try await body(fresh, db)
        }
    }

    /// Dissolves a draft tandem: both people are free again.
    @Sendable func unassign(req: Request) async throws -> Response {
        try await changeDraft(req, key: { _ in "pairing.change.unassigned" }, success: { _ in "pairing.unassigned" }) {
            tandem, db in try await tandem.delete(on: db)
        }
    }

    /// Pins or unpins a draft tandem: a pinned one survives recomputing.
    @Sendable func pin(req: Request) async throws -> Response {
        try await changeDraft(
            req, key: { $0.pinned ? "pairing.change.unpinned" : "pairing.change.pinned" },
            success: { $0.pinned ? "pairing.unpinned" : "pairing.pinned" }
        ) { tandem, db in
            tandem.pinned.toggle()
            try await tandem.save(on: db)
        }
    }

    /// Never this pair again: the draft is dissolved and the pair banned from proposals.
    @Sendable func ban(req: Request) async throws -> Response {
        try await changeDraft(req, key: { _ in "pairing.change.banned" }, success: { _ in "pairing.banned" }) {
            tandem, db in
            try await tandem.delete(on: db)
            try await PairingBan(
                programmeID: tandem.$programme.id, menteeID: tandem.$mentee.id, mentorID: tandem.$mentor.id,
                cause: .organiser
            ).create(on: db)
        }
    }

    struct CapacitiesForm: Content {
        let revision: Int?
        let capacity: [String: String]?
    }

    /// How many tandems each mentor takes on (0 = not available), never below the published tandems they have.
    @Sendable func saveCapacities(req: Request) async throws -> Response {
        let form = try req.content.decode(CapacitiesForm.self)
        let programmeID = try req.programme.requireID()
        let data = try await PairingData.load(programmeID: programmeID, on: req.db)
        var wanted: [UUID: Int] = [:]
        for mentor in data.mentors {
            guard let raw = form.capacity?[mentor.id!.uuidString] else { continue }
            guard let value = Int(raw.trimmingCharacters(in: .whitespaces)), (0...5).contains(value) else {
                req.flash("error", req.t("pairing.capacity.invalid", mentor.name))
                return try backToCapacities(req)
            }
            wanted[mentor.id!] = value
        }
        let locale = req.appLocale
        let app = req.application
        let capacities = wanted
        return try await change(
            req, .init(key: "pairing.change.capacities", subject: String(capacities.count)), revision: form.revision,
            success: req.t("pairing.capacity.saved"), backTo: .pairingCapacities
        ) { db in
            let current = try await Tandem.query(on: db).filter(\.$programme.$id == programmeID)
                .filter(\.$status ~~ Tandem.Status.current).all()
            for (mentorID, capacity) in capacities {
                let held = current.filter { $0.$mentor.id == mentorID }.count
                if capacity < held {
                    throw Refused(
                        message: app.catalogue.plural(
                            "pairing.capacity.belowLoad", count: held, locale, [data.people[mentorID]?.name ?? ""]))
                }
                try await Participation.query(on: db).filter(\.$programme.$id == programmeID)
                    .filter(\.$user.$id == mentorID).set(\.$capacity, to: capacity).update()
            }
        }
    }

    struct SettingsForm: Content {
        let revision: Int?
        let partnersConfirm: String?
    }

    @Sendable func saveSettings(req: Request) async throws -> Response {
        let form = try req.content.decode(SettingsForm.self)
        let programme = try req.programme
        let confirm = form.partnersConfirm == "on"
        return try await change(
            req, .init(key: "pairing.change.settings", subject: confirm ? "confirm" : "direct"),
            revision: form.revision,
            success: req.t("pairing.settings.saved")
        ) { db in
            programme.partnersConfirm = confirm
            try await programme.save(on: db)
        }
    }

    // MARK: Publishing and ending

    struct PublishForm: Content {
        /// One tandem; without it, every draft.
        let tandem: UUID?
    }

    /// Publishes drafts in one transaction: partners get their introduction. Only drafts are published, after the
    /// board's lock is taken, so a double click publishes once and the second click reports nothing left.
    @Sendable func publish(req: Request) async throws -> Response {
        let form = try req.content.decode(PublishForm.self)
        let programme = try req.programme
        let programmeID = try programme.requireID()
        let count = try await PairingChanges.apply(
            .init(key: "pairing.change.published", subject: ""),
            programmeID: programmeID, expectedRevision: nil, req: req
        ) { db in
            var query = Tandem.query(on: db).filter(\.$programme.$id == programmeID).filter(\.$status == .draft)
            if let one = form.tandem { query = query.filter(\.$id == one) }
            let drafts = try await query.all()
            try await PairingPublishing.publish(drafts, programme: programme, req: req, on: db)
            return drafts.count
        }
        if count == 0 {
            req.flash("info", req.t("pairing.publish.nothing"))
        } else {
            req.flash("success", req.tp("pairing.published", count))
        }
        return try back(req)
    }

    struct EndForm: Content {
        let revision: Int?
        let reason: String?
    }

    /// The organisers end a published tandem (a proposed one is withdrawn): both partners are told, without the
    /// reason, and the pair is not proposed again.
    @Sendable func end(req: Request) async throws -> Response {
        let form = try req.content.decode(EndForm.self)
        let reason = try PairingPublishing.validReason(form.reason)
        let tandem = try await tandem(req, on: req.db)
        let subject = try await names(tandem, on: req.db)
        let programme = try req.programme
        return try await change(
            req, .init(key: "pairing.change.ended", subject: subject), revision: form.revision,
            success: req.t("pairing.ended", subject)
        ) { db in
            guard let fresh = try await Tandem.find(tandem.id, on: db),
                fresh.status == .proposed || fresh.status == .active
            else { throw PairingError.notActive }
            try await PairingPublishing.close(
                fresh, by: .organiser, reason: reason, programme: programme, req: req, on: db)
        }
    }

    // MARK: Export

    /// Every tandem with both partners and its dates; no closing reasons, no kickoff answers.
    @Sendable func export(req: Request) async throws -> Response {
        let programmeID = try req.programme.requireID()
        let data = try await PairingData.load(programmeID: programmeID, on: req.db)
        let day = { (date: Date?) in date.map { req.application.dateFormatting.date($0, .de) } ?? "" }
        let rows = data.tandems.sorted {
            (data.people[$0.$mentee.id]?.name ?? "", $0.createdAt ?? .distantPast)
                < (data.people[$1.$mentee.id]?.name ?? "", $1.createdAt ?? .distantPast)
        }
        .map { tandem -> [String] in
            let mentee = data.people[tandem.$mentee.id], mentor = data.people[tandem.$mentor.id]
            let profile = data.menteeProfiles[tandem.$mentee.id]
            return [
                mentee?.name ?? "", mentee?.email ?? "", profile?.company ?? "", mentor?.name ?? "",
                mentor?.email ?? "", tandem.status.rawValue, tandem.pinned ? "yes" : "no", day(tandem.publishedAt),
                day(tandem.activatedAt), day(tandem.closedAt), tandem.closedBy?.rawValue ?? "",
            ]
        }
        let excel = req.query[String.self, at: "format"] == "excel"
        let csv = try CSVText.write(
            header: [
                "mentee", "mentee_email", "company", "mentor", "mentor_email", "status", "pinned", "published",
                "active_since", "closed", "closed_by",
            ], rows: rows, dialect: excel ? .excel : .standard)
        try await req.audit("pairing.exported", programme: programmeID, details: String(rows.count), on: req.db)
        let response = Response(status: .ok, body: .init(string: csv))
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"tandems.csv\"")
        return response
    }
}
