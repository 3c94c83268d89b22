import Foundation
import TestSupport
import Testing

@testable import QRCode

/// Round trips through real decoders: ZBar (`zbarimg`, Debian `zbar-tools`) reads our PNGs, and
/// our SVGs after `rsvg-convert` (Debian `librsvg2-bin`) rasterises them. Skipped when the tools
/// are missing so that `swift test` still works on a bare machine; CI installs them.
@Suite("QR code decodes with zbarimg")
struct QRCodeDecoderTests {
    static let zbarimg = "/usr/bin/zbarimg"
    static let rsvgConvert = "/usr/bin/rsvg-convert"
    static let hasZbar = FileManager.default.isExecutableFile(atPath: zbarimg)
    static let hasRsvg = hasZbar && FileManager.default.isExecutableFile(atPath: rsvgConvert)

    /// The test corpus: short texts, invitation-like URLs of 20–250 characters with random
    /// base64url tokens, German text with umlauts, and long texts reaching versions up to 40.
    static let corpus: [(text: String, level: ErrorCorrection)] = {
        var generator = SplitMix64(seed: 0x51C0DE)
        var cases: [(String, ErrorCorrection)] = []
        for text in ["a", "Hi", "HELLO WORLD", "0123456789", "Einladung für Jürgen", "Grüße aus Köln – Straße ß €"] {
            for level in ErrorCorrection.allCases { cases.append((text, level)) }
        }
        let prefix = "https://mentoring.example/einladung/"
        for (index, length) in stride(from: 20, through: 250, by: 10).enumerated() {
            let level = ErrorCorrection.allCases[index % 4]
            let url =
                length <= prefix.count
                ? String(prefix.prefix(length - 4)) + token(4, using: &generator)
                : prefix + token(length - prefix.count, using: &generator)
            cases.append((url, level))
            // Every fourth length at all levels, so each level sees short and long URLs.
            if index.isMultiple(of: 4) {
                for other in ErrorCorrection.allCases where other != level { cases.append((url, other)) }
            }
        }
        // Long payloads: alignment grids of several rows, version information, many blocks.
        for (length, level) in [
            (400, ErrorCorrection.medium), (700, .quartile), (1000, .low), (1273, .high), (2953, .low),
        ] {
            cases.append((prefix + token(length - prefix.count, using: &generator), level))
        }
        return cases
    }()

    static func token(_ length: Int, using generator: inout SplitMix64) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    static var corpusIndices: Range<Int> { corpus.indices }

    @Test("The corpus covers all levels and versions 1 to 40, including 7+ (version information)")
    func corpusCoverage() throws {
        let codes = try Self.corpus.map { try QRCode($0.text, errorCorrection: $0.level) }
        let versions = Set(codes.map(\.version))
        #expect(Set(codes.map(\.errorCorrection)) == Set(ErrorCorrection.allCases))
        #expect(versions.contains(1) && versions.contains(40))
        #expect(versions.filter { $0 >= 7 }.count >= 8)
        #expect(Set(codes.map(\.mask)).count >= 6, "most masks get chosen somewhere")
    }

    @Test("PNG decodes to the exact text", .enabled(if: hasZbar), arguments: corpusIndices)
    func pngRoundTrip(index: Int) throws {
        let (text, level) = Self.corpus[index]
        let code = try QRCode(text, errorCorrection: level)
        let file = Self.temporaryFile("png")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(code.png(moduleSize: 4)).write(to: file)
        #expect(try Self.decode(file) == text, "version \(code.version) \(level) mask \(code.mask)")
    }

    @Test("PNG at the default size decodes too", .enabled(if: hasZbar))
    func pngDefaultSize() throws {
        let text = "https://mentoring.example/einladung/Ab3_xY-9kLmN0pQrStUvWxYz"
        let file = Self.temporaryFile("png")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(QRCode(text).png()).write(to: file)
        #expect(try Self.decode(file) == text)
    }

    @Test(
        "SVG rasterised by rsvg-convert decodes to the exact text", .enabled(if: hasRsvg),
        arguments: corpusIndices.filter { corpus[$0].text.utf8.count <= 300 })
    func svgRoundTrip(index: Int) throws {
        let (text, level) = Self.corpus[index]
        let code = try QRCode(text, errorCorrection: level)
        let svgFile = Self.temporaryFile("svg")
        let pngFile = Self.temporaryFile("png")
        defer {
            try? FileManager.default.removeItem(at: svgFile)
            try? FileManager.default.removeItem(at: pngFile)
        }
        try code.svg(title: "Einladung <\(text)>").write(to: svgFile, atomically: true, encoding: .utf8)
        let convert = try Self.run(Self.rsvgConvert, ["-b", "white", "-w", "600", "-o", pngFile.path, svgFile.path])
        try #require(convert.status == 0, "rsvg-convert: \(convert.output)")
        #expect(try Self.decode(pngFile) == text, "version \(code.version) \(level)")
    }

    // MARK: Helpers

    static func temporaryFile(_ extension: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString).\(`extension`)")
    }

    /// The decoded payload. `-Sbinary` makes ZBar print the raw bytes instead of guessing a
    /// character set (it would read short UTF-8 as ISO-8859-1 or Shift-JIS); `--raw` drops the
    /// "QR-Code:" prefix. Without `-Sbinary` ZBar ends the output with a newline; strip one if
    /// present, since no corpus text ends with one.
    static func decode(_ file: URL) throws -> String? {
        let result = try run(zbarimg, ["-q", "--raw", "-Sbinary", file.path])
        guard result.status == 0 else { return nil }
        var data = result.data
        if data.last == 0x0A { data.removeLast() }
        return String(data: data, encoding: .utf8)
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, data: Data, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        // Separate: zbarimg reports a missing D-Bus on stderr in containers, which is not data.
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()  // before waiting: a full pipe would block
        let messages = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data, String(decoding: data + messages, as: UTF8.self))
    }
}
