import Vapor

/// Every route of the site, grouped by who may use it. Access is declared once per group here.
func routes(_ app: Application) throws {
    // Liveness and database check for load balancers and CI.
    app.get("healthz", use: HealthController.check)

    // Public pages and sign-in: anyone.
    try app.register(collection: HomeController())
    try app.register(collection: SignInController())
    try app.register(collection: ApplicationController())
    try app.register(collection: RegistrationController())
    // Personal event links sign the person in for the kickoff (after one confirming click).
    try app.register(collection: KickoffPassController())

    // Signed-in people of any role: dashboard, own account, sign-out, data export.
    let signedIn = app.grouped(AccessGuard(access: .signedIn))
    try signedIn.register(collection: DashboardController())
    try signedIn.register(collection: AccountController())
    try signedIn.register(collection: MyApplicationsController())
    // The live kickoff checks per event that the person takes part (or organises).
    try signedIn.register(collection: KickoffLiveController())
    try signedIn.register(collection: KickoffFeedbackController())

    // Organisers only: outbox and programme administration.
    let organiser = app.grouped("organiser").grouped(AccessGuard(access: .organiser))
    try organiser.register(collection: OutboxController())
    try organiser.register(collection: ProgrammeController())
    try organiser.register(collection: ApplicationReviewController())
    try organiser.register(collection: InvitationController())
    try organiser.register(collection: KickoffPlanController())
    try organiser.register(collection: KickoffControlController())
    try organiser.register(collection: KickoffEventController())
}
