import Foundation

/// The site-wide hrefs a template may need, as `layout.links.…`: templates spell no path themselves.
struct SiteLinks: Encodable, Sendable {
    let home = SiteURL.home.path
    let login = SiteURL.login.path
    let loginPassword = SiteURL.loginPassword.path
    let logout = SiteURL.logout.path
    let dashboard = SiteURL.dashboard.path
    let account = SiteURL.account.path
    let accountLanguage = SiteURL.accountLanguage.path
    let accountPassword = SiteURL.accountPassword.path
    let accountExport = SiteURL.accountExport.path
    let outbox = SiteURL.outbox.path
    let newProgramme = SiteURL.newProgramme.path

    static let shared = SiteLinks()
}

/// The hrefs of one programme's organiser pages and forms, as `page.links.…`.
struct ProgrammeLinks: Encodable, Sendable {
    let show, edit, phase: String
    let members, participantsCSV, participantsExcel, membersImport, membersImportConfirm: String
    let applications, applicationsDecide: String
    let kickoff, kickoffPlan, kickoffExclusions, kickoffInvite, kickoffLinks, kickoffVideo, kickoffDeadline: String
    let kickoffReminders, kickoffClose: String

    init(_ id: UUID) {
        func path(_ page: SiteURL.ProgrammePage) -> String { SiteURL.programme(id, page).path }
        show = path(.show)
        edit = path(.edit)
        phase = path(.phase)
        members = path(.members)
        participantsCSV = path(.participantsCSV)
        participantsExcel = path(.participantsExcel)
        membersImport = path(.membersImport)
        membersImportConfirm = path(.membersImportConfirm)
        applications = path(.applications)
        applicationsDecide = path(.applicationsDecide)
        kickoff = path(.kickoff)
        kickoffPlan = path(.kickoffPlan)
        kickoffExclusions = path(.kickoffExclusions)
        kickoffInvite = path(.kickoffInvite)
        kickoffLinks = path(.kickoffLinks)
        kickoffVideo = path(.kickoffVideo)
        kickoffDeadline = path(.kickoffDeadline)
        kickoffReminders = path(.kickoffReminders)
        kickoffClose = path(.kickoffClose)
    }
}

/// The hrefs of one kickoff's participant pages, as `page.links.…`.
struct KickoffLinks: Encodable, Sendable {
    let live, ratings, shortlist: String

    init(_ id: UUID) {
        live = SiteURL.kickoff(kickoffID: .value(id)).path
        ratings = SiteURL.kickoffRatings(kickoffID: .value(id)).path
        shortlist = SiteURL.kickoffShortlist(kickoffID: .value(id)).path
    }
}
