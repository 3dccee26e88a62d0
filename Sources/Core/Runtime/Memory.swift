#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSystem
import Synchronization

/// A linear memory (spec §4.2.8). Its maximum size is reserved as address space up
/// front and committed page by page, so the memory never moves when it grows.
/// With the SharedMemRealloc trait, a *shared* memory is instead mapped at its current
/// size and moved on growth while every other thread is stopped (see `WorldStopper`).
public final class Memory: @unchecked Sendable {
    let data: UnsafeMutablePointer<MemoryData>
    /// The type it was created with; `limits.min` is the initial size, `pages` the current one.
    public let type: MemoryType

    static let pageSize = 65536

    /// Fails (nil) if the address space cannot be reserved or the minimum exceeds `limits`.
    ///
    /// The reservation is the declared maximum capped by `limits.maxMemoryBytes` (4 GiB by
    /// default): a memory64 declaring 2^48 pages reserves no more than that limit allows,
    /// and growth beyond the limit fails with -1.
    init?(type: MemoryType, limits: ResourceLimits) {
        // Pages that addresses of this memory's type can reach: 2^16 (i32), 2^48 (i64).
        let addressable: UInt64 = type.limits.is64 ? 1 << 48 : 65536
        let limitPages = Int(min(limits.maxMemoryBytes / UInt64(Memory.pageSize), addressable))
        let declaredMax = Int(min(type.limits.max ?? addressable, addressable))
        let maxPages = min(declaredMax, limitPages)
        let minPages = Int(min(type.limits.min, addressable))
        guard minPages <= maxPages else { return nil }
        assert(MemoryLayout<MemoryData>.offset(of: \.byteCount) == 0, "byteCountCell needs byteCount first")
        self.type = type
        #if SharedMemRealloc
        let reservedPages = type.limits.shared ? minPages : maxPages
        #else
        let reservedPages = maxPages
        #endif
        let reservedBytes = reservedPages * Memory.pageSize
        let base: UnsafeMutableRawPointer
        if reservedBytes == 0 {
            base = Memory.emptyBase
        } else {
            let p = mmap(nil, reservedBytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
            guard let p, p != MAP_FAILED else { return nil }
            base = p
            if minPages > 0 && mprotect(base, minPages * Memory.pageSize, PROT_READ | PROT_WRITE) != 0 {
                munmap(base, reservedBytes)
                return nil
            }
        }
        data = .allocate(capacity: 1)
        data.initialize(to: MemoryData(
            byteCount: minPages * Memory.pageSize, base: base, reservedPages: reservedPages,
            maxPages: maxPages, shared: type.limits.shared))
    }

    /// Creates a memory outside any instance, e.g. the shared memory that the threads of
    /// one program import. Fails (nil) if the minimum exceeds the runtime's limits or
    /// the address space cannot be reserved.
    public convenience init?(type: MemoryType, runtime: Runtime) {
        self.init(type: type, limits: runtime.configuration.limits)
    }

    /// True for a shared memory (threads proposal).
    public var isShared: Bool { type.limits.shared }

    deinit {
        let reserved = data.pointee.reservedPages * Memory.pageSize
        if reserved > 0 { munmap(data.pointee.base, reserved) }
        data.deallocate()
    }

    /// A stand-in base for memories of size zero, never dereferenced.
    nonisolated(unsafe) static let emptyBase = UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 16)

    /// The empty memory of instances without one: every access is out of bounds.
    nonisolated(unsafe) static let none: UnsafeMutablePointer<MemoryData> = {
        let p = UnsafeMutablePointer<MemoryData>.allocate(capacity: 1)
        p.initialize(to: MemoryData(byteCount: 0, base: emptyBase, reservedPages: 0, maxPages: 0, shared: false))
        return p
    }()

    /// Current size in pages.
    public var pages: Int { Memory.loadByteCount(data) >> 16 }
    /// Current size in bytes.
    public var byteCount: Int { Memory.loadByteCount(data) }

    /// The most this memory can grow to, in bytes (its declared maximum within the
    /// runtime's `maxMemoryBytes`).
    public var maximumBytes: Int { data.pointee.maxPages * Memory.pageSize }

    /// Grows by `delta` pages; returns the old size in pages, or nil (memory.grow's -1).
    @discardableResult
    public func grow(by delta: Int) -> Int? {
        Memory.grow(data, by: delta)
    }

    static func grow(_ m: UnsafeMutablePointer<MemoryData>, by delta: Int) -> Int? {
        // Threads of one program may grow a shared memory at the same time.
        if m.pointee.shared {
            return growLock.withLock { grows in
                grows &+= 1
                return growLocked(m, by: delta)
            }
        }
        return growLocked(m, by: delta)
    }

    /// Serializes growth of shared memories; counts the grows. (Not `Locked<Void>`:
    /// ThreadSanitizer reported accesses to a zero-sized value as racing.)
    private static let growLock = Locked<UInt64>(0)

