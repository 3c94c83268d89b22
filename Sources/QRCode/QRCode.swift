// A small QR code encoder (ISO/IEC 18004:2015, Model 2), byte mode only.
//
// Why our own: no package in the mirror generates QR codes, and the invitation URLs only need
// byte mode. Rendering (SVG, PNG) lives in QRCode+Rendering.swift.

/// The error-correction level: how much of the symbol may be damaged and still decode.
public enum ErrorCorrection: Sendable, CaseIterable, Hashable {
    /// About 7 % of codewords recoverable.
    case low
    /// About 15 % of codewords recoverable.
    case medium
    /// About 25 % of codewords recoverable.
    case quartile
    /// About 30 % of codewords recoverable.
    case high

    /// Row index into the per-level tables below.
    var ordinal: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .quartile: 2
        case .high: 3
        }
    }

    /// The two level bits of the format information (ISO/IEC 18004 Table 12): not in L-M-Q-H order.
    var formatBits: Int {
        switch self {
        case .low: 0b01
        case .medium: 0b00
        case .quartile: 0b11
        case .high: 0b10
        }
    }
}

/// Why a QR code could not be made.
public enum QRCodeError: Error, Equatable, Sendable {
    /// The UTF-8 text has `bytes` bytes; version 40 at the requested level holds at most `maximum`.
    case dataTooLong(bytes: Int, maximum: Int)
}

/// A QR code symbol: a square of dark and light modules, without the quiet zone.
public struct QRCode: Sendable, Equatable {
    /// Modules per side: 21 for version 1, up to 177 for version 40.
    public let size: Int
    /// The symbol version (1–40), the smallest that holds the data at the chosen level.
    public let version: Int
    /// The error-correction level the symbol was built with.
    public let errorCorrection: ErrorCorrection
    /// The data mask (0–7) chosen by the penalty rules.
    public let mask: Int
    /// Row-major, `true` is dark.
    private let modules: [Bool]

    /// Encodes `text` as UTF-8 in byte mode, in the smallest version that fits.
    ///
    /// - Throws: `QRCodeError.dataTooLong` when even version 40 cannot hold the bytes.
    public init(_ text: String, errorCorrection: ErrorCorrection = .medium) throws(QRCodeError) {
        let bytes = Array(text.utf8)
        guard let version = Self.minimalVersion(byteCount: bytes.count, level: errorCorrection) else {
            throw .dataTooLong(bytes: bytes.count, maximum: Self.byteCapacity(version: 40, level: errorCorrection))
        }
        let codewords = Self.interleavedCodewords(
            data: Self.dataCodewords(bytes, version: version, level: errorCorrection),
            version: version, level: errorCorrection)

        var matrix = Matrix(version: version)
        matrix.drawFunctionPatterns()
        matrix.placeCodewords(codewords)

        // Try all eight masks with their format information drawn in (it counts towards the
        // penalty) and keep the cheapest; ties go to the lower mask number.
        var best: (penalty: Int, mask: Int, matrix: Matrix)?
        for mask in 0..<8 {
            var candidate = matrix
            candidate.applyMask(mask)
            candidate.drawFormatBits(Self.formatBits(level: errorCorrection, mask: mask))
            let penalty = candidate.penalty()
            if best == nil || penalty < best!.penalty { best = (penalty, mask, candidate) }
        }
        self.size = matrix.size
        self.version = version
        self.errorCorrection = errorCorrection
        self.mask = best!.mask
        self.modules = best!.matrix.dark
    }

    /// Whether the module at column `x`, row `y` (both 0..<size) is dark.
    public subscript(x: Int, y: Int) -> Bool {
        precondition((0..<size).contains(x) && (0..<size).contains(y), "module outside the symbol")
        return modules[y * size + x]
    }
}

// MARK: - Capacity and data codewords

