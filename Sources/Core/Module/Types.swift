/// Value types of WebAssembly 2.0 (spec §2.3). Raw values are the binary encodings.
public enum ValueType: UInt8, Sendable, Hashable, CustomStringConvertible {
    /// 32-bit integer (sign is up to the instruction).
    case i32 = 0x7F
    /// 64-bit integer (sign is up to the instruction).
    case i64 = 0x7E
    /// IEEE 754 binary32.
    case f32 = 0x7D
    /// IEEE 754 binary64.
    case f64 = 0x7C
    /// 128-bit SIMD vector (needs `Features.simd`).
    case v128 = 0x7B
    /// A nullable reference to a function.
    case funcref = 0x70
    /// A nullable reference to a host object, opaque to the module.
    case externref = 0x6F
    /// Exception handling: a reference to an exception (caught by `catch_ref`).
    case exnref = 0x69

    /// Whether this is a reference type (`funcref`, `externref`, `exnref`), which can be null.
    public var isReference: Bool { self == .funcref || self == .externref || self == .exnref }

    /// Number of 64-bit cells a value of this type occupies on the value stack.
    public var cellCount: Int { self == .v128 ? 2 : 1 }

    /// False for a type whose proposal `features` leaves out.
    func isEnabled(by features: Features) -> Bool {
        switch self {
        case .exnref: features.contains(.exceptions)
        case .v128: features.contains(.simd)
        default: true
        }
    }

    public var description: String {
        switch self {
        case .i32: "i32"
        case .i64: "i64"
        case .f32: "f32"
        case .f64: "f64"
        case .v128: "v128"
        case .funcref: "funcref"
        case .externref: "externref"
        case .exnref: "exnref"
        }
    }
}

/// A function signature.
public struct FuncType: Hashable, Sendable, CustomStringConvertible {
    /// The parameter types, in order.
    public var params: [ValueType]
    /// The result types, in order (several with multi-value).
    public var results: [ValueType]

    /// A signature taking `params` and returning `results`.
    public init(params: [ValueType], results: [ValueType]) {
        self.params = params
        self.results = results
    }

    /// Stack cells of the parameters (a `v128` takes two).
    public var paramCells: Int { params.reduce(0) { $0 + $1.cellCount } }
    /// Stack cells of the results.
    public var resultCells: Int { results.reduce(0) { $0 + $1.cellCount } }

    public var description: String {
        "(\(params.map(\.description).joined(separator: " "))) -> (\(results.map(\.description).joined(separator: " ")))"
    }
}

/// Size limits of a memory (in 64 KiB pages) or a table (in elements).
public struct Limits: Hashable, Sendable {
    /// The initial size, in pages or elements.
    public var min: UInt64
    /// The maximum size, in pages or elements; nil for none (up to the address type's limit).
    public var max: UInt64?
    /// Threads proposal: a shared memory.
    public var shared: Bool
    /// memory64: addresses (memories) or indices (tables) are i64.
    public var is64: Bool

    /// Limits as given; not validated here (e.g. `min <= max`).
    public init(min: UInt64, max: UInt64? = nil, shared: Bool = false, is64: Bool = false) {
        self.min = min
        self.max = max
        self.shared = shared
        self.is64 = is64
    }

    /// The type of addresses or indices: i64 for memory64 and table64.
    public var addressType: ValueType { is64 ? .i64 : .i32 }

    /// A constant expression's value (a cell) as an address or index of this type.
    func address(_ cell: UInt64) -> UInt64 { is64 ? cell : UInt64(UInt32(truncatingIfNeeded: cell)) }

    /// Import matching (spec §4.5.3.1): `self` (the provided entity) fits `required`.
    public func matches(_ required: Limits) -> Bool {
        guard min >= required.min, shared == required.shared, is64 == required.is64 else { return false }
        if let requiredMax = required.max {
            guard let max, max <= requiredMax else { return false }
        }
        return true
    }
}

/// The type of a table (spec §2.3.10): what it holds and how large it may be.
public struct TableType: Hashable, Sendable {
    /// The reference type of the elements (`funcref`, `externref` or `exnref`).
    public var elementType: ValueType
    /// The size bounds, in elements.
    public var limits: Limits
    /// A table type of `elementType` within `limits`.
    public init(elementType: ValueType, limits: Limits) {
        self.elementType = elementType
        self.limits = limits
    }
}

/// The type of a memory (spec §2.3.9).
public struct MemoryType: Hashable, Sendable {
    /// The size bounds in 64 KiB pages, with the shared and 64-bit flags.
    public var limits: Limits
    /// A memory type with `limits`.
    public init(limits: Limits) { self.limits = limits }
}

/// The type of a global (spec §2.3.11).
public struct GlobalType: Hashable, Sendable {
    /// The type of the global's value.
    public var valueType: ValueType
    /// Whether `global.set` may change it; only immutable globals may appear in constant expressions.
    public var isMutable: Bool
    /// A global type of `valueType`, mutable or not.
    public init(valueType: ValueType, isMutable: Bool) {
        self.valueType = valueType
        self.isMutable = isMutable
    }
}

/// The kinds of entity an import or export refers to.
public enum ExternalKind: UInt8, Sendable, Hashable, CustomStringConvertible {
    /// A function, table, memory or global; raw values are the binary's kind bytes (0...3).
    case function = 0, table = 1, memory = 2, global = 3
    /// Exception handling: a tag.
    case tag = 4

    public var description: String {
        switch self {
        case .function: "function"
        case .table: "table"
        case .memory: "memory"
        case .global: "global"
        case .tag: "tag"
        }
    }
}
