/// Why instantiation failed: an import could not be satisfied (`unlinkable`), or
/// initialization trapped (`trap`; segments written before the trap stay written).
public enum InstantiationError: Error, Sendable, CustomStringConvertible {
    /// An import is missing or does not match (spec "unknown import", "incompatible
    /// import type"), or the module's fuel metering differs from the runtime's.
    case unlinkable(String)
    /// A segment was out of bounds, or the start function stopped with this error (a
    /// trap, but also an exit or an uncaught exception).
    case trap(ExecutionError)
    /// A table or memory exceeds `ResourceLimits`, or the runtime's `limiter` refused.
    case resource(String)

    public var description: String {
        switch self {
        case .unlinkable(let m): "unlinkable: \(m)"
        case .trap(let e): "instantiation failed: \(e)"
        case .resource(let m): "resource limit: \(m)"
        }
    }
}

/// A module instance (spec §4.2.5).
public final class Instance: @unchecked Sendable {
    /// The module this is an instance of.
    public let module: Module
    unowned(unsafe) let runtime: Runtime
    let data: UnsafeMutablePointer<InstanceData>
    /// Exports in module order.
    public internal(set) var exports: [(name: String, extern: Extern)] = []
    private var exportTable: [ExactName: Extern] = [:]
    /// The instance's memory 0, if any.
    public internal(set) var memory: Memory?
    /// Every memory of the instance (multi-memory), imports first.
    public internal(set) var memories: [Memory] = []
    /// Every tag of the instance (exception handling), imports first.
    public internal(set) var tags: [Tag] = []
    var tables: [Table] = []
    var globals: [Global] = []
    var functionEntities: UnsafeMutablePointer<FunctionEntity>?
    var elementStorage: [UnsafeMutablePointer<UInt64>] = []
    /// Instances this one imports functions, tables or globals from (guarded by the
    /// runtime's lock; see `Runtime.release`).
    var sources: [Instance] = []
    /// How many live instances import from this one.
    var importers = 0
    /// True once a function of this instance was handed to wasm through the API: it may
    /// sit in any table or global, so the instance can no longer be released.
    private let pinned = Locked(false)

    func pin() { pinned.withLock { $0 = true } }
    var isPinned: Bool { pinned.withLock { $0 } }

    init(module: Module, runtime: Runtime) {
        self.module = module
        self.runtime = runtime
        data = .allocate(capacity: 1)
    }

    /// False while instantiation is still filling `data` (or failed before).
    var isInitialized = false

    deinit {
        defer { data.deallocate() }
        functionEntities?.deallocate()
        guard isInitialized else { return }
        data.pointee.functions.deallocate()
        data.pointee.globals.deallocate()
        data.pointee.tables.deallocate()
        data.pointee.memories.deallocate()
        data.pointee.tags.deallocate()
        data.pointee.elements.deallocate()
        data.pointee.datas.deallocate()
        for e in elementStorage { e.deallocate() }
    }

    func addExport(_ name: String, _ e: Extern) {
        exports.append((name, e))
        exportTable[ExactName(name)] = e
    }

    /// The export called `name` (compared byte for byte), or nil.
    public func export(_ name: String) -> Extern? { exportTable[ExactName(name)] }

    /// The exported function `name`; nil if there is no such export or it is not a function.
    public func function(_ name: String) -> Function? {
        if case .function(let f)? = exportTable[ExactName(name)] { return f }
        return nil
    }

    /// The exported global `name`; nil if there is no such export or it is not a global.
    public func global(_ name: String) -> Global? {
        if case .global(let g)? = exportTable[ExactName(name)] { return g }
        return nil
    }

    /// The exported memory `name`; nil if there is no such export or it is not a memory.
    /// (`memory` is the instance's memory 0, exported or not.)
    public func exportedMemory(_ name: String) -> Memory? {
        if case .memory(let m)? = exportTable[ExactName(name)] { return m }
        return nil
    }

    /// The exported tag `name`; nil if there is no such export or it is not a tag.
    public func tag(_ name: String) -> Tag? {
        if case .tag(let t)? = exportTable[ExactName(name)] { return t }
        return nil
    }

