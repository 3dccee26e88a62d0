// The threads proposal in Core and wasi-threads (FeatureThreads), in-process so that
// `swift test --sanitize=thread` sees every thread. Fixtures/*.wat are the sources.

#if Threads
import RewasmCore
import RewasmThreads
import RewasmWASI
import Foundation
import Synchronization
import XCTest
#if SharedMemRealloc
import RewasmSharedMemRealloc
#endif
#if UserSched
import RewasmUserSched
#endif

#if canImport(Glibc)
import Glibc
#endif

/// A runtime set up as `rewasm run` sets it up for this variant (with SharedMemRealloc,
/// a world stopper: threads that share a memory must stop while it moves).
func makeRuntime(_ configuration: Configuration = Configuration()) -> Runtime {
    let runtime = Runtime(configuration: configuration)
    #if SharedMemRealloc
    WorldStop.install(on: runtime)
    #endif
    return runtime
}

enum Fixture {
    static func module(_ name: String) throws -> Module {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw XCTSkip("Fixtures missing from the test bundle")
        }
        return try Module(bytes: [UInt8](try Data(contentsOf: url.appendingPathComponent(name + ".wasm"))))
    }
}

/// Monotonic milliseconds.
func nowMs() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1e6
}

/// Runs `body` on `count` host threads and waits for all of them.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for i in 0..<count {
        group.enter()
        Thread {
            body(i)
            group.leave()
        }.start()
    }
    group.wait()
}

final class AtomicsTests: XCTestCase {
    private func instance(_ configuration: Configuration = Configuration()) throws -> (Runtime, Instance) {
        let runtime = makeRuntime(configuration)
        return (runtime, try runtime.instantiate(try Fixture.module("atomics")))
    }

    private func call(_ i: Instance, _ name: String, _ args: [Value], on runtime: Runtime) throws -> [Value] {
        guard let f = i.function(name) else { throw XCTSkip("no export \(name)") }
        return try ExecutionContext(runtime: runtime).invokeHandlingRestarts(f, args)
    }

    func testCountersAreExactAcrossThreads() throws {
        let (runtime, inst) = try instance()
        guard let add = inst.function("add") else { return XCTFail("no add") }
        let threads = 4, n: UInt32 = 20_000
        let failures = Atomic<Int>(0)
        onThreads(threads) { _ in
            do {
                _ = try ExecutionContext(runtime: runtime).invokeHandlingRestarts(add, [.i32(n)])
            } catch {
                failures.add(1, ordering: .relaxed)
            }
        }
        XCTAssertEqual(failures.load(ordering: .relaxed), 0)
        let total = UInt32(threads) * n
        XCTAssertEqual(try call(inst, "load32", [.i32(0)], on: runtime), [.i32(total)])
        XCTAssertEqual(try call(inst, "load64", [.i32(8)], on: runtime), [.i64(UInt64(total))])
        XCTAssertEqual(try call(inst, "load32", [.i32(16)], on: runtime), [.i32(total % 256)])
        XCTAssertEqual(try call(inst, "load32", [.i32(24)], on: runtime), [.i32(total)])
        XCTAssertEqual(try call(inst, "load32", [.i32(32)], on: runtime), [.i32(0 &- 3 &* total)])
    }

    func testCountersUnderTortureRestarts() throws {
        var c = Configuration()
        c.tortureRestartInterval = 3
        let (runtime, inst) = try instance(c)
        guard let add = inst.function("add") else { return XCTFail("no add") }
        onThreads(3) { _ in _ = try? ExecutionContext(runtime: runtime).invokeHandlingRestarts(add, [.i32(5000)]) }
        XCTAssertEqual(try call(inst, "load32", [.i32(24)], on: runtime), [.i32(15000)])
        XCTAssertEqual(try call(inst, "load64", [.i32(8)], on: runtime), [.i64(15000)])
    }

    func testWaitNotifyPingPong() throws {
        let (runtime, inst) = try instance()
        guard let turns = inst.function("turns") else { return XCTFail("no turns") }
        onThreads(2) { i in
            _ = try? ExecutionContext(runtime: runtime).invokeHandlingRestarts(turns, [.i32(UInt32(i)), .i32(500)])
        }
        XCTAssertEqual(try call(inst, "load32", [.i32(64)], on: runtime), [.i32(1000)])
    }

