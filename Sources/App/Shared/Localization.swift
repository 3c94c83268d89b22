import Foundation
import Leaf
import Vapor

/// The languages the UI speaks. German comes first and is the default.
enum AppLocale: String, CaseIterable, Codable, Sendable {
    case de, en

    static let `default` = AppLocale.de

    /// Foundation locale for date formatting.
    var foundationLocale: Locale { Locale(identifier: self == .de ? "de_DE" : "en_GB") }

    /// Picks the best supported language from an `Accept-Language` header, honouring q-values.
    static func preferred(acceptLanguage header: String?) -> AppLocale? {
        guard let header, !header.isEmpty else { return nil }
        let ranked = header.split(separator: ",").compactMap { part -> (String, Double)? in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first, !tag.isEmpty else { return nil }
            var quality = 1.0
            for parameter in pieces.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            return (tag.lowercased(), quality)
        }
        for (tag, quality) in ranked.sorted(by: { $0.1 > $1.1 }) where quality > 0 {
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            if let locale = AppLocale(rawValue: primary) { return locale }
        }
        return nil
    }
}

/// German and English string catalogues (`Resources/Localization/<lang>.json`), loaded once at start-up.
struct Catalogue: Sendable {
    let strings: [AppLocale: [String: String]]

    static func load(from directory: String) throws -> Catalogue {
        var strings: [AppLocale: [String: String]] = [:]
        for locale in AppLocale.allCases {
            let path = directory + locale.rawValue + ".json"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw Abort(.internalServerError, reason: "Missing string catalogue \(path)")
            }
            strings[locale] = try JSONDecoder().decode([String: String].self, from: data)
        }
        return Catalogue(strings: strings)
    }

    /// The text for `key`, with `{1}`, `{2}`… replaced by `arguments`. A missing key shows as the key itself,
    /// which the catalogue tests catch.
    func text(_ key: String, _ locale: AppLocale, _ arguments: [String] = []) -> String {
        let text = strings[locale]?[key] ?? strings[.de]?[key] ?? key
        guard !arguments.isEmpty else { return text }
        // `{1}`…`{9}` replaced in one pass (Foundation's replacingOccurrences per argument was a visible cost of
        // every page); an argument's own text is never scanned again.
        var result = ""
        result.reserveCapacity(text.utf8.count + arguments.reduce(0) { $0 + $1.utf8.count })
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            let afterOpen = rest.index(after: open)
            if afterOpen < rest.endIndex, let digit = rest[afterOpen].wholeNumberValue, digit >= 1,
                digit <= arguments.count,
                rest.index(after: afterOpen) < rest.endIndex, rest[rest.index(after: afterOpen)] == "}"
            {
                result += rest[..<open]
                result += arguments[digit - 1]
                rest = rest[rest.index(afterOpen, offsetBy: 2)...]
            } else {
                result += rest[...open]
                rest = rest[afterOpen...]
            }
        }
        result += rest
        return result
    }

    /// A counted text: `key.one` for exactly one, `key.other` otherwise (German and English need only these
    /// two forms), with `{1}` the count in the reader's number format and `{2}`… the further arguments.
    func plural(_ key: String, count: Int, _ locale: AppLocale, _ arguments: [String] = []) -> String {
        let form = count == 1 ? "one" : "other"
        // Below a thousand no grouping applies: the plain digits are the reader's format in both languages, without
        // building a number formatter on every call (a visible cost of the tandem space).
        let number = abs(count) < 1000 ? String(count) : count.formatted(.number.locale(locale.foundationLocale))
        return text("\(key).\(form)", locale, [number] + arguments)
    }
}

extension Application {
    private struct CatalogueKey: StorageKey { typealias Value = Catalogue }
    var catalogue: Catalogue {
        get { storage[CatalogueKey.self] ?? Catalogue(strings: [:]) }
        set { storage[CatalogueKey.self] = newValue }
    }
}

/// The catalogue and a reader's language, looked up once. `Request.t` finds both in Vapor's storage on every call;
/// a page that translates a hundred texts (the tandem space) saves two hundred lookups with one of these.
struct Texts: Sendable {
    let catalogue: Catalogue
    let locale: AppLocale

    func t(_ key: String, _ arguments: String...) -> String { catalogue.text(key, locale, arguments) }

    func tp(_ key: String, _ count: Int, _ arguments: String...) -> String {
        catalogue.plural(key, count: count, locale, arguments)
    }
}

extension Request {
    private struct LocaleKey: StorageKey { typealias Value = AppLocale }

    /// The catalogue in the request's language, for a page that translates many texts.
    var texts: Texts { Texts(catalogue: application.catalogue, locale: appLocale) }

