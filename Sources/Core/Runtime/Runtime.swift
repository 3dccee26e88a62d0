import Synchronization

/// Resource limits of a runtime. Exhausting the stack or frames is a trap
/// ("call stack exhausted"); memory beyond `maxMemoryBytes` makes `memory.grow` fail.
public struct ResourceLimits: Sendable {
    /// Upper bound for any one linear memory, in bytes (default 4 GiB, the 32-bit maximum).
    public var maxMemoryBytes: UInt64 = 1 << 32
    /// 64-bit cells of the value stack per execution context (locals and operands).
    public var maxStackCells: Int = 1 << 20
    /// Wasm call depth per execution context.
    public var maxFrames: Int = 1 << 16
    /// Elements of any one table.
    public var maxTableElements: Int = 10_000_000

    /// The default limits.
    public init() {}
}

/// How a runtime executes code.
public struct Configuration: Sendable {
    /// Stack, frame, memory and table bounds of the runtime and its contexts.
    public var limits = ResourceLimits()
    /// The proposals that modules loaded for this runtime may use (the CLI's `--features`;
    /// `Module(bytes:features:)` takes it).
    public var features: Features = .default
    /// Torture mode: inject a `restart` every N interrupt checks (nil: off).
    public var tortureRestartInterval: Int?
    /// Taken branches and calls between two interrupt checks.
    public var interruptCheckInterval: Int = 1024
    /// Fuel metering (deterministic budgets): nil, the default, is off and costs nothing.
    /// A number turns it on: modules must be translated with fuel
    /// (`Module(bytes:configuration:)`), every wasm instruction executed costs one unit,
    /// and every new `ExecutionContext` starts with this much fuel. When it runs out,
    /// execution stops with the restartable `ExecutionError.Kind.outOfFuel`;
    /// `ExecutionContext.addFuel(_:)` then `resume()` continues.
    public var fuel: UInt64?

    /// The default configuration: default limits and features, no fuel, no torture mode.
    public init() {}
}

/// The store (spec §4.2.2): owns every instance, function, memory, table and global
/// created through it, so raw pointers between them stay valid for its lifetime.
public final class Runtime: @unchecked Sendable {
    /// Fixed at creation: every context and instance of this runtime follows it.
    public let configuration: Configuration
    /// What the runtime owns, under one lock (not `Locked<Void>` beside plain fields:
    /// ThreadSanitizer reports accesses to a zero-sized value as racing).
    private struct Store {
        var instances: [ObjectIdentifier: Instance] = [:]
        var hostFunctions: [HostFunctionBox] = []
        var entityBlocks: [UnsafeMutableRawPointer] = []
    }
    private let store = Locked(Store())
    private let sources = Locked<[any InterruptSource]>([])
    /// Exception objects (`exnref`) of every context of this runtime.
    let exceptions = ExceptionStore()

    /// Called by `ExecutionContext.handleRestarts` before resuming after a restart,
    /// e.g. to park while another thread grows a shared memory. Set it before running.
    public var restartHandler: (@Sendable (ExecutionContext, RestartReason) -> Void)?

    /// Consulted before instances, memories, tables and threads are created or grown;
    /// it may refuse (see `ResourceLimiter`). Set it before running.
    public var limiter: (any ResourceLimiter)?

    #if SharedMemRealloc
    /// Stops the other threads when a shared memory must move (FeatureSharedMemRealloc).
    /// Without one, growing a shared memory beyond its mapping assumes a single thread.
    public var worldStopper: (any WorldStopper)?
    #endif

    /// An empty store that runs code as `configuration` says.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    deinit {
        store.withLock { s in for b in s.entityBlocks { b.deallocate() } }
    }

    /// Registers a source that `checkInterrupt` consults for every context of this runtime.
    public func addInterruptSource(_ source: any InterruptSource) {
        sources.withLock { $0.append(source) }
    }

    /// Unregisters `source` (compared by identity); a no-op if it is not registered.
    /// Safe from any thread.
    public func removeInterruptSource(_ source: any InterruptSource) {
        sources.withLock { $0.removeAll { $0 === source } }
    }

    var interruptSources: [any InterruptSource] { sources.withLock { $0 } }

    /// Creates a host function callable from wasm (through imports) or `invoke`.
    public func hostFunction(type: FuncType, _ body: @escaping HostFunctionBody) -> Function {
        let box = HostFunctionBox(body)
        let interned = TypeRegistry.intern(type)
        let entity = allocate(FunctionEntity.self, count: 1)
        entity.initialize(to: FunctionEntity(
            code: nil, instance: nil, frameCells: 0,
            paramCells: type.params.reduce(0) { $0 + $1.cellCount },
            resultCells: type.results.reduce(0) { $0 + $1.cellCount },
            localCells: 0, typeID: interned.id, index: 0,
            host: Unmanaged.passUnretained(box), type: Unmanaged.passUnretained(interned.box)))
        store.withLock { $0.hostFunctions.append(box) }
        return Function(entity: entity, runtime: self)
    }

    /// Memory that lives as long as the runtime.
    func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let p = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(count, 1))
        store.withLock { $0.entityBlocks.append(UnsafeMutableRawPointer(p)) }
        return p
    }

    /// Keeps `instance` until `release`, and counts it as an importer of its sources.
    func retain(_ instance: Instance) {
        store.withLock { s in
            s.instances[ObjectIdentifier(instance)] = instance
            for source in instance.sources { source.importers += 1 }
        }
    }

    /// The live instance with identifier `id`.
    func instance(_ id: ObjectIdentifier) -> Instance? {
        store.withLock { $0.instances[id] }
    }

    /// Instances the runtime keeps (not yet released).
    public var instanceCount: Int { store.withLock { $0.instances.count } }

    /// Drops the runtime's reference to `instance`, so that its functions, tables,
    /// globals and memories are freed once the embedder holds none of them either (a
    /// runtime otherwise keeps every instance until it is itself dropped). Call it when
    /// nothing will run code of the instance again: `Function` values taken from it must
    /// not be used afterwards.
    ///
    /// Refused (false, nothing changes) while something else may point into the
    /// instance: another live instance imports from it, the embedder passed one of its
    /// functions to wasm as a `funcref`, or its module could have put references to it
    /// outside itself (`Module.referencesStayInside` is false: it imports tables, tags,
    /// reference-typed globals or functions with reference types, or uses exceptions).
    /// wasi-threads releases each spawned thread's instance this way when it ends.
    @discardableResult
    public func release(_ instance: Instance) -> Bool {
        guard instance.module.referencesStayInside, !instance.isPinned else { return false }
        return store.withLock { s -> Bool in
            guard instance.importers == 0, s.instances.removeValue(forKey: ObjectIdentifier(instance)) != nil else { return false }
            for s in instance.sources { s.importers -= 1 }
            instance.sources = []
            return true
        }
    }
}
