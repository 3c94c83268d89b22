import Fluent
import Foundation
import Vapor

/// Pairs that must not meet at the kickoff (e.g. a mentee's own team member): added and removed from the kickoff
/// page, honoured by every plan and re-plan.
extension KickoffPlanController {
    struct ExclusionForm: Content {
        var mentee: String
        var mentor: String
    }

    @Sendable func addExclusion(req: Request) async throws -> Response {
        let programme = try req.programme
        let programmeID = try programme.requireID()
        guard let kickoff = try await Kickoff.query(on: req.db).filter(\.$programme.$id == programmeID).first() else {
            throw AppError.wrongPhase
        }
        try KickoffRecord.ensure(.openRounds, kickoff, now: req.now)
        let form = try req.content.decode(ExclusionForm.self)
        let people = try await Self.people(programmeID: programmeID, on: req.db)
        guard let mentee = people.mentees.first(where: { $0.id?.uuidString == form.mentee }),
            let mentor = people.mentors.first(where: { $0.id?.uuidString == form.mentor })
        else { throw Abort(.badRequest) }
        let kickoffID = try kickoff.requireID()
        let exists =
            try await KickoffExclusion.query(on: req.db).filter(\.$kickoff.$id == kickoffID)
            .filter(\.$mentee.$id == mentee.requireID()).filter(\.$mentor.$id == mentor.requireID()).first() != nil
        if !exists {
            try await req.db.writeTransaction { db in
                try await KickoffExclusion(
                    kickoffID: kickoffID, menteeID: mentee.requireID(), mentorID: mentor.requireID()
                ).create(on: db)
                try await req.audit(
                    "kickoff.excluded", programme: programmeID, details: "\(mentee.name) – \(mentor.name)", on: db)
            }
        }
        req.flash("info", req.t("kickoff.excluded", mentee.name, mentor.name))
        return req.redirect(to: .programme(programmeID, .kickoff))
    }

    @Sendable func deleteExclusion(req: Request) async throws -> Response {
        let programme = try req.programme
        let programmeID = try programme.requireID()
        guard let id = req.parameters.get("exclusionID", as: UUID.self),
            let exclusion = try await KickoffExclusion.query(on: req.db).filter(\.$id == id).with(\.$kickoff).first(),
            exclusion.kickoff.$programme.id == programmeID
        else { throw AppError.notFound }
        try KickoffRecord.ensure(.openRounds, exclusion.kickoff, now: req.now)
        try await exclusion.delete(on: req.db)
        req.flash("info", req.t("kickoff.exclusionRemoved"))
        return req.redirect(to: .programme(programmeID, .kickoff))
    }
}