    private static func growLocked(_ m: UnsafeMutablePointer<MemoryData>, by delta: Int) -> Int? {
        let size = loadByteCount(m)
        let old = size >> 16
        guard delta >= 0, delta <= m.pointee.maxPages - old else { return nil }
        if delta == 0 { return old }
        #if SharedMemRealloc
        if old + delta > m.pointee.reservedPages {
            // Moves the memory: callers make sure that no other thread runs.
            return reallocate(m, pages: old + delta) ? old : nil
        }
        #endif
        let start = m.pointee.base + size
        guard mprotect(start, delta * pageSize, PROT_READ | PROT_WRITE) == 0 else { return nil }
        // Published last: a thread that sees the new size finds the pages accessible.
        byteCountCell(m).pointee.store(size + delta * pageSize, ordering: .releasing)
        return old
    }

    #if SharedMemRealloc
    /// True if growing `m` by `delta` pages would move it (the world must be stopped).
    static func growMoves(_ m: UnsafeMutablePointer<MemoryData>, by delta: Int) -> Bool {
        let old = loadByteCount(m) >> 16
        return m.pointee.shared && delta > 0 && delta <= m.pointee.maxPages - old && old + delta > m.pointee.reservedPages
    }

    /// Resizes the mapping to `pages`, usually moving it. mremap moves the pages
    /// themselves, with no copy and no page faults (bench/growth.sh: about 10 µs per
    /// grow of a memory of up to 4 MiB, against 1-1.7 ms for a new mapping and a
    /// copy); where it is missing, a new mapping and a copy.
    private static func reallocate(_ m: UnsafeMutablePointer<MemoryData>, pages: Int) -> Bool {
        let bytes = pages * pageSize
        let oldSize = loadByteCount(m)
        let oldReserved = m.pointee.reservedPages * pageSize
        var moved: UnsafeMutableRawPointer?
        if oldReserved > 0 { moved = rewasm_mremap(m.pointee.base, oldReserved, bytes) }
        if moved == nil {
            guard let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
                  p != MAP_FAILED
            else { return false }
            if oldSize > 0 { memcpy(p, m.pointee.base, oldSize) }
            if oldReserved > 0 { munmap(m.pointee.base, oldReserved) }
            moved = p
        }
        guard let p = moved else { return false }
        m.pointee.base = p
        m.pointee.reservedPages = pages
        byteCountCell(m).pointee.store(bytes, ordering: .releasing)
        return true
    }
    #endif

    /// The size in bytes, read atomically: other threads may grow a shared memory.
    @inline(__always)
    static func loadByteCount(_ m: UnsafeMutablePointer<MemoryData>) -> Int {
        byteCountCell(m).pointee.load(ordering: .acquiring)
    }

    /// The size as the interpreter caches it for bounds checks (relaxed: a stale,
    /// smaller size only sends an access to the slow path, which re-reads it).
    @inline(__always)
    static func sizeForAccess(_ m: UnsafeMutablePointer<MemoryData>) -> Int {
        byteCountCell(m).pointee.load(ordering: .relaxed)
    }

    /// `byteCount` as an atomic (it is MemoryData's first field, asserted in `init`).
    @inline(__always)
    private static func byteCountCell(_ m: UnsafeMutablePointer<MemoryData>) -> UnsafeMutablePointer<Atomic<Int>> {
        UnsafeMutablePointer<Atomic<Int>>(OpaquePointer(m))
    }

    /// Direct access to the bytes (valid until the memory grows).
    public func withUnsafeMutableBytes<R, E: Error>(_ body: (UnsafeMutableRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeMutableRawBufferPointer(start: data.pointee.base, count: data.pointee.byteCount))
    }

    /// True if `[offset, offset+count)` lies inside the memory.
    public func contains(offset: UInt64, count: UInt64) -> Bool {
        let size = UInt64(Memory.loadByteCount(data))
        return offset <= size && count <= size - offset
    }

    /// Copies bytes out; nil if out of bounds.
    public func read(offset: UInt64, count: Int) -> [UInt8]? {
        guard count >= 0, contains(offset: offset, count: UInt64(count)) else { return nil }
        return Array(UnsafeRawBufferPointer(start: data.pointee.base + Int(offset), count: count))
    }

    /// Copies bytes in; false if out of bounds.
    @discardableResult
    public func write(offset: UInt64, bytes: some Collection<UInt8>) -> Bool {
        guard contains(offset: offset, count: UInt64(bytes.count)) else { return false }
        let dst = UnsafeMutableRawBufferPointer(start: data.pointee.base + Int(offset), count: bytes.count)
        dst.copyBytes(from: bytes)
        return true
    }

    /// The little-endian `UInt32` at byte `offset` (any alignment; not atomic); nil if out of bounds.
    public func loadU32(offset: UInt64) -> UInt32? {
        guard contains(offset: offset, count: 4) else { return nil }
        return UInt32(littleEndian: data.pointee.base.loadUnaligned(fromByteOffset: Int(offset), as: UInt32.self))
    }

    /// Stores `v` little-endian at byte `offset` (any alignment; not atomic); false if out of bounds.
    public func storeU32(offset: UInt64, _ v: UInt32) -> Bool {
        guard contains(offset: offset, count: 4) else { return false }
        data.pointee.base.storeBytes(of: v.littleEndian, toByteOffset: Int(offset), as: UInt32.self)
        return true
    }