    /// The exported table `name`; nil if there is no such export or it is not a table.
    public func table(_ name: String) -> Table? {
        if case .table(let t)? = exportTable[ExactName(name)] { return t }
        return nil
    }
}

extension Runtime {
    /// Instantiates `module` (spec §4.5.4): links its imports, evaluates globals and
    /// segments, initializes tables and memory, and runs the start function on
    /// `context` (a temporary one if nil). The instance lives as long as the runtime.
    public func instantiate(_ module: Module, imports: Imports = Imports(), context: ExecutionContext? = nil) throws(InstantiationError) -> Instance {
        let info = module.info
        guard module.metersFuel == (configuration.fuel != nil) else {
            throw .unlinkable(module.metersFuel
                ? "the module was translated with fuel metering, the runtime does not meter fuel"
                : "the runtime meters fuel (Configuration.fuel): translate the module with Module(bytes:configuration:)")
        }
        if let limiter, !limiter.instantiating(module) {
            throw .resource("the runtime's limiter refused the instance")
        }
        let instance = Instance(module: module, runtime: self)
        var functions: [UnsafeMutablePointer<FunctionEntity>] = []
        var tables: [Table] = []
        var memories: [Memory] = []
        var globals: [Global] = []
        var tags: [Tag] = []

        for imp in info.imports {
            guard let ext = imports.resolve(imp) else {
                throw .unlinkable("unknown import \(imp.module).\(imp.name)")
            }
            let what = "\(imp.module).\(imp.name)"
            switch (imp.descriptor, ext) {
            case (.function(let ti), .function(let f)):
                guard Int(ti) < info.types.count, f.type == info.types[Int(ti)] else {
                    throw .unlinkable("incompatible import type for \(what): expected function \(info.types[Int(ti)]), got \(f.type)")
                }
                functions.append(f.entity)
                if let owner = f.entity.pointee.instance?.pointee.owner.takeUnretainedValue() { instance.sources.append(owner) }
            case (.table(let tt), .table(let t)):
                let actual = Limits(min: UInt64(t.count), max: t.type.limits.max, is64: t.type.limits.is64)
                guard t.type.elementType == tt.elementType, actual.matches(tt.limits) else {
                    throw .unlinkable("incompatible import type for \(what): table limits or type")
                }
                tables.append(t)
                if let owner = t.owner, let o = self.instance(owner) { instance.sources.append(o) }
            case (.memory(let mt), .memory(let m)):
                let actual = Limits(
                    min: UInt64(m.pages), max: m.type.limits.max, shared: m.type.limits.shared, is64: m.type.limits.is64)
                guard actual.matches(mt.limits) else {
                    throw .unlinkable("incompatible import type for \(what): memory limits")
                }
                memories.append(m)
            case (.global(let gt), .global(let g)):
                guard g.type == gt else {
                    throw .unlinkable("incompatible import type for \(what): global type")
                }
                globals.append(g)
                if let owner = g.owner, let o = self.instance(owner) { instance.sources.append(o) }
            case (.tag(let ti), .tag(let t)):
                guard Int(ti) < info.types.count, t.type == info.types[Int(ti)] else {
                    throw .unlinkable("incompatible import type for \(what): tag type")
                }
                tags.append(t)
            default:
                throw .unlinkable("incompatible import type for \(what): expected \(imp.descriptor.kind), got \(ext.kind)")
            }
        }

        // Defined functions.
        let defined = UnsafeMutablePointer<FunctionEntity>.allocate(capacity: Swift.max(info.functions.count, 1))
        instance.functionEntities = defined
        for (i, ti) in info.functions.enumerated() {
            let c = module.functions[i]
            let type = info.types[Int(ti)]
            defined[i] = FunctionEntity(
                code: UnsafePointer(module.code + c.offset), instance: instance.data, frameCells: c.frameCells,
                paramCells: type.paramCells, resultCells: type.resultCells, localCells: c.localCells,
                typeID: module.typeIDs[Int(ti)], index: UInt32(functions.count), host: nil,
                type: Unmanaged.passUnretained(module.typeBoxes[Int(ti)]))
            functions.append(defined + i)
        }

        for t in info.tables {
            guard let table = Table(type: t, limits: configuration.limits) else {
                throw .resource("table of \(t.limits.min) elements exceeds the limit")
            }
            if let limiter, !limiter.tableGrowing(current: 0, desired: table.count, maximum: table.maximum) {
                throw .resource("the runtime's limiter refused a table of \(table.count) elements")
            }
            table.owner = ObjectIdentifier(instance)
            tables.append(table)
            if t.elementType == .exnref { exceptions.addRoot(table) }
        }
        let definedTags = allocate(TagEntity.self, count: info.tags.count)
        for (i, ti) in info.tags.enumerated() {
            (definedTags + i).initialize(to: TagEntity(type: Unmanaged.passUnretained(module.typeBoxes[Int(ti)])))
            tags.append(Tag(entity: definedTags + i, runtime: self))
        }
        for m in info.memories {
            guard let mem = Memory(type: m, limits: configuration.limits) else {
                throw .resource("memory of \(m.limits.min) pages exceeds the limit or cannot be reserved")
            }
            if let limiter, !limiter.memoryGrowing(current: 0, desired: mem.byteCount, maximum: mem.maximumBytes) {
                throw .resource("the runtime's limiter refused a memory of \(mem.byteCount) bytes")
            }
            memories.append(mem)
        }

        // Globals: initializers may read imported globals and take function references.
        /// A constant expression's value: its cell, and the upper cell of a `v128`.
        func evaluate(_ e: ConstExpr) -> (UInt64, UInt64) {
            var stack: [(UInt64, UInt64)] = []
            for i in e.instructions {
                switch i {
                case .i32Const(let v): stack.append((UInt64(v), 0))
                case .i64Const(let v): stack.append((v, 0))
                case .f32Const(let v): stack.append((UInt64(v), 0))
                case .f64Const(let v): stack.append((v, 0))
                case .v128Const(let v): stack.append((v.lo, v.hi))
                case .refNull: stack.append((0, 0))
                case .refFunc(let f): stack.append((Int(f) < functions.count ? UInt64(UInt(bitPattern: functions[Int(f)])) : 0, 0))
                case .globalGet(let g): stack.append(Int(g) < globals.count ? (globals[Int(g)].cell[0], globals[Int(g)].cell[1]) : (0, 0))
                case .i32Add, .i32Sub, .i32Mul, .i64Add, .i64Sub, .i64Mul:
                    guard stack.count >= 2 else { return (0, 0) }
                    let b = stack.removeLast().0, a = stack.removeLast().0
                    switch i {
                    case .i32Add: stack.append((UInt64(UInt32(truncatingIfNeeded: a &+ b)), 0))
                    case .i32Sub: stack.append((UInt64(UInt32(truncatingIfNeeded: a &- b)), 0))
                    case .i32Mul: stack.append((UInt64(UInt32(truncatingIfNeeded: a &* b)), 0))
                    case .i64Add: stack.append((a &+ b, 0))
                    case .i64Sub: stack.append((a &- b, 0))
                    default: stack.append((a &* b, 0))
                    }
                }
            }
            return stack.last ?? (0, 0)
        }
        for g in info.globals {
            let (lo, hi) = evaluate(g.initializer)
            let global = Global(type: g.type, cell: lo, runtime: self)
            global.cell[1] = hi
            global.owner = ObjectIdentifier(instance)
            globals.append(global)
        }

        // Segments.
        let elements = UnsafeMutablePointer<SegmentData>.allocate(capacity: max(info.elements.count, 1))
        for (i, seg) in info.elements.enumerated() {
            let refs = UnsafeMutablePointer<UInt64>.allocate(capacity: max(seg.initializers.count, 1))
            for (k, e) in seg.initializers.enumerated() { refs[k] = evaluate(e).0 }
            instance.elementStorage.append(refs)
            elements[i] = SegmentData(base: UnsafeRawPointer(refs), count: seg.initializers.count)
        }
        let datas = UnsafeMutablePointer<SegmentData>.allocate(capacity: max(info.datas.count, 1))
        let moduleBytes = module.dataBytes
        for (i, seg) in info.datas.enumerated() {
            datas[i] = SegmentData(base: moduleBytes.map { UnsafeRawPointer($0) + seg.data.lowerBound }, count: seg.data.count)
        }

        let fp = UnsafeMutablePointer<UnsafeMutablePointer<FunctionEntity>>.allocate(capacity: max(functions.count, 1))
        fp.initialize(from: functions, count: functions.count)
        let gp = UnsafeMutablePointer<UnsafeMutablePointer<UInt64>>.allocate(capacity: max(globals.count, 1))
        gp.initialize(from: globals.map(\.cell), count: globals.count)
        let tp = UnsafeMutablePointer<UnsafeMutablePointer<TableData>>.allocate(capacity: max(tables.count, 1))
        tp.initialize(from: tables.map(\.data), count: tables.count)
        let mp = UnsafeMutablePointer<UnsafeMutablePointer<MemoryData>>.allocate(capacity: max(memories.count, 1))
        mp.initialize(from: memories.map(\.data), count: memories.count)
        if memories.isEmpty { mp.initialize(to: Memory.none) }
        let tgp = UnsafeMutablePointer<UnsafeMutablePointer<TagEntity>>.allocate(capacity: max(tags.count, 1))
        tgp.initialize(from: tags.map(\.entity), count: tags.count)
        instance.data.initialize(to: InstanceData(
            functions: fp, globals: gp, tables: tp, memory: memories.first?.data ?? Memory.none, memories: mp, tags: tgp,
            elements: elements, datas: datas, owner: Unmanaged.passUnretained(instance)))
        instance.isInitialized = true
        instance.memory = memories.first
        instance.memories = memories
        instance.tags = tags
        instance.tables = tables
        instance.globals = globals
        retain(instance)

        for e in info.exports {
            let i = Int(e.index)
            let ext: Extern
            switch e.kind {
            case .function where i < functions.count: ext = .function(Function(entity: functions[i], runtime: self))
            case .table where i < tables.count: ext = .table(tables[i])
            case .memory where i < memories.count: ext = .memory(memories[i])
            case .tag where i < tags.count: ext = .tag(tags[i])
            case .global where i < globals.count: ext = .global(globals[i])
            default: continue
            }
            instance.addExport(e.name, ext)
        }

        // Active and declarative element segments, then active data segments (spec 2.0
        // order); a failing segment traps, and the segments before it stay applied.
        for (i, seg) in info.elements.enumerated() {
            switch seg.mode {
            case .active(let t, let offsetExpr):
                let table = tables[Int(t)]
                let offset = table.type.limits.address(evaluate(offsetExpr).0)
                let n = UInt64(seg.initializers.count)
                guard offset <= UInt64(table.count), n <= UInt64(table.count) - offset else {
                    throw .trap(ExecutionError(.trap(.tableOutOfBounds)))
                }
                if n > 0, let src = elements[i].base {
                    UnsafeMutableRawPointer(table.data.pointee.elements + Int(offset)).copyMemory(from: src, byteCount: Int(n) * 8)
                }
                elements[i] = SegmentData(base: nil, count: 0)
            case .declarative:
                elements[i] = SegmentData(base: nil, count: 0)
            case .passive:
                break
            }
        }
        for (i, seg) in info.datas.enumerated() {
            guard case .active(let index, let offsetExpr) = seg.mode else { continue }
            guard Int(index) < memories.count else { throw .trap(ExecutionError(.trap(.memoryOutOfBounds))) }
            let mem = memories[Int(index)]
            let offset = mem.type.limits.address(evaluate(offsetExpr).0)
            let n = UInt64(seg.data.count)
            guard mem.contains(offset: offset, count: n) else {
                throw .trap(ExecutionError(.trap(.memoryOutOfBounds)))
            }
            if n > 0, let src = datas[i].base {
                (mem.data.pointee.base + Int(offset)).copyMemory(from: src, byteCount: Int(n))
            }
            datas[i] = SegmentData(base: nil, count: 0)
        }

        if let start = info.start, Int(start) < functions.count {
            let ctx = context ?? ExecutionContext(runtime: self)
            do {
                _ = try ctx.invokeHandlingRestarts(Function(entity: functions[Int(start)], runtime: self), [])
            } catch {
                throw .trap(error)
            }
        }
        return instance
    }
}
