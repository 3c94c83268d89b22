// Times the Matching algorithms on instance files written by compare/generate.py, so that SciPy and
// OR-Tools can be measured on exactly the same instances in the same run (compare/run.sh).
//   matching-timer dense weights.npy        (int64 N×N .npy)
//   matching-timer sparse candidates.csv    (solve time only; CSV read by a plain split, ids e<i>/r<j>)
//   matching-timer rounds N M R fit.csv
import Foundation
import Matching

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

func peakResidentMB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return -1 }
    let kb = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    return kb / 1024
}

/// Reads a C-order int64 .npy straight into an [Int] (no second copy of the matrix in memory).
func loadNpyInt64(_ path: String) -> (Int, Int, [Int]) {
    let handle = FileHandle(forReadingAtPath: path)!
    let prefix = handle.readData(ofLength: 10)
    let headerLength = Int(prefix[8]) | Int(prefix[9]) << 8
    let header = String(decoding: handle.readData(ofLength: headerLength), as: UTF8.self)
    precondition(header.contains("'<i8'") && header.contains("'fortran_order': False"), "expects C-order int64")
    let shape = header.split(separator: "(")[1].split(separator: ")")[0].split(separator: ",").compactMap {
        Int($0.trimmingCharacters(in: .whitespaces))
    }
    var values = [Int](repeating: 0, count: shape[0] * shape[1])
    values.withUnsafeMutableBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let got = read(handle.fileDescriptor, buffer.baseAddress! + offset, min(1 << 24, buffer.count - offset))
            precondition(got > 0, "short read")
            offset += got
        }
    }
    return (shape[0], shape[1], values)
}

let arguments = CommandLine.arguments
let clock = ContinuousClock()
switch arguments.count > 1 ? arguments[1] : "" {
case "dense":
    let (n, m, weights) = loadNpyInt64(arguments[2])
    let matrixMB = Double(weights.count * 8) / 1_048_576
    var pairing: Pairing?
    let time = clock.measure { pairing = PairingOptimizer.optimizeDense(weights: weights, menteeCount: n, mentorCount: m) }
    print(String(format: "swift dense %ldx%ld: %.3f s, total weight %ld, peak RSS %.0f MB (matrix %.0f MB)",
                 n, m, seconds(time), pairing!.totalWeight, peakResidentMB(), matrixMB))
case "sparse":
    let text = try String(contentsOfFile: arguments[2], encoding: .utf8)
    var candidates: [PairCandidate] = []
    var n = 0, m = 0
    for line in text.split(separator: "\n").dropFirst() {
        let f = line.split(separator: ",")
        let i = Int(f[0].dropFirst())!, j = Int(f[1].dropFirst())!
        n = max(n, i + 1); m = max(m, j + 1)
        candidates.append(PairCandidate(mentee: i, mentor: j, weight: Int(f[2])!))
    }
    var pairing: Pairing?
    let time = try clock.measure { pairing = try PairingOptimizer.optimize(menteeCount: n, mentorCount: m, candidates: candidates) }
    print(String(format: "swift sparse %ld mentees, %ld candidates: solve %.3f s, pairs %ld, total weight %ld, peak RSS %.0f MB",
                 n, candidates.count, seconds(time), pairing!.pairs.count, pairing!.totalWeight, peakResidentMB()))
case "rounds":
    let n = Int(arguments[2])!, m = Int(arguments[3])!, r = Int(arguments[4])!
    var fit: [PairFit] = []
    for line in try String(contentsOfFile: arguments[5], encoding: .utf8).split(separator: "\n").dropFirst() {
        let f = line.split(separator: ",")
        fit.append(PairFit(mentee: Int(f[0].dropFirst())!, mentor: Int(f[1].dropFirst())!, fit: Int(f[2])!))
    }
    var plan: MeetingPlan?
    let time = try clock.measure { plan = try MeetingPlanner.plan(menteeCount: n, mentorCount: m, rounds: r, fit: fit) }
    print(String(format: "swift rounds %ldx%ld R=%ld: %.3f s, meetings %ld, min per mentee %ld, fit %ld, peak RSS %.0f MB",
                 n, m, r, seconds(time), plan!.plannedMeetings, plan!.minimumMenteeMeetings, plan!.plannedFit, peakResidentMB()))
default:
    print("usage: matching-timer dense FILE.npy | sparse candidates.csv | rounds N M R fit.csv")
}