extension QRCode {
    // ISO/IEC 18004 Table 9, per level (L, M, Q, H) and version (index 0 unused):
    // error-correction codewords per block ...
    // swift-format-ignore
    static let eccCodewordsPerBlock: [[Int]] = [
        [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]
    // ... and number of error-correction blocks (short and long blocks together).
    // swift-format-ignore
    static let errorCorrectionBlocks: [[Int]] = [
        [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]

    /// Total codewords of a version (ISO/IEC 18004 Table 1), computed rather than tabled: the
    /// modules left after finder, separator, timing, alignment, format and version areas.
    static func totalCodewords(version: Int) -> Int {
        var modules = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            modules -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { modules -= 36 }
        }
        return modules / 8  // the 0–7 remainder bits carry no data
    }

    static func dataCodewordCount(version: Int, level: ErrorCorrection) -> Int {
        totalCodewords(version: version)
            - eccCodewordsPerBlock[level.ordinal][version] * errorCorrectionBlocks[level.ordinal][version]
    }

    /// Byte-mode character count indicator width (ISO/IEC 18004 Table 3).
    static func countBits(version: Int) -> Int { version <= 9 ? 8 : 16 }

    /// How many bytes fit in byte mode (ISO/IEC 18004 Table 7, byte column).
    static func byteCapacity(version: Int, level: ErrorCorrection) -> Int {
        (dataCodewordCount(version: version, level: level) * 8 - 4 - countBits(version: version)) / 8
    }

    static func minimalVersion(byteCount: Int, level: ErrorCorrection) -> Int? {
        (1...40).first { byteCapacity(version: $0, level: level) >= byteCount }
    }

    /// Mode indicator, count, data, terminator, padding to full codewords (ISO/IEC 18004 7.4).
    static func dataCodewords(_ bytes: [UInt8], version: Int, level: ErrorCorrection) -> [UInt8] {
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)  // byte mode
        bits.append(bytes.count, count: countBits(version: version))
        for byte in bytes { bits.append(Int(byte), count: 8) }
        let capacity = dataCodewordCount(version: version, level: level) * 8
        bits.append(0, count: min(4, capacity - bits.count))  // terminator, shortened if full
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        // Alternating pad codewords 11101100 00010001 fill the rest.
        var pad: UInt8 = 0xEC
        while codewords.count < capacity / 8 {
            codewords.append(pad)
            pad ^= 0xEC ^ 0x11
        }
        return codewords
    }

    /// Splits the data into blocks, appends each block's Reed–Solomon codewords and interleaves
    /// them (ISO/IEC 18004 7.6): data column by column, then error correction column by column.
    static func interleavedCodewords(data: [UInt8], version: Int, level: ErrorCorrection) -> [UInt8] {
        let blockCount = errorCorrectionBlocks[level.ordinal][version]
        let eccLength = eccCodewordsPerBlock[level.ordinal][version]
        let blocks = dataBlockLengths(version: version, level: level)
        let divisor = ReedSolomon.generator(degree: eccLength)
        var dataBlocks: [[UInt8]] = []
        var start = 0
        for length in blocks {
            dataBlocks.append(Array(data[start..<start + length]))
            start += length
        }
        let eccBlocks = dataBlocks.map { ReedSolomon.remainder($0, divisor: divisor) }
        var result: [UInt8] = []
        result.reserveCapacity(totalCodewords(version: version))
        for column in 0..<blocks.last! {
            for block in 0..<blockCount where column < dataBlocks[block].count {
                result.append(dataBlocks[block][column])
            }
        }
        for column in 0..<eccLength {
            for block in 0..<blockCount { result.append(eccBlocks[block][column]) }
        }
        return result
    }

    /// Data codewords per block: short blocks first, long blocks (one more codeword) last.
    static func dataBlockLengths(version: Int, level: ErrorCorrection) -> [Int] {
        let blockCount = errorCorrectionBlocks[level.ordinal][version]
        let dataCount = dataCodewordCount(version: version, level: level)
        let short = dataCount / blockCount
        let longCount = dataCount % blockCount
        return Array(repeating: short, count: blockCount - longCount) + Array(repeating: short + 1, count: longCount)
    }
}

