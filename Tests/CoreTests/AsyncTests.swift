import RewasmCore
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The async `invoke`: guests share the cooperative pool in slices, cancellation stops
/// them promptly, and results equal the synchronous path's.
final class AsyncTests: XCTestCase {
    /// A runtime with `async.wat` instantiated; progress(id) calls are counted per id.
    private final class Setup: @unchecked Sendable {
        let runtime: Runtime
        let instance: Instance
        let progress = Locked<[Int32: Int]>([:])

        init(configuration: Configuration = Configuration()) throws {
            runtime = Runtime(configuration: configuration)
            let imports = Imports()
            let progress = self.progress
            imports.define("host", "progress", .function(runtime.hostFunction(type: FuncType(params: [.i32], results: [])) { call in
                let id = Int32(bitPattern: call.i32(0))
                progress.mutate { $0[id, default: 0] += 1 }
            }))
            instance = try runtime.instantiate(try Module(bytes: try Fixture.bytes("async"), configuration: configuration), imports: imports)
        }

        func function(_ name: String) throws -> Function {
            guard let f = instance.function(name) else { throw HarnessError("no export \(name)") }
            return f
        }
    }

    private static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// 64 guests spinning forever in one task group on the default executor: every one
    /// makes progress, and all stop within 50 ms of the group's cancellation.
    func testSixtyFourSpinningGuestsProgressAndStopOnCancellation() async throws {
        let setup = try Setup()
        let spin = try setup.function("spin")
        let guests = 64
        let stopped = Locked<[UInt64]>([])
        let cancelledAt = Locked<UInt64>(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in 0..<guests {
                group.addTask {
                    let context = ExecutionContext(runtime: setup.runtime)
                    do {
                        _ = try await context.invoke(spin, [.i32(UInt32(id))])
                        XCTFail("spin returned")
                    } catch is CancellationError {
                        stopped.mutate { $0.append(Self.now()) }
                        XCTAssertFalse(context.isSuspended, "a cancelled execution is dropped")
                    }
                }
            }
            // Every guest reports progress at least twice.
            let deadline = Self.now() + 60_000_000_000
            while setup.progress.get().count < guests || setup.progress.get().values.contains(where: { $0 < 2 }) {
                XCTAssertLessThan(Self.now(), deadline, "not every guest made progress: \(setup.progress.get())")
                if Self.now() > deadline { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            cancelledAt.mutate { $0 = Self.now() }
            group.cancelAll()
            try await group.waitForAll()
        }
        let times = stopped.get()
        XCTAssertEqual(times.count, guests)
        let latency = Double((times.max() ?? 0) - cancelledAt.get()) / 1e6
        print("64 guests: the last stopped \(latency) ms after cancellation")
        XCTAssertLessThan(latency, 50, "the last guest stopped \(latency) ms after cancellation")
    }

    /// The async path gives the synchronous path's results, with many slices and with
    /// restarts injected.
    func testResultsEqualTheSynchronousPath() async throws {
        let setup = try Setup()
        let hash = try setup.function("hash")
        let sync = try ExecutionContext(runtime: setup.runtime).invokeHandlingRestarts(hash, [.i64(300_000)])
        for slice: Duration in [.microseconds(1), .milliseconds(1), ExecutionContext.defaultSlice] {
            let context = ExecutionContext(runtime: setup.runtime)
            let results = try await context.invoke(hash, [.i64(300_000)], slice: slice)
            XCTAssertEqual(results, sync, "slice \(slice)")
            XCTAssertFalse(context.isSuspended)
        }
        var torture = Configuration()
        torture.tortureRestartInterval = 3
        let tortured = try Setup(configuration: torture)
        let context = ExecutionContext(runtime: tortured.runtime)
        let results = try await context.invoke(try tortured.function("hash"), [.i64(300_000)])
        XCTAssertEqual(results, try ExecutionContext(runtime: setup.runtime).invokeHandlingRestarts(hash, [.i64(300_000)]))
        XCTAssertGreaterThan(context.statistics.restarts["torture"] ?? 0, 100)
    }

    /// A user interrupt is thrown as an ExecutionError and leaves the execution suspended;
    /// the async `resume` finishes it with the right result. Fuel works the same way.
    func testInterruptAndFuelThenAsyncResume() async throws {
        let setup = try Setup()
        let hash = try setup.function("hash")
        let expected = try ExecutionContext(runtime: setup.runtime).invokeHandlingRestarts(hash, [.i64(3_000_000)])
        let context = ExecutionContext(runtime: setup.runtime)
        let interrupter = Task {
            try await Task.sleep(for: .milliseconds(5))
            context.requestInterrupt()
        }
        var results: [Value]
        do {
            results = try await context.invoke(hash, [.i64(3_000_000)])
            XCTFail("finished before the interrupt (the test needs a longer computation)")
        } catch let e as ExecutionError {
            XCTAssertEqual(e.kind, .userInterrupt)
            XCTAssertTrue(context.isSuspended)
            results = try await context.resume(slice: .milliseconds(5))
        }
        _ = try await interrupter.value
        XCTAssertEqual(results, expected)

        var metered = Configuration()
        metered.fuel = 1000
        let fueled = try Setup(configuration: metered)
        let fuelContext = ExecutionContext(runtime: fueled.runtime)
        let fuelHash = try fueled.function("hash")
        var stops = 0
        var outcome: [Value]?
        do {
            outcome = try await fuelContext.invoke(fuelHash, [.i64(1000)])
        } catch let e as ExecutionError where e.kind == .outOfFuel {
            while outcome == nil {
                stops += 1
                fuelContext.addFuel(1000)
                do { outcome = try await fuelContext.resume(slice: ExecutionContext.defaultSlice) } catch let e as ExecutionError where e.kind == .outOfFuel {}
            }
        }
        XCTAssertGreaterThan(stops, 5)
        XCTAssertEqual(outcome, try ExecutionContext(runtime: setup.runtime).invokeHandlingRestarts(hash, [.i64(1000)]))
    }

    /// A task cancelled before it starts runs nothing.
    func testCancelledBeforeStart() async throws {
        let setup = try Setup()
        let spin = try setup.function("spin")
        let task = Task {
            try await ExecutionContext(runtime: setup.runtime).invoke(spin, [.i32(7)])
        }
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("spin returned")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
    }
}
