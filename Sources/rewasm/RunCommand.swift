import RewasmCore
#if WASI
import RewasmWASI
#endif
#if Threads
import RewasmThreads
#endif
#if SharedMemRealloc
import RewasmSharedMemRealloc
#endif
#if UserSched
import RewasmUserSched
#endif

/// `rewasm run`: instantiate a module and call `_start` or `--invoke NAME`.
enum RunCommand {
    static func main(_ o: RunOptions) throws -> Int32 {
        guard let path = o.module else { throw UsageError("missing MODULE") }
        let bytes = try readModuleBytes(path)
        let module: Module
        do {
            module = try Module(bytes: bytes, configuration: o.configuration)
        } catch {
            printError("\(path): \(error)")
            return ExitStatus.loadError
        }
        let runtime = Runtime(configuration: o.configuration)
        #if SharedMemRealloc
        let worldStop = WorldStop.install(on: runtime)
        #endif
        #if UserSched
        var scheduler: GreenScheduler?
        #endif
        let imports = Imports()
        let context = ExecutionContext(runtime: runtime)

        #if WASI
        // Set up only when it can matter: for a module that imports WASI, or to check
        // --dir paths (a bad one is reported for any module). Defining its ~45
        // functions costs about 0.1 ms of start-up.
        let importsWASI = module.imports.contains { $0.module == WASI.moduleName }
        if importsWASI || !o.dirs.isEmpty {
            // argv[0] is the module path; --env-inherit passes the host environment,
            // which --env entries override.
            var environment: [(String, String)] = []
            if o.envInherit {
                let explicit = Set(o.env.map(\.0))
                environment = System.environment()
                    .filter { !explicit.contains($0.0) }
                    .sorted { $0.0 < $1.0 }
            }
            environment += o.env
            do {
                let wasi = try WASI(arguments: [path] + o.args, environment: environment, preopens: o.dirs)
                if importsWASI { wasi.define(into: imports, runtime: runtime) }
            } catch {
                printError("\(error)")
                return ExitStatus.loadError
            }
        }
        #endif

        #if Threads
        // wasi-threads for modules that import thread-spawn; shared memories that the
        // module imports are created for any module. Defined only then (start-up).
        let cluster = Cluster(runtime: runtime, module: module, imports: imports, maxThreads: o.maxThreads)
        let threaded = module.imports.contains { $0.module == "wasi" && $0.name == "thread-spawn" }
        let importsSharedMemory = module.imports.contains {
            if case .memory(let type) = $0.descriptor { type.limits.shared } else { false }
        }
        if threaded || importsSharedMemory { cluster.define() }
        if threaded { cluster.register(context) }
        #endif

        // Without a provider for an import, fail naming it (before anything runs).
        for i in module.imports where imports.resolve(i) == nil {
            printError("\(path): unknown import \(i.module).\(i.name) (\(i.descriptor.kind)); this build provides no such module")
            return ExitStatus.loadError
        }

        // The timeout covers instantiation too: a start function may loop forever.
        let timer = o.timeout.map { Watchdog(seconds: $0, context: context) }
        timer?.start()
        defer {
            timer?.cancel()
            if o.stats {
                var lines: [String] = []
                if o.configuration.fuel != nil { lines.append("fuel consumed (main thread): \(context.fuelConsumed)") }
                #if UserSched
                if let s = scheduler?.statistics {
                    lines += [
                        "green slices: \(s.slices)", "green preemptions: \(s.preemptions)",
                        "green parks: \(s.parks)", "green sleeps (every thread parked): \(s.sleeps)",
                    ]
                }
                #endif
                #if SharedMemRealloc
                lines += ["world stops: \(worldStop.stopCount)", "time stopped: \(Self.milliseconds(worldStop.timeStopped))"]
                #endif
                printStatistics(context.statistics, lines)
            }
        }

        let instance: Instance
        do {
            instance = try runtime.instantiate(module, imports: imports, context: context)
        } catch let InstantiationError.trap(e) {
            return report(e, timer: timer, timeout: o.timeout)
        } catch {
            printError("\(path): \(error)")
            return ExitStatus.loadError
        }

        let name = o.invoke ?? "_start"
        guard let function = instance.function(name) else {
            if o.invoke == nil {
                throw UsageError("\(path) exports no _start function; use --invoke NAME")
            }
            throw UsageError("\(path) exports no function '\(name)'")
        }
        let type = function.type
        var args: [Value] = []
        if o.invoke != nil {
            guard o.args.count == type.params.count else {
                throw UsageError("'\(name)' takes \(type.params.count) arguments \(type), got \(o.args.count)")
            }
            for (a, t) in zip(o.args, type.params) { args.append(try Parse.value(a, t)) }
        }
        var results: [Value] = []
        var failure: ExecutionError?
        do {
            #if WASI
            // A reactor (WASI's library-style module) is initialised before the call.
            if o.invoke != nil, let initialize = instance.function("_initialize") {
                _ = try context.invokeHandlingRestarts(initialize, [])
            }
            #endif
            #if UserSched
            if threaded {
                // Every thread of the program, main included, as green threads here.
                let green = GreenScheduler(cluster: cluster)
                scheduler = green
                results = try green.run(main: context, function, args)
            } else {
                results = try context.invokeHandlingRestarts(function, args)
            }
            #else
            results = try context.invokeHandlingRestarts(function, args)
            #endif
        } catch {
            failure = error
        }
        #if Threads
        // The program ends when its main thread does: the other threads are
        // terminated (wasi-threads), and a thread's exit or trap decides the status.
        if threaded { failure = cluster.finish(main: failure) }
        #endif
        if let failure { return report(failure, timer: timer, timeout: o.timeout) }
        if o.invoke != nil {
            for r in results { print(Parse.format(r)) }
        }
        return 0
    }

