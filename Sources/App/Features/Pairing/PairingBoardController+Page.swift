import Fluent
import Mentoring
import Vapor

/// The board page: summary beside the first-choice-first baseline, the tandems with their reasons and actions,
/// the unpaired mentees with reasons and alternatives, the mentors' capacities, and the closed tandems.
extension PairingBoardController {
    struct BoardLinks: Encodable, Sendable {
        let programme, recompute, assign, swap, capacities, settings, publish, export, exportExcel: String

        init(_ id: UUID) {
            func path(_ page: SiteURL.ProgrammePage) -> String { SiteURL.programme(.value(id), page).path }
            programme = path(.show)
            recompute = path(.pairingRecompute)
            assign = path(.pairingAssign)
            swap = path(.pairingSwap)
            capacities = path(.pairingCapacities)
            settings = path(.pairingSettings)
            publish = path(.pairingPublish)
            export = path(.pairingExport)
            exportExcel = path(.pairingExport) + "?format=excel"
        }
    }

    struct SummaryView: Encodable, Sendable {
        let first, second, third, mutual, paired, unpaired: Int
        let score: String

        init(_ summary: PairingAnalysis.Summary) {
            first = summary.choices[0]
            second = summary.choices[1]
            third = summary.choices[2]
            mutual = summary.mutual
            paired = summary.paired
            unpaired = summary.unpaired
            score = PairingBoardController.points(summary.totalWeight)
        }
    }

    struct TandemRow: Encodable, Sendable {
        let id: String
        let mentee, menteeDetail, mentor, mentorDetail: String
        let reasons: String
        let status, statusLabel: String
        let pinned, isDraft, isPublished: Bool
        let answers: String
        let unassignAction, pinAction, banAction, endAction: String
    }

    struct Alternative: Encodable, Sendable {
        let mentorID, mentor, reasons, effect: String
        let displace: String?
    }

    struct UnpairedRow: Encodable, Sendable {
        let id, name, detail, reason: String
        let alternatives: [Alternative]
    }

    struct MentorRow: Encodable, Sendable {
        let id, name, field: String
        let capacity, load: Int
    }

    struct ClosedRow: Encodable, Sendable {
        let pair, statusLabel, closedBy, reason, date: String
    }

    struct Option: Encodable, Sendable {
        let value, label: String
    }

    struct BoardPage: Encodable, Sendable {
        let programmeName: String
        let links: BoardLinks
        let revision: Int
        let computed: Bool
        let computedAt: String?
        let partnersConfirm: Bool
        let current, baseline: SummaryView
        let optimum: String?
        let optimumPaired: Int
        let score: String
        let counts: [String: Int]
        let tandems: [TandemRow]
        let unpaired: [UnpairedRow]
        let mentors: [MentorRow]
        let closed: [ClosedRow]
        let unpairedOptions, mentorOptions, draftOptions: [Option]
        let hasDrafts: Bool
    }

