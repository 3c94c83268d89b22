import Foundation
import Mentoring
import Vapor

/// The organiser's controls (start, pause, …), shown at the top of the kickoff page and in the live view.
struct ControlRoom: Encodable {
    struct Action: Encodable {
        let value: String
        let label: String
    }
    let state: String?
    let action: String
    /// Where the form returns: "live" (the live view) or "plan" (the kickoff page).
    let returnTo: String
    let actions: [Action]

    static let actionValues = ["startInAMinute", "start", "pause", "resume", "extend", "replan", "end"]

    static func make(programmeID: UUID, state: String?, returnTo: String, req: Request) -> ControlRoom {
        ControlRoom(
            state: state, action: SiteURL.programme(programmeID, .kickoffControl).path, returnTo: returnTo,
            actions: actionValues.map { .init(value: $0, label: req.t("live.action.\($0)")) })
    }
}
