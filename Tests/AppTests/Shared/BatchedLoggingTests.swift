import Foundation
import Logging
import Testing

@testable import App

/// The server's log lines, written in batches: nothing lost, nothing reordered, warnings at once.
@Suite("Batched logging")
struct BatchedLoggingTests {
    /// A log file and a sink writing to it without a background thread (flushes happen when the test says).
    final class LogFile {
        let path = NSTemporaryDirectory() + "log-\(UUID().uuidString).txt"
        let descriptor: Int32
        let sink: LogSink
        init() {
            descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            sink = LogSink(fileDescriptor: descriptor, flushInterval: nil)
        }
        var lines: [String] {
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        deinit {
            close(descriptor)
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    @Test("Info lines wait for the flush, in Vapor's format with a timestamp; a warning writes everything at once")
    func formatAndUrgency() {
        let file = LogFile()
        var handler = BatchedLogHandler(label: "test", level: .info, sink: file.sink)
        handler.now = { Date(timeIntervalSince1970: 1_796_000_000) }
        handler[metadataKey: "request-id"] = "abc"
        let logger = Logger(label: "test") { _ in handler }
        logger.debug("unter der Schwelle")
        logger.info("GET /dashboard", metadata: ["a": "1"])
        #expect(file.lines.isEmpty)
        logger.warning("Achtung")
        let lines = file.lines
        #expect(lines.count == 2)
        #expect(lines.first == "2026-11-30T00:53:20Z [ INFO ] GET /dashboard [a: 1, request-id: abc]")
        #expect(lines.last?.hasPrefix("2026-11-30T00:53:20Z [ WARNING ] Achtung [request-id: abc] (") == true)
    }

    @Test("Lines from many tasks arrive complete and each task's in order, across batch boundaries")
    func concurrentOrder() async {
        let file = LogFile()
        let handler = BatchedLogHandler(label: "test", level: .info, sink: file.sink)
        let logger = Logger(label: "test") { _ in handler }
        let padding = String(repeating: "x", count: 200)  // 4 × 500 lines of ~230 bytes: several 64 kB batches
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<4 {
                group.addTask {
                    for n in 0..<500 { logger.info("task \(task) line \(n) \(padding)") }
                }
            }
        }
        file.sink.flush()
        let lines = file.lines
        #expect(lines.count == 2_000)
        for task in 0..<4 {
            let numbers = lines.compactMap { line -> Int? in
                let parts = line.split(separator: " ")
                guard parts.count > 7, parts[5] == "\(task)" else { return nil }
                return Int(parts[7])
            }
            #expect(numbers == Array(0..<500), "task \(task)")
        }
    }
}
