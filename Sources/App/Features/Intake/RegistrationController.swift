import Fluent
import Mentoring
import Vapor

/// Executives register for a programme: through their personal invitation (registered at once) or the
/// programme-wide link (waits for an organiser's approval). Both record consent to the privacy notice.
struct RegistrationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.invitation(token: .key), use: invitationForm)
        let limited = routes.grouped(RateLimitMiddleware(name: "registration", rule: RateLimits.registrationsPerClient))
        limited.post(.invitation(token: .key), use: registerInvited)
        routes.get(.join(code: .key), use: joinForm)
        limited.post(.join(code: .key), use: registerThroughLink)
    }

    struct RegistrationForm: Content {
        var name: String?
        var email: String?
        var company: String?
        var position: String?
        var topics: String?
        var questions: String?
        var languages: String?
        var locale: String?
        var consent: String?
    }

    struct FormPage: Encodable {
        let programmeName: String
        let programmeDescription: String
        let action: String
        let personal: Bool
        let fields: [ProgrammeController.FormField]
        let errors: [ProgrammeController.ErrorLink]
        let languages: [AccountController.Language]
        let consentChecked: Bool
        let consentError: String?
        let privacyNotice: String
        let privacyVersion: Int
        let contacts: [String]
    }

    struct LinkProblemPage: Encodable {
        let title: String
        let message: String
        let contacts: [String]
    }

    // MARK: Personal invitation

    static func usableInvitation(_ req: Request, on db: any Database) async throws -> (Invitation, Programme) {
        let token = req.parameters.get("token") ?? ""
        guard
            let invitation = try await Invitation.query(on: db).filter(\.$tokenHash == SecureToken.hash(token))
                .with(\.$programme).first()
        else { throw LinkProblem(kind: .unknown, programme: nil) }
        switch invitation.status {
        case .registered: throw LinkProblem(kind: .used, programme: invitation.programme)
        case .revoked: throw LinkProblem(kind: .revoked, programme: invitation.programme)
        case .invited where invitation.expiresAt <= req.now:
            throw LinkProblem(kind: .expired, programme: invitation.programme)
        case .invited: return (invitation, invitation.programme)
        }
    }

    /// An invitation link that cannot be used, shown with the programme's contacts to ask.
    struct LinkProblem: Error {
        enum Kind: String { case unknown, used, revoked, expired }
        let kind: Kind
        let programme: Programme?

        var status: HTTPResponseStatus { kind == .unknown ? .notFound : .gone }
    }

    func problemPage(_ problem: LinkProblem, req: Request) async throws -> Response {
        let contacts =
            problem.programme?.settings(timeZone: req.application.appConfig.timeZone).contacts
            .map(\.description) ?? []
        let page = LinkProblemPage(
            title: req.t("invitation.problem.title"), message: req.t("invitation.problem.\(problem.kind.rawValue)"),
            contacts: contacts)
        return try await PageRenderer.render(
            "Intake/invitation-problem", page, title: page.title, for: req, status: problem.status)
    }

    @Sendable func invitationForm(req: Request) async throws -> Response {
        do {
            let (invitation, programme) = try await Self.usableInvitation(req, on: req.db)
            var form = RegistrationForm()
            form.name = invitation.name
            form.company = invitation.company
            form.position = invitation.position
            form.locale = req.appLocale.rawValue
            return try await render(programme, form, problems: [], personal: true, req: req)
        } catch let problem as LinkProblem {
            return try await problemPage(problem, req: req)
        }
    }

    func render(
        _ programme: Programme, _ form: RegistrationForm, problems: [FieldProblem], personal: Bool, req: Request,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        func message(_ problem: FieldProblem) -> String {
            // A checkbox is confirmed, not "filled in".
            if problem.field == "consent" { return req.t("registration.consent.required") }
            return req.t("form.error.\(problem.kind.rawValue)", problem.detail ?? "")
        }
        func field(
            _ id: String, _ value: String?, _ kind: String = "text", required: Bool = false, hint: Bool = false
        ) -> ProgrammeController.FormField {
            let own = problems.filter { $0.field == id }
            return .init(
                id: id, label: req.t("registration.field.\(id)"), value: value ?? "", kind: kind,
                hint: hint ? req.t("registration.hint.\(id)") : nil,
                error: own.isEmpty ? nil : own.map(message).joined(separator: " "), required: required, min: nil,
                max: nil)
        }
        var fields: [ProgrammeController.FormField] = [field("name", form.name, required: true)]
        if !personal { fields.append(field("email", form.email, "email", required: true)) }
        fields += [
            field("company", form.company, required: true), field("position", form.position, required: true),
            field("topics", form.topics, hint: true), field("questions", form.questions, "textarea", hint: true),
            field("languages", form.languages, hint: true),
        ]
        let settings = programme.settings(timeZone: req.application.appConfig.timeZone)
        let chosen = form.locale ?? req.appLocale.rawValue
        let page = FormPage(
            programmeName: programme.name, programmeDescription: programme.description, action: req.url.path,
            personal: personal, fields: fields,
            errors: problems.map {
                .init(href: "#" + $0.field, text: req.t("registration.field.\($0.field)") + ": " + message($0))
            },
            languages: AppLocale.allCases.map {
                .init(code: $0.rawValue, label: req.t("language.\($0.rawValue)"), selected: $0.rawValue == chosen)
            },
            consentChecked: form.consent != nil,
            consentError: problems.contains { $0.field == "consent" } ? req.t("registration.consent.required") : nil,
            privacyNotice: settings.privacyNotice.isEmpty
                ? req.t("registration.privacy.default") : settings.privacyNotice,
            privacyVersion: programme.privacyNoticeVersion,
            contacts: settings.contacts.map(\.description))
        return try await PageRenderer.render(
            "Intake/register", page, title: req.t("registration.title", programme.name), for: req, status: status)
    }

    static func validate(_ form: RegistrationForm, personal: Bool) -> (problems: [FieldProblem], email: String?) {
        var problems: [FieldProblem] = []
        let trimmed = { (value: String?) in value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }
        for field in ["name", "company", "position"] {
            let value = field == "name" ? form.name : field == "company" ? form.company : form.position
            if trimmed(value).isEmpty { problems.append(FieldProblem(field, .required)) }
        }
        var email: String?
        if !personal {
            switch EmailAddress.normalise(form.email ?? "") {
            case .success(let normalised): email = normalised
            case .failure(.empty): problems.append(FieldProblem("email", .required))
            case .failure: problems.append(FieldProblem("email", .invalidEmail))
            }
        }
        if trimmed(form.questions).count > 2000 { problems.append(FieldProblem("questions", .tooLong, detail: "2000")) }
        if form.consent == nil { problems.append(FieldProblem("consent", .required)) }
        return (problems, email)
    }

    static func list(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func makeRegistration(
        _ form: RegistrationForm, programme: Programme, userID: UUID, invitationID: UUID?,
        status: MenteeRegistration.Status, now: Date
    ) throws -> MenteeRegistration {
        let registration = MenteeRegistration()
        registration.$programme.id = try programme.requireID()
        registration.$user.id = userID
        registration.$invitation.id = invitationID
        registration.company = form.company?.trimmingCharacters(in: .whitespaces) ?? ""
        registration.position = form.position?.trimmingCharacters(in: .whitespaces) ?? ""
        registration.topicsJSON = JSONText.encode(list(form.topics))
        let languages = list(form.languages)
        registration.languagesJSON = JSONText.encode(languages.isEmpty ? ["Deutsch"] : languages)
        registration.questions = form.questions?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        registration.status = status
        registration.privacyNoticeVersion = programme.privacyNoticeVersion
        registration.consentedAt = now
        return registration
    }

    @Sendable func registerInvited(req: Request) async throws -> Response {
        let form = try req.content.decode(RegistrationForm.self)
        do {
            let (invitation, programme) = try await Self.usableInvitation(req, on: req.db)
            let (problems, _) = Self.validate(form, personal: true)
            if !problems.isEmpty {
                return try await render(
                    programme, form, problems: problems, personal: true, req: req, status: .unprocessableEntity)
            }
            let locale = AppLocale(rawValue: form.locale ?? "") ?? req.appLocale
            let user = try await req.db.writeTransaction { db -> User in
                // Re-check inside the transaction: the link is single use even with two clicks at once.
                let (invitation, programme) = try await Self.usableInvitation(req, on: db)
                let user =
                    try await User.query(on: db).filter(\.$email == invitation.email).first()
                    ?? User(email: invitation.email, name: "", locale: locale.rawValue)
                user.name = form.name?.trimmingCharacters(in: .whitespaces) ?? invitation.name
                user.locale = locale.rawValue
                try await user.save(on: db)
                let userID = try user.requireID()
                let programmeID = try programme.requireID()
                if try await Participation.query(on: db).filter(\.$programme.$id == programmeID).filter(
                    \.$user.$id == userID
                ).first() != nil {
                    throw IntakeError.alreadyRegistered
                }
                try await Self.makeRegistration(
                    form, programme: programme, userID: userID, invitationID: invitation.id, status: .approved,
                    now: req.now
                )
                .create(on: db)
                try await Participation(userID: userID, programmeID: programmeID, role: .mentee).create(on: db)
                invitation.status = .registered
                invitation.registeredAt = req.now
                try await invitation.save(on: db)
                return user
            }
            _ = invitation
            try req.signIn(user)
            req.appLocale = locale
            req.flash("success", req.t("registration.done", programme.name))
            let response = req.redirect(to: .dashboard)
            response.rememberLocale(locale, secure: req.application.appConfig.secureCookies)
            return response
        } catch let problem as LinkProblem {
            return try await problemPage(problem, req: req)
        }
    }

    // MARK: Programme-wide link

    static func programme(forCode req: Request) async throws -> Programme {
        let code = req.parameters.get("code") ?? ""
        guard !code.isEmpty, let programme = try await Programme.query(on: req.db).filter(\.$publicCode == code).first()
        else { throw AppError.notFound }
        return programme
    }

    @Sendable func joinForm(req: Request) async throws -> Response {
        let programme = try await Self.programme(forCode: req)
        if let closed = try await Self.closedForRegistration(programme, req: req) { return closed }
        return try await render(programme, RegistrationForm(), problems: [], personal: false, req: req)
    }

    static func closedForRegistration(_ programme: Programme, req: Request) async throws -> Response? {
        guard programme.phase != .intake else { return nil }
        let contacts = programme.settings(timeZone: req.application.appConfig.timeZone).contacts.map(\.description)
        let page = LinkProblemPage(
            title: programme.name,
            message: req.t("application.closed.phase", req.t("phase.\(programme.phase.rawValue)")), contacts: contacts)
        return try await PageRenderer.render(
            "Intake/invitation-problem", page, title: page.title, for: req, status: .conflict)
    }

    @Sendable func registerThroughLink(req: Request) async throws -> Response {
        let programme = try await Self.programme(forCode: req)
        if let closed = try await Self.closedForRegistration(programme, req: req) { return closed }
        let form = try req.content.decode(RegistrationForm.self)
        let (problems, email) = Self.validate(form, personal: false)
        guard problems.isEmpty, let email else {
            return try await render(
                programme, form, problems: problems, personal: false, req: req, status: .unprocessableEntity)
        }
        let locale = AppLocale(rawValue: form.locale ?? "") ?? req.appLocale
        let programmeID = try programme.requireID()
        try await req.db.writeTransaction { db in
            let user =
                try await User.query(on: db).filter(\.$email == email).first()
                ?? User(
                    email: email, name: form.name?.trimmingCharacters(in: .whitespaces) ?? "", locale: locale.rawValue)
            if user.id == nil { try await user.create(on: db) }
            let userID = try user.requireID()
            let registered =
                try await MenteeRegistration.query(on: db)
                .filter(\.$programme.$id == programmeID).filter(\.$user.$id == userID).first() != nil
            let participating =
                try await Participation.query(on: db)
                .filter(\.$programme.$id == programmeID).filter(\.$user.$id == userID).first() != nil
            if registered || participating { throw IntakeError.alreadyRegistered }
            try await Self.makeRegistration(
                form, programme: programme, userID: userID, invitationID: nil, status: .pending, now: req.now
            ).create(on: db)
            try await Outbox(app: req.application).enqueue(
                to: user, template: "mail.registration.received", arguments: [programme.name],
                actionURL: SiteURL.login.absolute(req.application), on: db)
        }
        let page = LinkProblemPage(
            title: req.t("registration.pending.title"), message: req.t("registration.pending.text", programme.name),
            contacts: [])
        return try await PageRenderer.render("Intake/invitation-problem", page, title: page.title, for: req)
    }
}
