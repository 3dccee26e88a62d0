// interrupt: stop a running guest from another thread, resume it, abandon it.
//
// `spin` in Modules/compute.wat loops forever, counting in a local and copying the
// count to the exported global `ticks`. Another thread calls `requestInterrupt()`; the
// guest stops at its next interrupt check with the restartable error `userInterrupt`,
// and the context keeps the suspended execution (value stack, frames, program
// counter), so `resume()` continues it exactly where it stopped: the count goes on from
// where it was instead of starting over. `abandon()` drops it, and the context is then
// as good as new.

import Core
import Foundation
import RewasmCore

/// Calls `context.requestInterrupt()` from another thread after `delay`.
func interrupt(_ context: ExecutionContext, after delay: Duration) {
    Thread.detachNewThread {
        Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
        context.requestInterrupt()  // safe from any thread
    }
}

runExample("interrupt") {
    let runtime = Runtime()
    let instance = try runtime.instantiate(try loadModule("compute.wasm"))
    let context = ExecutionContext(runtime: runtime)
    let spin = try function(instance, "spin")
    guard let ticks = instance.global("ticks") else { throw ExampleError("no global ticks") }
    func count() -> UInt64 { if case .i64(let v) = ticks.value { v } else { 0 } }

    section("interrupt an endless loop after 100 ms")
    var start = ContinuousClock.now
    interrupt(context, after: .milliseconds(100))
    do {
        // invokeHandlingRestarts resumes the runtime's own restarts and hands user
        // interrupts (and traps, exits, ...) to us.
        _ = try context.invokeHandlingRestarts(spin, [])
        check(false, "spin returns only when interrupted")
    } catch let error as ExecutionError where error.kind == .userInterrupt {
        print("stopped after \(milliseconds(elapsed(since: start))): \(error)")
        check(error.isRestartable, "userInterrupt is restartable")
        check(context.isSuspended, "the context holds the suspended execution")
    }
    let first = count()
    print("ticks when interrupted: \(first)")
    check(first > 0, "the loop ran")

    section("resume for another 50 ms, interrupt again")
    start = ContinuousClock.now
    interrupt(context, after: .milliseconds(50))
    do {
        // resume() continues at the instruction boundary where it stopped; the helper
        // (Sources/Core) also resumes restarts, as invokeHandlingRestarts does.
        _ = try context.resumeHandlingRestarts()
        check(false, "spin returns only when interrupted")
    } catch let error as ExecutionError where error.kind == .userInterrupt {
        print("stopped again after \(milliseconds(elapsed(since: start)))")
    }
    let second = count()
    print("ticks now: \(second) (+\(second - first))")
    // The count lives in a wasm local: had the call started over, it would restart at 1.
    check(second > first, "the resumed loop continued its own count")
    check(context.isSuspended, "suspended again")

    section("abandon the suspended execution; the context is reusable")
    context.abandon()
    check(!context.isSuspended, "nothing to resume after abandon()")
    do {
        _ = try context.resume()
        check(false, "resume() after abandon() fails")
    } catch {
        print("resume() after abandon(): \(error)")
    }
    let fib = try context.invoke(try function(instance, "fib"), [.i32(25)])
    print("fib(25) on the same context: \(fib[0])")
    check(fib == [.i32(75025)], "the context runs new calls after abandon()")
    print("statistics: \(context.statistics.userInterrupts) user interrupts, \(context.statistics.interruptChecks) interrupt checks")
    check(context.statistics.userInterrupts == 2, "two user interrupts counted")

    section("interrupt a host function that blocks; resuming keeps its deadline")
    // Modules/sleep.wat: nap(ms) calls the host function host.sleep(ms) (Sources/Core/
    // Sleep.swift), which waits in short slices, checks for interrupts between them,
    // and on one saves its deadline in restartState and throws.
    let imports = Imports()
    imports.define("host", "sleep", .function(sleepFunction(runtime)))
    let sleeper = try runtime.instantiate(try loadModule("sleep.wasm"), imports: imports)
    let nap = try function(sleeper, "nap")
    start = ContinuousClock.now
    interrupt(context, after: .milliseconds(100))
    do {
        _ = try context.invokeHandlingRestarts(nap, [.i32(500)])
        check(false, "nap(500) is interrupted")
    } catch let error as ExecutionError where error.kind == .userInterrupt {
        print("nap(500) interrupted after \(milliseconds(elapsed(since: start)))")
        check(context.isSuspended, "suspended inside the host function")
    }
    Thread.sleep(forTimeInterval: 0.2)  // the embedder does something else for 200 ms
    _ = try context.resumeHandlingRestarts()  // re-executes host.sleep, which finds its deadline
    let napTime = elapsed(since: start)
    print("nap(500) returned \(milliseconds(napTime)) after it was called")
    check(sleeper.global("naps")?.value == .i32(1), "the nap completed once")
    // Had the resumed call started a new 500 ms sleep, it would end after about 800 ms.
    check(napTime >= .milliseconds(500) && napTime < .milliseconds(700), "it ended at its original deadline")
}
