import Fluent
import Mentoring
import Vapor

/// The board page: summary beside the first-choice-first baseline, the tandems with their reasons and actions,
/// the unpaired mentees with reasons and alternatives, the mentors' capacities, and the closed tandems.
extension PairingBoardController {
    struct BoardLinks: Encodable, Sendable {
        let board, programme, recompute, assign, swap, capacities, settings, publish, export, exportExcel: String

        init(_ id: UUID) {
            func path(_ page: SiteURL.ProgrammePage) -> String { SiteURL.programme(.value(id), page).path }
            board = path(.pairing)
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
        let unassignAction, pinAction, banAction, endAction, swapHref: String
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
        let reasonLimit: Int
        let tandems: [TandemRow]
        let unpaired: [UnpairedRow]
        let closed: [ClosedRow]
        let unpairedOptions, mentorOptions: [Option]
        /// The draft chosen with "Tauschen…" (`?swap=`) and the drafts it may swap with; none otherwise.
        let swapFrom: Option?
        let swapOptions: [Option]
        let hasDrafts: Bool
        let listing: Listing
        let unavailableMentors: Int
        let mentorCount: Int
    }

    /// One page of the tandem table: the search, the status filter and the links to the neighbouring pages.
    struct Listing: Encodable, Sendable {
        let search: String
        let statusOptions: [Choice]
        let from, to, total, all: Int
        let previous, next: String?
    }

    struct Choice: Encodable, Sendable {
        let value, label: String
        let selected: Bool
    }

    /// Tandems per page of the board's table.
    static let pageSize = 100

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
        let data = try await PairingData.load(
            programmeID: programmeID, on: req.db, cache: req.application.pairingInputCache)
        let catalogue = req.application.catalogue, locale = req.appLocale
        let formatting = req.application.dateFormatting
        let analysis = PairingAnalysis(data.input)
        let name = { (id: UUID) in data.people[id]?.name ?? "" }
        let menteeDetail = { (id: UUID) -> String in
            guard let profile = data.menteeProfiles[id] else { return "" }
            return [profile.position, profile.company].filter { !$0.isEmpty }.joined(separator: ", ")
        }
        let mentorDetail = { (id: UUID) in data.mentorProfiles[id]?.teamRole ?? "" }

