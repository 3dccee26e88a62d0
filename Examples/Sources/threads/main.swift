// threads: a wasi-threads program run with a Cluster.
//
// Modules/counter.wat spawns 4 workers with wasi.thread-spawn; worker k adds k to a
// shared counter 10000 times with atomics, calls the host function env.worker_done,
// and notifies; _start waits (memory.atomic.wait32) for all of them. Each worker is a
// new instance of the module on its own host thread and ExecutionContext, sharing the
// imported shared memory that the Cluster creates.
//
// The embedder's steps (as `rewasm run` does them): define the other imports (WASI,
// env), create the Cluster, `define()` (thread-spawn and shared memories),
// `register` the main context, run _start, and pass its outcome to `finish(main:)`,
// which ends the other threads, joins them and returns what ended the program.

import Core
import RewasmCore
import RewasmThreads
import RewasmWASI
import Synchronization

runExample("threads") {
    let module = try loadModule("counter.wasm")
    let runtime = Runtime()
    let imports = Imports()

    // WASI for proc_exit (the program's threads share one WASI object).
    let wasi = try WASI(arguments: ["counter"], environment: [], preopens: [])
    wasi.define(into: imports, runtime: runtime)

    // env.worker_done(tid, added): called by every worker, on its own host thread.
    let reports = Mutex<[Int32: UInt32]>([:])
    imports.define("env", "worker_done", .function(runtime.hostFunction(type: FuncType(params: [.i32, .i32], results: [])) { call in
        let tid = Int32(bitPattern: call.i32(0)), added = call.i32(1)
        reports.withLock { $0[tid] = added }
        print("  worker thread \(tid) added \(added)")
    }))

    let cluster = Cluster(runtime: runtime, module: module, imports: imports, maxThreads: 8)
    cluster.define()  // wasi.thread-spawn, and env.memory (shared) since nobody provides it
    let context = ExecutionContext(runtime: runtime)
    cluster.register(context)  // the main thread stops too when another thread ends the program
    let instance = try runtime.instantiate(module, imports: imports, context: context)

    section("run _start")
    let start = ContinuousClock.now
    let main = try function(instance, "_start")
    var mainOutcome: ExecutionError?
    do throws(ExecutionError) {
        _ = try context.invokeHandlingRestarts(main, [])
    } catch {
        mainOutcome = error
    }
    // Terminates the other threads (none are left here), waits for them, and returns
    // what decides the outcome: nil for success, else an exit or a trap.
    let end = cluster.finish(main: mainOutcome)
    print("the program ended after \(milliseconds(elapsed(since: start))): \(end.map { "\($0)" } ?? "success")")
    check(end == nil, "the program succeeded")

    guard let memory = instance.memory, let total = memory.loadU32(offset: 0) else { throw ExampleError("no memory") }
    print("total: \(total)")
    check(memory.isShared, "the memory is the shared one the cluster created")
    check(total == 100_000, "total is 10000 * (1 + 2 + 3 + 4) = 100000")
    check(reports.withLock { $0.count } == 4 && reports.withLock { $0.keys.sorted() } == [1, 2, 3, 4], "4 workers with thread ids 1...4 reported")
    // Each spawned thread's instance and context were released when it ended.
    check(runtime.instanceCount == 1, "only the main instance is left (\(runtime.instanceCount))")
}
