import Foundation

/// One e-mail to send: a multipart/alternative message with a plain-text and an HTML part.
public struct Email: Sendable, Equatable {
    /// A mailbox: an optional display name (any Unicode) and an ASCII address.
    public struct Address: Sendable, Equatable, Hashable {
        public var name: String?
        public var email: String

        public init(name: String? = nil, email: String) {
            self.name = name
            self.email = email
        }
    }

    public var from: Address
    public var to: [Address]
    public var replyTo: Address?
    public var subject: String
    public var textBody: String
    public var htmlBody: String
    /// `Message-ID` without angle brackets (`id@domain`); generated from the sender's domain when `nil`.
    public var messageID: String?
    public var date: Date
    /// Language of the content (BCP 47, e.g. `de`), sent as `Content-Language` when set.
    public var language: String?

    public init(
        from: Address,
        to: [Address],
        replyTo: Address? = nil,
        subject: String,
        textBody: String,
        htmlBody: String,
        messageID: String? = nil,
        date: Date = Date(),
        language: String? = nil
    ) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.messageID = messageID
        self.date = date
        self.language = language
    }
}
