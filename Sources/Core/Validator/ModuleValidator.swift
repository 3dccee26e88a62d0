// Validation of modules (spec §3.4): https://webassembly.github.io/spec/core/valid/modules.html

/// Validates everything in a decoded module except function bodies (spec §3.4, WebAssembly 2.0):
/// type and entity indices, limits, constant expressions, segments, exports and start.
///
/// - Throws: `LoadError.invalid` with the wording of the spec test suite.
public func validateModule(_ m: ModuleInfo) throws(LoadError) {
    try ModuleValidator(m).validate()
}

/// The function indices a function body may name in `ref.func` (C.refs, spec §3.4.10):
/// those in `ref.func` in element segments, global initializers and data offsets, plus
/// exported functions.
public func declaredFunctionReferences(_ m: ModuleInfo) -> Set<UInt32> {
    var refs = Set<UInt32>()
    func collect(_ expr: ConstExpr) {
        for case .refFunc(let x) in expr.instructions { refs.insert(x) }
    }
    for global in m.globals { collect(global.initializer) }
    for segment in m.elements {
        segment.initializers.forEach(collect)
        if case .active(_, let offset) = segment.mode { collect(offset) }
    }
    for segment in m.datas {
        if case .active(_, let offset) = segment.mode { collect(offset) }
    }
    for export in m.exports where export.kind == .function { refs.insert(export.index) }
    return refs
}

/// 65536 pages of 64 KiB: the 4 GiB that 32-bit addresses reach.
private let maxMemoryPages: UInt64 = 65536
/// memory64: 2^48 pages, the 2^64 bytes that 64-bit addresses reach.
private let maxMemory64Pages: UInt64 = 1 << 48

private struct ModuleValidator {
    let m: ModuleInfo
    /// Index spaces: imports first, then definitions.
    var functionTypes: [UInt32] = []
    var tables: [TableType] = []
    var memories: [MemoryType] = []
    var memoryCount: Int { memories.count }
    /// Type index of every tag (imports first).
    var tags: [UInt32] = []
    let features: Features
    /// Constant expressions may only read imported globals in 2.0.
    var importedGlobals: [GlobalType] = []
    var globalCount = 0

    init(_ m: ModuleInfo) {
        self.m = m
        features = m.features
        for i in m.imports {
            switch i.descriptor {
            case .function(let typeIndex): functionTypes.append(typeIndex)
            case .table(let t): tables.append(t)
            case .memory(let t): memories.append(t)
            case .global(let g): importedGlobals.append(g)
            case .tag(let t): tags.append(t)
            }
        }
        tags += m.tags
        functionTypes += m.functions
        tables += m.tables
        memories += m.memories
        globalCount = importedGlobals.count + m.globals.count
    }

    func validate() throws(LoadError) {
        for i in m.imports {
            switch i.descriptor {
            case .function(let typeIndex): _ = try type(typeIndex)
            case .table(let t): try checkTableType(t)
            case .memory(let t): try checkMemoryType(t)
            case .global: break
            case .tag(let t): try checkTagType(t)
            }
        }
        for t in m.tags { try checkTagType(t) }
        for typeIndex in m.functions { _ = try type(typeIndex) }
        for t in m.tables { try checkTableType(t) }
        for t in m.memories { try checkMemoryType(t) }
        for g in m.globals { try checkConstExpr(g.initializer, type: g.type.valueType) }
        for segment in m.elements { try checkElementSegment(segment) }
        for segment in m.datas {
            if case .active(let memory, let offset) = segment.mode {
                guard Int(memory) < memoryCount else { throw .invalid("unknown memory \(memory)") }
                try checkConstExpr(offset, type: memories[Int(memory)].limits.addressType)
            }
        }
        if let start = m.start {
            let t = try type(try functionType(start))
            guard t.params.isEmpty, t.results.isEmpty else {
                throw .invalid("start function must not have parameters or results")
            }
        }
        try checkExports()
        guard memoryCount <= 1 || features.contains(.multiMemory) else { throw .invalid("multiple memories") }
    }

    // MARK: Lookups

    private func type(_ index: UInt32) throws(LoadError) -> FuncType {
        guard Int(index) < m.types.count else { throw .invalid("unknown type \(index)") }
        return m.types[Int(index)]
    }

    private func functionType(_ index: UInt32) throws(LoadError) -> UInt32 {
        guard Int(index) < functionTypes.count else { throw .invalid("unknown function \(index)") }
        return functionTypes[Int(index)]
    }

