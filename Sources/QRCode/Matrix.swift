// The module grid while a symbol is being built: function patterns, codeword placement,
// masking and the mask penalty (ISO/IEC 18004 sections 6.3, 7.7–7.8).

struct Matrix: Equatable {
    let version: Int
    let size: Int
    /// Row-major, `true` is dark.
    var dark: [Bool]
    /// Modules of finder, separator, timing, alignment, format and version patterns: never masked,
    /// never carry data.
    var isFunction: [Bool]

    init(version: Int) {
        self.version = version
        self.size = version * 4 + 17
        self.dark = Array(repeating: false, count: size * size)
        self.isFunction = Array(repeating: false, count: size * size)
    }

    subscript(x: Int, y: Int) -> Bool { dark[y * size + x] }

    private mutating func setFunction(_ x: Int, _ y: Int, _ isDark: Bool) {
        dark[y * size + x] = isDark
        isFunction[y * size + x] = true
    }

    // MARK: Function patterns

    mutating func drawFunctionPatterns() {
        // Timing patterns first: finders and alignments drawn later overwrite their ends.
        for i in 0..<size {
            setFunction(6, i, i.isMultiple(of: 2))
            setFunction(i, 6, i.isMultiple(of: 2))
        }
        drawFinder(centreX: 3, centreY: 3)
        drawFinder(centreX: size - 4, centreY: 3)
        drawFinder(centreX: 3, centreY: size - 4)

        let positions = QRCode.alignmentPositions(version: version)
        let last = positions.count - 1
        for (i, x) in positions.enumerated() {
            for (j, y) in positions.enumerated() {
                // The three corners with finder patterns get no alignment pattern.
                if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                for dy in -2...2 {
                    for dx in -2...2 { setFunction(x + dx, y + dy, max(abs(dx), abs(dy)) != 1) }
                }
            }
        }
        // Reserve the format areas now (real bits come per mask) so data placement skips them.
        drawFormatBits(0)
        drawVersionBits()
    }

    /// 7×7 finder plus its light separator, clipped at the symbol edge.
    private mutating func drawFinder(centreX: Int, centreY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centreX + dx
                let y = centreY + dy
                guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                let ring = max(abs(dx), abs(dy))
                setFunction(x, y, ring != 2 && ring != 4)
            }
        }
    }

    /// Both copies of the 15 format bits, plus the always-dark module (ISO/IEC 18004 7.9.1, Figure 25).
    mutating func drawFormatBits(_ bits: Int) {
        func bit(_ i: Int) -> Bool { bits >> i & 1 == 1 }
        // Copy 1, around the top-left finder (skipping the timing pattern at 6).
        for i in 0...5 { setFunction(8, i, bit(i)) }
        setFunction(8, 7, bit(6))
        setFunction(8, 8, bit(7))
        setFunction(7, 8, bit(8))
        for i in 9..<15 { setFunction(14 - i, 8, bit(i)) }
        // Copy 2, split between the top-right and bottom-left finders.
        for i in 0..<8 { setFunction(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { setFunction(8, size - 15 + i, bit(i)) }
        setFunction(8, size - 8, true)
    }

    /// Two 6×3 copies of the version bits next to the top-right and bottom-left finders (7.10).
    private mutating func drawVersionBits() {
        guard version >= 7 else { return }
        let bits = QRCode.versionBits(version: version)
        for i in 0..<18 {
            let isDark = bits >> i & 1 == 1
            let a = size - 11 + i % 3
            let b = i / 3
            setFunction(a, b, isDark)
            setFunction(b, a, isDark)
        }
    }

    // MARK: Data

    /// Places codeword bits in two-module-wide columns, zigzagging up and down from the
    /// bottom-right corner, skipping function modules and the vertical timing column (7.7.3).
    /// Remainder bits after the last codeword stay light.
    mutating func placeCodewords(_ codewords: [UInt8]) {
        var bitIndex = 0
        let totalBits = codewords.count * 8
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for x in [right, right - 1] where !isFunction[y * size + x] && bitIndex < totalBits {
                    dark[y * size + x] = codewords[bitIndex >> 3] >> (7 - bitIndex & 7) & 1 == 1
                    bitIndex += 1
                }
            }
            right -= 2
        }
    }

    /// Data mask conditions of ISO/IEC 18004 Table 10 (i = row = y, j = column = x).
    static func maskCondition(_ mask: Int, x: Int, y: Int) -> Bool {
        switch mask {
        case 0: (y + x) % 2 == 0
        case 1: y % 2 == 0
        case 2: x % 3 == 0
        case 3: (y + x) % 3 == 0
        case 4: (y / 2 + x / 3) % 2 == 0
        case 5: (y * x) % 2 + (y * x) % 3 == 0
        case 6: ((y * x) % 2 + (y * x) % 3) % 2 == 0
        case 7: ((y + x) % 2 + (y * x) % 3) % 2 == 0
        default: preconditionFailure("mask \(mask) outside 0...7")
        }
    }

    mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] && Self.maskCondition(mask, x: x, y: y) {
                dark[y * size + x].toggle()
            }
        }
    }

    // MARK: Penalty (ISO/IEC 18004 7.8.3, Table 11)

    /// N1–N4 over the whole symbol; lower is better.
    func penalty() -> Int {
        var total = 0
        // Rows and columns alike: read lines through an accessor.
        for line in 0..<size {
            total += linePenalty { dark[line * size + $0] }
            total += linePenalty { dark[$0 * size + line] }
        }
        // N2: each 2×2 block of one colour scores 3 (overlapping blocks each count).
        for y in 0..<size - 1 {
            for x in 0..<size - 1 {
                let colour = self[x, y]
                if colour == self[x + 1, y] && colour == self[x, y + 1] && colour == self[x + 1, y + 1] { total += 3 }
            }
        }
        // N4: 10 points per full 5 % step the dark share deviates from 50 %.
        let darkCount = dark.count { $0 }
        total += abs(darkCount * 20 - dark.count * 10) / dark.count * 10
        return total
    }

    /// N1 (runs of five or more: 3 + excess) and N3 (1:1:3:1:1 finder-like pattern with four light
    /// modules on one side: 40 each) along one row or column.
    private func linePenalty(_ module: (Int) -> Bool) -> Int {
        var total = 0
        var runLength = 1
        for i in 1...size {
            if i < size && module(i) == module(i - 1) {
                runLength += 1
            } else {
                if runLength >= 5 { total += 3 + runLength - 5 }
                runLength = 1
            }
        }
        let finderLike = [true, false, true, true, true, false, true]
        for start in 0...(size - 7) where (0..<7).allSatisfy({ module(start + $0) == finderLike[$0] }) {
            // Light on either side, counting the quiet zone beyond the edge as light.
            let lightBefore = (1...4).allSatisfy { start - $0 < 0 || !module(start - $0) }
            let lightAfter = (0..<4).allSatisfy { start + 7 + $0 >= size || !module(start + 7 + $0) }
            if lightBefore || lightAfter { total += 40 }
        }
        return total
    }
}
