import Foundation

/// One event of an iCalendar document (a `VEVENT`, RFC 5545 3.6.1), with times as instants (written in UTC).
public struct CalendarEvent: Sendable, Equatable {
    /// Whoever organises the event (`ORGANIZER;CN=...:mailto:...`).
    public struct Organizer: Sendable, Equatable {
        /// Display name (any Unicode), sent as the `CN` parameter when set.
        public var name: String?
        /// An ASCII address, sent as `mailto:` + address.
        public var email: String

        public init(name: String? = nil, email: String) {
            self.name = name
            self.email = email
        }
    }

    /// A reminder shown before the event starts (a `VALARM` with `ACTION:DISPLAY`).
    public struct Alarm: Sendable, Equatable {
        /// How long before the start the reminder goes off (`TRIGGER:-PT15M`); negative means after the start.
        public var minutesBefore: Int
        /// The reminder's text; the event's summary when `nil`.
        public var description: String?

        public init(minutesBefore: Int = 15, description: String? = nil) {
            self.minutesBefore = minutesBefore
            self.description = description
        }
    }

    /// Globally unique and stable across updates of the same event, e.g. `kickoff-42@mentoring.example`.
    public var uid: String
    public var start: Date
    public var end: Date
    public var summary: String
    public var description: String?
    public var location: String?
    /// A link for the event, e.g. the page of an online meeting; sent as it is (a URI is not escaped).
    public var url: String?
    public var organizer: Organizer?
    /// Revision of the event: increase it whenever a published event changes, so calendars take the update.
    public var sequence: Int
    /// When this version of the event was created (`DTSTAMP`); passed in so output is reproducible.
    public var stamp: Date
    public var alarm: Alarm?
    /// Who takes part (`ATTENDEE;CN=...:mailto:...`), e.g. both partners of a meeting sent with `METHOD:REQUEST`.
    public var attendees: [Organizer] = []
    /// `STATUS`: `TENTATIVE`, `CONFIRMED` or `CANCELLED`; left out when `nil`.
    public var status: String?

    public init(
        uid: String,
        start: Date,
        end: Date,
        summary: String,
        description: String? = nil,
        location: String? = nil,
        url: String? = nil,
        organizer: Organizer? = nil,
        sequence: Int = 0,
        stamp: Date,
        alarm: Alarm? = nil,
        attendees: [Organizer] = [],
        status: String? = nil
    ) {
        self.attendees = attendees
        self.status = status
        self.uid = uid
        self.start = start
        self.end = end
        self.summary = summary
        self.description = description
        self.location = location
        self.url = url
        self.organizer = organizer
        self.sequence = sequence
        self.stamp = stamp
        self.alarm = alarm
    }
}