// MARK: - Format and version information

extension QRCode {
    /// 15 format bits: level and mask, BCH(15,5) with generator 0x537, XOR 0x5412 so that the
    /// result is never all zero (ISO/IEC 18004 7.9.1, Annex C).
    static func formatBits(level: ErrorCorrection, mask: Int) -> Int {
        let data = level.formatBits << 3 | mask
        return (data << 10 | bchRemainder(data << 10, generator: 0x537)) ^ 0x5412
    }

    /// 18 version bits for versions 7–40: BCH(18,6) with generator 0x1F25 (ISO/IEC 18004 7.10, Annex D).
    static func versionBits(version: Int) -> Int {
        version << 12 | bchRemainder(version << 12, generator: 0x1F25)
    }

    private static func bchRemainder(_ value: Int, generator: Int) -> Int {
        let degree = Int.bitWidth - generator.leadingZeroBitCount - 1
        var remainder = value
        while remainder != 0, Int.bitWidth - remainder.leadingZeroBitCount - 1 >= degree {
            remainder ^= generator << (Int.bitWidth - remainder.leadingZeroBitCount - 1 - degree)
        }
        return remainder
    }

    /// Centre coordinates of alignment patterns on each axis (ISO/IEC 18004 Annex E, Table E.1),
    /// derived from its regularity: first at 6, last at size − 7, evenly spaced by an even step.
    static func alignmentPositions(version: Int) -> [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let size = version * 4 + 17
        // Version 32 is the one row of Table E.1 whose step does not follow the rounding rule.
        let step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        return [6] + (0..<count - 1).map { size - 7 - $0 * step }.reversed()
    }
}

// MARK: - Reed–Solomon over GF(256)

/// Arithmetic in GF(2⁸) with the QR field polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D).
enum ReedSolomon {
    static let (exp, log): ([UInt8], [Int]) = {
        var exp = [UInt8](repeating: 0, count: 512)
        var log = [Int](repeating: 0, count: 256)
        var value = 1
        for power in 0..<255 {
            exp[power] = UInt8(value)
            log[value] = power
            value <<= 1
            if value > 0xFF { value ^= 0x11D }
        }
        // Doubled table: products index exp[log a + log b] without a modulo.
        for power in 255..<512 { exp[power] = exp[power - 255] }
        return (exp, log)
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        a == 0 || b == 0 ? 0 : exp[log[Int(a)] + log[Int(b)]]
    }

    /// Coefficients (highest first, leading 1 omitted) of ∏ (x − αⁱ) for i in 0..<degree.
    static func generator(degree: Int) -> [UInt8] {
        var coefficients = [UInt8](repeating: 0, count: degree)
        coefficients[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for index in 0..<degree {
                coefficients[index] = multiply(coefficients[index], root)
                if index + 1 < degree { coefficients[index] ^= coefficients[index + 1] }
            }
            root = multiply(root, 2)
        }
        return coefficients
    }

    /// The error-correction codewords: remainder of data·x^degree divided by the generator.
    static func remainder(_ data: [UInt8], divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for index in result.indices { result[index] ^= multiply(divisor[index], factor) }
        }
        return result
    }
}

// MARK: - Bits

struct BitBuffer {
    private(set) var bits: [Bool] = []
    var count: Int { bits.count }

    mutating func append(_ value: Int, count: Int) {
        for shift in stride(from: count - 1, through: 0, by: -1) { bits.append(value >> shift & 1 == 1) }
    }

    /// Packed big-endian; `count` must be a multiple of 8.
    var bytes: [UInt8] {
        stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<start + 8].reduce(0) { $0 << 1 | ($1 ? 1 : 0) }
        }
    }
}
