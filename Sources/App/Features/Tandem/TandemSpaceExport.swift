import Fluent
import Foundation
import Vapor

/// A partner's own tandem space in their data export (DSGVO Art. 15/20): the agreement's versions, meetings, shared
/// notes, their own reflections (never the partner's) and experiments, opened from their sealed form.
struct TandemSpaceExport: Content {
    struct Agreement: Content {
        let version: Int
        let goals: [TandemAgreement.Content.Goal]
        let groundRules: String
        let channel: String
        let rhythmWeeks: Int
        let endsOn: String
        let confirmedByBoth: Bool
    }
    struct Meeting: Content {
        let startsAt: Date
        let minutes: Int
        let place: String
        let status: String
    }
    struct Note: Content {
        let writtenBy: String
        let text: String
        let createdAt: Date?
    }
    struct Experiment: Content {
        let what, happened, learned, owner, dueOn, status: String
    }

    let agreements: [Agreement]
    let meetings: [Meeting]
    let sharedNotes: [Note]
    let ownReflections: [Note]
    let experiments: [Experiment]

    static func load(
        tandemID: UUID, userID: UUID, sealer: DataSealer, on db: any Database
    ) async throws
        -> TandemSpaceExport
    {
        let agreements = try await TandemAgreement.query(on: db).filter(\.$tandem.$id == tandemID)
            .sort(\.$version).all()
        let meetings = try await TandemMeeting.query(on: db).filter(\.$tandem.$id == tandemID).sort(\.$startsAt).all()
        let notes = try await TandemNote.query(on: db).filter(\.$tandem.$id == tandemID).sort(\.$createdAt).all()
        let experiments = try await TandemExperiment.query(on: db).filter(\.$tandem.$id == tandemID).all()
        return TandemSpaceExport(
            agreements: try agreements.map {
                let content = try sealer.open(json: TandemAgreement.Content.self, $0.contentSealed)
                return Agreement(
                    version: $0.version, goals: content.goals, groundRules: content.groundRules,
                    channel: $0.channel.rawValue, rhythmWeeks: $0.rhythmWeeks, endsOn: $0.endsOn,
                    confirmedByBoth: $0.isConfirmed)
            },
            meetings: try meetings.map {
                Meeting(
                    startsAt: $0.startsAt, minutes: $0.minutes, place: try sealer.open($0.placeSealed),
                    status: $0.status.rawValue)
            },
            sharedNotes: try notes.filter { $0.kind == .shared }.map {
                Note(
                    writtenBy: $0.authorID == userID ? "me" : "partner", text: try sealer.open($0.bodySealed),
                    createdAt: $0.createdAt)
            },
            ownReflections: try notes.filter { $0.kind != .shared && $0.authorID == userID }.map {
                Note(writtenBy: "me", text: try sealer.open($0.bodySealed), createdAt: $0.createdAt)
            },
            experiments: try experiments.map {
                let content = try sealer.open(json: TandemExperiment.Content.self, $0.contentSealed)
                return Experiment(
                    what: content.what, happened: content.happened, learned: content.learned, owner: $0.owner.rawValue,
                    dueOn: $0.dueOn, status: $0.status.rawValue)
            })
    }
}
