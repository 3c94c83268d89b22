import Foundation

/// One e-mail to send: a multipart/alternative message with a plain-text and an HTML part; the HTML part may
/// come with inline images (e.g. a QR code), which the HTML shows with `<img src="cid:...">`, and the message
/// with file attachments (e.g. an `.ics` calendar entry), which wrap it in a `multipart/mixed`.
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

    /// An image sent along with the HTML part (in a `multipart/related` part), shown where the HTML says
    /// `<img src="cid:\(contentID)">`.
    public struct InlineImage: Sendable, Equatable {
        /// Without angle brackets, e.g. `qr@mentoring.example`, unique within the e-mail. Letters, digits and
        /// `.@-_` are safe; characters that cannot occur in a message ID (spaces, `<>`, `"`, non-ASCII ...) are
        /// dropped when rendering, and the HTML's `cid:` would then no longer match.
        public var contentID: String
        /// Suggested file name for saving the image, e.g. `qr.png`; characters other than ASCII letters,
        /// digits, `.`, `-` and `_` are sent as `_`.
        public var filename: String
        /// `Content-Type` of the image, e.g. `image/png` (`application/octet-stream` if it is not `type/subtype`).
        public var mimeType: String
        public var data: [UInt8]

        public init(contentID: String, filename: String, mimeType: String = "image/png", data: [UInt8]) {
            self.contentID = contentID
            self.filename = filename
            self.mimeType = mimeType
            self.data = data
        }
    }

    /// A file sent with the message (`Content-Disposition: attachment`), e.g. a calendar entry or a PDF.
    public struct Attachment: Sendable, Equatable {
        /// Suggested file name, e.g. `kickoff.ics`; characters other than ASCII letters, digits, `.`, `-` and `_`
        /// are sent as `_`.
        public var filename: String
        /// `Content-Type` of the file, e.g. `text/calendar` (`application/octet-stream` if it is not `type/subtype`).
        public var mimeType: String
        /// Further `Content-Type` parameters, e.g. `["method": "PUBLISH", "charset": "utf-8"]` for `text/calendar`;
        /// sent sorted by name, before `name` (which is the file name). Names keep only RFC 2045 token characters,
        /// lower-cased (a name left empty, or `name`, is dropped); in values, `"`, `\` and anything but printable
        /// ASCII is sent as `_`.
        public var contentTypeParameters: [String: String]
        /// The file's bytes, sent base64-encoded as they are (text files keep their own line breaks and charset).
        public var data: [UInt8]

        public init(
            filename: String,
            mimeType: String = "application/octet-stream",
            contentTypeParameters: [String: String] = [:],
            data: [UInt8]
        ) {
            self.filename = filename
            self.mimeType = mimeType
            self.contentTypeParameters = contentTypeParameters
            self.data = data
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
    /// Images the HTML body refers to by `cid:`; none by default (then the message is plain multipart/alternative).
    public var inlineImages: [InlineImage]
    /// Files attached to the message; none by default (then there is no `multipart/mixed` around it).
    public var attachments: [Attachment]

    public init(
        from: Address,
        to: [Address],
        replyTo: Address? = nil,
        subject: String,
        textBody: String,
        htmlBody: String,
        messageID: String? = nil,
        date: Date = Date(),
        language: String? = nil,
        inlineImages: [InlineImage] = [],
        attachments: [Attachment] = []
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
        self.inlineImages = inlineImages
        self.attachments = attachments
    }
}
