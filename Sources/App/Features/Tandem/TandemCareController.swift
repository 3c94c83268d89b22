import Fluent
import Foundation
import Mentoring
import SQLKit
import Vapor

/// The organisers' side of the tandem year: every tandem's health from metadata only (``TandemHealthRow`` has no
/// field that could hold a note, goal, reflection or experiment), the "stalled after" setting, the check-in
/// e-mail, and the programme's prompt catalogue.
struct TandemCareController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.programme(.key, .tandems), use: overview)
        routes.post(.programme(.key, .tandemSettings), use: saveSettings)
        routes.post(.programme(.key, .tandemCheckIn(.key)), use: checkIn)
        routes.get(.programme(.key, .prompts), use: prompts)
        routes.post(.programme(.key, .prompts), use: savePrompts)
    }

    struct OverviewPage: Sendable {
        let programme: String
        let back: String
        let rows: [TandemHealthRow]
        let counts: [Count]
        let stalledAfterDays: Int
        let settingsAction: String
        let promptsLink: String
        let empty: Bool
        let range: String
        let previous, next: String?
        let labels: Labels

        struct Count: Sendable {
            let label: String
            let value: Int
            let kind: String
            let href: String
            let selected: Bool
        }

        /// The column labels, translated once for the page (not once per row and cell).
        struct Labels: Sendable {
            let mentor, state, agreement, held, last, next, experiments, checkIn: String
        }
    }

    /// Rows per page: the page stays small (a thousand rows were half a megabyte of HTML; Leaf's cost grows with
    /// every cell).
    static let pageSize = 50

    @Sendable func overview(req: Request) async throws -> Response {
        let programme = try req.programme
        let id = try programme.requireID()
        let all = try await TandemHealthRow.cached(programme: programme, req: req)
        let filter = req.query[String.self, at: "state"].flatMap(TandemHealth.init(rawValue:))
        // Already in care order (see `cached`); a filter keeps it.
        let sorted = filter.map { state in all.filter { $0.health == state.rawValue } } ?? all
        let pages = max(1, (sorted.count + Self.pageSize - 1) / Self.pageSize)
        let pageNumber = min(max(1, req.query[Int.self, at: "page"] ?? 1), pages)
        let shown = Array(sorted.dropFirst((pageNumber - 1) * Self.pageSize).prefix(Self.pageSize))
        let base = SiteURL.programme(id, .tandems).path
        func href(page: Int, state: TandemHealth?) -> String {
            var query: [String] = []
            if let state { query.append("state=\(state.rawValue)") }
            if page > 1 { query.append("page=\(page)") }
            return query.isEmpty ? base : base + "?" + query.joined(separator: "&")
        }
        let counts = TandemHealth.allCases.map { health in
            OverviewPage.Count(
                label: req.t("care.health.\(health.rawValue)"),
                value: all.filter { $0.health == health.rawValue }.count,
                kind: health.rawValue,
                href: filter == health ? href(page: 1, state: nil) : href(page: 1, state: health),
                selected: filter == health)
        }
        let from = shown.isEmpty ? 0 : (pageNumber - 1) * Self.pageSize + 1
        let page = OverviewPage(
            programme: programme.name, back: SiteURL.programme(id).path, rows: shown, counts: counts,
            stalledAfterDays: programme.stalledAfterDays, settingsAction: SiteURL.programme(id, .tandemSettings).path,
            promptsLink: SiteURL.programme(id, .prompts).path, empty: all.isEmpty,
            range: req.t("care.range", String(from), String(from + shown.count - 1), String(sorted.count)),
            previous: pageNumber > 1 ? href(page: pageNumber - 1, state: filter) : nil,
            next: pageNumber < pages ? href(page: pageNumber + 1, state: filter) : nil,
            labels: .init(
                mentor: req.t("role.mentor"), state: req.t("care.state"), agreement: req.t("care.agreement"),
                held: req.t("care.held"), last: req.t("care.last"), next: req.t("care.next"),
                experiments: req.t("care.experiments"), checkIn: req.t("care.checkIn")))
        return PageRenderer.render(title: req.t("care.title"), for: req, capacity: 65_536) {
            page.write(into: &$0, for: req)
        }
    }

    struct SettingsForm: Content {
        var stalledAfterDays: Int?
    }

    @Sendable func saveSettings(req: Request) async throws -> Response {
        let programme = try req.programme
        let id = try programme.requireID()
        guard let days = try req.content.decode(SettingsForm.self).stalledAfterDays, (14...120).contains(days) else {
            throw TandemError.badDate(req.t("care.stalledAfterDays"))
        }
        programme.stalledAfterDays = days
        try await req.db.writeTransaction { db in
            try await programme.save(on: db)
            try await req.audit("care.settings", programme: id, details: String(days), on: db)
        }
        // The states depend on it; the cache also empties after every write request, but only after this handler.
        req.application.tandemHealthCache.invalidate()
        req.flash("success", req.t("care.settingsSaved"))
        return req.redirect(to: .programme(id, .tandems))
    }

    @Sendable func checkIn(req: Request) async throws -> Response {
        let programme = try req.programme
        let programmeID = try programme.requireID()
        guard let tandemID = req.parameters.get("tandemID", as: UUID.self),
            let tandem = try await Tandem.find(tandemID, on: req.db), tandem.$programme.id == programmeID,
            tandem.status == .active
        else { throw PairingError.unknownTandem }
        let organiser = try req.requireUser
        let now = req.now
        try await req.db.writeTransaction { db in
            // One check-in per day at most: a double click sends one e-mail.
            let day = CalendarDate.today(in: req.application.appConfig.timeZone, now: now).description
            try await TandemNotices.once(
                .checkIn, subject: day, tandem: tandem, template: "mail.care.checkIn",
                arguments: { _, _ in [organiser.name, programme.name] }, app: req.application, on: db, now: now)
            try await req.audit("care.checkIn", programme: programmeID, on: db)
        }
        req.flash("success", req.t("care.checkInSent"))
        return req.redirect(to: .programme(programmeID, .tandems))
    }

    // MARK: - Prompt catalogue

    struct PromptsPage: Encodable, Sendable {
        struct Row: Encodable, Sendable {
            let month: Int
            let german, english, material: String
        }
        let programme: String
        let back: String
        let rows: [Row]
        let action: String
        let limit: Int
    }

    static let promptLimit = 500

    @Sendable func prompts(req: Request) async throws -> Response {
        let programme = try req.programme
        let id = try programme.requireID()
        let catalogue = try await PromptCatalogue.load(programmeID: id, on: req.db)
        let rows = (1...12).map { month in
            let entry = catalogue.entry(month: month)
            return PromptsPage.Row(
                month: month, german: entry?.german ?? "", english: entry?.english ?? "",
                material: entry?.materialURL ?? "")
        }
        let page = PromptsPage(
            programme: programme.name, back: SiteURL.programme(id, .tandems).path, rows: rows,
            action: SiteURL.programme(id, .prompts).path, limit: Self.promptLimit)
        return try await PageRenderer.render("Tandem/prompts", page, title: req.t("prompts.title"), for: req)
    }

    @Sendable func savePrompts(req: Request) async throws -> Response {
        let programme = try req.programme
        let id = try programme.requireID()
        struct Entry {
            let month: Int
            let german, english: String
            let material: String?
        }
        var entries: [Entry] = []
        // Every month is checked before anything is stored: one bad field changes nothing.
        for month in 1...12 {
            let german =
                (try? req.content.get(String.self, at: "de\(month)"))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let english =
                (try? req.content.get(String.self, at: "en\(month)"))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let material =
                (try? req.content.get(String.self, at: "material\(month)"))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if german.isEmpty && english.isEmpty && material.isEmpty { continue }
            guard !german.isEmpty else { throw TandemError.badPrompt(month: month, why: req.t("prompts.why.german")) }
            guard german.count <= Self.promptLimit, english.count <= Self.promptLimit else {
                throw TandemError.badPrompt(month: month, why: req.t("prompts.why.tooLong", String(Self.promptLimit)))
            }
            if !material.isEmpty {
                guard material.count <= Self.promptLimit,
                    material.hasPrefix("https://") || material.hasPrefix("http://"),
                    URL(string: material)?.host != nil
                else { throw TandemError.badPrompt(month: month, why: req.t("prompts.why.link")) }
            }
            entries.append(
                Entry(month: month, german: german, english: english, material: material.isEmpty ? nil : material))
        }
        let stored = entries.map {
            ProgrammePrompt(
                programmeID: id, month: $0.month, questionDE: $0.german, questionEN: $0.english,
                materialURL: $0.material)
        }
        try await req.db.writeTransaction { db in
            try await ProgrammePrompt.query(on: db).filter(\.$programme.$id == id).delete()
            for prompt in stored { try await prompt.create(on: db) }
            try await req.audit("care.prompts", programme: id, details: String(stored.count), on: db)
        }
        req.flash("success", req.t("prompts.saved"))
        return req.redirect(to: .programme(id, .prompts))
    }
}