    /// The little-endian `UInt64` at byte `offset` (any alignment; not atomic); nil if out of bounds.
    public func loadU64(offset: UInt64) -> UInt64? {
        guard contains(offset: offset, count: 8) else { return nil }
        return UInt64(littleEndian: data.pointee.base.loadUnaligned(fromByteOffset: Int(offset), as: UInt64.self))
    }

    /// Stores `v` little-endian at byte `offset` (any alignment; not atomic); false if out of bounds.
    public func storeU64(offset: UInt64, _ v: UInt64) -> Bool {
        guard contains(offset: offset, count: 8) else { return false }
        data.pointee.base.storeBytes(of: v.littleEndian, toByteOffset: Int(offset), as: UInt64.self)
        return true
    }
}

/// A table (spec §4.2.7) of references.
public final class Table: @unchecked Sendable {
    let data: UnsafeMutablePointer<TableData>
    /// The type it was created with; `limits.min` is the initial size, `count` the current one.
    public let type: TableType
    /// The instance that defines it (nil: made by the embedder); see `Runtime.release`.
    var owner: ObjectIdentifier?

    init?(type: TableType, limits: ResourceLimits, initial: UInt64 = 0) {
        let maxCount = Int(min(type.limits.max ?? UInt64(UInt32.max), UInt64(limits.maxTableElements)))
        guard type.limits.min <= UInt64(maxCount) else { return nil }
        let count = Int(type.limits.min)
        self.type = type
        let elements = UnsafeMutablePointer<UInt64>.allocate(capacity: max(count, 1))
        elements.initialize(repeating: initial, count: max(count, 1))
        data = .allocate(capacity: 1)
        data.initialize(to: TableData(elements: elements, count: count, capacity: max(count, 1), max: maxCount, elementType: type.elementType))
    }

    deinit {
        data.pointee.elements.deallocate()
        data.deallocate()
    }

    /// Current size in elements.
    public var count: Int { data.pointee.count }

    /// The most elements this table can grow to (its declared maximum within the
    /// runtime's `maxTableElements`).
    public var maximum: Int { data.pointee.max }

    /// Grows by `delta` elements set to `initial`; returns the old size or nil (table.grow's -1).
    static func grow(_ t: UnsafeMutablePointer<TableData>, by delta: Int, initial: UInt64) -> Int? {
        let old = t.pointee.count
        guard delta >= 0, delta <= t.pointee.max - old else { return nil }
        let newCount = old + delta
        if newCount > t.pointee.capacity {
            let cap = min(max(newCount, t.pointee.capacity * 2), t.pointee.max)
            let e = UnsafeMutablePointer<UInt64>.allocate(capacity: cap)
            e.moveInitialize(from: t.pointee.elements, count: old)
            t.pointee.elements.deallocate()
            t.pointee.elements = e
            t.pointee.capacity = cap
        }
        (t.pointee.elements + old).initialize(repeating: initial, count: delta)
        t.pointee.count = newCount
        return old
    }

    /// Sets element `i` to `value` (of the table's element type); false if `i` is out of
    /// bounds or the type differs. A funcref stored here pins its instance (`Runtime.release`).
    @discardableResult
    public func set(_ i: Int, _ value: Value, runtime: Runtime) -> Bool {
        guard i >= 0, i < data.pointee.count, value.type == type.elementType else { return false }
        data.pointee.elements[i] = value.cell(runtime, owner: nil)
        return true
    }

    /// Element `i` as a value of the table's element type (possibly a null reference);
    /// nil if `i` is out of bounds.
    public func element(_ i: Int, runtime: Runtime) -> Value? {
        guard i >= 0, i < data.pointee.count else { return nil }
        return Value(cell: data.pointee.elements[i], type: type.elementType, runtime: runtime)
    }
}

/// A global variable (spec §4.2.9).
public final class Global: @unchecked Sendable {
    let cell: UnsafeMutablePointer<UInt64>
    /// The value type and mutability.
    public let type: GlobalType
    /// The instance that defines it (nil: made by the embedder); see `Runtime.release`.
    var owner: ObjectIdentifier?
    unowned(unsafe) let runtime: Runtime

    init(type: GlobalType, cell: UInt64, runtime: Runtime) {
        self.type = type
        self.runtime = runtime
        self.cell = .allocate(capacity: 2)
        self.cell.initialize(repeating: 0, count: 2)
        self.cell.pointee = cell
        if type.valueType == .exnref { runtime.exceptions.addRoot(self) }
    }

    /// A global the embedder provides (e.g. for imports).
    public convenience init(type: GlobalType, value: Value, runtime: Runtime) {
        self.init(type: type, cell: 0, runtime: runtime)
        value.store(to: cell, runtime, owner: nil)
    }

    deinit { cell.deallocate() }

    /// The current value (wasm's `global.set` changes a mutable one).
    public var value: Value { Value(cells: cell, type: type.valueType, runtime: runtime) }
}
