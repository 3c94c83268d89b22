import Fluent
import Foundation
import Mentoring
import Vapor

/// What happens to published tandems: the introduction e-mails, the partners' answers, and closing a tandem
/// (declined, withdrawn or ended) with the "not again" ban and the notices. Callers run these inside
/// ``PairingChanges/apply(_:programmeID:expectedRevision:req:_:)``.
enum PairingPublishing {
    static let reasonLimit = 2_000

    /// A closing reason: required, at most `reasonLimit` characters.
    static func validReason(_ raw: String?) throws -> String {
        let reason = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw PairingError.reasonMissing }
        guard reason.count <= reasonLimit else { throw PairingError.reasonTooLong(reasonLimit) }
        return reason
    }

    /// Publishes `drafts`: proposed (both partners confirm) or active at once, and introduces each partner to the
    /// other by e-mail in their own language.
    static func publish(_ drafts: [Tandem], programme: Programme, req: Request, on db: any Database) async throws {
        guard !drafts.isEmpty else { return }
        let programmeID = try programme.requireID()
        let data = try await PairingData.load(programmeID: programmeID, on: db)
        let now = req.now
        for tandem in drafts {
            tandem.status = programme.partnersConfirm ? .proposed : .active
            tandem.publishedAt = now
            if !programme.partnersConfirm { tandem.activatedAt = now }
            try await tandem.save(on: db)
            try await introduce(tandem, programme: programme, data: data, app: req.application, on: db)
        }
        if !programme.partnersConfirm {
            try await PairingChanges.advanceIfComplete(programmeID: programmeID, req: req, on: db)
        }
    }

    /// The introduction e-mail to both partners: the partner's name, role, company (for an executive), topics, why
    /// this pairing, the programme's contacts and what happens next; the same as on *Mein Tandem*.
    static func introduce(
        _ tandem: Tandem, programme: Programme, data: PairingData, app: Application, on db: any Database
    ) async throws {
        for role in ParticipantRole.allCases {
            let personID = role == .mentee ? tandem.$mentee.id : tandem.$mentor.id
            guard let person = data.people[personID] else { continue }
            let locale = AppLocale(rawValue: person.locale) ?? .default
            let partner = TandemPartner(
                tandem: tandem, viewer: role, data: data, catalogue: app.catalogue, locale: locale)
            let next = app.catalogue.text(
                tandem.status == .proposed ? "tandem.next.confirm" : "tandem.next.active", locale)
            let contacts = programme.settings(timeZone: app.appConfig.timeZone).contacts
                .map { "\($0.name) <\($0.email)>" }.joined(separator: ", ")
            try await Outbox(app: app).enqueue(
                to: person, template: "mail.tandem",
                arguments: [
                    programme.name, partner.name, partner.role, partner.topicsText, partner.why, contacts, next,
                ],
                actionURL: SiteURL.myTandem.absolute(app), on: db)
        }
    }

    /// A partner accepts; with both answers the tandem is active, and with all tandems active the programme runs.
    static func accept(_ tandem: Tandem, as role: ParticipantRole, req: Request, on db: any Database) async throws {
        let now = req.now
        switch role {
        case .mentee: tandem.menteeAcceptedAt = now
        case .mentor: tandem.mentorAcceptedAt = now
        }
        if tandem.menteeAcceptedAt != nil && tandem.mentorAcceptedAt != nil {
            tandem.status = .active
            tandem.activatedAt = now
        }
        try await tandem.save(on: db)
        if tandem.status == .active {
            try await PairingChanges.advanceIfComplete(programmeID: tandem.$programme.id, req: req, on: db)
        }
    }

    /// Closes a published tandem: declined (by a partner, while proposed), withdrawn (by the organisers, while
    /// proposed) or ended (active). The pair is banned from proposals ("not again"); the organisers are told who
    /// closed it and read the reason on the board; the other partner is told, never the reason.
    static func close(
        _ tandem: Tandem, by closer: Tandem.Closer, reason: String, programme: Programme, req: Request,
        on db: any Database
    ) async throws {
        let wasActive = tandem.status == .active
        tandem.status = wasActive ? .ended : (closer == .organiser ? .withdrawn : .declined)
        tandem.closedAt = req.now
        tandem.closedBy = closer
        tandem.closingReason = reason
        try await tandem.save(on: db)
        let exists = try await PairingBan.query(on: db).filter(\.$programme.$id == tandem.$programme.id)
            .filter(\.$mentee.$id == tandem.$mentee.id).filter(\.$mentor.$id == tandem.$mentor.id).first()
        if exists == nil {
            try await PairingBan(
                programmeID: tandem.$programme.id, menteeID: tandem.$mentee.id, mentorID: tandem.$mentor.id,
                cause: tandem.status == .declined ? .declined : (closer == .organiser ? .organiser : .ended)
            ).create(on: db)
        }
        let app = req.application
        let mentee = try await User.find(tandem.$mentee.id, on: db)
        let mentor = try await User.find(tandem.$mentor.id, on: db)
        let outbox = Outbox(app: app)
        let pairNames = "\(mentee?.name ?? "") – \(mentor?.name ?? "")"
        // The partners who did not close it learn that it ends, not why.
        for (person, role) in [(mentee, Tandem.Closer.mentee), (mentor, .mentor)] where role != closer {
            guard let person else { continue }
            try await outbox.enqueue(
                to: person, template: wasActive ? "mail.tandemEnded" : "mail.tandemCancelled",
                arguments: [programme.name], actionURL: SiteURL.myTandem.absolute(app), on: db)
        }
        if closer != .organiser {
            let organisers = try await User.query(on: db).filter(\.$isOrganiser == true).all()
            let closerName = (closer == .mentee ? mentee : mentor)?.name ?? ""
            for organiser in organisers {
                try await outbox.enqueue(
                    to: organiser, template: wasActive ? "mail.organiserTandemEnded" : "mail.organiserTandemDeclined",
                    arguments: [programme.name, pairNames, closerName],
                    actionURL: SiteURL.programme(.value(try programme.requireID()), .pairing).absolute(app), on: db)
            }
        }
    }
}
