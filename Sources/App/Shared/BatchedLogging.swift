import Foundation
import Logging
import NIOConcurrencyHelpers

/// Where the server's log lines go: collected in memory and written in one system call every 100 ms, or at once
/// for a warning or worse (so a problem is on disk before anything else can happen) and when 64 kB are waiting.
///
/// Why: every request logs a line ("GET /dashboard [request-id: …]"). Vapor's console logger styles each line and
/// flushes it with a system call of its own, which cost 0.13–0.16 ms of CPU per request, a tenth of a
/// signed-in page (page benchmark, LOG_LEVEL info against notice). What it costs now is a line appended under
/// a lock. What may be lost: info lines of the last 100 ms if the process is killed; normal exits flush.
final class LogSink: Sendable {
    /// The process's standard output, as Vapor's console logger used.
    static let standardOutput = LogSink(fileDescriptor: 1)

    private let fileDescriptor: Int32
    private let pending = NIOLockedValueBox(Pending())
    /// Held while a batch is taken and written, so batches reach the file in the order they were taken.
    private let writing = NIOLock()

    private struct Pending {
        var bytes: [UInt8] = []
        var second: Int = -1
        var stamp = ""
    }

    static let batchBytes = 64 * 1024

    /// `flushInterval` nil: no background flushing (tests flush by hand).
    init(fileDescriptor: Int32, flushInterval: TimeInterval? = 0.1) {
        self.fileDescriptor = fileDescriptor
        if let flushInterval {
            let thread = Thread { [self] in
                while true {
                    Thread.sleep(forTimeInterval: flushInterval)
                    flush()
                }
            }
            thread.name = "log-flush"
            thread.start()
        }
    }

    /// Adds one line (a newline is appended); `urgent` writes everything waiting at once.
    func append(_ line: String, at date: Date, urgent: Bool) {
        let full = pending.withLockedValue { pending -> Bool in
            let second = Int(date.timeIntervalSince1970.rounded(.down))
            if second != pending.second {
                pending.second = second
                pending.stamp = Date(timeIntervalSince1970: TimeInterval(second)).ISO8601Format()
            }
            pending.bytes.append(contentsOf: pending.stamp.utf8)
            pending.bytes.append(UInt8(ascii: " "))
            pending.bytes.append(contentsOf: line.utf8)
            pending.bytes.append(UInt8(ascii: "\n"))
            return pending.bytes.count >= Self.batchBytes
        }
        if urgent || full { flush() }
    }

    /// Writes everything waiting.
    func flush() {
        writing.withLock {
            let batch = pending.withLockedValue { pending -> [UInt8] in
                defer { pending.bytes.removeAll(keepingCapacity: true) }
                return pending.bytes
            }
            batch.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress else { return }
                var offset = 0
                while offset < buffer.count {
                    let written = write(fileDescriptor, base + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return  // Nowhere to report a failing log; drop the batch rather than spin.
                    }
                    offset += written
                }
            }
        }
    }
}

/// A swift-log handler in the format of Vapor's console logger (`[ INFO ] message [key: value]`), with a
/// UTC timestamp in front, writing through a ``LogSink``.
struct BatchedLogHandler: LogHandler {
    let label: String
    let sink: LogSink
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    /// The clock of the line's timestamp (the app's clock does not exist yet when logging starts).
    var now: @Sendable () -> Date = { Date() }

    init(label: String, level: Logger.Level, sink: LogSink) {
        self.label = label
        self.logLevel = level
        self.sink = sink
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String,
        file: String, function: String, line: UInt
    ) {
        var text = "[ \(level.rawValue.uppercased()) ] \(message)"
        var merged = metadata
        if let extra { merged.merge(extra) { _, new in new } }
        if !merged.isEmpty {
            text +=
                " [" + merged.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "]"
        }
        if level >= .warning { text += " (\(file):\(line))" }
        sink.append(text, at: now(), urgent: level >= .warning)
    }
}
