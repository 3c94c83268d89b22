import Fluent
import Foundation
import Mentoring

/// A demo programme so a newcomer can click through every page. All people are invented; addresses use
/// the reserved `.example` domain, so no e-mail can reach a real person.
enum DemoProgramme {
    static let organiserEmail = "organisation@demo.example"

    static let mentors: [(String, String)] = [
        ("Lea Brandt", "lea.brandt"), ("Jonas Okafor", "jonas.okafor"), ("Mira Schulte", "mira.schulte"),
        ("Deniz Yilmaz", "deniz.yilmaz"), ("Sophie Krämer", "sophie.kraemer"), ("Tim Nguyen", "tim.nguyen"),
        ("Hannah Weiß", "hannah.weiss"), ("Elias Fischer", "elias.fischer"), ("Noah Becker", "noah.becker"),
        ("Amira Haddad", "amira.haddad"),
    ]
    static let mentees: [(String, String)] = [
        ("Dr. Karin Vogt", "karin.vogt"), ("Bernd Hoffmann", "bernd.hoffmann"), ("Ulrike Sommer", "ulrike.sommer"),
        ("Matthias Keller", "matthias.keller"), ("Dr. Petra Lange", "petra.lange"), ("Stefan Wolf", "stefan.wolf"),
        ("Gabriele Roth", "gabriele.roth"), ("Thomas Berger", "thomas.berger"),
    ]

    /// Seeds the demo on an empty database; does nothing when anyone exists already.
    /// Runs in one transaction: either the whole demo is there or none of it.
    @discardableResult
    static func seedIfEmpty(on db: any Database, now: Date = Date()) async throws -> Bool {
        guard try await User.query(on: db).count() == 0 else { return false }
        try await db.transaction { db in
            let organiser = User(email: organiserEmail, name: "Dana Demo", isOrganiser: true)
            try await organiser.create(on: db)
            // Kickoff in four weeks at 17:00 Berlin time, like a real after-work event.
            let berlin = TimeZone(identifier: "Europe/Berlin")!
            let day = LocalDateTime.format(now.addingTimeInterval(28 * 86400), in: berlin).prefix(10)
            let kickoff = LocalDateTime.parse(day + "T17:00", in: berlin)
            let programme = Programme(
                name: "Reverse Mentoring 2027",
                description: "Junge Tech-Talente begleiten Entwicklungsvorstände im Mittelstand: 9 Monate, monatlicher Austausch, Kickoff als virtuelles Speed Networking.",
                phase: .intake, kickoffAt: kickoff, durationMonths: TandemDuration.defaultMonths)
            try await programme.create(on: db)
            let people = mentors.map { ($0.0, $0.1, ParticipantRole.mentor) } + mentees.map { ($0.0, $0.1, ParticipantRole.mentee) }
            for (index, (name, handle, role)) in people.enumerated() {
                // Every fifth person prefers English, so both languages show up in the demo.
                let user = User(email: "\(handle)@demo.example", name: name, locale: index % 5 == 4 ? "en" : "de")
                try await user.create(on: db)
                try await Participation(userID: try user.requireID(), programmeID: try programme.requireID(), role: role)
                    .create(on: db)
            }
        }
        return true
    }
}
