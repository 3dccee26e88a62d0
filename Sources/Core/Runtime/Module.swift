/// A decoded, validated and translated module, ready to instantiate any number
/// of times (in any runtime).
public final class Module: @unchecked Sendable {
    /// The decoded sections the module was built from.
    public let info: ModuleInfo
    /// Translated code of every defined function, concatenated.
    let code: UnsafeMutablePointer<UInt32>
    let functions: [CompiledFunction]
    let codeCount: Int
    let typeIDs: [Int]
    let typeBoxes: [FuncTypeBox]
    /// A stable copy of the module's bytes that data segments point into.
    let dataBytes: UnsafeMutablePointer<UInt8>?
    /// The `try_table` blocks of each defined function, innermost first; positions are
    /// word offsets from `code`. Empty for functions without one.
    let catchRanges: [[CatchRange]]
    /// Number of imported functions (defined function i is function `imported + i`).
    let importedFunctions: Int
    /// True if no instance of this module can put a reference to itself anywhere but in
    /// its own tables and globals: it imports no tables, tags, reference-typed globals
    /// or functions whose types hold references, defines no tags, and has no `exnref`
    /// tables or globals. Only such instances can be released (`Runtime.release`).
    public let referencesStayInside: Bool

    /// True if the code charges fuel (`Configuration.fuel`): only runtimes that meter
    /// fuel instantiate it, and they instantiate only such modules.
    public let metersFuel: Bool

    struct CompiledFunction {
        var offset: Int
        var frameCells: Int
        var localCells: Int
    }

    /// Decodes, validates and translates `bytes`, accepting the proposals in `features`.
    /// `superinstructions: false` keeps every instruction its own dispatch (slower; for
    /// checking the superinstructions against). `fuel: true` translates the code with
    /// fuel metering, for a runtime whose `Configuration.fuel` is set.
    public convenience init(
        bytes: [UInt8], features: Features = .default, superinstructions: Bool = true, fuel: Bool = false
    ) throws(LoadError) {
        try self.init(
            info: try decodeModule(bytes, features: features), superinstructions: superinstructions, fuel: fuel)
    }

    /// Decodes, validates and translates `bytes` for runtimes with `configuration`: its
    /// features, and fuel metering if it meters fuel.
    public convenience init(bytes: [UInt8], configuration: Configuration) throws(LoadError) {
        try self.init(bytes: bytes, features: configuration.features, fuel: configuration.fuel != nil)
    }

    /// Validates and translates a decoded module (see `init(bytes:features:superinstructions:fuel:)`).
    public init(info: ModuleInfo, superinstructions: Bool = true, fuel: Bool = false) throws(LoadError) {
        try validateModule(info)
        self.info = info
        metersFuel = fuel
        referencesStayInside = Module.keepsReferencesInside(info)
        let interned = info.types.map { TypeRegistry.intern($0) }
        typeIDs = interned.map(\.id)
        typeBoxes = interned.map(\.box)
        var functionTypes: [UInt32] = []
        var tables: [TableType] = []
        var globals: [GlobalType] = []
        var memories: [MemoryType] = []
        var tagTypes: [FuncType] = []
        for i in info.imports {
            switch i.descriptor {
            case .function(let t): functionTypes.append(t)
            case .table(let t): tables.append(t)
            case .memory(let m): memories.append(m)
            case .global(let g): globals.append(g)
            case .tag(let t): tagTypes.append(info.types[Int(t)])
            }
        }
        tagTypes += info.tags.map { info.types[Int($0)] }
        functionTypes += info.functions
        tables += info.tables
        globals += info.globals.map(\.type)
        memories += info.memories
        let context = ModuleContext(
            types: info.types, typeIDs: typeIDs, functionTypes: functionTypes,
            importedFunctions: functionTypes.count - info.functions.count, superinstructions: superinstructions,
            tables: tables,
            memories: memories, features: info.features, globals: globals, elementTypes: info.elements.map(\.type),
            dataCount: info.dataCount, declaredRefs: declaredFunctionReferences(info), tagTypes: tagTypes, fuel: fuel)
        var translated: [TranslatedFunction] = []
        translated.reserveCapacity(info.codes.count)
        var total = 0
        for (i, body) in info.codes.enumerated() {
            let type = info.types[Int(info.functions[i])]
            var translator = try FunctionTranslator(module: context, bytes: info.bytes, body: body, type: type)
            let f = try translator.translate()
            total += f.prologue.count + f.code.count
            translated.append(f)
        }
        // Every function's code, one after the other, copied once into place.
        var calls: [Int] = []
        var ranges: [[CatchRange]] = []
        ranges.reserveCapacity(translated.count)
        var compiled: [CompiledFunction] = []
        compiled.reserveCapacity(translated.count)
        let all = UnsafeMutablePointer<UInt32>.allocate(capacity: max(total, 1))
        var offset = 0
        for f in translated {
            compiled.append(CompiledFunction(offset: offset, frameCells: f.frameCells, localCells: f.localCells))
            (all + offset).initialize(from: f.prologue, count: f.prologue.count)
            offset += f.prologue.count
            calls += f.calls.map { offset + $0 }
            let base = offset
            ranges.append(f.catchRanges.map { r in
                CatchRange(start: base + r.start, end: base + r.end, clauses: r.clauses.map {
                    CatchRange.Clause(kind: $0.kind, tag: $0.tag, pad: base + $0.pad)
                })
            })
            (all + offset).initialize(from: f.code, count: f.code.count)
            offset += f.code.count
        }
        translated = []
        if info.datas.isEmpty {
            dataBytes = nil
        } else {
            let p = UnsafeMutablePointer<UInt8>.allocate(capacity: max(info.bytes.count, 1))
            p.initialize(from: info.bytes, count: info.bytes.count)
            dataBytes = p
        }
        codeCount = total
        code = all
        catchRanges = ranges
        importedFunctions = functionTypes.count - info.functions.count
        functions = compiled
        // `callInternal function argBase code code2 frameCells localStart localCells`: the
        // callee's code address and frame, now that every function has its place.
        for site in calls {
            let defined = Int(code[site + 2]) - importedFunctions
            let callee = compiled[defined]
            let address = UInt(bitPattern: code + callee.offset)
            code[site + 4] = UInt32(truncatingIfNeeded: address)
            code[site + 5] = UInt32(truncatingIfNeeded: address >> 32)
            code[site + 6] = UInt32(callee.frameCells)
            code[site + 7] = UInt32(info.types[Int(info.functions[defined])].paramCells)
            code[site + 8] = UInt32(callee.localCells)
        }
    }

    private static func keepsReferencesInside(_ info: ModuleInfo) -> Bool {
        func plain(_ t: ValueType) -> Bool { !t.isReference }
        for i in info.imports {
            switch i.descriptor {
            case .table, .tag: return false
            case .global(let g): if !plain(g.valueType) { return false }
            case .function(let ti):
                guard Int(ti) < info.types.count else { return false }
                let t = info.types[Int(ti)]
                if !(t.params.allSatisfy(plain) && t.results.allSatisfy(plain)) { return false }
            case .memory: break
            }
        }
        return info.tags.isEmpty && !info.tables.contains { $0.elementType == .exnref }
            && !info.globals.contains { $0.type.valueType == .exnref }
    }

    deinit {
        code.deallocate()
        dataBytes?.deallocate()
    }

    /// What instantiation must be given, in module order (`info.imports`).
    public var imports: [Import] { info.imports }
    /// What every instance exports, in module order (`info.exports`).
    public var exports: [Export] { info.exports }
}