    /// The request's language: `?lang=` (then remembered in a cookie), the cookie, `Accept-Language`, then
    /// German. A signed-in person's preference is applied by `SessionAuthenticator` when no choice was made
    /// in this browser.
    var appLocale: AppLocale {
        get {
            if let cached = storage[LocaleKey.self] { return cached }
            let locale =
                AppLocale(rawValue: query[String.self, at: "lang"] ?? "")
                ?? AppLocale(rawValue: cookies[LocaleMiddleware.cookieName]?.string ?? "")
                ?? AppLocale.preferred(acceptLanguage: headers.first(name: .acceptLanguage))
                ?? .default
            storage[LocaleKey.self] = locale
            return locale
        }
        set { storage[LocaleKey.self] = newValue }
    }

    /// Translates a catalogue key into the request's language.
    func t(_ key: String, _ arguments: String...) -> String {
        application.catalogue.text(key, appLocale, arguments)
    }

    /// A counted text in the request's language, e.g. `tp("kickoff.rounds", 1)` → "1 Runde".
    func tp(_ key: String, _ count: Int, _ arguments: String...) -> String {
        application.catalogue.plural(key, count: count, appLocale, arguments)
    }
}

extension Response {
    /// Remembers `locale` in the browser, so the next pages are in it too (after sign-in, registration,
    /// or a change in the account settings).
    func rememberLocale(_ locale: AppLocale, secure: Bool) {
        cookies[LocaleMiddleware.cookieName] = HTTPCookies.Value(
            string: locale.rawValue, maxAge: 365 * 24 * 3600, path: "/", isSecure: secure, isHTTPOnly: true,
            sameSite: .lax)
    }
}

/// Remembers an explicit language choice (`?lang=en`) in a cookie and sets `Content-Language`.
struct LocaleMiddleware: AsyncMiddleware {
    static let cookieName = "lang"
    let secureCookies: Bool

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let chosen = request.query[String.self, at: "lang"].flatMap(AppLocale.init(rawValue:))
        let response = try await next.respond(to: request)
        if let chosen { response.rememberLocale(chosen, secure: secureCookies) }
        response.headers.replaceOrAdd(name: .contentLanguage, value: request.appLocale.rawValue)
        return response
    }
}

/// `#t("key")` or `#t("key", arg1, arg2)` in templates: the catalogue text in the request's language,
/// HTML-escaped here (``HTMLText``) rather than by Leaf's slower escaping; the output is never raw.
struct TranslateTag: UnsafeUnescapedLeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let key = ctx.parameters.first?.string else {
            throw Abort(.internalServerError, reason: "#t() needs a catalogue key")
        }
        guard let request = ctx.request else {
            throw Abort(.internalServerError, reason: "#t() needs a request")
        }
        let arguments = ctx.parameters.dropFirst().map { $0.string ?? "" }
        return .string(HTMLText.escape(request.application.catalogue.text(key, request.appLocale, Array(arguments))))
    }
}

/// `#tp("key", count)` or `#tp("key", count, arg2, …)` in templates: the counted text (`key.one` / `key.other`).
/// Escaped like `#t`.
struct PluralTag: UnsafeUnescapedLeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard ctx.parameters.count >= 2, let key = ctx.parameters[0].string, let count = ctx.parameters[1].int else {
            throw Abort(.internalServerError, reason: "#tp() needs a catalogue key and a count")
        }
        guard let request = ctx.request else {
            throw Abort(.internalServerError, reason: "#tp() needs a request")
        }
        let arguments = ctx.parameters.dropFirst(2).map { $0.string ?? "" }
        return .string(
            HTMLText.escape(
                request.application.catalogue.plural(key, count: count, request.appLocale, Array(arguments))))
    }
}

/// Dates and times as people in the programme read them: German format, Europe/Berlin by default.
struct DateFormatting: Sendable {
    let timeZone: TimeZone

    /// "15.01.2027, 09:00" in German, "15/01/2027, 09:00" in English (24-hour clock in both). Built from the
    /// calendar fields (``LocalDateTime/format(_:in:)``): ICU's formatter behind `DateFormatter`, shared under a
    /// lock, was a visible cost of the tandem space with a year of meetings. `referenceFormatter` is the
    /// `DateFormatter` it is tested against.
    func dateTime(_ date: Date, _ locale: AppLocale) -> String {
        let local = LocalDateTime.format(date, in: timeZone)  // yyyy-MM-ddTHH:mm
        let day = local.prefix(while: { $0 != "T" })
        let time = local.dropFirst(day.count + 1)
        let separator = locale == .de ? "." : "/"
        var text = String(day.suffix(2))
        text += separator
        text += day.dropLast(3).suffix(2)
        text += separator
        text += day.dropLast(6)
        text += ", "
        text += time
        return text
    }

    static func referenceFormatter(_ locale: AppLocale, _ timeZone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = locale.foundationLocale
        formatter.timeZone = timeZone
        formatter.dateFormat = locale == .de ? "dd.MM.yyyy, HH:mm" : "dd/MM/yyyy, HH:mm"
        return formatter
    }

    func date(_ date: Date, _ locale: AppLocale) -> String {
        date.formatted(
            Date.FormatStyle(date: .long, time: .omitted, locale: locale.foundationLocale, timeZone: timeZone))
    }
}