    /// Weights are 0…1,000,000 per pair; organisers read points, a thousandth of that.
    static func points(_ weight: Int) -> String {
        var digits = String(weight / 1_000)
        var grouped = ""
        while digits.count > 3 {
            grouped = "." + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        return digits + grouped
    }

    @Sendable func show(req: Request) async throws -> Response {
        let programme = try req.programme
        let programmeID = try programme.requireID()
        let data = try await PairingData.load(programmeID: programmeID, on: req.db)
        let catalogue = req.application.catalogue, locale = req.appLocale
        let formatting = req.application.dateFormatting
        let analysis = PairingAnalysis(data.input)
        let name = { (id: UUID) in data.people[id]?.name ?? "" }
        let menteeDetail = { (id: UUID) -> String in
            guard let profile = data.menteeProfiles[id] else { return "" }
            return [profile.position, profile.company].filter { !$0.isEmpty }.joined(separator: ", ")
        }
        let mentorDetail = { (id: UUID) in data.mentorProfiles[id]?.teamRole ?? "" }

        let current = data.current.sorted {
            (name($0.$mentee.id), $0.id?.uuidString ?? "") < (name($1.$mentee.id), $1.id?.uuidString ?? "")
        }
        let currentPairs = current.map(\.pair)
        let rows = current.map { tandem -> TandemRow in
            let id = tandem.id!
            let answered: String
            switch tandem.status {
            case .proposed:
                answered = [
                    tandem.menteeAcceptedAt == nil ? nil : catalogue.text("pairing.accepted.mentee", locale),
                    tandem.mentorAcceptedAt == nil ? nil : catalogue.text("pairing.accepted.mentor", locale),
                ].compactMap { $0 }.joined(separator: " · ")
            default: answered = ""
            }
            return TandemRow(
                id: id.uuidString, mentee: name(tandem.$mentee.id), menteeDetail: menteeDetail(tandem.$mentee.id),
                mentor: name(tandem.$mentor.id), mentorDetail: mentorDetail(tandem.$mentor.id),
                reasons: PairingWords.reasons(tandem.reasons, catalogue: catalogue, locale: locale),
                status: tandem.status.rawValue,
                statusLabel: catalogue.text("tandem.status.\(tandem.status.rawValue)", locale), pinned: tandem.pinned,
                isDraft: tandem.status == .draft, isPublished: tandem.status != .draft, answers: answered,
                unassignAction: SiteURL.programme(.value(programmeID), .pairingUnassign(.value(id))).path,
                pinAction: SiteURL.programme(.value(programmeID), .pairingPin(.value(id))).path,
                banAction: SiteURL.programme(.value(programmeID), .pairingBan(.value(id))).path,
                endAction: SiteURL.programme(.value(programmeID), .pairingEnd(.value(id))).path)
        }

        let paired = Set(current.map(\.$mentee.id))
        var byMentor: [UUID: [Tandem]] = [:]
        for tandem in current { byMentor[tandem.$mentor.id, default: []].append(tandem) }
        let unpairedMentees = data.mentees.filter { !paired.contains($0.id!) }
        let unpaired = unpairedMentees.map { mentee -> UnpairedRow in
            let key = mentee.id!.uuidString
            let options = analysis.alternatives(for: key, current: currentPairs)
            let reason: String
            if options.isEmpty {
                reason = catalogue.text("pairing.unpaired.noAllowedPair", locale)
            } else if options.contains(where: { $0.displaces == nil }) {
                reason = catalogue.text("pairing.unpaired.free", locale)
            } else {
                reason = catalogue.text("pairing.unpaired.allFull", locale)
            }
            let alternatives = options.compactMap { option -> Alternative? in
                guard let mentorID = UUID(uuidString: option.mentor) else { return nil }
                let displacedID = option.displaces.flatMap(UUID.init(uuidString:))
                let displacedTandem = displacedID.flatMap { id in byMentor[mentorID]?.first { $0.$mentee.id == id } }
                let effect =
                    displacedID.map {
                        catalogue.text(
                            "pairing.alternative.displaces", locale,
                            [name($0), Self.signedPoints(option.weightChange)])
                    } ?? catalogue.text("pairing.alternative.free", locale, [Self.signedPoints(option.weightChange)])
                return Alternative(
                    mentorID: mentorID.uuidString, mentor: name(mentorID),
                    reasons: PairingWords.reasons(option.reasons, catalogue: catalogue, locale: locale), effect: effect,
                    displace: displacedTandem.flatMap { $0.status == .draft && !$0.pinned ? $0.id?.uuidString : nil })
            }
            return UnpairedRow(
                id: key, name: mentee.name, detail: menteeDetail(mentee.id!), reason: reason, alternatives: alternatives
            )
        }

        let mentors = data.mentors.map { mentor -> MentorRow in
            let id = mentor.id!
            return MentorRow(
                id: id.uuidString, name: mentor.name, field: "capacity[\(id.uuidString)]",
                capacity: data.capacities[id] ?? 1, load: byMentor[id]?.count ?? 0)
        }
        let closed = data.tandems.filter { !$0.status.isCurrent }.sorted {
            ($0.closedAt ?? .distantPast) > ($1.closedAt ?? .distantPast)
        }
        .map { tandem in
            ClosedRow(
                pair: "\(name(tandem.$mentee.id)) – \(name(tandem.$mentor.id))",
                statusLabel: catalogue.text("tandem.status.\(tandem.status.rawValue)", locale),
                closedBy: tandem.closedBy.map { catalogue.text("tandem.closedBy.\($0.rawValue)", locale) } ?? "",
                reason: tandem.closingReason ?? "",
                date: tandem.closedAt.map { formatting.dateTime($0, locale) } ?? "")
        }
        var counts: [String: Int] = [:]
        for tandem in data.tandems { counts[tandem.status.rawValue, default: 0] += 1 }
        let full = Set(mentors.filter { $0.load >= $0.capacity }.map(\.id))
        let board = data.board
        let currentSummary = analysis.summary(of: currentPairs)
        let page = BoardPage(
            programmeName: programme.name, links: BoardLinks(programmeID), revision: board?.revision ?? 0,
            computed: board?.computedAt != nil, computedAt: board?.computedAt.map { formatting.dateTime($0, locale) },
            partnersConfirm: programme.partnersConfirm, current: SummaryView(currentSummary),
            baseline: SummaryView(analysis.summary(of: analysis.firstChoiceFirst())),
            optimum: board?.computedAt == nil ? nil : Self.points(board?.optimumWeight ?? 0),
            optimumPaired: board?.optimumPaired ?? 0, score: Self.points(currentSummary.totalWeight), counts: counts,
            tandems: rows, unpaired: unpaired, mentors: mentors, closed: closed,
            unpairedOptions: unpairedMentees.map { Option(value: $0.id!.uuidString, label: $0.name) },
            mentorOptions: data.mentors.filter { !full.contains($0.id!.uuidString) }.map {
                Option(value: $0.id!.uuidString, label: $0.name)
            },
            draftOptions: rows.filter(\.isDraft).map { Option(value: $0.id, label: "\($0.mentee) – \($0.mentor)") },
            hasDrafts: rows.contains(where: \.isDraft))
        return try await PageRenderer.render(
            "Pairing/board", page, title: req.t("pairing.title") + " – " + programme.name, for: req)
    }

    static func signedPoints(_ weight: Int) -> String {
        (weight >= 0 ? "+" : "−") + points(abs(weight))
    }
}
