/// A WebAssembly value as the embedder sees it. Floats are kept as bit patterns so
/// that NaN payloads survive a round trip.
public enum Value: Equatable, Sendable, CustomStringConvertible {
    /// A 32-bit integer as its bits (use `Int32(bitPattern:)` for the signed reading).
    case i32(UInt32)
    /// A 64-bit integer as its bits (use `Int64(bitPattern:)` for the signed reading).
    case i64(UInt64)
    /// Bit pattern of a 32-bit float.
    case f32(UInt32)
    /// Bit pattern of a 64-bit float.
    case f64(UInt64)
    /// A function reference; nil is `ref.null func`. Passing one to wasm pins its
    /// instance (see `Runtime.release`).
    case funcref(Function?)
    /// An opaque host reference; nil is `ref.null extern`. Payloads up to UInt64.max - 1.
    case externref(UInt64?)
    /// Exception handling: a caught exception (`catch_ref`); nil is `ref.null exn`.
    case exnref(Exception?)
    /// A 128-bit SIMD vector.
    case v128(V128)

    /// An `f32` value holding `v`'s bit pattern.
    public static func float(_ v: Float) -> Value { .f32(v.bitPattern) }
    /// An `f64` value holding `v`'s bit pattern.
    public static func double(_ v: Double) -> Value { .f64(v.bitPattern) }

    /// The value's WebAssembly type.
    public var type: ValueType {
        switch self {
        case .i32: .i32
        case .i64: .i64
        case .f32: .f32
        case .f64: .f64
        case .funcref: .funcref
        case .externref: .externref
        case .exnref: .exnref
        case .v128: .v128
        }
    }

    /// The value's stack cell. References: 0 is null. An exception becomes a new object of
    /// `runtime`'s exception store, owned by `owner`; `roots` are cells that must stay
    /// alive if that allocation collects (those the caller holds besides the stack).
    func cell(_ runtime: Runtime, owner: ExecutionContext?, roots: UnsafeBufferPointer<UInt64> = .init(start: nil, count: 0)) -> UInt64 {
        switch self {
        case .i32(let v): UInt64(v)
        case .i64(let v): v
        case .f32(let v): UInt64(v)
        case .f64(let v): v
        case .funcref(let f):
            f.map { f in
                // Handed to wasm by the embedder: its instance can no longer be released.
                if let i = f.entity.pointee.instance { i.pointee.owner.takeUnretainedValue().pin() }
                return UInt64(UInt(bitPattern: f.entity))
            } ?? 0
        case .externref(let r): r.map { $0 &+ 1 } ?? 0
        case .exnref(let e): e.map { runtime.handle(for: $0, owner: owner, roots: roots) } ?? 0
        case .v128(let v): v.lo
        }
    }

    /// Writes the value's `type.cellCount` cells at `p` (see `cell`).
    func store(to p: UnsafeMutablePointer<UInt64>, _ runtime: Runtime, owner: ExecutionContext?,
               roots: UnsafeBufferPointer<UInt64> = .init(start: nil, count: 0)) {
        if case .v128(let v) = self {
            p[0] = v.lo
            p[1] = v.hi
        } else {
            p[0] = cell(runtime, owner: owner, roots: roots)
        }
    }

    /// The value of `type` in the cells at `p` (two for a `v128`).
    init(cells p: UnsafePointer<UInt64>, type: ValueType, runtime: Runtime) {
        if type == .v128 {
            self = .v128(V128(lo: p[0], hi: p[1]))
        } else {
            self.init(cell: p[0], type: type, runtime: runtime)
        }
    }

    /// A one-cell value (a `v128` needs `init(cells:type:runtime:)`; here it keeps the low half).
    init(cell: UInt64, type: ValueType, runtime: Runtime) {
        switch type {
        case .i32: self = .i32(UInt32(truncatingIfNeeded: cell))
        case .i64: self = .i64(cell)
        case .v128: self = .v128(V128(lo: cell, hi: 0))
        case .f32: self = .f32(UInt32(truncatingIfNeeded: cell))
        case .f64: self = .f64(cell)
        case .funcref:
            if cell == 0 {
                self = .funcref(nil)
            } else {
                let p = UnsafeMutablePointer<FunctionEntity>(bitPattern: UInt(cell))
                self = .funcref(p.map { Function(entity: $0, runtime: runtime) })
            }
        case .externref: self = .externref(cell == 0 ? nil : cell &- 1)
        case .exnref: self = .exnref(cell == 0 ? nil : runtime.exception(cell))
        }
    }

    public var description: String {
        switch self {
        case .i32(let v): "\(v)"
        case .i64(let v): "\(v)"
        case .f32(let v): "\(Float(bitPattern: v))"
        case .f64(let v): "\(Double(bitPattern: v))"
        case .funcref(let f): f == nil ? "null" : "funcref"
        case .externref(let r): r.map { "externref \($0)" } ?? "null"
        case .exnref(let e): e.map { "\($0)" } ?? "null"
        case .v128(let v): "\(v)"
        }
    }
}

/// A 128-bit SIMD value: 16 bytes in memory order (lane 0 first, little-endian lanes).
public struct V128: Hashable, Sendable, CustomStringConvertible {
    /// Bytes 0..<8 as a little-endian integer.
    public var lo: UInt64
    /// Bytes 8..<16 as a little-endian integer.
    public var hi: UInt64

    /// The vector whose bytes 0..<8 are `lo` and 8..<16 are `hi`, both little-endian.
    public init(lo: UInt64, hi: UInt64) {
        self.lo = lo
        self.hi = hi
    }

