// Exception handling (WebAssembly 3.0): tags and exception objects.
// https://webassembly.github.io/spec/core/exec/runtime.html#exception-instances

import Synchronization

/// A tag as the interpreter sees it: its identity is its address.
struct TagEntity {
    var type: Unmanaged<FuncTypeBox>
    /// Payload cells, read on every throw (without touching the type's arrays).
    var cells: Int

    init(type: Unmanaged<FuncTypeBox>) {
        self.type = type
        cells = type.takeUnretainedValue().type.paramCells
    }
}

/// A tag (spec §4.2.11): what `catch` clauses match, and the types of an exception's
/// payload (its type's parameters). Two tags are the same only if they are the same
/// definition: instantiating a module twice gives distinct tags.
public final class Tag: @unchecked Sendable, Equatable, CustomStringConvertible {
    let entity: UnsafeMutablePointer<TagEntity>
    /// The tag's function type: its parameters are the payload types; it has no results.
    public let type: FuncType
    unowned(unsafe) let runtime: Runtime

    init(entity: UnsafeMutablePointer<TagEntity>, runtime: Runtime) {
        self.entity = entity
        self.type = entity.pointee.type.takeUnretainedValue().type
        self.runtime = runtime
    }

    /// A tag defined by the embedder, to import into modules or to throw from host
    /// functions. Nil if `type` has results (a tag's type has parameters only).
    public convenience init?(type: FuncType, runtime: Runtime) {
        guard type.results.isEmpty else { return nil }
        let e = runtime.allocate(TagEntity.self, count: 1)
        e.initialize(to: TagEntity(type: Unmanaged.passUnretained(TypeRegistry.intern(type).box)))
        self.init(entity: e, runtime: runtime)
    }

    public static func == (a: Tag, b: Tag) -> Bool { a.entity == b.entity }

    public var description: String { "tag \(type)" }
}

/// A WebAssembly exception as the embedder sees it: the tag it was thrown with and its
/// payload. An exception that no wasm handler catches ends the call with
/// `ExecutionError.Kind.exception`; a host function throws one into wasm with
/// `throw ExecutionError.exception(Exception(...))`.
public final class Exception: @unchecked Sendable, Equatable, CustomStringConvertible {
    /// The tag the exception was thrown with; `catch` clauses match on it.
    public let tag: Tag
    /// The thrown values, one per parameter of `tag.type`.
    public let payload: [Value]

    /// An exception to throw from a host function. The payload should match
    /// `tag.type.params`; it is not checked here, and a value of the wrong type (or a
    /// missing one) reaches wasm as that parameter's zero value.
    public init(tag: Tag, payload: [Value]) {
        self.tag = tag
        self.payload = payload
    }

    public static func == (a: Exception, b: Exception) -> Bool { a === b }

    public var description: String {
        "exception (\(tag.type.params.map(\.description).joined(separator: " "))) [\(payload.map(\.description).joined(separator: ", "))]"
    }
}

/// The exception objects (`exnref` values) of one runtime.
///
/// An exnref cell is a handle: `generation << 32 | (index + 1)` into this table (0 is
/// null). Objects are reclaimed by a mark-and-sweep collection that a context runs when
/// it has allocated as many objects as were alive after its last collection (at least
/// 1024): roots are the cells of that context's value stack (conservatively: any cell
/// that equals a live handle), every exnref global and table of the runtime, and the
/// payloads of marked objects. A collection sweeps only the objects its context
/// allocated (and those the embedder created), so threads never free each other's.
/// A stale handle (its object reclaimed) is detected by its generation and traps; it
/// cannot occur within one thread. Memory thus stays bounded by the live objects plus
/// one collection period, however many exceptions a program throws.
final class ExceptionStore: @unchecked Sendable {
    struct Object {
        var generation: UInt32 = 1
        var live = false
        var marked = false
        /// The context that allocated it (nil: the embedder).
        var owner: ObjectIdentifier?
        var tag: UnsafeMutablePointer<TagEntity>?
        var payload: [UInt64] = []
    }