    static func report(_ e: ExecutionError, timer: Watchdog?, timeout: Double?) -> Int32 {
        switch e.kind {
        case .exit(let status):
            return status
        case .userInterrupt:
            let ms = Int(((timeout ?? 0) * 1000).rounded())
            printError("timeout: execution interrupted after \(ms) ms (--timeout)")
            return ExitStatus.timeout
        case .trap(let t):
            var message = "wasm trap: \(t)"
            for (i, f) in e.backtrace.enumerated() { message += "\n  \(i): \(f)" }
            printError(message)
            return ExitStatus.trap
        case .outOfFuel:
            // As wasmtime: a trap's message and exit status.
            printError("wasm trap: all fuel consumed by WebAssembly (--fuel)")
            return ExitStatus.trap
        case .restart(let r):
            printError("execution stopped with an unhandled restart (\(r))")
            return ExitStatus.trap
        case .exception(let x):
            // As a trap (wasmtime does the same): nothing in the module caught it.
            printError("wasm exception: uncaught \(x)")
            return ExitStatus.trap
        }
    }

    /// `--stats`: the main context's counters, then `more` (fuel, scheduler, world stops).
    static func printStatistics(_ s: Statistics, _ more: [String]) {
        var lines = [
            "calls: \(s.calls)",
            "host calls: \(s.hostCalls)",
            "branches and calls: \(s.branchesAndCalls)",
            "interrupt checks: \(s.interruptChecks)",
            "user interrupts: \(s.userInterrupts)",
            "nested calls (host to wasm): \(s.nestedCalls)",
        ]
        for (k, v) in s.restarts.sorted(by: { $0.key < $1.key }) { lines.append("restarts (\(k)): \(v)") }
        lines += more
        System.writeError("rewasm stats:\n" + lines.map { "  " + $0 }.joined(separator: "\n") + "\n")
    }
}

extension RunCommand {
    static func milliseconds(_ d: Duration) -> String {
        let (s, atto) = d.components
        let ms = Double(s) * 1000 + Double(atto) / 1e15
        return "\(Double(Int(ms * 1000)) / 1000) ms"
    }
}

/// Sets the context's interrupt flag when the timeout expires.
final class Watchdog: Sendable {
    private let seconds: Double
    private let context: ExecutionContext
    private let cancelled = Locked(false)

    init(seconds: Double, context: ExecutionContext) {
        self.seconds = seconds
        self.context = context
    }

    func start() {
        let deadline = System.deadline(after: seconds)
        let started = System.spawn { [self] in
            // Wakes at the deadline, or earlier when cancelled.
            let fire = !cancelled.withLock(when: { $0 }, deadline: deadline) { $0 }
            if fire { context.requestInterrupt() }
        }
        if !started { printError("cannot start the timeout thread; running without a timeout") }
    }

    func cancel() {
        cancelled.withLock { $0 = true }
        cancelled.broadcast()
    }
}
