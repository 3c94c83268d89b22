import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// The QR codes the pages show decode back to the exact links, read by a real decoder (zbarimg).
@Suite(
    "QR codes on pages decode to the exact links",
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zbarimg")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/rsvg-convert")))
struct QRCodeDecodingTests {
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The first inline SVG of a page, rendered to PNG and decoded.
    /// The first QR code on the page (icons are `<svg class="icon">` and come first in the header).
    static func decodeFirstSVG(in html: String) throws -> String {
        var searchFrom = html.startIndex
        var found: Range<String.Index>?
        while let candidate = html.range(of: "<svg", range: searchFrom..<html.endIndex) {
            if !html[candidate.lowerBound...].hasPrefix("<svg class=\"icon\"") { found = candidate; break }
            searchFrom = candidate.upperBound
        }
        let start = try #require(found)
        let end = try #require(html.range(of: "</svg>", range: start.upperBound..<html.endIndex))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let svg = directory.appendingPathComponent("code.svg"), png = directory.appendingPathComponent("code.png")
        try String(html[start.lowerBound..<end.upperBound]).write(to: svg, atomically: true, encoding: .utf8)
        _ = try run("/usr/bin/rsvg-convert", ["-b", "white", "-w", "600", "-o", png.path, svg.path])
        return try run("/usr/bin/zbarimg", ["-q", "--raw", "-Sbinary", png.path])
    }

    @Test("Programme-wide link and a printed personal invitation")
    func pagesDecode() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(on: app.db)
            let id = try fixture.programme.requireID()
            let browser = TestBrowser(app)
            try await browser.signIn(as: fixture.organiser)
            let members = try await browser.get("/organiser/programmes/\(id)/members")
            let joinLink = "http://mentoring.test/join/\(try #require(fixture.programme.publicCode))"
            #expect(try Self.decodeFirstSVG(in: members.body) == joinLink)

            let invitation = Invitation(
                programmeID: id, name: "Ina", email: "ina@x.example", company: "I", position: "CTO",
                tokenHash: "", expiresAt: Date())
            try await InvitationController.issueAndSend(invitation, programme: fixture.programme, app: app, on: app.db)
            try await browser.get("/organiser/programmes/\(id)/members")
            let printed = try await browser.post(
                "/organiser/programmes/\(id)/members/\(try invitation.requireID())/print")
            let decoded = try Self.decodeFirstSVG(in: printed.body)
            #expect(decoded.hasPrefix("http://mentoring.test/invitation/"))
            #expect(printed.body.contains("<code>\(decoded)</code>"))
            // And the decoded link is the one that works.
            let token = String(decoded.dropFirst("http://mentoring.test/invitation/".count))
            #expect(try await Invitation.find(invitation.id, on: app.db)?.tokenHash == SecureToken.hash(token))
        }
    }
}
