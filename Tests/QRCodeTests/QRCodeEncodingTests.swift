import Testing

@testable import QRCode

@Suite("QR code encoding")
struct QRCodeEncodingTests {
    @Test("Table 9 block structure: data codewords per block for known versions and levels")
    func blockStructure() {
        // ISO/IEC 18004 Table 9 rows: (c, k) per block.
        #expect(QRCode.dataBlockLengths(version: 1, level: .medium) == [16])
        #expect(QRCode.dataBlockLengths(version: 5, level: .quartile) == [15, 15, 16, 16])
        #expect(QRCode.eccCodewordsPerBlock[ErrorCorrection.quartile.ordinal][5] == 18)
        #expect(QRCode.dataBlockLengths(version: 10, level: .high) == [15, 15, 15, 15, 15, 15, 16, 16])
        #expect(
            QRCode.dataBlockLengths(version: 40, level: .low) == Array(repeating: 118, count: 19)
                + Array(repeating: 119, count: 6))
    }

    @Test("Total codewords per version match Table 1")
    func totalCodewords() {
        let expected = [1: 26, 2: 44, 6: 172, 7: 196, 10: 346, 14: 581, 21: 1156, 32: 2465, 35: 2876, 40: 3706]
        for (version, total) in expected {
            #expect(QRCode.totalCodewords(version: version) == total, "version \(version)")
        }
    }

    @Test("Every version and level: blocks are consistent with the total codewords")
    func tableConsistency() {
        for version in 1...40 {
            for level in ErrorCorrection.allCases {
                let blocks = QRCode.dataBlockLengths(version: version, level: level)
                let ecc = QRCode.eccCodewordsPerBlock[level.ordinal][version]
                #expect(blocks.reduce(0, +) + blocks.count * ecc == QRCode.totalCodewords(version: version))
                #expect(blocks.first! > 0)
                // Capacities only grow with the version and shrink with the level.
                if version > 1 {
                    #expect(
                        QRCode.byteCapacity(version: version, level: level)
                            > QRCode.byteCapacity(version: version - 1, level: level))
                }
            }
        }
    }

    @Test("Byte-mode capacities from Table 7")
    func byteCapacities() {
        #expect(QRCode.byteCapacity(version: 1, level: .low) == 17)
        #expect(QRCode.byteCapacity(version: 1, level: .medium) == 14)
        #expect(QRCode.byteCapacity(version: 1, level: .quartile) == 11)
        #expect(QRCode.byteCapacity(version: 1, level: .high) == 7)
        #expect(QRCode.byteCapacity(version: 10, level: .medium) == 213)
        #expect(QRCode.byteCapacity(version: 40, level: .low) == 2953)
        #expect(QRCode.byteCapacity(version: 40, level: .high) == 1273)
    }

    @Test(
        "Minimal version for given lengths and levels",
        arguments: [
            (14, ErrorCorrection.medium, 1), (15, .medium, 2), (17, .low, 1), (7, .high, 1), (8, .high, 2),
            (60, .medium, 4), (200, .medium, 10), (200, .high, 15), (2331, .medium, 40),
        ])
    func versionSelection(length: Int, level: ErrorCorrection, version: Int) throws {
        let code = try QRCode(String(repeating: "a", count: length), errorCorrection: level)
        #expect(code.version == version)
        #expect(code.size == version * 4 + 17)
    }

    @Test("Too long text throws dataTooLong with the level's maximum")
    func dataTooLong() {
        #expect(throws: QRCodeError.dataTooLong(bytes: 2954, maximum: 2953)) {
            try QRCode(String(repeating: "x", count: 2954), errorCorrection: .low)
        }
        // UTF-8 bytes count, not characters: "ü" is two bytes.
        #expect(throws: QRCodeError.dataTooLong(bytes: 1274 * 2, maximum: 1273)) {
            try QRCode(String(repeating: "ü", count: 1274), errorCorrection: .high)
        }
    }

    @Test("Reed–Solomon: ISO/IEC 18004 Annex I example (01234567, version 1-M)")
    func reedSolomonAnnexI() {
        let data: [UInt8] = [
            0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11,
        ]
        let ecc = ReedSolomon.remainder(data, divisor: ReedSolomon.generator(degree: 10))
        #expect(ecc == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    @Test("Reed–Solomon: HELLO WORLD 1-M (alphanumeric data codewords, widely published)")
    func reedSolomonHelloWorld() {
        let data: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        let ecc = ReedSolomon.remainder(data, divisor: ReedSolomon.generator(degree: 10))
        #expect(ecc == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
    }

    @Test("Byte-mode data codewords: mode, count, data, terminator, 0xEC/0x11 padding")
    func dataCodewords() {
        let codewords = QRCode.dataCodewords(Array("Hi".utf8), version: 1, level: .high)
        // 0100 00000010 01001000 01101001 0000 → 0x40 0x24 0x86 0x90, then pads.
        #expect(codewords == [0x40, 0x24, 0x86, 0x90, 0xEC, 0x11, 0xEC, 0x11, 0xEC])
    }

    @Test("Format information bits (Annex C table)")
    func formatBits() {
        #expect(QRCode.formatBits(level: .low, mask: 0) == 0b111_0111_1100_0100)
        #expect(QRCode.formatBits(level: .medium, mask: 0) == 0b101_0100_0001_0010)
        #expect(QRCode.formatBits(level: .quartile, mask: 7) == 0b010_1011_1110_1101)
        #expect(QRCode.formatBits(level: .high, mask: 4) == 0b000_0111_0110_0010)
    }

    @Test("Version information bits (Annex D table)")
    func versionBits() {
        #expect(QRCode.versionBits(version: 7) == 0x07C94)
        #expect(QRCode.versionBits(version: 21) == 0x15683)
        #expect(QRCode.versionBits(version: 40) == 0x28C69)
    }

    @Test("Alignment pattern positions (Annex E, Table E.1)")
    func alignmentPositions() {
        #expect(QRCode.alignmentPositions(version: 1) == [])
        #expect(QRCode.alignmentPositions(version: 2) == [6, 18])
        #expect(QRCode.alignmentPositions(version: 7) == [6, 22, 38])
        #expect(QRCode.alignmentPositions(version: 15) == [6, 26, 48, 70])
        #expect(QRCode.alignmentPositions(version: 32) == [6, 34, 60, 86, 112, 138])
        #expect(QRCode.alignmentPositions(version: 36) == [6, 24, 50, 76, 102, 128, 154])
        #expect(QRCode.alignmentPositions(version: 40) == [6, 30, 58, 86, 114, 142, 170])
    }

    @Test("Structure: finder patterns at three corners, separators, alternating timing patterns")
    func structure() throws {
        let code = try QRCode("https://mentoring.example/einladung/Ab3_xY", errorCorrection: .quartile)
        let n = code.size
        for (ox, oy) in [(0, 0), (n - 7, 0), (0, n - 7)] {
            for dy in 0..<7 {
                for dx in 0..<7 {
                    let ring = max(abs(dx - 3), abs(dy - 3))
                    #expect(code[ox + dx, oy + dy] == (ring != 2), "finder at (\(ox), \(oy))")
                }
            }
        }
        // Light separators around the top-left finder, no finder bottom-right.
        for i in 0..<8 { #expect(!code[7, i] && !code[i, 7]) }
        #expect(!(0..<7).allSatisfy { code[n - 1 - $0, n - 1] })
        for i in 8..<(n - 8) {
            #expect(code[i, 6] == i.isMultiple(of: 2))
            #expect(code[6, i] == i.isMultiple(of: 2))
        }
        #expect(code[8, n - 8])  // the dark module
    }

    @Test("Format bits in the symbol match the chosen mask and level, both copies")
    func formatBitsInSymbol() throws {
        for level in ErrorCorrection.allCases {
            let code = try QRCode("Einladung für Jürgen", errorCorrection: level)
            let bits = QRCode.formatBits(level: level, mask: code.mask)
            let n = code.size
            let copy2 = (0..<8).map { code[n - 1 - $0, 8] } + (8..<15).map { code[8, n - 15 + $0] }
            #expect(copy2 == (0..<15).map { bits >> $0 & 1 == 1 })
            let copy1 = [0, 1, 2, 3, 4, 5, 7, 8].map { code[8, $0] } + [7, 5, 4, 3, 2, 1, 0].map { code[$0, 8] }
            #expect(copy1 == (0..<15).map { bits >> $0 & 1 == 1 })
        }
    }

    @Test("Mask choice is the minimum penalty over all eight masks")
    func maskChoice() throws {
        let code = try QRCode("https://mentoring.example/programm", errorCorrection: .medium)
        var base = Matrix(version: code.version)
        base.drawFunctionPatterns()
        base.placeCodewords(
            QRCode.interleavedCodewords(
                data: QRCode.dataCodewords(
                    Array("https://mentoring.example/programm".utf8), version: code.version, level: .medium),
                version: code.version, level: .medium))
        let penalties = (0..<8).map { mask in
            var candidate = base
            candidate.applyMask(mask)
            candidate.drawFormatBits(QRCode.formatBits(level: .medium, mask: mask))
            return candidate.penalty()
        }
        #expect(penalties[code.mask] == penalties.min())
        #expect(penalties.firstIndex(of: penalties.min()!) == code.mask)
    }

    @Test("Same input, same symbol")
    func deterministic() throws {
        #expect(try QRCode("abc") == QRCode("abc"))
        #expect(try QRCode("abc", errorCorrection: .low) != QRCode("abc", errorCorrection: .high))
    }
}
