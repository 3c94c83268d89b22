import Fluent
import Foundation
import Mentoring
import Vapor

/// A partner's view of one tandem: the tandem, their role, the programme and the year's calendar. Everything in
/// the space goes through ``TandemSpace/load(_:on:)``, which refuses anybody who is not one of the two.
struct TandemSpace: Sendable {
    let tandem: Tandem
    let tandemID: UUID
    let role: ParticipantRole
    let userID: UUID
    let programme: Programme
    let year: TandemYear
    let timeZone: TimeZone

    /// Text limits, in characters.
    enum Limit {
        static let goal = 500
        static let groundRules = 5_000
        static let place = 500
        static let note = 20_000
        static let experiment = 2_000
        static let goals = 3
    }

    var partnerID: UUID { role == .mentee ? tandem.$mentor.id : tandem.$mentee.id }

    /// Ended tandems stay readable for the two, read-only.
    var isReadOnly: Bool { tandem.status != .active }

    /// The tandem of the URL (`tandemID`) if the signed-in person is one of its two partners and it has started
    /// (active or ended). Anybody else gets 403 and learns nothing, not even whether the tandem exists.
    static func load(_ req: Request, on db: any Database) async throws -> TandemSpace {
        let userID = try req.requireUser.requireID()
        guard let id = req.parameters.get("tandemID", as: UUID.self), let tandem = try await Tandem.load(id, on: db)
        else { throw TandemError.notPartner }
        let role: ParticipantRole
        if tandem.$mentee.id == userID {
            role = .mentee
        } else if tandem.$mentor.id == userID {
            role = .mentor
        } else {
            throw TandemError.notPartner
        }
        guard [.active, .ended].contains(tandem.status) else { throw TandemError.notYetActive }
        // A page view reads the programme's row from the 5-second cache; a change reads it in its transaction.
        let reading = !db.inTransaction && (req.method == .GET || req.method == .HEAD)
        guard
            let programme = reading
                ? try await Programme.loadForReading(tandem.$programme.id, req: req)
                : try await Programme.load(tandem.$programme.id, on: db)
        else {
            throw TandemError.notPartner
        }
        let timeZone = req.application.appConfig.timeZone
        guard let year = TandemYear.of(tandem, programme: programme, timeZone: timeZone) else {
            throw TandemError.notYetActive
        }
        return TandemSpace(
            tandem: tandem, tandemID: id, role: role, userID: userID, programme: programme, year: year,
            timeZone: timeZone)
    }

    /// The closing reflection opens in the year's last month (and stays open once the tandem has ended).
    func closingOpen(today: CalendarDate) -> Bool {
        today >= year.firstDay(ofMonth: year.months) || tandem.status == .ended
    }

    /// Refuses changes to an ended tandem.
    func requireWritable() throws {
        if isReadOnly { throw TandemError.readOnly }
    }

    /// The agreement in force (the latest version both confirmed) and a newer one waiting for confirmation.
    func agreements(
        on db: any Database
    ) async throws -> (current: TandemAgreement?, pending: TandemAgreement?, all: [TandemAgreement]) {
        let all = try await TandemAgreement.all(tandem: tandemID, on: db)
        let current = all.first(where: \.isConfirmed)
        let pending = all.first.flatMap { $0.isConfirmed ? nil : $0 }
        return (current, pending, all)
    }

    /// The last day meetings may lie on: the agreed end date, else the end of the programme's tandem year.
    func lastDay(agreement: TandemAgreement?) -> CalendarDate { year.lastDay(agreement: agreement) }

    // MARK: - Input checks

    /// Trimmed, required, at most `limit` characters.
    static func required(_ raw: String?, field: String, limit: Int) throws -> String {
        let text = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw TandemError.fieldMissing(field) }
        guard text.count <= limit else { throw TandemError.tooLong(field: field, limit: limit) }
        return text
    }

    /// Trimmed, may be empty, at most `limit` characters.
    static func optional(_ raw: String?, field: String, limit: Int) throws -> String {
        let text = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count <= limit else { throw TandemError.tooLong(field: field, limit: limit) }
        return text
    }

    /// A meeting's start from the form's date and time (Europe/Berlin), checked against now and the year.
    func meetingStart(
        date: String?, time: String?, minutes: Int?, now: Date, agreement: TandemAgreement?
    ) throws -> (start: Date, minutes: Int) {
        guard let date, let time, let day = CalendarDate(parsing: date),
            let start = LocalDateTime.parse("\(date)T\(time)", in: timeZone)
        else { throw TandemError.badMeetingTime }
        guard let minutes, (15...240).contains(minutes) else { throw TandemError.badLength }
        let last = lastDay(agreement: agreement)
        if start <= now { throw TandemError.meetingInPast }
        if day < year.start { throw TandemError.meetingBeforeStart }
        if day > last { throw TandemError.meetingAfterEnd(last.german) }
        return (start, minutes)
    }
}

extension TandemYear {
    /// A tandem's year: from the day it became active (in `timeZone`) for the programme's months; nil before then.
    static func of(_ tandem: Tandem, programme: Programme, timeZone: TimeZone) -> TandemYear? {
        guard let activatedAt = tandem.activatedAt else { return nil }
        let months =
            TandemDuration.allowedMonths.contains(programme.durationMonths)
            ? programme.durationMonths : TandemDuration.defaultMonths
        return TandemYear(start: CalendarDate.today(in: timeZone, now: activatedAt), months: months)
    }

    /// The last day of the tandem: the end date of the agreement in force, else the end of the year.
    func lastDay(agreement: TandemAgreement?) -> CalendarDate {
        agreement.flatMap { CalendarDate(parsing: $0.endsOn) } ?? end
    }
}

extension DataSealer {
    func seal<T: Encodable>(json value: T) throws -> String { try seal(JSONText.encode(value)) }

    func open<T: Decodable>(json type: T.Type, _ sealed: String) throws -> T {
        guard let value = JSONText.decode(type, try open(sealed)) else { throw Problem.damaged }
        return value
    }
}
