import Fluent
import Mentoring
import QRCode
import Vapor

extension InvitationController {
    // MARK: Overview and funnel

    struct OverviewPage: Encodable {
        let programmeID: String
        let links: ProgrammeLinks
        let programmeName: String
        let funnel: [Step]
        let joinLink: String
        let joinQR: String
        let invitations: [InvitationRow]
        let pending: [RegistrationRow]
        let q: String
    }
    struct Step: Encodable {
        let label: String
        let value: Int
    }
    struct InvitationRow: Encodable {
        let id: String
        let name: String
        let email: String
        let company: String
        let position: String
        let status: String
        let statusKey: String
        let expires: String
        let canResend: Bool
        let canRevoke: Bool
        let resendAction: String
        let printAction: String
        let revokeAction: String
    }
    struct RegistrationRow: Encodable {
        let id: String
        let name: String
        let email: String
        let company: String
        let position: String
        let questions: String
        let approveAction: String
        let rejectAction: String
    }

    @Sendable func overview(req: Request) async throws -> Response {
        let programme = try req.programme
        let id = try programme.requireID()
        let search = (req.query[String.self, at: "q"] ?? "").lowercased().trimmingCharacters(in: .whitespaces)
        let locale = req.appLocale, formatting = req.application.dateFormatting, now = req.now
        var invitations = try await Invitation.query(on: req.db).filter(\.$programme.$id == id).sort(\.$name).all()
        if !search.isEmpty {
            invitations = invitations.filter {
                $0.name.lowercased().contains(search) || $0.email.contains(search)
                    || $0.company.lowercased().contains(search)
            }
        }
        let pending = try await MenteeRegistration.query(on: req.db).filter(\.$programme.$id == id)
            .filter(\.$status == .pending).with(\.$user).all()
        let joinLink = Self.joinLink(programme, app: req.application)
        let page = OverviewPage(
            programmeID: id.uuidString, links: ProgrammeLinks(id), programmeName: programme.name,
            funnel: try await Self.funnel(programmeID: id, req: req),
            joinLink: joinLink, joinQR: try QRCode(joinLink).svg(moduleSize: 6, title: req.t("members.joinQR")),
            invitations: try invitations.map { invitation in
                let invitationID = try invitation.requireID()
                func action(_ page: (SiteURL.Parameter<UUID>) -> SiteURL.ProgrammePage) -> String {
                    SiteURL.programme(id, page(.value(invitationID))).path
                }
                return InvitationRow(
                    id: invitation.id?.uuidString ?? "", name: invitation.name, email: invitation.email,
                    company: invitation.company, position: invitation.position,
                    status: req.t("invitation.status.\(Self.effectiveStatus(invitation, now: now))"),
                    statusKey: Self.effectiveStatus(invitation, now: now),
                    expires: formatting.dateTime(invitation.expiresAt, locale),
                    canResend: invitation.status == .invited, canRevoke: invitation.status == .invited,
                    resendAction: action(SiteURL.ProgrammePage.invitationResend),
                    printAction: action(SiteURL.ProgrammePage.invitationPrint),
                    revokeAction: action(SiteURL.ProgrammePage.invitationRevoke))
            },
            pending: try pending.map {
                let registration = SiteURL.Parameter.value(try $0.requireID())
                return RegistrationRow(
                    id: $0.id?.uuidString ?? "", name: $0.user.name, email: $0.user.email, company: $0.company,
                    position: $0.position, questions: $0.questions,
                    approveAction: SiteURL.programme(
                        id, .registrationDecision(registration, decision: .value("approve"))
                    ).path,
                    rejectAction: SiteURL.programme(id, .registrationDecision(registration, decision: .value("reject")))
                        .path)
            },
            q: search)
        return try await PageRenderer.render("Intake/members", page, title: req.t("members.title"), for: req)
    }
}
