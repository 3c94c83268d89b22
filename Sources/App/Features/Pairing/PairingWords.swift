import Foundation
import Mentoring
import Vapor

/// The pairing policy's values in words, from the catalogues, in the reader's language.
enum PairingWords {
    /// All reasons, for organisers: "1. Wahl der Mentee · Mentor:in hat sie markiert · beide sagten Ja · 3 gemeinsame
    /// Themen".
    static func reasons(_ reasons: [PairReason], catalogue: Catalogue, locale: AppLocale) -> String {
        reasons.map { reason(in: $0, catalogue: catalogue, locale: locale) }.joined(separator: " · ")
    }

    /// The reasons partners may read: what speaks for the pair, never a "maybe" or who was pinned.
    static func reasonsForPartners(_ reasons: [PairReason], catalogue: Catalogue, locale: AppLocale) -> String {
        let shown = reasons.filter {
            switch $0 {
            case .menteeChoice, .mentorMarked, .bothSaidYes, .sharedTopics: true
            case .menteeSaid(let answer), .mentorSaid(let answer): answer == .yes
            case .pinned, .noShortlist: false
            }
        }
        guard !shown.isEmpty else { return catalogue.text("pairing.reason.organisers", locale) }
        return shown.map { reason(in: $0, catalogue: catalogue, locale: locale) }.joined(separator: " · ")
    }

    static func reason(in reason: PairReason, catalogue: Catalogue, locale: AppLocale) -> String {
        switch reason {
        case .pinned: catalogue.text("pairing.reason.pinned", locale)
        case .menteeChoice(let rank): catalogue.text("pairing.reason.choice", locale, [String(rank)])
        case .mentorMarked: catalogue.text("pairing.reason.marked", locale)
        case .bothSaidYes: catalogue.text("pairing.reason.bothYes", locale)
        case .menteeSaid(let answer):
            catalogue.text(
                "pairing.reason.menteeSaid", locale, [catalogue.text("rating.answer.\(answer.rawValue)", locale)])
        case .mentorSaid(let answer):
            catalogue.text(
                "pairing.reason.mentorSaid", locale, [catalogue.text("rating.answer.\(answer.rawValue)", locale)])
        case .sharedTopics(let count): catalogue.plural("pairing.reason.topics", count: count, locale)
        case .noShortlist: catalogue.text("pairing.reason.noShortlist", locale)
        }
    }

    static func editProblem(
        _ problem: PairingAnalysis.EditProblem, subject: String, app: Application, locale: AppLocale
    ) -> String {
        let c = app.catalogue
        return switch problem {
        case .banned: c.text("pairing.refused.banned", locale, [subject])
        case .noCommonLanguage: c.text("pairing.refused.language", locale, [subject])
        case .mentorUnavailable: c.text("pairing.refused.unavailable", locale, [subject])
        case .mentorFull(let capacity): c.text("pairing.refused.full", locale, [subject, String(capacity)])
        }
    }

    static func policyError(
        _ error: PairingPolicyError, data: PairingData, app: Application, locale: AppLocale
    )
        -> String
    {
        let name = { (id: String) in UUID(uuidString: id).flatMap { data.people[$0]?.name } ?? id }
        let pair = { (p: PairID) in "\(name(p.mentee)) – \(name(p.mentor))" }
        let c = app.catalogue
        return switch error {
        case .unknownPerson(let id): c.text("pairing.refused.unknownPerson", locale, [name(id)])
        case .pinnedAndBanned(let p): c.text("pairing.refused.banned", locale, [pair(p)])
        case .menteePinnedTwice(let id): c.text("pairing.refused.pinnedTwice", locale, [name(id)])
        case .mentorOverPinned(let id): c.text("pairing.refused.overPinned", locale, [name(id)])
        case .noCommonLanguage(let p): c.text("pairing.refused.language", locale, [pair(p)])
        }
    }
}

/// One partner as the other sees them, on *Mein Tandem* and in the introduction e-mail.
struct TandemPartner: Encodable, Sendable {
    let name: String
    let email: String
    /// "Mentor:in · Cloud Solution Architect" or "Mentee · CTO, Koch Maschinenbau GmbH".
    let role: String
    let topics: [String]
    let topicsText: String
    let why: String

    init(tandem: Tandem, viewer: ParticipantRole, data: PairingData, catalogue: Catalogue, locale: AppLocale) {
        let partnerID = viewer == .mentee ? tandem.$mentor.id : tandem.$mentee.id
        let partner = data.people[partnerID]
        name = partner?.name ?? ""
        email = partner?.email ?? ""
        if viewer == .mentee {
            let profile = data.mentorProfiles[partnerID]
            role = [catalogue.text("role.mentor", locale), profile?.teamRole ?? ""].filter { !$0.isEmpty }
                .joined(separator: " · ")
            topics = profile?.topics ?? []
        } else {
            let profile = data.menteeProfiles[partnerID]
            let job = [profile?.position ?? "", profile?.company ?? ""].filter { !$0.isEmpty }.joined(separator: ", ")
            role = [catalogue.text("role.mentee", locale), job].filter { !$0.isEmpty }.joined(separator: " · ")
            topics = profile?.topics ?? []
        }
        topicsText = topics.isEmpty ? "–" : topics.joined(separator: ", ")
        why = PairingWords.reasonsForPartners(tandem.reasons, catalogue: catalogue, locale: locale)
    }
}
