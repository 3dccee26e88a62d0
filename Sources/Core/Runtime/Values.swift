/// A WebAssembly value as the embedder sees it. Floats are kept as bit patterns so
/// that NaN payloads survive a round trip.
public enum Value: Equatable, Sendable, CustomStringConvertible {
    case i32(UInt32)
    case i64(UInt64)
    /// Bit pattern of a 32-bit float.
    case f32(UInt32)
    /// Bit pattern of a 64-bit float.
    case f64(UInt64)
    case funcref(Function?)
    /// An opaque host reference; nil is `ref.null extern`. Payloads up to UInt64.max - 1.
    case externref(UInt64?)
    /// Exception handling: a caught exception (`catch_ref`); nil is `ref.null exn`.
    case exnref(Exception?)

    public static func float(_ v: Float) -> Value { .f32(v.bitPattern) }
    public static func double(_ v: Double) -> Value { .f64(v.bitPattern) }

    public var type: ValueType {
        switch self {
        case .i32: .i32
        case .i64: .i64
        case .f32: .f32
        case .f64: .f64
        case .funcref: .funcref
        case .externref: .externref
        case .exnref: .exnref
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
        case .funcref(let f): f.map { UInt64(UInt(bitPattern: $0.entity)) } ?? 0
        case .externref(let r): r.map { $0 &+ 1 } ?? 0
        case .exnref(let e): e.map { runtime.handle(for: $0, owner: owner, roots: roots) } ?? 0
        }
    }

    init(cell: UInt64, type: ValueType, runtime: Runtime) {
        switch type {
        case .i32: self = .i32(UInt32(truncatingIfNeeded: cell))
        case .i64, .v128: self = .i64(cell)
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
        }
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

    public var type: FuncType { entity.pointee.type.takeUnretainedValue().type }

    public static func == (a: Function, b: Function) -> Bool { a.entity == b.entity }
}

/// The body of a host function: reads its parameters from `call` and writes its
/// results there. Throwing a restartable error suspends the execution; on resume
/// the same call runs again and can pick up `call.context.restartState`.
public typealias HostFunctionBody = @Sendable (HostCall) throws(ExecutionError) -> Void

/// One call of a host function: parameters in, results out (results overwrite
/// parameters, so read every parameter before writing a result).
public struct HostCall: @unchecked Sendable {
    public let context: ExecutionContext
    /// The calling wasm instance (nil when the embedder invoked the host function).
    public let caller: Instance?
    let cells: UnsafeMutablePointer<UInt64>

    public func i32(_ i: Int) -> UInt32 { UInt32(truncatingIfNeeded: cells[i]) }
    public func i64(_ i: Int) -> UInt64 { cells[i] }
    public func f32(_ i: Int) -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: cells[i])) }
    public func f64(_ i: Int) -> Double { Double(bitPattern: cells[i]) }
    public func value(_ i: Int, as type: ValueType) -> Value { Value(cell: cells[i], type: type, runtime: context.runtime) }

    public func setI32(_ i: Int, _ v: UInt32) { cells[i] = UInt64(v) }
    public func setI64(_ i: Int, _ v: UInt64) { cells[i] = v }
    public func setF32(_ i: Int, _ v: Float) { cells[i] = UInt64(v.bitPattern) }
    public func setF64(_ i: Int, _ v: Double) { cells[i] = v.bitPattern }
    public func setValue(_ i: Int, _ v: Value) {
        cells[i] = v.cell(context.runtime, owner: context, roots: context.liveStack)
    }

    /// The caller's memory 0 (what WASI functions read and write).
    public var memory: Memory? { caller?.memory }
}

extension Runtime {
    /// A host function over `[Value]` (convenient, allocates per call).
    public func hostFunction(type: FuncType, values body: @escaping @Sendable (HostCall, [Value]) throws(ExecutionError) -> [Value]) -> Function {
        hostFunction(type: type) { (call: HostCall) throws(ExecutionError) in
            var args: [Value] = []
            for (i, t) in type.params.enumerated() { args.append(call.value(i, as: t)) }
            let results = try body(call, args)
            guard results.count == type.results.count else {
                throw .trap(.host("host function returned \(results.count) results, expected \(type.results.count)"))
            }
            for (i, r) in results.enumerated() { call.setValue(i, r) }
        }
    }
}
