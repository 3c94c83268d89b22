import Fluent
import Mentoring
import Vapor

/// Confirming applications once the applicant has proven their address by opening a sign-in link.
enum MentorApplications {
    static func confirmPending(for user: User, on db: any Database, now: Date) async throws {
        try await MentorApplicationRecord.query(on: db)
            .filter(\.$user.$id == user.requireID()).filter(\.$status == .unconfirmed)
            .set(\.$status, to: .submitted).set(\.$confirmedAt, to: now)
            .update()
    }

    /// "Betriebszugehörigkeit 4 Monate, mindestens 6 erforderlich" and friends, in the reader's language.
    static func describe(_ finding: EligibilityFinding, req: Request) -> String {
        switch finding {
        case .tenureTooShort(let months, let required):
            req.t("eligibility.tenureTooShort", req.tp("months", months), String(required))
        case .startDateInFuture:
            req.t("eligibility.startDateInFuture")
        case .talentProgrammeMissing(let required):
            req.t("eligibility.talentProgrammeMissing", required)
        }
    }
}