    func testWaitResults() throws {
        let (runtime, inst) = try instance()
        // Not equal: 1 at once; no waiters: notify returns 0.
        XCTAssertEqual(try call(inst, "wait32", [.i32(100), .i32(5), .i64(UInt64(bitPattern: -1))], on: runtime), [.i32(1)])
        XCTAssertEqual(try call(inst, "wait64", [.i32(104), .i64(1 << 40), .i64(0)], on: runtime), [.i32(1)])
        XCTAssertEqual(try call(inst, "notify", [.i32(100), .i32(10)], on: runtime), [.i32(0)])
        // Timed out: 2 after the timeout, not before.
        let t0 = nowMs()
        XCTAssertEqual(try call(inst, "wait32", [.i32(100), .i32(0), .i64(100_000_000)], on: runtime), [.i32(2)])
        let ms = nowMs() - t0
        XCTAssertGreaterThanOrEqual(ms, 99)
        XCTAssertLessThan(ms, 1000)
        // Alignment and bounds.
        XCTAssertThrowsError(try call(inst, "wait32", [.i32(2), .i32(0), .i64(0)], on: runtime)) { e in
            XCTAssertEqual((e as? ExecutionError)?.kind, .trap(.unalignedAtomic))
        }
        XCTAssertThrowsError(try call(inst, "notify", [.i32(65536), .i32(1)], on: runtime)) { e in
            XCTAssertEqual((e as? ExecutionError)?.kind, .trap(.memoryOutOfBounds))
        }
    }

    func testNotifyWakesAWaiterOnAnotherThread() throws {
        let (runtime, inst) = try instance()
        guard let wait = inst.function("wait32"), let notify = inst.function("notify") else { return XCTFail() }
        let result = Mutex<[Value]>([])
        let waiter = Thread {
            let r = try? ExecutionContext(runtime: runtime).invokeHandlingRestarts(wait, [.i32(200), .i32(0), .i64(UInt64(bitPattern: -1))])
            result.withLock { $0 = r ?? [] }
        }
        waiter.start()
        // Notify until the waiter was listed and woken (notify returns 1).
        let ctx = ExecutionContext(runtime: runtime)
        let deadline = nowMs() + 5000
        var woken: [Value] = []
        while nowMs() < deadline {
            woken = try ctx.invoke(notify, [.i32(200), .i32(1)])
            if woken == [.i32(1)] { break }
            usleep(1000)
        }
        XCTAssertEqual(woken, [.i32(1)])
        while result.withLock({ $0.isEmpty }) && nowMs() < deadline { usleep(1000) }
        XCTAssertEqual(result.withLock { $0 }, [.i32(0)])
    }

    /// DESIGN.md §3.2: an interrupted wait keeps its absolute deadline.
    func testInterruptedWaitResumesWithTheSameDeadline() throws {
        let (runtime, inst) = try instance()
        guard let wait = inst.function("wait32") else { return XCTFail() }
        let ctx = ExecutionContext(runtime: runtime)
        Thread {
            usleep(100_000)
            ctx.requestInterrupt()
        }.start()
        let t0 = nowMs()
        XCTAssertThrowsError(try ctx.invoke(wait, [.i32(300), .i32(0), .i64(300_000_000)])) { e in
            XCTAssertEqual((e as? ExecutionError)?.kind, .userInterrupt)
        }
        let stopped = nowMs() - t0
        XCTAssertGreaterThanOrEqual(stopped, 95)
        XCTAssertLessThan(stopped, 200, "the interrupt wakes the wait at once")
        XCTAssertEqual(try ctx.resume(), [.i32(2)])
        let total = nowMs() - t0
        XCTAssertGreaterThanOrEqual(total, 299)
        XCTAssertLessThan(total, 450, "the resumed wait keeps the original deadline")
    }

