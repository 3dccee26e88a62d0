// wasi-threads (https://github.com/WebAssembly/wasi-threads) and the cluster: the
// threads of one program.
//
// `thread-spawn` instantiates the program's module again (sharing the imported
// shared memory) and runs `wasi_thread_start(tid, arg)` on a new host thread with
// its own ExecutionContext. The cluster is an InterruptSource of every one of
// those contexts: once the program ends (proc_exit or a trap in any thread, or
// `_start` returning) every other thread sees an `exit` at its next check, and
// blocked threads are woken through their context's waker at once.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RewasmCore
import Synchronization

/// Runs the threads that `thread-spawn` creates. Without one, each gets a host
/// thread; the user scheduler (UserSched) runs them as green threads instead.
public protocol ThreadLauncher: AnyObject, Sendable {
    /// Starts `thread`; false if it cannot be started.
    func launch(_ thread: SpawnedThread) -> Bool
}

/// A thread created by `thread-spawn`: its context runs `start(tid, argument)`.
public final class SpawnedThread: @unchecked Sendable {
    /// The thread's own context, a member of the cluster.
    public let context: ExecutionContext
    /// The thread's instance's `wasi_thread_start` export, of type `(i32, i32) -> ()`.
    public let start: Function
    /// The thread id (1...0x1FFFFFFF), the first argument of `start`.
    public let tid: Int32
    /// The value the guest passed to `thread-spawn`, the second argument of `start`.
    public let argument: UInt32
    unowned let cluster: Cluster
    /// The thread's own instance of the module, released when the thread ends.
    let instance: Instance

    init(cluster: Cluster, context: ExecutionContext, instance: Instance, start: Function, tid: Int32, argument: UInt32) {
        self.cluster = cluster
        self.context = context
        self.instance = instance
        self.start = start
        self.tid = tid
        self.argument = argument
    }

    /// The arguments of `start`.
    public var arguments: [Value] { [.i32(UInt32(bitPattern: tid)), .i32(argument)] }

    /// Reports the end of the thread: nil if `start` returned, else how it stopped
    /// (an exit or trap ends the program).
    public func finished(_ error: ExecutionError?) {
        cluster.finished(context, error)
        // Its instance goes with it (when nothing else can point into it; see
        // `Runtime.release`), and the context with this object: a program that runs
        // many short threads keeps no more than its live ones.
        cluster.runtime.release(instance)
    }

    /// Runs the thread to its end on the calling host thread.
    func run() {
        var error: ExecutionError?
        do {
            _ = try context.invokeHandlingRestarts(start, arguments)
        } catch let e {
            error = e
        }
        finished(error)
    }
}

/// The threads of one wasi-threads program.
public final class Cluster: InterruptSource, @unchecked Sendable {
    /// The runtime that every thread's instance and context belong to.
    public let runtime: Runtime
    /// The program's module, instantiated again for each spawned thread.
    public let module: Module
    /// The imports of every instance; `define()` adds `wasi.thread-spawn` to them.
    public let imports: Imports
    /// Spawned threads alive at once (the main thread not counted).
    public let maxThreads: Int

    /// The highest thread id wasi-threads allows.
    static let maxTID: Int32 = 0x1FFF_FFFF

    private struct State {
        var nextTID: Int32 = 1
        var contexts: [ObjectIdentifier: ExecutionContext] = [:]
        var live = 0
        /// Host threads listed by their spawner and not known to have ended.
        var handles: [pthread_t] = []
        /// Host threads listed and ended: joined at the next spawn, so they do not pile up.
        var ended: [pthread_t] = []
        /// Host threads that ended before their spawner listed them (or after `join`
        /// took them: then they stay here, already joined).
        var endedEarly: [pthread_t] = []

        /// The spawner lists a host thread it created.
        mutating func listed(_ handle: pthread_t) {
            if State.remove(handle, from: &endedEarly) { ended.append(handle) } else { handles.append(handle) }
        }

        /// A host thread is about to return.
        mutating func returning(_ handle: pthread_t) {
            if State.remove(handle, from: &handles) { ended.append(handle) } else { endedEarly.append(handle) }
        }

        private static func remove(_ handle: pthread_t, from list: inout [pthread_t]) -> Bool {
            guard let i = list.firstIndex(where: { pthread_equal($0, handle) != 0 }) else { return false }
            list.remove(at: i)
            return true
        }
        var cause: ExecutionError?
        var memories: [String: Memory] = [:]
    }

    private let state = Locked(State())

    /// Where spawned threads run (nil: on host threads). Set before anything runs.
    public var launcher: (any ThreadLauncher)?
    /// The fast path of `check`: set once, when the program ends.
    private let ending = Atomic<Bool>(false)

    /// `imports` must hold everything the module imports except `wasi.thread-spawn`
    /// and shared memories, which `define()` adds.
    public init(runtime: Runtime, module: Module, imports: Imports, maxThreads: Int = 256) {
        self.runtime = runtime
        self.module = module
        self.imports = imports
        self.maxThreads = max(0, maxThreads)
    }

    /// Defines `wasi.thread-spawn` and creates, once each, the shared memories the
    /// module imports and nobody provides (as wasmtime and toywasm do).
    public func define() {
        let spawn = runtime.hostFunction(type: FuncType(params: [.i32], results: [.i32])) { [unowned self] call in
            call.setI32(0, UInt32(bitPattern: spawnThread(argument: call.i32(0))))
        }
        imports.define("wasi", "thread-spawn", .function(spawn))
        imports.addResolver { [unowned self] module, name, descriptor in
            guard case .memory(let type) = descriptor, type.limits.shared else { return nil }
            return state.withLock { s -> Extern? in
                let key = "\(module)\u{0}\(name)"
                if let m = s.memories[key] { return .memory(m) }
                guard let m = Memory(type: type, runtime: runtime) else { return nil }
                s.memories[key] = m
                return .memory(m)
            }
        }
    }