    /// The vector of 16 bytes, lane 0 first; nil unless there are exactly 16.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        var lo: UInt64 = 0, hi: UInt64 = 0
        for i in 0..<8 {
            lo |= UInt64(bytes[i]) << (8 * UInt64(i))
            hi |= UInt64(bytes[i + 8]) << (8 * UInt64(i))
        }
        self.init(lo: lo, hi: hi)
    }

    /// The vector whose lanes are `lanes` (any 16-byte SIMD type, e.g. `SIMD4<Float>`).
    public init<S: SIMD>(_ lanes: S) {
        precondition(MemoryLayout<S>.size == 16, "a v128 has 16 bytes")
        self = withUnsafeBytes(of: lanes) { V128(lo: $0.loadUnaligned(as: UInt64.self), hi: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
    }

    /// The 16 bytes, lane 0 first.
    public var bytes: [UInt8] { (0..<16).map { UInt8(truncatingIfNeeded: ($0 < 8 ? lo : hi) >> (8 * UInt64($0 % 8))) } }

    /// The lanes as a 16-byte SIMD type, e.g. `v.lanes(SIMD8<Int16>.self)`.
    public func lanes<S: SIMD>(_ type: S.Type) -> S {
        precondition(MemoryLayout<S>.size == 16, "a v128 has 16 bytes")
        var words = (lo, hi)
        return withUnsafeBytes(of: &words) { $0.loadUnaligned(as: S.self) }
    }

    /// `0x` and the 32 hex digits of the 128-bit little-endian number (as wasmtime prints it).
    public var description: String {
        func hex(_ w: UInt64) -> String {
            let s = String(w, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        return "0x" + hex(hi) + hex(lo)
    }
}

/// A function instance (wasm or host).
public struct Function: Equatable, @unchecked Sendable {
    let entity: UnsafeMutablePointer<FunctionEntity>
    unowned(unsafe) let runtime: Runtime

    init(entity: UnsafeMutablePointer<FunctionEntity>, runtime: Runtime) {
        self.entity = entity
        self.runtime = runtime
    }

    /// The function's signature.
    public var type: FuncType { entity.pointee.type.takeUnretainedValue().type }

    public static func == (a: Function, b: Function) -> Bool { a.entity == b.entity }
}

/// The body of a host function: reads its parameters from `call` and writes its
/// results there. Throwing a restartable error suspends the execution; on resume
/// the same call runs again and can pick up `call.context.restartState`.
public typealias HostFunctionBody = @Sendable (HostCall) throws(ExecutionError) -> Void

/// One call of a host function: parameters in, results out (results overwrite
/// parameters, so read every parameter before writing a result). Indices are stack
/// cells: parameter k is at the sum of the `cellCount`s of the parameters before it
/// (the same as k unless a `v128` comes first; a `v128` takes two cells).
public struct HostCall: @unchecked Sendable {
    /// The context the call runs on: its `restartState`, interrupt checks and statistics.
    public let context: ExecutionContext
    /// The calling wasm instance (nil when the embedder invoked the host function).
    public let caller: Instance?
    let cells: UnsafeMutablePointer<UInt64>

    /// The `i32` parameter at cell `i`, as its bits. Neither these accessors nor the
    /// setters check `i` or the type: the function's `FuncType` is the contract.
    public func i32(_ i: Int) -> UInt32 { UInt32(truncatingIfNeeded: cells[i]) }
    /// The `i64` parameter at cell `i`, as its bits.
    public func i64(_ i: Int) -> UInt64 { cells[i] }
    /// The `f32` parameter at cell `i`.
    public func f32(_ i: Int) -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: cells[i])) }
    /// The `f64` parameter at cell `i`.
    public func f64(_ i: Int) -> Double { Double(bitPattern: cells[i]) }
    /// The parameter of `type` at cell `i` (two cells for a `v128`), e.g. a reference.
    public func value(_ i: Int, as type: ValueType) -> Value { Value(cells: cells + i, type: type, runtime: context.runtime) }

    /// Writes the `i32` result at cell `i`.
    public func setI32(_ i: Int, _ v: UInt32) { cells[i] = UInt64(v) }
    /// Writes the `i64` result at cell `i`.
    public func setI64(_ i: Int, _ v: UInt64) { cells[i] = v }
    /// Writes the `f32` result at cell `i`.
    public func setF32(_ i: Int, _ v: Float) { cells[i] = UInt64(v.bitPattern) }
    /// Writes the `f64` result at cell `i`.
    public func setF64(_ i: Int, _ v: Double) { cells[i] = v.bitPattern }
    /// Writes the result `v` at cell `i` (two cells for a `v128`); an exception becomes
    /// a new exception object owned by `context`.
    public func setValue(_ i: Int, _ v: Value) {
        v.store(to: cells + i, context.runtime, owner: context, roots: context.liveStack)
    }

    /// The caller's memory 0 (what WASI functions read and write).
    public var memory: Memory? { caller?.memory }
}

extension Runtime {
    /// A host function over `[Value]` (convenient, allocates per call).
    public func hostFunction(type: FuncType, values body: @escaping @Sendable (HostCall, [Value]) throws(ExecutionError) -> [Value]) -> Function {
        hostFunction(type: type) { (call: HostCall) throws(ExecutionError) in
            var args: [Value] = []
            var k = 0
            for t in type.params {
                args.append(call.value(k, as: t))
                k += t.cellCount
            }
            let results = try body(call, args)
            guard results.count == type.results.count else {
                throw .trap(.host("host function returned \(results.count) results, expected \(type.results.count)"))
            }
            k = 0
            for (r, t) in zip(results, type.results) {
                guard r.type == t else { throw .trap(.host("host function returned a \(r.type) for a \(t) result")) }
                call.setValue(k, r)
                k += t.cellCount
            }
        }
    }
}
