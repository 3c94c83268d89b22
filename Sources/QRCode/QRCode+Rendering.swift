// SVG for web pages, PNG for e-mail (many mail clients do not show SVG).

extension QRCode {
    /// A compact SVG: a white background and one `<path>` of horizontal runs of dark modules.
    ///
    /// - Parameters:
    ///   - moduleSize: Pixels per module for the `width`/`height` attributes; the `viewBox` is in
    ///     modules, so the image scales cleanly.
    ///   - quietZone: Light modules around the symbol; the standard asks for 4.
    ///   - title: When given, the SVG gets `role="img"` and a `<title>` for screen readers.
    public func svg(moduleSize: Int = 8, quietZone: Int = 4, title: String? = nil) -> String {
        let side = size + 2 * quietZone
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard self[x, y] else {
                    x += 1
                    continue
                }
                let start = x
                while x < size && self[x, y] { x += 1 }
                let run = x - start
                path += "M\(start + quietZone) \(y + quietZone)h\(run)v1h-\(run)z"
            }
        }
        let pixels = side * moduleSize
        var svg =
            #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(side) \#(side)" width="\#(pixels)" height="\#(pixels)" shape-rendering="crispEdges""#
        if let title {
            svg += #" role="img"><title>\#(Self.xmlEscaped(title))</title>"#
        } else {
            svg += ">"
        }
        svg += ##"<rect width="\##(side)" height="\##(side)" fill="#fff"/><path fill="#000" d="\##(path)"/></svg>"##
        return svg
    }

    static func xmlEscaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }

    /// A 1-bit grayscale PNG (dark modules black, quiet zone and light modules white).
    ///
    /// The image data is stored uncompressed (deflate "stored" blocks): simple and always valid;
    /// a 60–250 character invitation URL at level M and the default size is 14–38 KB.
    public func png(moduleSize: Int = 8, quietZone: Int = 4) -> [UInt8] {
        let side = (size + 2 * quietZone) * moduleSize
        let rowBytes = (side + 7) / 8
        // Scanlines: filter byte 0 (none), then pixels packed MSB first, 1 = white.
        var raw: [UInt8] = []
        raw.reserveCapacity(side * (rowBytes + 1))
        for pixelY in 0..<side {
            raw.append(0)
            var row = [UInt8](repeating: 0xFF, count: rowBytes)
            let y = pixelY / moduleSize - quietZone
            if (0..<size).contains(y) {
                for pixelX in 0..<side {
                    let x = pixelX / moduleSize - quietZone
                    if (0..<size).contains(x) && self[x, y] {
                        row[pixelX / 8] &= ~(0x80 >> UInt8(pixelX % 8))
                    }
                }
            }
            raw += row
        }

        var header = PNG.bigEndian(UInt32(side)) + PNG.bigEndian(UInt32(side))
        header += [1, 0, 0, 0, 0]  // bit depth 1, grayscale, deflate, adaptive filtering, no interlace
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png += PNG.chunk("IHDR", header)
        png += PNG.chunk("IDAT", PNG.zlibStored(raw))
        png += PNG.chunk("IEND", [])
        return png
    }
}

/// The few pieces of PNG (ISO/IEC 15948) and zlib (RFC 1950/1951) the renderer needs.
enum PNG {
    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// Length, type, data, CRC-32 over type and data.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeAndData = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typeAndData + bigEndian(crc32(typeAndData))
    }

    /// A zlib stream of stored deflate blocks (each at most 65535 bytes) and the Adler-32 trailer.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]  // deflate, 32 KB window, no dictionary; 0x7801 % 31 == 0
        var start = 0
        repeat {
            let length = min(65535, data.count - start)
            let isFinal = start + length == data.count
            out.append(isFinal ? 1 : 0)  // BFINAL, BTYPE 00 (stored); the rest of the byte is padding
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8 & 0xFF)]
            out += data[start..<start + length]
            start += length
        } while start < data.count
        return out + bigEndian(adler32(data))
    }

    static func adler32(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    private static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
