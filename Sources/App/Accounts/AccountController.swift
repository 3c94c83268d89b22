import Fluent
import Vapor

/// A person's own account: language, password (organisers), and a copy of their data (GDPR Art. 15/20).
struct AccountController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.account, use: show)
        routes.post(.accountLanguage, use: setLanguage)
        routes.post(.accountPassword, use: setPassword)
        routes.get(.accountExport, use: export)
    }

    struct AccountPage: Encodable {
        let name: String
        let email: String
        let locale: String
        let isOrganiser: Bool
        let hasPassword: Bool
        let languages: [Language]
        /// The calendar subscription: when its current address was made, if there is one.
        let calendarSince: String?
        let calendarCreate: String
        let calendarRevoke: String
    }
    struct Language: Encodable {
        let code: String
        let label: String
        let selected: Bool
    }

    @Sendable func show(req: Request) async throws -> Response {
        let user = try req.currentUser.orThrow(AppError.signInRequired)
        let page = AccountPage(
            name: user.name, email: user.email, locale: user.locale, isOrganiser: user.isOrganiser,
            hasPassword: user.passwordHash != nil,
            languages: AppLocale.allCases.map {
                .init(code: $0.rawValue, label: req.t("language.\($0.rawValue)"), selected: $0.rawValue == user.locale)
            },
            calendarSince: try await CalendarFeedController.active(userID: user.requireID(), on: req.db).map {
                req.application.dateFormatting.dateTime($0, req.appLocale)
            },
            calendarCreate: SiteURL.accountCalendar.path, calendarRevoke: SiteURL.accountCalendarRevoke.path)
        return try await PageRenderer.render("Accounts/account", page, title: req.t("account.title"), for: req)
    }

    struct LanguageForm: Content { var locale: String }

    @Sendable func setLanguage(req: Request) async throws -> Response {
        let user = try req.currentUser.orThrow(AppError.signInRequired)
        let form = try req.content.decode(LanguageForm.self)
        guard let locale = AppLocale(rawValue: form.locale) else { throw Abort(.badRequest) }
        user.locale = locale.rawValue
        try await user.save(on: req.db)
        req.appLocale = locale
        req.flash("success", req.t("account.language.saved"))
        let response = req.redirect(to: .account)
        response.rememberLocale(locale, secure: req.application.appConfig.secureCookies)
        return response
    }

    struct PasswordForm: Content {
        var password: String
        var confirmation: String
    }

    static let minimumPasswordLength = 12

    @Sendable func setPassword(req: Request) async throws -> Response {
        let user = try req.currentUser.orThrow(AppError.signInRequired)
        guard user.isOrganiser else { throw AppError.forbidden }
        let form = try req.content.decode(PasswordForm.self)
        guard form.password.count >= Self.minimumPasswordLength else { throw AppError.passwordTooShort }
        guard form.password == form.confirmation else {
            req.flash("error", req.t("account.password.mismatch"))
            return req.redirect(to: .account)
        }
        user.passwordHash = try await req.password.async.hash(form.password).get()
        try await user.save(on: req.db)
        req.flash("success", req.t("account.password.saved"))
        return req.redirect(to: .account)
    }

    struct DataExport: Content {
        struct ProgrammeRole: Content {
            let programme: String
            let role: String
            let since: Date?
        }
        struct Mail: Content {
            let subject: String
            let status: String
            let createdAt: Date?
        }
        let exportedAt: Date
        let name: String
        let email: String
        let locale: String
        let isOrganiser: Bool
        let accountCreatedAt: Date?
        let programmes: [ProgrammeRole]
        let emails: [Mail]
        /// Kickoff: check-ins, the person's own talk ratings with their private notes, shortlists or marks.
        let kickoffCheckIns: [Date]
        let talkRatings: [Rating]
        let shortlists: [Choice]
        /// Pairing: the person's published tandems; a closing reason only where they gave it themselves (the
        /// partner's or the organisers' reasons are theirs).
        let tandems: [TandemEntry]

        struct TandemEntry: Content {
            let programme: String
            let role: String
            let partner: String
            let status: String
            let publishedAt: Date?
            let acceptedAt: Date?
            let activeSince: Date?
            let closedAt: Date?
            let closedBy: String?
            let ownClosingReason: String?
            /// The tandem space as this partner sees it (their own reflections only).
            let space: TandemSpaceExport?
        }

        struct Rating: Content {
            let round: Int
            let partner: String
            let answer: String
            let note: String
        }
        struct Choice: Content {
            let submittedAt: Date
            let picks: [String]
        }
    }

    /// Everything stored about the signed-in person, as a JSON download.
    @Sendable func export(req: Request) async throws -> Response {
        let user = try req.currentUser.orThrow(AppError.signInRequired)
        let participations = try await Participation.query(on: req.db)
            .filter(\.$user.$id == user.requireID()).with(\.$programme).all()
        let mails = try await OutboxMessage.query(on: req.db).filter(\.$toEmail == user.email).all()
        let userID = try user.requireID()
        let checkIns = try await KickoffCheckIn.query(on: req.db).filter(\.$user.$id == userID).all()
        let ratings = try await TalkRating.query(on: req.db).filter(\.$rater.$id == userID).with(\.$partner).all()
        let shortlists = try await KickoffShortlist.query(on: req.db).filter(\.$user.$id == userID).all()
        let pickedIDs = shortlists.flatMap(\.picks)
        let picked = try await User.query(on: req.db).filter(\.$id ~~ pickedIDs).all()
        let names = Dictionary(uniqueKeysWithValues: picked.map { ($0.id!, $0.name) })
        let tandems = try await Tandem.query(on: req.db).group(.or) {
            $0.filter(\.$mentee.$id == userID).filter(\.$mentor.$id == userID)
        }
        .filter(\.$status != .draft).with(\.$programme).with(\.$mentee).with(\.$mentor).all()
        let export = DataExport(
            exportedAt: req.now, name: user.name, email: user.email, locale: user.locale, isOrganiser: user.isOrganiser,
            accountCreatedAt: user.createdAt,
            programmes: participations.map {
                .init(programme: $0.programme.name, role: $0.role.rawValue, since: $0.createdAt)
            },
            emails: mails.map { .init(subject: $0.subject, status: $0.status.rawValue, createdAt: $0.createdAt) },
            kickoffCheckIns: checkIns.map(\.checkedInAt),
            talkRatings: ratings.map {
                .init(round: $0.round, partner: $0.partner.name, answer: $0.answer.rawValue, note: $0.note)
            },
            shortlists: shortlists.map { .init(submittedAt: $0.submittedAt, picks: $0.picks.map { names[$0] ?? "?" }) },
            tandems: try await tandems.asyncMap { tandem in
                let isMentee = tandem.$mentee.id == userID
                let space =
                    tandem.activatedAt == nil
                    ? nil
                    : try await TandemSpaceExport.load(
                        tandemID: tandem.requireID(), userID: userID, sealer: req.sealer, on: req.db)
                let role: Tandem.Closer = isMentee ? .mentee : .mentor
                return .init(
                    programme: tandem.programme.name, role: isMentee ? "mentee" : "mentor",
                    partner: isMentee ? tandem.mentor.name : tandem.mentee.name, status: tandem.status.rawValue,
                    publishedAt: tandem.publishedAt,
                    acceptedAt: isMentee ? tandem.menteeAcceptedAt : tandem.mentorAcceptedAt,
                    activeSince: tandem.activatedAt, closedAt: tandem.closedAt, closedBy: tandem.closedBy?.rawValue,
                    ownClosingReason: tandem.closedBy == role ? tandem.closingReason : nil, space: space)
            })
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let response = Response(status: .ok, body: .init(data: try encoder.encode(export)))
        response.headers.contentType = .json
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"meine-daten.json\"")
        return response
    }
}

extension Sequence {
    /// `map` with an async transform, in order.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