/// One tandem on the organisers' overview: names, state and counts, nothing the two wrote.
struct TandemHealthRow: Encodable, Sendable {
    let mentee, mentor: String
    let since: String
    let agreement: Bool
    let agreementText: String
    let held: Int
    let heldText: String
    let lastMeeting: String
    let nextMeeting: String
    let openExperiments: Int
    let health: String
    let healthLabel: String
    let checkInAction: String?
    let checkInSent: String?

    // swift-format-ignore: AlwaysUseLowerCamelCase
    private struct Facts: Decodable {
        let id: UUID
        let mentee_name: String
        let mentor_name: String
        let activated_at: Date?
        let agreed: Int?
        let held: Int?
        let last_held: Date?
        let next_planned: Date?
        let this_month: Int?
        let open_experiments: Int?
        let check_in: Date?
    }

    /// The rows from ``Application/tandemHealthCache``: at most 5 s old, emptied by any change through the app (a
    /// thousand tandems' aggregates cost tens of milliseconds; an organiser team refreshing must not repeat them).
    static func cached(programme: Programme, req: Request) async throws -> [TandemHealthRow] {
        let key = "\(try programme.requireID())|\(req.appLocale.rawValue)"
        let now = req.now
        return try await req.application.tandemHealthCache.value(for: key, now: now) {
            let loaded = try await load(
                programme: programme, now: now, timeZone: req.application.appConfig.timeZone, req: req)
            // Who needs care first: stalled, then due, then on track; by mentee within each. Sorted once per cache
            // entry (sorting a thousand rows on every view was a sixth of the page's time).
            let order: [String: Int] = [TandemHealth.stalled.rawValue: 0, TandemHealth.due.rawValue: 1]
            return loaded.enumerated().sorted {
                (order[$0.element.health] ?? 2, $0.offset) < (order[$1.element.health] ?? 2, $1.offset)
            }.map(\.element)
        }
    }

