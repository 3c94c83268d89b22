import Mentoring
import Vapor

/// Every route of the site, grouped by who may use it (`AccessGuard`), the path prefix it serves and, for the routes
/// of one programme, the programme phases in which the group is open (`PhaseGuard`). Each is declared once per group
/// here; controllers register their paths with `SiteURL`. `AccessTests` checks every route × role, `PhaseAccessTests`
/// every programme route × phase, `SiteURLTests` that the registered paths are exactly `SiteURL`'s.
func routes(_ app: Application) throws {
    // Liveness and database check for load balancers and CI.
    app.get(.healthz, use: HealthController.check)

    // Public pages and sign-in: anyone. /, /login…, /logout, /invitation/:token, /join/:code.
    try app.register(collection: HomeController())
    try app.register(collection: SignInController())
    try app.register(collection: RegistrationController())
    // Personal event links sign the person in for the kickoff (after one confirming click). /event/:token.
    try app.register(collection: KickoffPassController())
    // A person's calendar feed, /calendar/:token: anyone with the unguessable address (calendar apps send no cookie).
    try app.register(collection: CalendarFeedController.Feed())
    // Anyone, /programmes/:programmeID/apply. No phase guard: outside intake the form itself explains, with the
    // programme's contacts, that applications are closed.
    let publicProgramme = app.grouped(ProgrammeLoader())
    try publicProgramme.register(collection: ApplicationController())

    // Signed-in people of any role: /dashboard, /account… (own account, data export), /applications (own
    // applications), /kickoff/:kickoffID… (live event, ratings, shortlist).
    let signedIn = app.grouped(AccessGuard(access: .signedIn))
    try signedIn.register(collection: DashboardController())
    try signedIn.register(collection: AccountController())
    try signedIn.register(collection: MyApplicationsController())
    // The live kickoff checks per event that the person takes part (or organises).
    try signedIn.register(collection: KickoffLiveController())
    try signedIn.register(collection: KickoffFeedbackController())
    // A partner's tandems (/tandem…): the controller shows and changes only the signed-in person's own.
    try signedIn.register(collection: MyTandemController())
    // The tandem space (/tandem/:tandemID…): the controller admits the two partners only, read-only once ended.
    try signedIn.register(collection: TandemSpaceController())
    // Making or revoking one's calendar feed address (/account/calendar…).
    try signedIn.register(collection: CalendarFeedController())

    // Organisers only, /organiser/…: outbox and new programmes.
    let organiser = app.grouped(AccessGuard(access: .organiser))
    try organiser.register(collection: OutboxController())
    try organiser.register(collection: ProgrammeController.Creation())

    // Organisers only, /organiser/programmes/:programmeID/…: the programme is loaded once; each group names its phases.
    let programme = organiser.grouped(ProgrammeLoader())
    // The programme's page, settings and next phase; member overview and participants export: every phase.
    try programme.grouped(PhaseGuard(open: .everyPhase)).register(collection: ProgrammeController())
    try programme.grouped(PhaseGuard(open: .everyPhase)).register(collection: InvitationController.Lists())
    // Applications and members (review, import, invitations, registrations): changed from intake until the
    // kickoff; the review queue stays readable.
    try programme.grouped(PhaseGuard(open: [.intake, .kickoff], reading: .everyPhase)).register(
        collection: ApplicationReviewController())
    try programme.grouped(PhaseGuard(open: [.intake, .kickoff])).register(collection: InvitationController())
    // Kickoff planning, control room and event (invitations, links, video, deadline, reminders, closing): from
    // intake until the kickoff is closed (closing moves the programme on to pairing). The kickoff page stays
    // readable: the pairing phase looks back at who met whom and who has answered.
    try programme.grouped(PhaseGuard(open: [.intake, .kickoff], reading: .everyPhase)).register(
        collection: KickoffPlanController())
    try programme.grouped(PhaseGuard(open: [.intake, .kickoff])).register(collection: KickoffControlController())
    try programme.grouped(PhaseGuard(open: [.intake, .kickoff])).register(collection: KickoffEventController())
    // The pairing board (proposal, edits, publishing, ending tandems, export): in pairing, and in the tandem year
    // to re-pair people after an exit; readable in every phase.
    try programme.grouped(PhaseGuard(open: [.pairing, .running], reading: .everyPhase)).register(
        collection: PairingBoardController())
    // The tandem year's overview (health from metadata only), check-ins, its setting and the prompt catalogue:
    // prepared from pairing on, changed in the tandem year, readable in every phase.
    try programme.grouped(PhaseGuard(open: [.pairing, .running], reading: .everyPhase)).register(
        collection: TandemCareController())
}
