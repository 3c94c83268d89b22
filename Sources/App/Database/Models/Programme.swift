import Fluent
import Foundation
import Mentoring

/// One run of reverse mentoring with its settings and phase.
final class Programme: Model, @unchecked Sendable {
    static let schema = "programmes"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "description") var description: String
    @Field(key: "phase") var phase: ProgrammePhase
    @OptionalField(key: "kickoff_at") var kickoffAt: Date?
    @Field(key: "duration_months") var durationMonths: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    @Children(for: \.$programme) var participations: [Participation]

    init() {}

    init(id: UUID? = nil, name: String, description: String, phase: ProgrammePhase = .draft,
         kickoffAt: Date? = nil, durationMonths: Int = 9) {
        self.id = id
        self.name = name
        self.description = description
        self.phase = phase
        self.kickoffAt = kickoffAt
        self.durationMonths = durationMonths
    }
}
