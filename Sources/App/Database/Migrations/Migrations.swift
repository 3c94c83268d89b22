import Fluent

/// The one ordered list of migrations, one file each in this folder, numbered in the same order.
/// Append only; never edit or rename a shipped migration: Fluent records each step by its type's name
/// (`App.CreateUser`, …) in `_fluent_migrations`, so a renamed type would run again on existing databases.
/// Migrations name tables and columns by string literals, never by a model (`User.schema`), so renaming a
/// model later does not rewrite history. `MigrationTests` pins the list of names.
func registerMigrations(_ migrations: Migrations) {
    // 0001: people (`users`): e-mail (unique), name, locale, organiser flag, password hash.
    migrations.add(CreateUser())
    // 0002: mentoring programmes (`programmes`): name, description, phase, kickoff date, duration.
    migrations.add(CreateProgramme())
    // 0003: who takes part in which programme in which role (`participations`), one row per person and programme.
    migrations.add(CreateParticipation())
    // 0004: sign-in links (`login_tokens`), stored as token hashes with expiry and use time.
    migrations.add(CreateLoginToken())
    // 0005: server-side sessions (`sessions`) by hashed id, with creation and last use.
    migrations.add(CreateSession())
    // 0006: the e-mail outbox (`outbox_messages`) with delivery status and retry schedule.
    migrations.add(CreateOutboxMessage())
    // 0007: programme settings: topics, contacts, patron text, kickoff rounds, eligibility, privacy notice.
    migrations.add(UpdateProgrammeAddSettings())
    // 0008: the audit log (`audit_events`): who did what, in which programme.
    migrations.add(CreateAuditEvent())
    // 0009: mentor applications (`mentor_applications`) with the eligibility check and the decision.
    migrations.add(CreateMentorApplication())
    // 0010: each programme gets a public code for its links; existing programmes get a fresh one.
    migrations.add(UpdateProgrammeAddPublicCode())
    // 0011: mentee invitations (`invitations`) by hashed token, one per programme and e-mail address.
    migrations.add(CreateInvitation())
    // 0012: mentee registrations (`mentee_registrations`) with topics, questions and privacy consent.
    migrations.add(CreateMenteeRegistration())
    // 0013: outbox messages may carry a QR code link (`qr_url`).
    migrations.add(UpdateOutboxAddQRURL())
    // 0014: the kickoff event (`kickoffs`), its planned talks (`kickoff_meetings`), excluded pairs (`kickoff_exclusions`).
    migrations.add(CreateKickoff())
    // 0015: kickoff passes, check-ins, talk ratings, shortlists; kickoff options; calendar attachments in the outbox.
    migrations.add(CreateKickoffParticipation())
    // 0016: indexes for the lookups every page makes (participants by role, audit log, outbox, sessions, …).
    migrations.add(AddLookupIndexes())
    // 0017: sessions name the person signed in (`sessions.user_id`, indexed, no foreign key).
    migrations.add(AddSessionOwner())
    // 0018: the review queue's page of applications, oldest first, by index.
    migrations.add(AddApplicationQueueIndex())
    // 0019: covering indexes for the programme funnel's counts by status.
    migrations.add(AddFunnelIndexes())
    // 0020: tandems, pairs not to propose again, the pairing board's revision; mentor capacity; partners confirm.
    migrations.add(CreatePairing())
    // 0021: the tandem year: agreements, meetings, notes (sealed), experiments, prompt marks and catalogue, notices,
    // calendar feeds; the programme's "stalled after" days.
    migrations.add(CreateTandemYear())
}
