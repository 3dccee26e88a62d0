/// A decoded module (spec §2.5): the sections of the binary, before validation.
/// Function bodies stay as byte ranges of `bytes`; the translator decodes and
/// validates them instruction by instruction.
public struct ModuleInfo: Sendable {
    /// The module's bytes; `FunctionBody.code` and custom section payloads index into them.
    public var bytes: [UInt8] = []
    public var types: [FuncType] = []
    public var imports: [Import] = []
    /// Type index of each function defined by the module (function section).
    public var functions: [UInt32] = []
    public var tables: [TableType] = []
    public var memories: [MemoryType] = []
    /// Exception handling: the type index of each tag the module defines (tag section).
    public var tags: [UInt32] = []
    public var globals: [GlobalDecl] = []
    public var exports: [Export] = []
    public var start: UInt32?
    public var elements: [ElementSegment] = []
    /// The data count section's value, if the section is present.
    public var dataCount: UInt32?
    public var codes: [FunctionBody] = []
    public var datas: [DataSegment] = []
    public var customSections: [CustomSection] = []
    /// Function names from the "name" custom section (function index space).
    /// A malformed name section is ignored, as the spec asks for custom sections.
    public var functionNames: [UInt32: String] = [:]
    public var moduleName: String?
    /// The proposals the module was decoded with; validation and translation follow them.
    public var features: Features = .default

    public init() {}
}

public struct Import: Sendable {
    public var module: String
    public var name: String
    public var descriptor: ImportDescriptor
}

public enum ImportDescriptor: Sendable {
    case function(typeIndex: UInt32)
    case table(TableType)
    case memory(MemoryType)
    case global(GlobalType)
    /// Exception handling: a tag of the given function type (its parameters are the payload).
    case tag(typeIndex: UInt32)

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

public struct Export: Sendable {
    public var name: String
    public var kind: ExternalKind
    public var index: UInt32
}

/// A constant expression (spec §3.3.10). WebAssembly 2.0 allows exactly one
/// instruction; the list form leaves room for extended-const.
public struct ConstExpr: Sendable {
    public var instructions: [ConstInstruction]
    public init(_ instructions: [ConstInstruction]) { self.instructions = instructions }
}

public enum ConstInstruction: Sendable, Equatable {
    case i32Const(UInt32)
    case i64Const(UInt64)
    /// Bit pattern.
    case f32Const(UInt32)
    /// Bit pattern.
    case f64Const(UInt64)
    case v128Const(V128)
    case refNull(ValueType)
    case refFunc(UInt32)
    case globalGet(UInt32)
    // extended-const
    case i32Add, i32Sub, i32Mul, i64Add, i64Sub, i64Mul
}

public struct GlobalDecl: Sendable {
    public var type: GlobalType
    public var initializer: ConstExpr
}

public struct ElementSegment: Sendable {
    public enum Mode: Sendable {
        case passive
        case active(table: UInt32, offset: ConstExpr)
        case declarative
    }
    /// funcref or externref.
    public var type: ValueType
    /// One expression per element; the function-index encodings become `refFunc`.
    public var initializers: [ConstExpr]
    public var mode: Mode
}

public struct DataSegment: Sendable {
    public enum Mode: Sendable {
        case passive
        case active(memory: UInt32, offset: ConstExpr)
    }
    public var mode: Mode
    /// Range of the segment's bytes in `ModuleInfo.bytes`.
    public var data: Range<Int>
}

public struct LocalDecl: Sendable {
    public var count: UInt32
    public var type: ValueType
}

public struct FunctionBody: Sendable {
    public var locals: [LocalDecl]
    /// Sum of the `locals` counts (checked to fit in UInt32 by the decoder).
    public var localCount: UInt64
    /// The instruction bytes, up to and including the final `end`.
    public var code: Range<Int>
}

public struct CustomSection: Sendable {
    public var name: String
    /// Payload range in `ModuleInfo.bytes`.
    public var payload: Range<Int>
}
