import Fluent
import Mentoring
import QRCode
import Vapor

/// The organisers' review queue: filter and sort applications, preselect / waitlist / decline (also in bulk),
/// and override an eligibility finding with a recorded reason. Every decision is e-mailed and audited.
struct ApplicationReviewController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.programme(.key, .applications), use: queue)
        routes.post(.programme(.key, .applicationsDecide), use: decide)
        routes.post(.programme(.key, .applicationOverride(.key)), use: override)
    }

    struct QueuePage: Encodable {
        let programmeID: String
        let links: ProgrammeLinks
        let programmeName: String
        let applyLink: String
        /// For the intranet or a poster: the form as a QR code (SVG).
        let applyQR: String
        let filters: Filters
        let statusOptions: [Option]
        let eligibleOptions: [Option]
        let sortOptions: [Option]
        let rows: [Row]
        let decisions: [Option]
        let total: Int
        let pagination: Pagination?
    }
    struct Filters: Encodable {
        let q: String
    }
    struct Option: Encodable {
        let value: String
        let label: String
        let selected: Bool
    }
    struct Row: Encodable {
        let id: String
        let name: String
        let email: String
        let teamRole: String
        let tenure: String
        let topics: String
        let status: String
        let statusKey: String
        let eligible: Bool
        let findings: [String]
        let overrideReason: String?
        let motivation: String
        let applied: String
        let canOverride: Bool
        let overrideAction: String
    }

    @Sendable func queue(req: Request) async throws -> Response {
        let programme = try req.programme
        let programmeID = try programme.requireID()
        let status = req.query[String.self, at: "status"].flatMap(ApplicationStatus.init(rawValue:))
        let eligibleFilter = req.query[String.self, at: "eligible"] ?? ""
        let search = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
        let sort = req.query[String.self, at: "sort"] ?? "applied"

        var query = MentorApplicationRecord.query(on: req.db).filter(\.$programme.$id == programmeID).with(\.$user)
        if let status { query = query.filter(\.$status == status) }
        if eligibleFilter == "yes" { query = query.filter(\.$eligible == true) }
        if eligibleFilter == "no" { query = query.filter(\.$eligible == false) }
        // Without a search the database counts, sorts and cuts the page (2,000 applications loaded and sorted
        // for every view took most of a second); a search (rare, and over several fields) filters in memory.
        let total: Int
        let pageCount: Int
        let pageNumber: Int
        let shown: [MentorApplicationRecord]
        let requestedPage = req.query[Int.self, at: "page"] ?? 1
        if search.isEmpty {
            total = try await query.copy().count()
            pageCount = max(1, (total + Self.pageSize - 1) / Self.pageSize)
            pageNumber = min(max(1, requestedPage), pageCount)
            let offset = (pageNumber - 1) * Self.pageSize
            switch sort {
            case "name":
                query = query.join(User.self, on: \MentorApplicationRecord.$user.$id == \User.$id).sort(
                    User.self, \.$name)
            case "tenure": query = query.sort(\.$tenureMonths, .descending).sort(\.$createdAt)
            default: query = query.sort(\.$createdAt)
            }
            shown = try await query.range(offset..<(offset + Self.pageSize)).all()
        } else {
            let needle = search.lowercased()
            var records = try await query.all().filter {
                $0.user.name.lowercased().contains(needle) || $0.user.email.contains(needle)
                    || $0.teamRole.lowercased().contains(needle) || $0.expertiseTopicsJSON.lowercased().contains(needle)
            }
            switch sort {
            case "name":
                records.sort { $0.user.name.localizedCaseInsensitiveCompare($1.user.name) == .orderedAscending }
            case "tenure": records.sort { $0.tenureMonths > $1.tenureMonths }
            default: records.sort { ($0.createdAt ?? .distantPast) < ($1.createdAt ?? .distantPast) }
            }
            total = records.count
            pageCount = max(1, (total + Self.pageSize - 1) / Self.pageSize)
            pageNumber = min(max(1, requestedPage), pageCount)
            shown = Array(records.dropFirst((pageNumber - 1) * Self.pageSize).prefix(Self.pageSize))
        }
        let locale = req.appLocale, formatting = req.application.dateFormatting
        let rows = try shown.map { record in
            Row(
                id: try record.requireID().uuidString, name: record.user.name, email: record.user.email,
                teamRole: record.teamRole,
                tenure: req.t("application.tenureMonths", req.tp("months", record.tenureMonths)),
                topics: record.expertiseTopics.joined(separator: ", "),
                status: req.t("application.status.\(record.status.rawValue)"), statusKey: record.status.rawValue,
                eligible: record.eligible, findings: record.findings.map { MentorApplications.describe($0, req: req) },
                overrideReason: record.overrideReason, motivation: record.motivation,
                applied: record.createdAt.map { formatting.dateTime($0, locale) } ?? "",
                canOverride: !record.eligible,
                overrideAction: SiteURL.programme(programmeID, .applicationOverride(.value(try record.requireID())))
                    .path)
        }
        func options(_ values: [String], _ prefix: String, _ selected: String) -> [Option] {
            values.map {
                .init(value: $0, label: req.t("\(prefix)\($0.isEmpty ? "all" : $0)"), selected: $0 == selected)
            }
        }
        let applyLink = SiteURL.apply(programmeID: .value(programmeID)).absolute(req.application)
        let page = QueuePage(
            programmeID: programmeID.uuidString, links: ProgrammeLinks(programmeID), programmeName: programme.name,
            applyLink: applyLink,
            applyQR: try QRCode(applyLink).svg(moduleSize: 5, title: req.t("application.queue.qr")),
            filters: .init(q: search),
            statusOptions: options(
                [""] + ApplicationStatus.allCases.map(\.rawValue), "application.filter.status.", status?.rawValue ?? ""),
            eligibleOptions: options(["", "yes", "no"], "application.filter.eligible.", eligibleFilter),
            sortOptions: options(["applied", "name", "tenure"], "application.sort.", sort),
            rows: rows,
            decisions: ApplicationStatus.decisions.map {
                .init(value: $0.rawValue, label: req.t("application.decide.\($0.rawValue)"), selected: false)
            },
            total: total,
            pagination: Self.pagination(page: pageNumber, of: pageCount, total: total, shown: rows.count, req: req))
        return try await PageRenderer.render(
            "Intake/applications", page, title: req.t("application.queue.title"), for: req)
    }

    static let pageSize = 50

    struct Pagination: Encodable {
        let summary: String
        let previousHref: String?
        let nextHref: String?
    }

    /// "51–100 of 2,000" with links that keep the search, filters and sort.
    static func pagination(page: Int, of pages: Int, total: Int, shown: Int, req: Request) -> Pagination? {
        guard pages > 1 else { return nil }
        func href(_ number: Int) -> String {
            var items = URLComponents(string: req.url.string)?.queryItems?.filter { $0.name != "page" } ?? []
            items.append(URLQueryItem(name: "page", value: String(number)))
            var components = URLComponents()
            components.path = req.url.path
            components.queryItems = items
            return components.string ?? req.url.path
        }
        let first = (page - 1) * pageSize + 1
        return Pagination(
            summary: req.t(
                "pagination.summary", String(first), String(first + shown - 1), String(total), String(page),
                String(pages)),
            previousHref: page > 1 ? href(page - 1) : nil, nextHref: page < pages ? href(page + 1) : nil)
    }

    struct DecisionForm: Content {
        var ids: [String]?
        var decision: String
    }

    @Sendable func decide(req: Request) async throws -> Response {
        let programme = try req.programme
        let programmeID = try programme.requireID()
        let form = try req.content.decode(DecisionForm.self)
        guard let decision = ApplicationStatus(rawValue: form.decision), ApplicationStatus.decisions.contains(decision)
        else {
            throw Abort(.badRequest)
        }
        let ids = (form.ids ?? []).compactMap(UUID.init(uuidString:))
        if ids.isEmpty {
            req.flash("error", req.t("application.decide.none"))
            return req.redirect(to: .programme(programmeID, .applications))
        }
        let (decided, skipped) = try await req.db.writeTransaction { db -> ([String], [String]) in
            var decided: [String] = [], skipped: [String] = []
            let records = try await MentorApplicationRecord.query(on: db)
                .filter(\.$programme.$id == programmeID).filter(\.$id ~~ ids).with(\.$user).all()
            for record in records {
                // Unconfirmed addresses get no mail from us; ineligible ones need an override before preselection.
                if record.status == .unconfirmed || (decision == .preselected && !record.eligible)
                    || record.status == decision
                {
                    skipped.append(record.user.name)
                    continue
                }
                record.status = decision
                record.decidedAt = req.now
                try await record.save(on: db)
                let userID = try record.user.requireID()
                let participation = try await Participation.query(on: db)
                    .filter(\.$programme.$id == programmeID).filter(\.$user.$id == userID).first()
                if decision == .preselected, participation == nil {
                    try await Participation(userID: userID, programmeID: programmeID, role: .mentor).create(on: db)
                } else if decision != .preselected, let participation, participation.role == .mentor {
                    try await participation.delete(on: db)
                }
                try await Outbox(app: req.application).enqueue(
                    to: record.user, template: "mail.application.\(decision.rawValue)", arguments: [programme.name],
                    actionURL: SiteURL.myApplications.absolute(req.application), on: db)
                try await req.audit(
                    "application.\(decision.rawValue)", programme: programmeID, details: record.user.name, on: db)
                decided.append(record.user.name)
            }
            return (decided, skipped)
        }
        if !decided.isEmpty {
            req.flash(
                "success",
                req.t(
                    "application.decided", req.t("application.status.\(decision.rawValue)"),
                    decided.joined(separator: ", ")))
        }
        if !skipped.isEmpty {
            req.flash("info", req.t("application.skipped", skipped.joined(separator: ", ")))
        }
        return req.redirect(to: .programme(programmeID, .applications))
    }

    struct OverrideForm: Content { var reason: String? }

    @Sendable func override(req: Request) async throws -> Response {
        let programme = try req.programme
        let programmeID = try programme.requireID()
        guard let id = req.parameters.get("applicationID", as: UUID.self),
            let record = try await MentorApplicationRecord.query(on: req.db)
                .filter(\.$id == id).filter(\.$programme.$id == programmeID).with(\.$user).first()
        else { throw AppError.notFound }
        let reason = (try req.content.decode(OverrideForm.self).reason ?? "").trimmingCharacters(
            in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            req.flash("error", req.t("application.override.reasonRequired"))
            return req.redirect(to: .programme(programmeID, .applications))
        }
        record.eligible = true
        record.overrideReason = reason
        try await req.db.writeTransaction { db in
            try await record.save(on: db)
            try await req.audit(
                "application.override", programme: programmeID, details: "\(record.user.name): \(reason)", on: db)
        }
        req.flash("success", req.t("application.override.done", record.user.name))
        return req.redirect(to: .programme(programmeID, .applications))
    }
}