    /// A waiter stays listed while its thread is unwound by an interrupt: a notify in
    /// that window is not lost (resume returns 0 at once); abandoning unlists it.
    func testNotifyWhileAWaiterIsSuspended() throws {
        let (runtime, inst) = try instance()
        guard let wait = inst.function("wait32"), let notify = inst.function("notify") else { return XCTFail() }
        let waiter = ExecutionContext(runtime: runtime)
        Thread {
            usleep(50_000)
            waiter.requestInterrupt()
        }.start()
        XCTAssertThrowsError(try waiter.invoke(wait, [.i32(400), .i32(0), .i64(UInt64(bitPattern: -1))])) { e in
            XCTAssertEqual((e as? ExecutionError)?.kind, .userInterrupt)
        }
        let other = ExecutionContext(runtime: runtime)
        XCTAssertEqual(try other.invoke(notify, [.i32(400), .i32(5)]), [.i32(1)], "the suspended waiter counts")
        let t0 = nowMs()
        XCTAssertEqual(try waiter.resume(), [.i32(0)])
        XCTAssertLessThan(nowMs() - t0, 50)

        // Suspended again, then abandoned: no longer a waiter.
        Thread {
            usleep(50_000)
            waiter.requestInterrupt()
        }.start()
        XCTAssertThrowsError(try waiter.invoke(wait, [.i32(404), .i32(0), .i64(UInt64(bitPattern: -1))]))
        waiter.abandon()
        XCTAssertEqual(try other.invoke(notify, [.i32(404), .i32(5)]), [.i32(0)])
    }

    func testWaitUnderTortureKeepsItsDeadline() throws {
        var c = Configuration()
        c.tortureRestartInterval = 1
        let (runtime, inst) = try instance(c)
        let t0 = nowMs()
        XCTAssertEqual(try call(inst, "wait32", [.i32(300), .i32(0), .i64(300_000_000)], on: runtime), [.i32(2)])
        let ms = nowMs() - t0
        XCTAssertGreaterThanOrEqual(ms, 299)
        XCTAssertLessThan(ms, 450)
    }

    func testWaitOnUnsharedMemoryTraps() throws {
        let runtime = makeRuntime()
        let inst = try runtime.instantiate(try Fixture.module("unshared"))
        guard let wait = inst.function("wait32"), let notify = inst.function("notify"), let unaligned = inst.function("unaligned")
        else { return XCTFail() }
        let ctx = ExecutionContext(runtime: runtime)
        XCTAssertThrowsError(try ctx.invoke(wait, [.i32(0), .i32(0), .i64(0)])) { e in
            XCTAssertEqual((e as? ExecutionError)?.kind, .trap(.expectedSharedMemory))
        }
        XCTAssertEqual(try ctx.invoke(notify, [.i32(0), .i32(1)]), [.i32(0)])
        XCTAssertThrowsError(try ctx.invoke(unaligned, [])) { e in
            XCTAssertEqual((e as? ExecutionError)?.kind, .trap(.unalignedAtomic))
        }
    }

    /// A thread's cached memory size goes stale when another thread grows the shared
    /// memory; its accesses to the new pages must still succeed.
    func testAccessesToPagesGrownByAnotherThread() throws {
        let runtime = makeRuntime()
        let inst = try runtime.instantiate(try Fixture.module("grow"))
        guard let grower = inst.function("grower"), let chaser = inst.function("chaser") else { return XCTFail() }
        let sum = Locked<[Value]?>(nil)
        let failure = Locked<String?>(nil)
        onThreads(2) { i in
            do {
                if i == 0 {
                    usleep(2000)  // let the chaser start with the 1-page size cached
                    _ = try ExecutionContext(runtime: runtime).invokeHandlingRestarts(grower, [])
                } else {
                    let r = try ExecutionContext(runtime: runtime).invokeHandlingRestarts(chaser, [])
                    sum.withLock { $0 = r }
                }
            } catch {
                failure.withLock { $0 = "\(error)" }
            }
        }
        XCTAssertNil(failure.withLock { $0 })
        XCTAssertEqual(inst.memory?.pages, 64)
        // The chaser saw some of the pages 2...64 and always read back what it wrote.
        let s = sum.withLock { $0 }
        XCTAssertNotNil(s)
        if case .i32(let v)? = s?.first { XCTAssertGreaterThanOrEqual(v, 64) }
    }

