import Crypto
import Foundation
import Vapor

#if canImport(Glibc)
import Glibc
#endif

/// Seals the tandem space's confidential text (goals, ground rules, notes, reflections, experiments) with AES-GCM
/// before it reaches the database, so a dump or a backup shows none of it.
///
/// A sealed value reads `s1.<key id>.<base64 of nonce + ciphertext + tag>`. The key id (the first 8 hex digits of
/// the key's SHA-256) lets a rotated key open what the previous one sealed until `mentoring reseal` has rewritten
/// every value with the current key (README, *Configuration*).
/// A class with only constants: swift-crypto's `SymmetricKey` is not marked `Sendable`, but nothing here changes
/// after `init`.
final class DataSealer: @unchecked Sendable {
    enum Problem: Error, CustomStringConvertible, Equatable {
        case badKey(String)
        case unknownKey(String)
        case damaged

        var description: String {
            switch self {
            case .badKey(let why): "DATA_KEY: \(why)"
            case .unknownKey(let id):
                "a value was sealed with key \(id), which is neither DATA_KEY nor in DATA_KEY_PREVIOUS"
            case .damaged: "a sealed value is damaged or was changed outside the app"
            }
        }
    }

    private let current: SymmetricKey
    let currentKeyID: String
    private let keys: [String: SymmetricKey]

    /// `key` and `previous` are base64 texts of 32 random bytes each.
    init(key: String, previous: [String] = []) throws {
        current = try Self.decodeKey(key)
        currentKeyID = Self.keyID(current)
        var keys = [currentKeyID: current]
        for text in previous {
            let key = try Self.decodeKey(text)
            keys[Self.keyID(key)] = key
        }
        self.keys = keys
    }

    /// A fresh key as base64, for `DATA_KEY` or the development key file.
    static func newKey() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    func seal(_ text: String) throws -> String {
        let box = try AES.GCM.seal(Data(text.utf8), using: current)
        guard let combined = box.combined else { throw Problem.damaged }
        return "s1.\(currentKeyID).\(combined.base64EncodedString())"
    }

    func open(_ sealed: String) throws -> String {
        let parts = sealed.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "s1", let data = Data(base64Encoded: String(parts[2])) else {
            throw Problem.damaged
        }
        guard let key = keys[String(parts[1])] else { throw Problem.unknownKey(String(parts[1])) }
        do {
            return String(decoding: try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key), as: UTF8.self)
        } catch {
            throw Problem.damaged
        }
    }

    /// Whether `sealed` was sealed with an older key (`mentoring reseal` rewrites those).
    func needsResealing(_ sealed: String) -> Bool {
        !sealed.hasPrefix("s1.\(currentKeyID).")
    }

    private static func decodeKey(_ text: String) throws -> SymmetricKey {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw Problem.badKey("not base64")
        }
        guard data.count == 32 else { throw Problem.badKey("\(data.count) bytes instead of 32") }
        return SymmetricKey(data: data)
    }

    private static func keyID(_ key: SymmetricKey) -> String {
        let digest = key.withUnsafeBytes { SHA256.hash(data: Data($0)) }
        return digest.prefix(4).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// The key for this configuration: `DATA_KEY`, or in development (SQLite) a key file beside the database,
    /// made on first start with owner-only permissions. PostgreSQL without `DATA_KEY` is refused: the key must not
    /// live where the database's backups go.
    static func make(config: AppConfig) throws -> DataSealer {
        if let key = config.dataKey { return try DataSealer(key: key, previous: config.previousDataKeys) }
        guard case .sqlite(let path) = config.database else {
            throw Problem.badKey("required with DATABASE_URL (generate one with `mentoring data-key`)")
        }
        let file = keyFilePath(forDatabase: path)
        // Made only when there is none (O_EXCL, mode 600 from the first byte): a key file that cannot be read is an
        // error, never a reason to make a new key, which would leave everything sealed so far unreadable.
        if !FileManager.default.fileExists(atPath: file) {
            let key = newKey()
            let descriptor = Glibc.open(file, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            if descriptor >= 0 {
                let bytes = Array((key + "\n").utf8)
                let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                Glibc.close(descriptor)
                guard written == bytes.count else { throw Problem.badKey("could not write the key file \(file)") }
            } else if errno != EEXIST {
                throw Problem.badKey("could not create the key file \(file) (errno \(errno))")
            }
            // EEXIST: another process made it a moment ago; read theirs.
        }
        guard let text = FileManager.default.contents(atPath: file).map({ String(decoding: $0, as: UTF8.self) }) else {
            throw Problem.badKey("the key file \(file) exists but cannot be read")
        }
        return try DataSealer(key: text, previous: config.previousDataKeys)
    }

    /// `mentoring.sqlite` → `mentoring.sqlite.data-key`.
    static func keyFilePath(forDatabase path: String) -> String { path + ".data-key" }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

extension Application {
    private struct DataSealerKey: StorageKey { typealias Value = DataSealer }
    /// Made in `configure` from `DATA_KEY` (or the development key file).
    var sealer: DataSealer {
        get {
            guard let sealer = storage[DataSealerKey.self] else { fatalError("configure() sets up the data sealer") }
            return sealer
        }
        set { storage[DataSealerKey.self] = newValue }
    }
}

extension Request {
    var sealer: DataSealer { application.sealer }
}
