import Synchronization

// Runtime entities (spec §4.2). The interpreter reads them through raw pointers so
// that the hot loop does no reference counting; every entity is allocated once,
// never moves, and lives as long as the `Runtime` (the store) that created it.

/// A function instance as the interpreter sees it.
struct FunctionEntity {
    /// Translated code; nil for a host function.
    var code: UnsafePointer<UInt32>?
    /// The defining instance; nil for a host function.
    var instance: UnsafeMutablePointer<InstanceData>?
    /// Cells the frame needs beyond the frame pointer (locals + operand stack).
    var frameCells: Int
    var paramCells: Int
    var resultCells: Int
    /// Cells of the non-parameter locals, zeroed on entry.
    var localCells: Int
    /// Interned type id, compared by `call_indirect`.
    var typeID: Int
    /// Index in the defining module's function space (for backtraces).
    var index: UInt32
    /// The Swift implementation of a host function.
    var host: Unmanaged<HostFunctionBox>?
    var type: Unmanaged<FuncTypeBox>
}

final class FuncTypeBox {
    let type: FuncType
    init(_ type: FuncType) { self.type = type }
}

/// Per-instance state reached from the code of its functions.
struct InstanceData {
    /// Function index space: imported functions first.
    var functions: UnsafeMutablePointer<UnsafeMutablePointer<FunctionEntity>>
    var globals: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>>
    var tables: UnsafeMutablePointer<UnsafeMutablePointer<TableData>>
    /// Memory 0 (`Memory.none`, of size zero, if the module has none).
    var memory: UnsafeMutablePointer<MemoryData>
    /// Every memory (multi-memory), imports first; `memories[0] == memory`.
    var memories: UnsafeMutablePointer<UnsafeMutablePointer<MemoryData>>
    /// Tag index space (exception handling), imports first.
    var tags: UnsafeMutablePointer<UnsafeMutablePointer<TagEntity>>
    /// Element segments as evaluated references; a dropped segment has count 0.
    var elements: UnsafeMutablePointer<SegmentData>
    /// Data segments as ranges of the module's bytes; a dropped segment has count 0.
    var datas: UnsafeMutablePointer<SegmentData>
    var owner: Unmanaged<Instance>
}

/// An element segment's references or a data segment's bytes.
struct SegmentData {
    var base: UnsafeRawPointer?
    /// Elements (references) or bytes.
    var count: Int
}

struct MemoryData {
    /// Current size in bytes. First, so that its atomic view (`Memory.byteCountCell`)
    /// is the struct's own address: no offset to look up on the interpreter's paths.
    var byteCount: Int
    var base: UnsafeMutableRawPointer
    /// Pages reserved at `base`; growing beyond needs no move while pages <= reservedPages.
    var reservedPages: Int
    /// Effective maximum in pages (the declared maximum capped by the runtime limit).
    var maxPages: Int
    var shared: Bool

    var pages: Int { byteCount >> 16 }
}

struct TableData {
    var elements: UnsafeMutablePointer<UInt64>
    var count: Int
    var capacity: Int
    var max: Int
    var elementType: ValueType
}

/// A host function's implementation.
final class HostFunctionBox: @unchecked Sendable {
    let body: HostFunctionBody
    init(_ body: @escaping HostFunctionBody) { self.body = body }
}

/// Interns function types so that `call_indirect` compares one integer.
enum TypeRegistry {
    private static let state = Locked<[FuncType: (Int, FuncTypeBox)]>([:])

    static func intern(_ type: FuncType) -> (id: Int, box: FuncTypeBox) {
        state.withLock { table in
            if let e = table[type] { return e }
            let e = (table.count + 1, FuncTypeBox(type))
            table[type] = e
            return e
        }
    }
}