    func testSharedMemoryNeedsAMaximum() {
        // (module (memory 1 shared)): limits flag 2 without a maximum.
        let bytes: [UInt8] = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 5, 3, 1, 2, 1]
        XCTAssertThrowsError(try Module(bytes: bytes)) { e in
            XCTAssertTrue("\(e)".contains("shared memory must have maximum"), "\(e)")
        }
    }
}

/// A wasi-threads program (Fixtures/threads.wat) run the way `rewasm run` runs it.
struct Program {
    var status: Int32?
    var trap: Trap?
    var output: String
    var ms: Double
    /// How many times the world was stopped to move a shared memory (SharedMemRealloc).
    var stops = 0
    /// Slices run per thread id, 0 = main (UserSched).
    var slices: [Int32: Int] = [:]
    /// Instances the runtime still keeps after the program ended.
    var instances = 0

    static func run(
        _ mode: String, fixture: String = "threads", maxThreads: Int = 16, stdin: Int32 = 0,
        limiter: (any ResourceLimiter)? = nil
    ) throws -> Program {
        let module = try Fixture.module(fixture)
        let runtime = makeRuntime()
        runtime.limiter = limiter
        let imports = Imports()
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw XCTSkip("pipe") }
        let wasi = try WASI(arguments: [fixture + ".wasm", mode], environment: [], preopens: [], stdin: stdin, stdout: fds[1])
        wasi.define(into: imports, runtime: runtime)
        let cluster = Cluster(runtime: runtime, module: module, imports: imports, maxThreads: maxThreads)
        cluster.define()
        let context = ExecutionContext(runtime: runtime)
        cluster.register(context)
        let t0 = nowMs()
        let instance = try runtime.instantiate(module, imports: imports, context: context)
        guard let start = instance.function("_start") else { throw XCTSkip("no _start") }
        var failure: ExecutionError?
        #if UserSched
        let scheduler = GreenScheduler(cluster: cluster)
        do {
            _ = try scheduler.run(main: context, start, [])
        } catch {
            failure = error
        }
        #else
        do {
            _ = try context.invokeHandlingRestarts(start, [])
        } catch {
            failure = error
        }
        #endif
        let outcome = cluster.finish(main: failure)
        let ms = nowMs() - t0
        close(fds[1])
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fds[0], &buf, buf.count)
            if n <= 0 { break }
            out += buf[..<n]
        }
        close(fds[0])
        var p = Program(status: 0, trap: nil, output: String(decoding: out, as: UTF8.self), ms: ms)
        p.instances = runtime.instanceCount
        #if SharedMemRealloc
        p.stops = (runtime.worldStopper as? WorldStop)?.stopCount ?? 0
        #endif
        #if UserSched
        p.slices = scheduler.slicesByThread
        #endif
        switch outcome?.kind {
        case nil: break
        case .exit(let s): p.status = s
        case .trap(let t):
            p.status = nil
            p.trap = t
        default: p.status = nil
        }
        return p
    }
}

final class WASIThreadsTests: XCTestCase {
    func testCountersWithSpawnedThreads() throws {
        let p = try Program.run("c")
        XCTAssertEqual(p.status, 0)
        XCTAssertEqual(p.output, "400000\n")
    }

    func testPingPong() throws {
        let p = try Program.run("p")
        XCTAssertEqual(p.status, 0)
        XCTAssertEqual(p.output, "2000\n")
    }

    func testWaitTimeoutsInAProgram() throws {
        let p = try Program.run("t")
        XCTAssertEqual(p.status, 0)
        XCTAssertGreaterThanOrEqual(p.ms, 99)
    }

    /// proc_exit from main while the workers are blocked: every kind ends promptly.
    func testExitWhileWorkersWait() throws { try expectPromptExit("w") }
    func testExitWhileWorkersPoll() throws { try expectPromptExit("s") }
    func testExitWhileWorkersSpin() throws { try expectPromptExit("l") }

    func testExitWhileWorkersReadAnEmptyPipe() throws {
        var fds: [Int32] = [-1, -1]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        try expectPromptExit("r", stdin: fds[0])
    }

