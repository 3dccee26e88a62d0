// Throughput of 64 guests sharing the cooperative pool through the async `invoke`,
// against one guest alone (sync and async), and the latency from a task group's
// cancellation to the last of 64 spinning guests stopping. Prints a Markdown table.

import Foundation
import RewasmCore

let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let bytes = [UInt8](try Data(contentsOf: here.appendingPathComponent("async.wasm")))
let runtime = Runtime()
let imports = Imports()
imports.define("host", "progress", .function(runtime.hostFunction(type: FuncType(params: [.i32], results: [])) { _ in }))
let instance = try runtime.instantiate(try Module(bytes: bytes), imports: imports)
guard let hash = instance.function("hash"), let spin = instance.function("spin") else { fatalError("exports") }

let work: UInt64 = CommandLine.arguments.count > 1 ? UInt64(CommandLine.arguments[1]) ?? 20_000_000 : 20_000_000
let guests = 64

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let (s, a) = start.duration(to: .now).components
    return Double(s) + Double(a) / 1e18
}

// One guest, synchronously and through the async path.
let expected = try ExecutionContext(runtime: runtime).invokeHandlingRestarts(hash, [.i64(work)])
let sync = try await seconds {
    _ = try ExecutionContext(runtime: runtime).invokeHandlingRestarts(hash, [.i64(work)])
}
let single = try await seconds {
    let r = try await ExecutionContext(runtime: runtime).invoke(hash, [.i64(work)])
    precondition(r == expected)
}
// 64 guests, each doing the same work, in one task group.
let many = try await seconds {
    try await withThrowingTaskGroup(of: [Value].self) { group in
        for _ in 0..<guests {
            group.addTask { try await ExecutionContext(runtime: runtime).invoke(hash, [.i64(work)]) }
        }
        for try await r in group { precondition(r == expected) }
    }
}

// Cancellation latency: 64 spinning guests, cancelled after 200 ms; 5 trials.
var latencies: [Double] = []
for _ in 0..<5 {
    let stops = Locked<[ContinuousClock.Instant]>([])
    var cancelledAt = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for id in 0..<guests {
            group.addTask {
                do {
                    _ = try await ExecutionContext(runtime: runtime).invoke(spin, [.i32(UInt32(id))])
                } catch is CancellationError {
                    let t = ContinuousClock.now
                    stops.withLock { $0.append(t) }
                }
            }
        }
        try await Task.sleep(for: .milliseconds(200))
        cancelledAt = .now
        group.cancelAll()
        try await group.waitForAll()
    }
    let last = stops.withLock { $0.max() } ?? cancelledAt
    let (s, a) = cancelledAt.duration(to: last).components
    latencies.append((Double(s) + Double(a) / 1e18) * 1000)
}
latencies.sort()

let cores = ProcessInfo.processInfo.activeProcessorCount
print("| measure | value |")
print("|---|---|")
print("| one guest, sync `invoke` (hash \(work)) | \(String(format: "%.3f", sync)) s |")
print("| one guest, async `invoke` | \(String(format: "%.3f", single)) s (\(String(format: "%.2f", single / sync))x sync) |")
print("| \(guests) guests, async, one task group (\(cores) cores) | \(String(format: "%.3f", many)) s |")
print("| throughput, \(guests) guests / one async guest | \(String(format: "%.2f", Double(guests) * single / many))x |")
print("| cancellation to last of \(guests) spinning guests stopped (median, max of 5) | \(String(format: "%.2f", latencies[2])) ms, \(String(format: "%.2f", latencies[4])) ms |")
