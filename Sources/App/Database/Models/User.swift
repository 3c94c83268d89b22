import Fluent
import Foundation

/// A person who can sign in. Roles in a programme live in ``Participation``; organisers are flagged here.
final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    /// Stored lower-cased; the unique key for sign-in.
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    /// Preferred language for pages and e-mails ("de" or "en").
    @Field(key: "locale") var locale: String
    @Field(key: "is_organiser") var isOrganiser: Bool
    /// bcrypt; only organisers may set one.
    @OptionalField(key: "password_hash") var passwordHash: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID? = nil, email: String, name: String, locale: String = "de", isOrganiser: Bool = false) {
        self.id = id
        self.email = email.lowercased()
        self.name = name
        self.locale = locale
        self.isOrganiser = isOrganiser
    }
}