    private func expectPromptExit(_ mode: String, stdin: Int32 = 0) throws {
        let p = try Program.run(mode, stdin: stdin)
        XCTAssertEqual(p.status, 7)
        XCTAssertNil(p.trap)
        // Generous for loaded CI machines: a missed wake would take a 100 ms slice per
        // thread, a missed termination forever.
        XCTAssertLessThan(p.ms, 2000)
    }

    func testReturnFromStartEndsTheProgram() throws {
        let p = try Program.run("m")
        XCTAssertEqual(p.status, 0)
        XCTAssertNil(p.trap)
    }

    func testExitFromAWorkerWhileMainWaits() throws {
        let p = try Program.run("x")
        XCTAssertEqual(p.status, 9)
    }

    func testTrapInAWorkerEndsTheProgram() throws {
        let p = try Program.run("X")
        XCTAssertNil(p.status)
        XCTAssertEqual(p.trap, .unreachable)
    }

    /// Every variant: with SharedMemRealloc each grow moves the memory with the world
    /// stopped; without, the memory never moves. The results must be the same.
    func testCountersWhileAnotherThreadGrowsTheMemory() throws {
        let p = try Program.run("g", fixture: "growth")
        XCTAssertEqual(p.status, 0, "1: size, 2: a counter is off")
        #if SharedMemRealloc
        XCTAssertEqual(p.stops, 63, "one stop of the world per page grown")
        #endif
    }

    func testConcurrentGrowers() throws {
        let p = try Program.run("G", fixture: "growth")
        XCTAssertEqual(p.status, 0, "1: size, 2: a counter is off")
    }

    func testGrowthKeepsTheDeadlineOfABlockedWait() throws {
        let p = try Program.run("b", fixture: "growth")
        XCTAssertEqual(p.status, 0, "5: the wait did not time out, 6: not after 500-900 ms; output \(p.output)")
        #if SharedMemRealloc
        XCTAssertEqual(p.stops, 63)
        #endif
    }

    /// Two spinning threads both progress (with green threads: through preemption).
    func testFairness() throws {
        let p = try Program.run("f")
        XCTAssertEqual(p.status, 0, "a spinning thread never ran")
    }

    /// A thread blocked in a wait costs nothing while another computes; with green
    /// threads it is parked and gets no slice after the one in which it blocked.
    func testABlockedThreadIsNotScheduled() throws {
        let p = try Program.run("k")
        XCTAssertEqual(p.status, 0)
        XCTAssertGreaterThanOrEqual(p.ms, 99)
        #if UserSched
        XCTAssertEqual(p.slices[1], 1, "slices: \(p.slices)")
        #endif
    }

    func testMaxThreads() throws {
        XCTAssertEqual(try Program.run("n", maxThreads: 3).status, 3)
        XCTAssertEqual(try Program.run("n", maxThreads: 16).status, 10)
    }

    /// Bounded lifetime: each thread's instance is released when it ends, so after 3000
    /// short threads the runtime keeps only the main instance.
    func testFinishedThreadsAreReclaimed() throws {
        let p = try Program.run("3000", fixture: "many")
        XCTAssertEqual(p.status, 0)
        XCTAssertEqual(p.instances, 1)
    }

    /// The runtime's limiter refuses thread-spawn after 4 threads: the guest sees failures.
    func testLimiterRefusesThreadSpawn() throws {
        final class FourThreads: ResourceLimiter, @unchecked Sendable {
            let spawned = Atomic<Int>(0)
            let instances = Atomic<Int>(0)
            func threadSpawning() -> Bool { spawned.add(1, ordering: .relaxed).newValue <= 4 }
            func instantiating(_ module: Module) -> Bool {
                instances.add(1, ordering: .relaxed)
                return true
            }
        }
        let limiter = FourThreads()
        XCTAssertEqual(try Program.run("n", maxThreads: 16, limiter: limiter).status, 4)
        XCTAssertEqual(limiter.spawned.load(ordering: .relaxed), 10)
        // The main instance and one per thread.
        XCTAssertEqual(limiter.instances.load(ordering: .relaxed), 5)
    }
}
#endif