    /// Makes `context` (e.g. the main thread's) a member: it stops when the program ends.
    public func register(_ context: ExecutionContext) {
        context.addInterruptSource(self)
        let late = state.withLock { s -> Bool in
            s.contexts[ObjectIdentifier(context)] = context
            return s.cause != nil
        }
        if late { context.wakeBlockedOperation() }
    }

    /// Removes `context` from the members that `terminate` wakes. The cluster stays one
    /// of its interrupt sources, so it still stops at a check once the program has ended.
    public func unregister(_ context: ExecutionContext) {
        _ = state.withLock { $0.contexts.removeValue(forKey: ObjectIdentifier(context)) }
    }

    /// What ended the program, once it has ended.
    public var cause: ExecutionError? { state.withLock { $0.cause } }

    /// Ends the program with `cause` (the first cause wins): every member stops at
    /// its next interrupt check, and blocked members are woken now.
    public func terminate(_ cause: ExecutionError) {
        let members = state.withLock { s -> [ExecutionContext] in
            guard s.cause == nil else { return [] }
            s.cause = cause
            ending.store(true, ordering: .releasing)
            return Array(s.contexts.values)
        }
        for c in members { c.wakeBlockedOperation() }
    }

    /// InterruptSource: after the program ended, every member exits. Siblings see
    /// `exit` with the program's status (134, the trap status, if a thread trapped).
    public func check(_ context: ExecutionContext) -> ExecutionError? {
        guard ending.load(ordering: .acquiring) else { return nil }
        guard let cause = state.withLock({ $0.cause }) else { return nil }
        switch cause.kind {
        case .exit(let status): return .exit(status)
        default: return .exit(134)
        }
    }

    /// Waits until every spawned thread has finished.
    public func join() {
        while true {
            let handles = state.withLock { s -> [pthread_t] in
                let h = s.handles + s.ended
                s.handles = []
                s.ended = []
                return h
            }
            if handles.isEmpty { return }
            for h in handles { pthread_join(h, nil) }
        }
    }

    /// Ends the program after the main thread's call returned (`result` nil) or
    /// stopped with `result`: terminates the other threads, waits for them, and
    /// returns what decides the program's outcome (nil: success).
    public func finish(main result: ExecutionError?) -> ExecutionError? {
        terminate(result ?? .exit(0))
        join()
        guard let cause else { return result }
        if case .exit(0) = cause.kind, result == nil { return nil }
        return cause
    }

    // MARK: - Spawning

    /// wasi-threads `thread-spawn`: the new thread's id, or a negative value
    /// (-6, EAGAIN) if the thread cannot be created.
    func spawnThread(argument: UInt32) -> Int32 {
        let failure: Int32 = -6
        if let limiter = runtime.limiter, !limiter.threadSpawning() { return failure }
        reapEndedThreads()
        let context = ExecutionContext(runtime: runtime)
        context.addInterruptSource(self)
        guard let tid = state.withLock({ s -> Int32? in
            guard s.cause == nil, s.live < maxThreads, s.nextTID <= Cluster.maxTID else { return nil }
            let t = s.nextTID
            s.nextTID += 1
            s.live += 1
            s.contexts[ObjectIdentifier(context)] = context
            return t
        }) else { return failure }
        func undo() {
            state.withLock { s in
                s.live -= 1
                s.contexts.removeValue(forKey: ObjectIdentifier(context))
            }
        }
        guard let instance = try? runtime.instantiate(module, imports: imports, context: context) else {
            undo()
            return failure
        }
        guard let start = instance.function("wasi_thread_start"), start.type == FuncType(params: [.i32, .i32], results: [])
        else {
            runtime.release(instance)
            undo()
            return failure
        }
        let thread = SpawnedThread(cluster: self, context: context, instance: instance, start: start, tid: tid, argument: argument)
        if let launcher {
            guard launcher.launch(thread) else {
                undo()
                return failure
            }
            return tid
        }
        let box = Unmanaged.passRetained(thread).toOpaque()
        var handle = pthread_t()
        guard pthread_create(&handle, nil, { raw in
            #if canImport(Glibc)
            guard let raw else { return nil }
            #endif
            let thread = Unmanaged<SpawnedThread>.fromOpaque(raw).takeRetainedValue()
            thread.run()
            // About to return: joined at the next spawn or in `join`.
            thread.cluster.state.withLock { $0.returning(pthread_self()) }
            return nil
        }, box) == 0 else {
            Unmanaged<SpawnedThread>.fromOpaque(box).release()
            undo()
            return failure
        }
        state.withLock { $0.listed(handle) }
        return tid
    }

    /// Joins the host threads that have ended, freeing their stacks.
    private func reapEndedThreads() {
        let ended = state.withLock { s -> [pthread_t] in
            defer { s.ended = [] }
            return s.ended
        }
        for h in ended { pthread_join(h, nil) }
    }

    /// The end of a spawned thread.
    func finished(_ context: ExecutionContext, _ error: ExecutionError?) {
        state.withLock { s in
            s.live -= 1
            s.contexts.removeValue(forKey: ObjectIdentifier(context))
        }
        // Any stop other than returning ends the program; the first cause wins, so
        // the exits of threads that the end itself stopped change nothing.
        if let error { terminate(error) }
    }
}