    /// Allocations since an owner's last collection, and the count that triggers the
    /// next. Each context keeps its own (`ExecutionContext.exceptionPeriod`); the
    /// embedder's allocations share the store's.
    struct Period {
        var allocated = 0
        var threshold = ExceptionStore.minimumPeriod
    }

    private struct State {
        var objects: [Object] = []
        var free: [Int32] = []
        var embedderPeriod = Period()
        var globals: [Global] = []
        var tables: [Table] = []
        var collections = 0
    }

    private let state = Locked(State())
    static let minimumPeriod = 1024

    /// Keeps an exnref global or table as a root (and alive) for the runtime's lifetime.
    func addRoot(_ g: Global) { state.withLock { $0.globals.append(g) } }
    func addRoot(_ t: Table) { state.withLock { $0.tables.append(t) } }

    /// Objects alive now, and collections run so far (for tests and `--stats`).
    var liveCount: Int { state.withLock { s in s.objects.count - s.free.count } }
    var collections: Int { state.withLock { $0.collections } }

    /// A new exception object; first collects if `owner` allocated a period's worth.
    /// `roots` is the owner's live value stack.
    /// `period` is the owner's (nil: the embedder's, kept here).
    func allocate(
        tag: UnsafeMutablePointer<TagEntity>, payload: UnsafePointer<UInt64>?, count: Int,
        owner: ObjectIdentifier?, period: UnsafeMutablePointer<Period>?, roots: UnsafeBufferPointer<UInt64>
    ) -> UInt64 {
        state.withLock { s in
            var p = period?.pointee ?? s.embedderPeriod
            p.allocated += 1
            if p.allocated >= p.threshold {
                let live = collect(&s, owner: owner, roots: roots)
                p.allocated = 0
                p.threshold = Swift.max(ExceptionStore.minimumPeriod, live)
            }
            if let period { period.pointee = p } else { s.embedderPeriod = p }
            let index: Int
            if let f = s.free.popLast() {
                index = Int(f)
            } else {
                index = s.objects.count
                s.objects.append(Object())
            }
            s.objects[index].live = true
            s.objects[index].owner = owner
            s.objects[index].tag = tag
            s.objects[index].payload.removeAll(keepingCapacity: true)
            s.objects[index].payload.append(contentsOf: UnsafeBufferPointer(start: payload, count: count))
            return UInt64(s.objects[index].generation) << 32 | UInt64(index + 1)
        }
    }

    /// The tag of the object `handle` names, nil if null or stale.
    func tag(_ handle: UInt64) -> UnsafeMutablePointer<TagEntity>? {
        state.withLock { s in ExceptionStore.index(handle, s).flatMap { s.objects[$0].tag } }
    }

    /// Copies the payload of `handle` to `dst`; returns its cell count, nil if null or stale.
    @discardableResult
    func copyPayload(_ handle: UInt64, to dst: UnsafeMutablePointer<UInt64>) -> Int? {
        state.withLock { s in
            guard let i = ExceptionStore.index(handle, s) else { return nil }
            return s.objects[i].payload.withUnsafeBufferPointer { p in
                if let b = p.baseAddress { dst.update(from: b, count: p.count) }
                return p.count
            }
        }
    }

    private static func index(_ handle: UInt64, _ s: State) -> Int? {
        let i = Int(handle & 0xFFFF_FFFF) - 1
        guard i >= 0, i < s.objects.count, s.objects[i].live, UInt64(s.objects[i].generation) == handle >> 32 else {
            return nil
        }
        return i
    }