    private func table(_ index: UInt32) throws(LoadError) -> TableType {
        guard Int(index) < tables.count else { throw .invalid("unknown table \(index)") }
        return tables[Int(index)]
    }

    // MARK: Types

    private func checkLimits(_ limits: Limits) throws(LoadError) {
        if let max = limits.max, limits.min > max {
            throw .invalid("size minimum must not be greater than maximum")
        }
    }

    /// Table sizes are u32 (u64 for table64) in the binary, so only min <= max is left.
    private func checkTableType(_ t: TableType) throws(LoadError) {
        guard t.elementType.isReference else { throw .invalid("table element type must be a reference type") }
        try checkLimits(t.limits)
    }

    private func checkMemoryType(_ t: MemoryType) throws(LoadError) {
        let limits = t.limits
        if limits.is64 {
            guard limits.min <= maxMemory64Pages, (limits.max ?? 0) <= maxMemory64Pages else {
                throw .invalid("memory size must be at most 2^48 pages (2^64 bytes)")
            }
        } else {
            guard limits.min <= maxMemoryPages, (limits.max ?? 0) <= maxMemoryPages else {
                throw .invalid("memory size must be at most 65536 pages (4GiB)")
            }
        }
        try checkLimits(limits)
        // Threads proposal: a shared memory cannot be moved, so its size must be bounded.
        if limits.shared && limits.max == nil { throw .invalid("shared memory must have maximum") }
    }

    /// Exception handling: a tag's type has no results (its parameters are the payload).
    private func checkTagType(_ index: UInt32) throws(LoadError) {
        guard try type(index).results.isEmpty else { throw .invalid("non-empty tag result type") }
    }

    // MARK: Constant expressions

    /// Spec §3.3.10: every instruction must be constant, then the sequence must produce
    /// exactly one value of `type`. In 2.0 `global.get` reads only immutable imported globals,
    /// and the extended-const arithmetic is not constant.
    private func checkConstExpr(_ expr: ConstExpr, type: ValueType) throws(LoadError) {
        var stack: [ValueType] = []
        for instruction in expr.instructions {
            switch instruction {
            case .i32Const: stack.append(.i32)
            case .i64Const: stack.append(.i64)
            case .f32Const: stack.append(.f32)
            case .f64Const: stack.append(.f64)
            case .v128Const: stack.append(.v128)
            case .refNull(let t): stack.append(t)
            case .refFunc(let x):
                _ = try functionType(x)
                stack.append(.funcref)
            case .globalGet(let x):
                guard Int(x) < importedGlobals.count else {
                    throw .invalid("unknown global \(x)")
                }
                let g = importedGlobals[Int(x)]
                guard !g.isMutable else { throw .invalid("constant expression required") }
                stack.append(g.valueType)
            case .i32Add, .i32Sub, .i32Mul, .i64Add, .i64Sub, .i64Mul:
                guard features.contains(.extendedConst) else { throw .invalid("constant expression required") }
                let t: ValueType = switch instruction {
                case .i32Add, .i32Sub, .i32Mul: .i32
                default: .i64
                }
                guard stack.count >= 2, stack.removeLast() == t, stack.removeLast() == t else {
                    throw .invalid("type mismatch")
                }
                stack.append(t)
            }
        }
        guard stack == [type] else { throw .invalid("type mismatch") }
    }

    // MARK: Segments and exports

    private func checkElementSegment(_ segment: ElementSegment) throws(LoadError) {
        for initializer in segment.initializers {
            try checkConstExpr(initializer, type: segment.type)
        }
        if case .active(let tableIndex, let offset) = segment.mode {
            let t = try table(tableIndex)
            guard t.elementType == segment.type else { throw .invalid("type mismatch") }
            try checkConstExpr(offset, type: t.limits.addressType)
        }
    }

    private func checkExports() throws(LoadError) {
        // Names compare by their bytes: Swift's `String ==` would equate canonically
        // equivalent spellings, which are distinct names in WebAssembly.
        var names = Set<[UInt8]>()
        names.reserveCapacity(m.exports.count)
        for export in m.exports {
            let x = export.index
            switch export.kind {
            case .function: _ = try functionType(x)
            case .table: _ = try table(x)
            case .memory:
                guard Int(x) < memoryCount else { throw .invalid("unknown memory \(x)") }
            case .global:
                guard Int(x) < globalCount else { throw .invalid("unknown global \(x)") }
            case .tag:
                guard Int(x) < tags.count else { throw .invalid("unknown tag \(x)") }
            }
            guard names.insert(Array(export.name.utf8)).inserted else { throw .invalid("duplicate export name") }
        }
    }
}
