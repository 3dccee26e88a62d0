// async: guests on Swift concurrency's cooperative pool.
//
// The async `invoke(_:_:slice:)` runs a guest on the calling task in time slices
// (10 ms by default) and yields between them, so many guests share the pool's few
// threads; a blocking WASI call or atomic wait suspends the task instead of holding a
// thread. Cancelling the task stops the guest at its next interrupt check and throws
// CancellationError.
//
// Here 8 guests spin forever next to a 9th that computes fib(24), all in one task
// group, on a pool of as many threads as cores: the finite one still finishes, with
// the same result as the synchronous path; then the group is cancelled and every
// spinning guest stops.

import Core
import RewasmCore
import Synchronization

/// How a guest's task ended.
enum Outcome: Sendable {
    case returned([Value])
    case cancelled(guest: Int, ticks: Value)
    case failed(String)
}

await runExample("async") {
    let runtime = Runtime()
    let module = try loadModule("compute.wasm")
    let shared = try runtime.instantiate(module)
    let fib = try function(shared, "fib")

    section("the synchronous path, for reference")
    var start = ContinuousClock.now
    // In async code `invoke` means the async overload; invokeHandlingRestarts is sync.
    let expected = try ExecutionContext(runtime: runtime).invokeHandlingRestarts(fib, [.i32(24)])
    print("fib(24) = \(expected[0]) in \(milliseconds(elapsed(since: start))) (sync)")

    section("8 spinning guests and fib(24) in one task group")
    let guests = 8
    // Each guest gets its own instance, so each has its own `ticks` counter.
    let instances = try (0..<guests).map { _ in try runtime.instantiate(module) }
    let finished = Mutex<[Outcome]>([])
    start = ContinuousClock.now
    var cancelledAt = ContinuousClock.now
    await withTaskGroup(of: Outcome.self) { group in
        for (guest, instance) in instances.enumerated() {
            group.addTask {
                // One ExecutionContext per guest: a context runs one call at a time.
                let context = ExecutionContext(runtime: runtime)
                do {
                    let spin = try function(instance, "spin")
                    return .returned(try await context.invoke(spin, []))
                } catch is CancellationError {
                    // The execution was dropped: nothing to resume.
                    return .cancelled(guest: guest, ticks: instance.global("ticks")?.value ?? .i64(0))
                } catch {
                    return .failed("\(error)")
                }
            }
        }
        // The finite guest. Each guest runs 10 ms slices (the default; `slice:` sets it)
        // in turn with the others, so this one gets about a ninth of the pool.
        group.addTask {
            do {
                return .returned(try await ExecutionContext(runtime: runtime).invoke(fib, [.i32(24)]))
            } catch {
                return .failed("\(error)")
            }
        }
        // The first outcome is the finite guest's; then cancel the spinners.
        if let first = await group.next() {
            if case .returned = first {
                print("fib(24) finished after \(milliseconds(elapsed(since: start))), next to \(guests) spinning guests")
            }
            finished.withLock { $0.append(first) }
        }
        try? await Task.sleep(for: .milliseconds(100))
        cancelledAt = ContinuousClock.now
        group.cancelAll()
        for await outcome in group { finished.withLock { $0.append(outcome) } }
    }
    let stopTime = elapsed(since: cancelledAt)
    let outcomes = finished.withLock { $0 }

    var cancelled = 0
    for outcome in outcomes {
        switch outcome {
        case .returned(let results):
            print("returned: \(results)")
            check(results == expected, "the async fib(24) equals the synchronous one")
        case .cancelled(let guest, let ticks):
            cancelled += 1
            print("guest \(guest): CancellationError after \(ticks) iterations")
            check(ticks != .i64(0), "guest \(guest) made progress before the cancellation")
        case .failed(let message):
            check(false, "unexpected error: \(message)")
        }
    }
    print("all \(cancelled) spinning guests stopped \(milliseconds(stopTime)) after cancelAll()")
    check(cancelled == guests, "every spinning guest threw CancellationError")
    // Typically well under 10 ms; generous here for loaded CI machines.
    check(stopTime < .seconds(2), "they stopped promptly")

    section("blocking host calls park: 16 guests sleeping 200 ms at once")
    // Modules/sleep.wat's nap(ms) calls host.sleep (Sources/Core/Sleep.swift). Under the
    // async invoke it parks (saves its deadline and unwinds) instead of blocking a pool
    // thread, and its task is resumed when the deadline has passed. Blocking threads,
    // 16 sleepers would need 16 threads or take 16 x 200 ms / pool size.
    let imports = Imports()
    imports.define("host", "sleep", .function(sleepFunction(runtime)))
    let sleepers = try (0..<16).map { _ in try runtime.instantiate(try loadModule("sleep.wasm"), imports: imports) }
    start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for sleeper in sleepers {
            let nap = try function(sleeper, "nap")
            group.addTask { _ = try await ExecutionContext(runtime: runtime).invoke(nap, [.i32(200)]) }
        }
        try await group.waitForAll()
    }
    let napTime = elapsed(since: start)
    print("16 naps of 200 ms took \(milliseconds(napTime)) in all")
    check(sleepers.allSatisfy { $0.global("naps")?.value == .i32(1) }, "every guest napped once")
    check(napTime >= .milliseconds(200) && napTime < .milliseconds(1000), "they slept at the same time")

    section("a task cancelled before it starts runs nothing")
    let task = Task { try await ExecutionContext(runtime: runtime).invoke(fib, [.i32(30)]) }
    task.cancel()
    do {
        _ = try await task.value
        check(false, "a cancelled task throws")
    } catch {
        check(error is CancellationError, "CancellationError (\(error))")
    }
}