    /// Every active tandem of the programme in one query: the counts come from grouped subqueries over meetings,
    /// agreements and experiments, whose sealed columns are never selected.
    static func load(
        programme: Programme, now: Date, timeZone: TimeZone, req: Request
    ) async throws -> [TandemHealthRow] {
        let id = try programme.requireID()
        let today = CalendarDate.today(in: timeZone, now: now)
        let monthStart =
            LocalDateTime.parse(
                String(format: "%04d-%02d-01T00:00", today.year, today.month), in: timeZone) ?? now
        let next = today.month == 12 ? (today.year + 1, 1) : (today.year, today.month + 1)
        let monthEnd = LocalDateTime.parse(String(format: "%04d-%02d-01T00:00", next.0, next.1), in: timeZone) ?? now
        let rows = try await req.db.plainSQL.raw(
            """
            SELECT t.id, me.name AS mentee_name, mo.name AS mentor_name, t.activated_at,
              (SELECT MAX(CASE WHEN a.mentee_confirmed_at IS NOT NULL AND a.mentor_confirmed_at IS NOT NULL THEN 1 ELSE 0 END)
                 FROM tandem_agreements a WHERE a.tandem_id = t.id) AS agreed,
              m.held, m.last_held, m.next_planned, m.this_month,
              (SELECT COUNT(*) FROM tandem_experiments e WHERE e.tandem_id = t.id AND e.status IN ('planned', 'running'))
                 AS open_experiments,
              (SELECT MAX(n.sent_at) FROM tandem_notices n WHERE n.tandem_id = t.id AND n.kind = 'check-in') AS check_in
            FROM tandems t
            JOIN users me ON me.id = t.mentee_id
            JOIN users mo ON mo.id = t.mentor_id
            LEFT JOIN (
              SELECT tandem_id,
                SUM(CASE WHEN status = 'held' THEN 1 ELSE 0 END) AS held,
                MAX(CASE WHEN status = 'held' THEN starts_at END) AS last_held,
                MIN(CASE WHEN status IN ('proposed', 'accepted') AND starts_at > \(bind: now) THEN starts_at END)
                  AS next_planned,
                SUM(CASE WHEN status IN ('proposed', 'accepted', 'held') AND starts_at >= \(bind: monthStart)
                  AND starts_at < \(bind: monthEnd) THEN 1 ELSE 0 END) AS this_month
              FROM tandem_meetings GROUP BY tandem_id
            ) m ON m.tandem_id = t.id
            WHERE t.programme_id = \(bind: id) AND t.status = 'active'
            ORDER BY me.name
            """
        ).all(decoding: Facts.self)
        let rules = TandemHealthRules(stalledAfterDays: programme.stalledAfterDays)
        let formatting = req.application.dateFormatting
        let locale = req.appLocale
        let catalogue = req.application.catalogue
        let agreed = catalogue.text("care.agreement.yes", locale), open = catalogue.text("care.agreement.no", locale)
        let healthLabels = Dictionary(
            uniqueKeysWithValues: TandemHealth.allCases.map {
                ($0, catalogue.text("care.health.\($0.rawValue)", locale))
            })
        return rows.map { row in
            let start = CalendarDate.today(in: timeZone, now: row.activated_at ?? now)
            let lastHeld = row.last_held.map { CalendarDate.today(in: timeZone, now: $0) }
            let health = rules.health(
                .init(today: today, activeSince: start, lastHeld: lastHeld, meetingThisMonth: (row.this_month ?? 0) > 0)
            )
            return TandemHealthRow(
                mentee: row.mentee_name, mentor: row.mentor_name, since: start.german,
                agreement: (row.agreed ?? 0) == 1, agreementText: (row.agreed ?? 0) == 1 ? agreed : open,
                held: row.held ?? 0,
                heldText: catalogue.text(
                    "care.heldOf", locale, [String(row.held ?? 0), String(max(1, start.wholeMonths(until: today) + 1))]),
                lastMeeting: lastHeld?.german ?? "–",
                nextMeeting: row.next_planned.map { formatting.dateTime($0, locale) } ?? "–",
                openExperiments: row.open_experiments ?? 0, health: health.rawValue,
                healthLabel: healthLabels[health] ?? health.rawValue,
                checkInAction: health == .onTrack ? nil : SiteURL.programme(id, .tandemCheckIn(.value(row.id))).path,
                checkInSent: row.check_in.map { formatting.date($0, locale) })
        }
    }
}

extension Application {
    private struct TandemHealthCacheKey: StorageKey { typealias Value = GenerationCache<String, [TandemHealthRow]> }

    /// The organisers' overview rows by programme and language (set up in `configure`, emptied on every change).
    var tandemHealthCache: GenerationCache<String, [TandemHealthRow]> { generationCache(TandemHealthCacheKey.self) }
}
