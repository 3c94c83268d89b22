import Testing

@testable import QRCode

@Suite("QR code rendering")
struct QRCodeRenderingTests {
    // MARK: PNG

    /// Chunks as (type, data), checking each length and CRC on the way.
    static func chunks(_ png: [UInt8]) -> [(type: String, data: [UInt8])] {
        var result: [(String, [UInt8])] = []
        var offset = 8
        while offset + 12 <= png.count {
            let length = Int(readUInt32(png, offset))
            let typeAndData = Array(png[offset + 4..<offset + 8 + length])
            #expect(readUInt32(png, offset + 8 + length) == bitwiseCRC32(typeAndData), "chunk CRC")
            result.append((String(decoding: typeAndData.prefix(4), as: UTF8.self), Array(typeAndData.dropFirst(4))))
            offset += 12 + length
        }
        #expect(offset == png.count, "no trailing bytes")
        return result
    }

    static func readUInt32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// An independent, table-free CRC-32 to check the renderer's table-driven one.
    static func bitwiseCRC32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// Inflates a zlib stream made only of stored blocks; checks header and Adler-32.
    static func inflateStored(_ zlib: [UInt8]) -> [UInt8] {
        #expect((Int(zlib[0]) << 8 | Int(zlib[1])) % 31 == 0, "zlib header check bits")
        #expect(zlib[0] & 0x0F == 8, "deflate")
        #expect(zlib[1] & 0x20 == 0, "no preset dictionary")
        var out: [UInt8] = []
        var offset = 2
        var isFinal = false
        while !isFinal {
            isFinal = zlib[offset] & 1 == 1
            #expect(zlib[offset] >> 1 & 3 == 0, "stored block")
            let length = Int(zlib[offset + 1]) | Int(zlib[offset + 2]) << 8
            let complement = Int(zlib[offset + 3]) | Int(zlib[offset + 4]) << 8
            #expect(length ^ complement == 0xFFFF)
            out += zlib[offset + 5..<offset + 5 + length]
            offset += 5 + length
        }
        #expect(readUInt32(zlib, offset) == PNG.adler32(out))
        #expect(offset + 4 == zlib.count)
        return out
    }

    @Test("Checksums match published values")
    func checksums() {
        #expect(PNG.crc32(Array("IEND".utf8)) == 0xAE42_6082)
        #expect(PNG.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(PNG.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
    }

    @Test("PNG: signature, IHDR, IDAT, IEND with valid CRCs; pixels match the modules")
    func pngStructure() throws {
        let code = try QRCode("https://mentoring.example/einladung/Ab3_xY-")
        let (moduleSize, quietZone) = (3, 4)
        let png = code.png(moduleSize: moduleSize, quietZone: quietZone)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let chunks = Self.chunks(png)
        #expect(chunks.map(\.type) == ["IHDR", "IDAT", "IEND"])
        let side = (code.size + 2 * quietZone) * moduleSize
        let header = chunks[0].data
        #expect(Self.readUInt32(header, 0) == UInt32(side) && Self.readUInt32(header, 4) == UInt32(side))
        #expect(Array(header[8...]) == [1, 0, 0, 0, 0])  // 1-bit grayscale

        let raw = Self.inflateStored(chunks[1].data)
        let rowBytes = (side + 7) / 8
        #expect(raw.count == side * (rowBytes + 1))
        func isBlack(_ px: Int, _ py: Int) -> Bool {
            let row = py * (rowBytes + 1)
            #expect(raw[row] == 0, "filter none")
            return raw[row + 1 + px / 8] >> (7 - px % 8) & 1 == 0
        }
        for py in 0..<side {
            for px in 0..<side {
                let (x, y) = (px / moduleSize - quietZone, py / moduleSize - quietZone)
                let expected = (0..<code.size).contains(x) && (0..<code.size).contains(y) && code[x, y]
                if isBlack(px, py) != expected {
                    Issue.record("pixel (\(px), \(py))")
                    return
                }
            }
        }
    }

    @Test("PNG data over 64 KiB is split into several stored blocks")
    func pngManyBlocks() throws {
        let code = try QRCode(String(repeating: "x", count: 1000), errorCorrection: .low)
        let png = code.png(moduleSize: 12)
        let idat = Self.chunks(png)[1].data
        let raw = Self.inflateStored(idat)
        #expect(raw.count > 65535)
        #expect(idat.count == 2 + raw.count + 5 * ((raw.count + 65534) / 65535) + 4)
    }

    // MARK: SVG

    @Test("SVG: white background, one path of runs, crisp edges, size from module size and quiet zone")
    func svgStructure() throws {
        let code = try QRCode("Hi", errorCorrection: .low)
        let svg = code.svg(moduleSize: 10, quietZone: 2)
        #expect(svg.hasPrefix(#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 25 25" width="250" height="250""#))
        #expect(svg.contains(#"shape-rendering="crispEdges""#))
        #expect(svg.contains(##"<rect width="25" height="25" fill="#fff"/>"##))
        #expect(svg.components(separatedBy: "<path").count == 2)
        #expect(!svg.contains("role=") && !svg.contains("<title>"))
        // The top finder rows are runs of 7 at x = 2 and x = 16 (quiet zone 2, size 21).
        #expect(svg.contains(#"d="M2 2h7v1h-7zM"#) && svg.contains("M16 2h7v1h-7zM"))
        #expect(svg.hasSuffix("</svg>"))
    }

    @Test("SVG path covers exactly the dark modules")
    func svgPathMatchesModules() throws {
        let code = try QRCode("Einladung für Jürgen", errorCorrection: .high)
        let svg = code.svg(quietZone: 0)
        let path = svg.split(separator: #"d=""#)[1].prefix { $0 != "\"" }
        var dark = Set<[Int]>()
        for run in path.split(separator: "M") {
            // "x yhNv1h-Nz"
            let parts = run.split(whereSeparator: { " hvz".contains($0) })
            let (x, y, n) = (Int(parts[0])!, Int(parts[1])!, Int(parts[2])!)
            for dx in 0..<n { dark.insert([x + dx, y]) }
        }
        let expected = Set((0..<code.size).flatMap { y in (0..<code.size).filter { code[$0, y] }.map { [$0, y] } })
        #expect(dark == expected)
    }

    @Test("SVG title: role=img, XML-escaped")
    func svgTitle() throws {
        let svg = try QRCode("x").svg(title: #"Einladung für <Jürgen> & "Ana's" Team"#)
        #expect(
            svg.contains(#" role="img"><title>Einladung für &lt;Jürgen&gt; &amp; &quot;Ana&apos;s&quot; Team</title>"#))
    }
}
