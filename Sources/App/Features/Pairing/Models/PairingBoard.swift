import Fluent
import Foundation

/// One per programme: the board's revision (raised by every change, so an edit made on an older page is refused
/// with what changed meanwhile) and the optimum of the last computation, to compare the edited board with.
final class PairingBoard: Model, @unchecked Sendable {
    static let schema = "pairing_boards"

    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Field(key: "revision") var revision: Int
    @Field(key: "optimum_weight") var optimumWeight: Int
    @Field(key: "optimum_paired") var optimumPaired: Int
    @OptionalField(key: "computed_at") var computedAt: Date?
    /// The last change as a catalogue key of the audit action (`audit.pairing.assigned`, …) and its subject.
    @Field(key: "last_change") var lastChange: String
    @Field(key: "last_change_by") var lastChangeBy: String
    @OptionalField(key: "last_change_at") var lastChangeAt: Date?

    init() {}

    init(programmeID: UUID) {
        self.$programme.id = programmeID
        self.revision = 0
        self.optimumWeight = 0
        self.optimumPaired = 0
        self.lastChange = ""
        self.lastChangeBy = ""
    }
}