    /// Marks from the roots, sweeps `owner`'s (and the embedder's) unmarked objects;
    /// returns how many objects stay alive.
    private func collect(_ s: inout State, owner: ObjectIdentifier?, roots: UnsafeBufferPointer<UInt64>) -> Int {
        s.collections += 1
        var work: [Int] = []
        func mark(_ cell: UInt64) {
            guard let i = ExceptionStore.index(cell, s), !s.objects[i].marked else { return }
            s.objects[i].marked = true
            work.append(i)
        }
        for c in roots { mark(c) }
        for g in s.globals { mark(g.cell.pointee) }
        for t in s.tables {
            let d = t.data.pointee
            for k in 0..<d.count { mark(d.elements[k]) }
        }
        while let i = work.popLast() {
            guard let tag = s.objects[i].tag else { continue }
            let params = tag.pointee.type.takeUnretainedValue().type.params
            var k = 0
            for t in params {
                if t == .exnref && k < s.objects[i].payload.count { mark(s.objects[i].payload[k]) }
                k += t.cellCount
            }
        }
        var live = 0
        for i in s.objects.indices where s.objects[i].live {
            if s.objects[i].marked {
                s.objects[i].marked = false
                live += 1
            } else if s.objects[i].owner == owner || s.objects[i].owner == nil {
                s.objects[i].live = false
                s.objects[i].generation &+= 1
                if s.objects[i].generation == 0 { s.objects[i].generation = 1 }
                s.objects[i].tag = nil
                if s.objects[i].payload.capacity > 64 { s.objects[i].payload = [] }
                s.free.append(Int32(i))
            } else {
                live += 1
            }
        }
        return live
    }
}

extension Runtime {
    /// The exception that the exnref `handle` names (nil if stale).
    func exception(_ handle: UInt64) -> Exception? {
        guard let tag = exceptions.tag(handle) else { return nil }
        let t = Tag(entity: tag, runtime: self)
        var cells = [UInt64](repeating: 0, count: t.type.paramCells)
        if !cells.isEmpty {
            guard cells.withUnsafeMutableBufferPointer({ exceptions.copyPayload(handle, to: $0.baseAddress.unsafelyUnwrapped) }) != nil
            else { return nil }
        }
        var payload: [Value] = []
        var k = 0
        cells.withUnsafeBufferPointer { c in
            for type in t.type.params {
                payload.append(Value(cells: c.baseAddress.unsafelyUnwrapped + k, type: type, runtime: self))
                k += type.cellCount
            }
        }
        return Exception(tag: t, payload: payload)
    }

    /// A new exception object for `e` (its payload converted to cells), owned by `owner`.
    /// A payload that does not match the tag's type gives the tag's zero values.
    func handle(for e: Exception, owner: ExecutionContext?, roots: UnsafeBufferPointer<UInt64>) -> UInt64 {
        var cells: [UInt64] = []
        // The caller's roots, then the cells converted so far: a nested exnref's
        // allocation may collect.
        var held = Array(roots)
        for (i, t) in e.tag.type.params.enumerated() {
            let v = i < e.payload.count && e.payload[i].type == t ? e.payload[i] : nil
            if case .v128(let x) = v {
                cells += [x.lo, x.hi]
                continue
            }
            let c = v.map { v in held.withUnsafeBufferPointer { v.cell(self, owner: owner, roots: $0) } } ?? 0
            cells.append(c)
            if t == .v128 { cells.append(0) }
            held.append(c)
        }
        return held.withUnsafeBufferPointer { r in
            cells.withUnsafeBufferPointer { p in
                exceptions.allocate(
                    tag: e.tag.entity, payload: p.baseAddress, count: p.count,
                    owner: owner.map(ObjectIdentifier.init), period: owner?.exceptionPeriod, roots: r)
            }
        }
    }
}

/// How many exception objects a runtime holds and how often it collected them.
public struct ExceptionStatistics: Sendable {
    /// Exception objects allocated and not yet reclaimed.
    public var live: Int
    /// Mark-and-sweep collections run so far.
    public var collections: Int
}

extension Runtime {
    /// The exception store's state (for tests and monitoring).
    public var exceptionStatistics: ExceptionStatistics {
        ExceptionStatistics(live: exceptions.liveCount, collections: exceptions.collections)
    }
}
