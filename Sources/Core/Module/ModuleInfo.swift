/// A decoded module (spec §2.5): the sections of the binary, before validation.
/// Function bodies stay as byte ranges of `bytes`; the translator decodes and
/// validates them instruction by instruction.
public struct ModuleInfo: Sendable {
    /// The module's bytes; `FunctionBody.code` and custom section payloads index into them.
    public var bytes: [UInt8] = []
    /// The function types of the type section, indexed by type index.
    public var types: [FuncType] = []
    /// The import section, in order; imports come first in each index space.
    public var imports: [Import] = []
    /// Type index of each function defined by the module (function section).
    public var functions: [UInt32] = []
    /// The tables the module defines (table section), after the imported ones in the index space.
    public var tables: [TableType] = []
    /// The memories the module defines (memory section), after the imported ones in the index space.
    public var memories: [MemoryType] = []
    /// Exception handling: the type index of each tag the module defines (tag section).
    public var tags: [UInt32] = []
    /// The globals the module defines (global section), with their initializers.
    public var globals: [GlobalDecl] = []
    /// The export section, in order.
    public var exports: [Export] = []
    /// The function index of the start function; nil when there is no start section.
    public var start: UInt32?
    /// The element section's segments, indexed by element index.
    public var elements: [ElementSegment] = []
    /// The data count section's value, if the section is present.
    public var dataCount: UInt32?
    /// The code section: one body per entry of `functions`, in the same order.
    public var codes: [FunctionBody] = []
    /// The data section's segments, indexed by data index.
    public var datas: [DataSegment] = []
    /// Every custom section, in order of appearance (the "name" section included).
    public var customSections: [CustomSection] = []
    /// Function names from the "name" custom section (function index space).
    /// A malformed name section is ignored, as the spec asks for custom sections.
    public var functionNames: [UInt32: String] = [:]
    /// The module name from the "name" custom section; nil if it has none.
    public var moduleName: String?
    /// The proposals the module was decoded with; validation and translation follow them.
    public var features: Features = .default

    /// An empty module (no sections), for the decoder to fill in.
    public init() {}
}

/// One entry of the import section (spec §2.5.11).
public struct Import: Sendable {
    /// The first level of the two-level import name (e.g. "wasi_snapshot_preview1").
    public var module: String
    /// The name of the item within `module`.
    public var name: String
    /// What kind of item is imported, with the type it must have.
    public var descriptor: ImportDescriptor
}

/// The kind and expected type of an import.
public enum ImportDescriptor: Sendable {
    /// A function whose type is `types[typeIndex]`.
    case function(typeIndex: UInt32)
    /// A table of the given element type and limits.
    case table(TableType)
    /// A memory with the given limits.
    case memory(MemoryType)
    /// A global of the given type and mutability.
    case global(GlobalType)
    /// Exception handling: a tag of the given function type (its parameters are the payload).
    case tag(typeIndex: UInt32)

    /// The kind of item, without its type.
    public var kind: ExternalKind {
        switch self {
        case .function: .function
        case .table: .table
        case .memory: .memory
        case .global: .global
        case .tag: .tag
        }
    }
}

/// One entry of the export section (spec §2.5.12).
public struct Export: Sendable {
    /// The export name; unique within a valid module.
    public var name: String
    /// Which index space `index` refers to.
    public var kind: ExternalKind
    /// The index of the exported item in the index space of `kind` (imports included).
    public var index: UInt32
}

/// A constant expression (spec §3.3.10). WebAssembly 2.0 allows exactly one
/// instruction; the list form leaves room for extended-const.
public struct ConstExpr: Sendable {
    /// The instructions in execution order, without the final `end`.
    public var instructions: [ConstInstruction]
    /// An expression of the given instructions (not validated here).
    public init(_ instructions: [ConstInstruction]) { self.instructions = instructions }
}

/// An instruction allowed in a constant expression (spec §3.3.10, with extended-const).
public enum ConstInstruction: Sendable, Equatable {
    /// `i32.const`; the value's bits (two's complement).
    case i32Const(UInt32)
    /// `i64.const`; the value's bits (two's complement).
    case i64Const(UInt64)
    /// Bit pattern.
    case f32Const(UInt32)
    /// Bit pattern.
    case f64Const(UInt64)
    /// `v128.const` (SIMD).
    case v128Const(V128)
    /// `ref.null` of the given reference type.
    case refNull(ValueType)
    /// `ref.func` of a function index.
    case refFunc(UInt32)
    /// `global.get` of a global index; validation admits only immutable imported globals.
    case globalGet(UInt32)
    /// Extended-const: `i32.add`, `i32.sub`, `i32.mul`, `i64.add`, `i64.sub`, `i64.mul`
    /// (wrapping, as in function bodies); only valid with `Features.extendedConst`.
    case i32Add, i32Sub, i32Mul, i64Add, i64Sub, i64Mul
}

/// A global defined by the module: its type and initial value.
public struct GlobalDecl: Sendable {
    /// The value type and mutability.
    public var type: GlobalType
    /// Evaluated once, at instantiation.
    public var initializer: ConstExpr
}

/// An element segment (spec §2.5.7): references for initialising tables.
public struct ElementSegment: Sendable {
    /// When and where the segment's references are used.
    public enum Mode: Sendable {
        /// Copied into a table only by `table.init`; `elem.drop` discards it.
        case passive
        /// Copied into `table` at `offset` during instantiation, then dropped.
        case active(table: UInt32, offset: ConstExpr)
        /// Never copied; only declares functions that `ref.func` may name.
        case declarative
    }
    /// funcref or externref.
    public var type: ValueType
    /// One expression per element; the function-index encodings become `refFunc`.
    public var initializers: [ConstExpr]
    /// Passive, active or declarative.
    public var mode: Mode
}

/// A data segment (spec §2.5.8): bytes for initialising memories.
public struct DataSegment: Sendable {
    /// When and where the segment's bytes are used.
    public enum Mode: Sendable {
        /// Copied into a memory only by `memory.init`; `data.drop` discards it.
        case passive
        /// Copied into `memory` at `offset` during instantiation, then dropped.
        case active(memory: UInt32, offset: ConstExpr)
    }
    /// Passive or active.
    public var mode: Mode
    /// Range of the segment's bytes in `ModuleInfo.bytes`.
    public var data: Range<Int>
}

/// One run of local declarations in a function body: `count` locals of `type`.
public struct LocalDecl: Sendable {
    /// How many locals this entry declares (may be 0).
    public var count: UInt32
    /// Their type; locals start at its default value (zero or null).
    public var type: ValueType
}

/// An entry of the code section: a function's locals and its undecoded instructions.
public struct FunctionBody: Sendable {
    /// The local declarations, compressed as in the binary (parameters not included).
    public var locals: [LocalDecl]
    /// Sum of the `locals` counts (checked to fit in UInt32 by the decoder).
    public var localCount: UInt64
    /// The instruction bytes, up to and including the final `end`.
    public var code: Range<Int>
}

/// A custom section (id 0); rewasm interprets only "name", the rest are kept as is.
public struct CustomSection: Sendable {
    /// The section's name (e.g. "name", "producers").
    public var name: String
    /// Payload range in `ModuleInfo.bytes`.
    public var payload: Range<Int>
}
