import Fluent
import Mentoring
import Vapor

/// What participants do with the talks they had: the quick rating with a private note after each talk, and
/// after the event the shortlist (mentees rank mentors they met) or the marks (mentors pick mentees).
struct KickoffFeedbackController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post(.kickoffRatings(kickoffID: .key), use: rate)
        routes.get(.kickoffShortlist(kickoffID: .key), use: shortlistPage)
        routes.post(.kickoffShortlist(kickoffID: .key), use: saveShortlist)
    }

    /// The signed-in participant (never an organiser: these are their own talks) and the event.
    static func participant(
        _ req: Request
    ) async throws -> (user: User, role: ParticipantRole, kickoff: Kickoff, programme: Programme) {
        let user = try req.currentUser.orThrow(AppError.signInRequired)
        let (kickoff, programme) = try await KickoffLiveController.kickoff(req)
        guard
            let participation = try await Participation.query(on: req.db)
                .filter(\.$programme.$id == programme.requireID()).filter(\.$user.$id == user.requireID()).first()
        else { throw AppError.forbidden }
        return (user, participation.role, kickoff, programme)
    }

    /// Talks held so far: round → partner, for rounds that have begun.
    static func heldTalks(
        kickoff: Kickoff, userID: UUID, role: ParticipantRole, on db: any Database, now: Date
    )
        async throws -> [(round: Int, partner: UUID)]
    {
        let begun = try kickoff.timeline().roundsBegun(at: now)
        let query = KickoffMeeting.query(on: db).filter(\.$kickoff.$id == (try kickoff.requireID())).filter(
            \.$round <= begun)
        let meetings =
            role == .mentee
            ? try await query.filter(\.$mentee.$id == userID).all()
            : try await query.filter(\.$mentor.$id == userID).all()
        return meetings.sorted { $0.round < $1.round }.map {
            ($0.round, role == .mentee ? $0.$mentor.id : $0.$mentee.id)
        }
    }

    // MARK: Ratings

    struct RatingForm: Content {
        var round: Int?
        var partner: String?
        var answer: String?
        var note: String?
    }

    struct RatingReply: Content {
        let ok: Bool
        let message: String
    }

    /// Stores (or updates) the rating of one talk held. Answers JSON to the live page's script, otherwise
    /// goes back to the shortlist page.
    @Sendable func rate(req: Request) async throws -> Response {
        let (user, role, kickoff, _) = try await Self.participant(req)
        guard kickoff.closedAt == nil else { throw KickoffError.closed }
        let form = try req.content.decode(RatingForm.self)
        let wantsJSON = req.headers.accept.mediaTypes.contains(.json)
        let userID = try user.requireID()
        let held = try await Self.heldTalks(kickoff: kickoff, userID: userID, role: role, on: req.db, now: req.now)
        let heldPartner = form.round.flatMap { round in held.first { $0.round == round }?.partner.uuidString }
        switch TalkFeedback.validate(
            answer: form.answer ?? "", note: form.note ?? "", partner: form.partner ?? "", heldPartner: heldPartner)
        {
        case .failure(let problem):
            let message =
                switch problem {
                case .talkNotHeld: req.t("rating.error.notHeld")
                case .unknownAnswer: req.t("rating.error.answer")
                case .noteTooLong(_, let allowed): req.t("rating.error.noteTooLong", String(allowed))
                }
            if wantsJSON {
                return try await RatingReply(ok: false, message: message).encodeResponse(
                    status: .unprocessableEntity, for: req)
            }
            req.flash("error", message)
            return req.redirect(to: .kickoffShortlist(kickoffID: .value(try kickoff.requireID())))
        case .success(let (answer, note)):
            let round = form.round!, partnerID = UUID(uuidString: form.partner!)!
            let kickoffID = try kickoff.requireID()
            let existing = try await TalkRating.query(on: req.db).filter(\.$kickoff.$id == kickoffID)
                .filter(\.$round == round).filter(\.$rater.$id == userID).first()
            let rating =
                existing
                ?? TalkRating(
                    kickoffID: kickoffID, round: round, raterID: userID, partnerID: partnerID, answer: answer,
                    note: note)
            rating.answer = answer
            rating.note = note
            try await rating.save(on: req.db)
            if wantsJSON {
                return try await RatingReply(ok: true, message: req.t("rating.saved")).encodeResponse(for: req)
            }
            req.flash("success", req.t("rating.saved"))
            return req.redirect(to: .kickoffShortlist(kickoffID: .value(kickoffID)))
        }
    }

    // MARK: Shortlists

    struct ShortlistPage: Encodable {
        let kickoffID: String
        let links: KickoffLinks
        let programmeName: String
        let isMentee: Bool
        let size: Int
        let deadline: String?
        let open: Bool
        let submitted: String?
        let talks: [TalkRow]
        let ranks: [RankRow]
        let answers: [AnswerOption]
        let errors: [String]
    }
    struct TalkRow: Encodable {
        let round: Int
        let partnerID: String
        let name: String
        let answer: String?
        let note: String
        let marked: Bool
    }
    struct RankRow: Encodable {
        let number: Int
        let field: String
        let options: [Option]
    }
    struct Option: Encodable {
        let id: String
        let name: String
        let selected: Bool
    }
    struct AnswerOption: Encodable {
        let value: String
        let label: String
    }

    @Sendable func shortlistPage(req: Request) async throws -> Response {
        try await renderShortlist(req, errors: [], picks: nil)
    }

    func renderShortlist(
        _ req: Request, errors: [String], picks: [String]?, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let (user, role, kickoff, programme) = try await Self.participant(req)
        let now = req.now
        guard try kickoff.timeline().isFinished(at: now) else { throw KickoffError.shortlistNotOpen }
        let userID = try user.requireID(), kickoffID = try kickoff.requireID()
        let held = try await Self.heldTalks(kickoff: kickoff, userID: userID, role: role, on: req.db, now: now)
        let partners = try await User.query(on: req.db).filter(\.$id ~~ held.map(\.partner)).all()
        let names = Dictionary(uniqueKeysWithValues: partners.map { ($0.id!, $0.name) })
        let ratings = try await TalkRating.query(on: req.db).filter(\.$kickoff.$id == kickoffID).filter(
            \.$rater.$id == userID
        ).all()
        let stored = try await KickoffShortlist.query(on: req.db).filter(\.$kickoff.$id == kickoffID).filter(
            \.$user.$id == userID
        ).first()
        let chosen = picks ?? stored?.picks.map(\.uuidString) ?? []
        let talks = held.map { talk in
            let rating = ratings.first { $0.round == talk.round }
            return TalkRow(
                round: talk.round, partnerID: talk.partner.uuidString, name: names[talk.partner] ?? "?",
                answer: rating.map { req.t("rating.answer.\($0.answer.rawValue)") }, note: rating?.note ?? "",
                marked: chosen.contains(talk.partner.uuidString))
        }
        let size = programme.shortlistSize
        let ranks =
            role == .mentee
            ? (1...max(1, size)).map { number in
                RankRow(
                    number: number, field: "choice\(number)",
                    options: held.map { talk in
                        Option(
                            id: talk.partner.uuidString, name: names[talk.partner] ?? "?",
                            selected: chosen.count >= number && chosen[number - 1] == talk.partner.uuidString)
                    })
            } : []
        let open = kickoff.closedAt == nil && (kickoff.shortlistDeadline.map { $0 > now } ?? true)
        let page = ShortlistPage(
            kickoffID: kickoffID.uuidString, links: KickoffLinks(kickoffID), programmeName: programme.name,
            isMentee: role == .mentee, size: size,
            deadline: kickoff.shortlistDeadline.map { req.application.dateFormatting.dateTime($0, req.appLocale) },
            open: open,
            submitted: stored.map { req.application.dateFormatting.dateTime($0.submittedAt, req.appLocale) },
            talks: talks, ranks: ranks,
            answers: ContinueAnswer.allCases.map {
                .init(value: $0.rawValue, label: req.t("rating.answer.\($0.rawValue)"))
            },
            errors: errors)
        return try await PageRenderer.render(
            "Kickoff/shortlist", page, title: req.t("shortlist.title"), for: req, status: status)
    }

    struct MarksForm: Content {
        var marks: [String]?
    }

    @Sendable func saveShortlist(req: Request) async throws -> Response {
        let (user, role, kickoff, programme) = try await Self.participant(req)
        let now = req.now
        guard try kickoff.timeline().isFinished(at: now) else { throw KickoffError.shortlistNotOpen }
        guard kickoff.closedAt == nil else { throw KickoffError.closed }
        if let deadline = kickoff.shortlistDeadline, deadline <= now { throw KickoffError.shortlistDeadlinePassed }
        let userID = try user.requireID(), kickoffID = try kickoff.requireID()
        let held = try await Self.heldTalks(kickoff: kickoff, userID: userID, role: role, on: req.db, now: now)
        let met = Set(held.map(\.partner.uuidString))
        // Mentees rank in fields choice1…choiceN (N = shortlist size; more are read so that too many are
        // refused, not dropped); mentors tick marks[].
        let picks =
            role == .mentee
            ? (1...ProgrammeSettings.shortlistRange.upperBound * 2).compactMap {
                try? req.content.get(String.self, at: "choice\($0)")
            }.filter { !$0.isEmpty }
            : ((try? req.content.decode(MarksForm.self))?.marks ?? [])
        let result =
            role == .mentee
            ? Shortlist.validate(picks, met: met, size: programme.shortlistSize)
            : Shortlist.validateMarks(picks, met: met)
        switch result {
        case .failure(let problem):
            let message =
                switch problem {
                case .empty: req.t("shortlist.error.empty")
                case .tooMany(let count, let allowed): req.t("shortlist.error.tooMany", String(count), String(allowed))
                case .notMet: req.t("shortlist.error.notMet")
                case .duplicate: req.t("shortlist.error.duplicate")
                }
            return try await renderShortlist(req, errors: [message], picks: picks, status: .unprocessableEntity)
        case .success(let valid):
            try await req.db.writeTransaction { db in
                try await KickoffShortlist.query(on: db).filter(\.$kickoff.$id == kickoffID).filter(
                    \.$user.$id == userID
                ).delete()
                try await KickoffShortlist(
                    kickoffID: kickoffID, userID: userID, picks: valid.compactMap(UUID.init(uuidString:)), at: now
                )
                .create(on: db)
            }
            req.flash("success", req.t(role == .mentee ? "shortlist.saved" : "shortlist.marksSaved"))
            return req.redirect(to: .kickoffShortlist(kickoffID: .value(kickoffID)))
        }
    }
}
