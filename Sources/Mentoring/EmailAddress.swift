/// A pragmatic e-mail address check: what a sign-in form needs, not the full RFC 5322 grammar.
public enum EmailAddress {
    public enum Problem: Error, Equatable, Sendable {
        case empty, tooLong, missingAt, invalidLocalPart, invalidDomain, containsWhitespace
        /// Umlauts and other non-ASCII characters need SMTPUTF8/IDN support that many mail servers lack,
        /// so they are refused at input rather than failing at delivery.
        case nonASCII
    }

    /// Trims, lower-cases and validates; returns the normalised address or the first problem found.
    public static func normalise(_ raw: String) -> Result<String, Problem> {
        let trimmed = raw.trimmingWhitespace().lowercased()
        if trimmed.isEmpty { return .failure(.empty) }
        if trimmed.utf8.count > 254 { return .failure(.tooLong) }
        if trimmed.contains(where: { $0.isWhitespace }) { return .failure(.containsWhitespace) }
        if !trimmed.unicodeScalars.allSatisfy(\.isASCII) { return .failure(.nonASCII) }
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .failure(.missingAt) }
        let local = parts[0], domain = parts[1]
        if local.isEmpty || local.utf8.count > 64 || local.hasPrefix(".") || local.hasSuffix(".")
            || local.contains("..")
        {
            return .failure(.invalidLocalPart)
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2,
            labels.allSatisfy({ label in
                !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
            })
        else { return .failure(.invalidDomain) }
        return .success(trimmed)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