        // By the mentee's name (a mentee has one current tandem); the keys are computed once, not per comparison.
        let current = data.current.map { (name($0.$mentee.id), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
        let currentPairs = current.map(data.pair)
        // The table shows one page of tandems, found by name and status; the summary counts all of them.
        let search = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
        let statusFilter = req.query[String.self, at: "status"] ?? ""
        let needle = search.lowercased()
        let shown = current.filter { tandem in
            let statusOK: Bool
            switch statusFilter {
            case "pinned": statusOK = tandem.pinned && tandem.status == .draft
            case "": statusOK = true
            default: statusOK = tandem.status.rawValue == statusFilter
            }
            return statusOK
                && (needle.isEmpty || name(tandem.$mentee.id).lowercased().contains(needle)
                    || name(tandem.$mentor.id).lowercased().contains(needle))
        }
        let pageCount = max(1, (shown.count + Self.pageSize - 1) / Self.pageSize)
        let pageNumber = min(max(req.query[Int.self, at: "page"] ?? 1, 1), pageCount)
        let pageSlice = shown.dropFirst((pageNumber - 1) * Self.pageSize).prefix(Self.pageSize)
        let rows = pageSlice.map { tandem -> TandemRow in
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
                endAction: SiteURL.programme(.value(programmeID), .pairingEnd(.value(id))).path,
                swapHref: SiteURL.programme(.value(programmeID), .pairing).path + "?swap=\(id.uuidString)#swap-heading")
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

        let loads = byMentor.mapValues(\.count)
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
        let swapID = req.query[UUID.self, at: "swap"]
        let draftOption = { (tandem: Tandem) in
            Option(value: tandem.id!.uuidString, label: "\(name(tandem.$mentee.id)) – \(name(tandem.$mentor.id))")
        }
        let swapFrom = swapID.flatMap { id in current.first { $0.id == id && $0.status == .draft } }.map(draftOption)
        let boardPath = SiteURL.programme(.value(programmeID), .pairing).path
        let pageHref = { (number: Int) -> String in
            var query = ["page=\(number)"]
            if !search.isEmpty {
                query.append("q=" + (search.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            }
            if !statusFilter.isEmpty { query.append("status=" + statusFilter) }
            return boardPath + "?" + query.joined(separator: "&") + "#tandems-heading"
        }
        let listing = Listing(
            search: search,
            statusOptions: ["", "draft", "pinned", "proposed", "active"].map { value in
                Choice(
                    value: value,
                    label: value.isEmpty
                        ? catalogue.text("pairing.filter.all", locale)
                        : value == "pinned"
                            ? catalogue.text("pairing.pinnedBadge", locale)
                            : catalogue.text("tandem.status.\(value)", locale),
                    selected: value == statusFilter)
            },
            from: shown.isEmpty ? 0 : (pageNumber - 1) * Self.pageSize + 1,
            to: (pageNumber - 1) * Self.pageSize + rows.count, total: shown.count, all: current.count,
            previous: pageNumber > 1 ? pageHref(pageNumber - 1) : nil,
            next: pageNumber < pageCount ? pageHref(pageNumber + 1) : nil)
        let capacity = { (id: UUID) in data.capacities[id] ?? 1 }
        let board = data.board
        let currentSummary = analysis.summary(of: currentPairs)
        let page = BoardPage(
            programmeName: programme.name, links: BoardLinks(programmeID), revision: board?.revision ?? 0,
            computed: board?.computedAt != nil, computedAt: board?.computedAt.map { formatting.dateTime($0, locale) },
            partnersConfirm: programme.partnersConfirm, current: SummaryView(currentSummary),
            baseline: SummaryView(analysis.summary(of: analysis.firstChoiceFirst())),
            optimum: board?.computedAt == nil ? nil : Self.points(board?.optimumWeight ?? 0),
            optimumPaired: board?.optimumPaired ?? 0, score: Self.points(currentSummary.totalWeight),
            reasonLimit: PairingPublishing.reasonLimit,
            tandems: rows, unpaired: unpaired, closed: closed,
            unpairedOptions: unpairedMentees.map { Option(value: $0.id!.uuidString, label: $0.name) },
            mentorOptions: data.mentors.filter { (loads[$0.id!] ?? 0) < capacity($0.id!) }.map {
                Option(value: $0.id!.uuidString, label: $0.name)
            },
            swapFrom: swapFrom,
            swapOptions: swapFrom == nil
                ? [] : current.filter { $0.status == .draft && $0.id != swapID }.map(draftOption),
            hasDrafts: current.contains { $0.status == .draft }, listing: listing,
            unavailableMentors: data.mentors.filter { capacity($0.id!) == 0 }.count, mentorCount: data.mentors.count)
        return try await PageRenderer.render(
            "Pairing/board", page, title: req.t("pairing.title") + " – " + programme.name, for: req)
    }

    struct CapacitiesPage: Encodable, Sendable {
        let programmeName: String
        let links: BoardLinks
        let revision: Int
        let mentors: [MentorRow]
    }

    /// Every mentor's capacity and current tandems, in one form (a page of its own: a thousand rows).
    @Sendable func showCapacities(req: Request) async throws -> Response {
        let programme = try req.programme
        let programmeID = try programme.requireID()
        let data = try await PairingData.load(programmeID: programmeID, on: req.db)
        var loads: [UUID: Int] = [:]
        for tandem in data.current { loads[tandem.$mentor.id, default: 0] += 1 }
        let mentors = data.mentors.map { mentor -> MentorRow in
            let id = mentor.id!
            return MentorRow(
                id: id.uuidString, name: mentor.name, field: "capacity[\(id.uuidString)]",
                capacity: data.capacities[id] ?? 1, load: loads[id] ?? 0)
        }
        return try await PageRenderer.render(
            "Pairing/capacities",
            CapacitiesPage(
                programmeName: programme.name, links: BoardLinks(programmeID), revision: data.board?.revision ?? 0,
                mentors: mentors),
            title: req.t("pairing.capacity.title") + " – " + programme.name, for: req)
    }

    static func signedPoints(_ weight: Int) -> String {
        (weight >= 0 ? "+" : "−") + points(abs(weight))
    }
}
