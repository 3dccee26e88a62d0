// What handler bodies work with: the registers (RWRegs, see CInterpreter.h), operand
// access, and the ways a handler ends (the next instruction, a branch, a cold path).
// Everything here is inlined into the bodies; nothing may allocate, retain or call.

import CInterpreter

/// The registers of a running handler. In release builds they live in machine
/// registers: the C glue passes them by pointer to an inlined body.
typealias R = UnsafeMutablePointer<RWRegs>
/// The address of the handler to run next.
typealias Next = UInt
typealias Code = UnsafePointer<UInt32>
typealias Frame = UnsafeMutablePointer<UInt64>

/// The handler table (generated in Handlers.swift) and helpers around it.
enum Handlers {
    /// The handler address of `op`, as translated code stores it.
    static func address(_ op: Op) -> Next { table[Int(op.rawValue)] }

    /// The handler that ends a run.
    static var stop: Next { table[Op.allCases.count] }

    /// The op whose handler is at `address` (nil: not a handler), for the disassembler.
    static let ops: [Next: Op] = Dictionary(uniqueKeysWithValues: Op.allCases.map { (address($0), $0) })
}

extension UnsafePointer where Pointee == UInt32 {
    /// The handler address that starts the instruction at this pointer.
    @inline(__always)
    var handler: Next { UnsafeRawPointer(self).loadUnaligned(as: UInt.self) }
}

extension UnsafeMutablePointer where Pointee == RWRegs {
    @inline(__always) var pc: Code {
        get { pointee.pc }
        nonmutating set { pointee.pc = newValue }
    }
    @inline(__always) var fp: Frame {
        get { pointee.fp }
        nonmutating set { pointee.fp = newValue }
    }
    /// Base of memory 0.
    @inline(__always) var md: UnsafeMutableRawPointer { UnsafeMutableRawPointer(pointee.md) }
    @inline(__always) var ms: UInt64 {
        get { pointee.ms }
        nonmutating set { pointee.ms = newValue }
    }
    @inline(__always) var cd: Int {
        get { pointee.cd }
        nonmutating set { pointee.cd = newValue }
    }
    @inline(__always) var cs: UnsafeMutablePointer<CallFrame> {
        get { pointee.cs.assumingMemoryBound(to: CallFrame.self) }
        nonmutating set { pointee.cs = UnsafeMutableRawPointer(newValue) }
    }
    @inline(__always) var inst: UnsafeMutablePointer<InstanceData> {
        get { pointee.inst.assumingMemoryBound(to: InstanceData.self) }
        nonmutating set { pointee.inst = UnsafeMutableRawPointer(newValue) }
    }
    @inline(__always) var st: UnsafeMutablePointer<RWState> { pointee.st }

    // MARK: Operands (word `k` of the instruction; words 0 and 1 are its handler)

    @inline(__always) func word(_ k: Int) -> UInt32 { pointee.pc[k] }
    /// A sign-extended 32-bit immediate.
    @inline(__always) func imm64(_ k: Int) -> UInt64 { UInt64(bitPattern: Int64(Int32(bitPattern: pointee.pc[k]))) }
    @inline(__always) func slot(_ k: Int) -> Int { Int(pointee.pc[k]) }
    @inline(__always) func i32(_ k: Int) -> UInt32 { UInt32(truncatingIfNeeded: pointee.fp[slot(k)]) }
    @inline(__always) func i64(_ k: Int) -> UInt64 { pointee.fp[slot(k)] }
    @inline(__always) func f32(_ k: Int) -> Float { Float(bitPattern: i32(k)) }
    @inline(__always) func f64(_ k: Int) -> Double { Double(bitPattern: i64(k)) }

    /// A v128 operand (two cells from slot k) as the 16-byte SIMD type `T`.
    @inline(__always) func v<T: SIMD>(_ k: Int, _: T.Type) -> T {
        UnsafeRawPointer(pointee.fp + slot(k)).loadUnaligned(as: T.self)
    }
    /// Stores a v128 result (any 16-byte SIMD value) in the two cells from slot k.
    @inline(__always) func setV<T: SIMD>(_ k: Int, _ v: T) {
        UnsafeMutableRawPointer(pointee.fp + slot(k)).storeBytes(of: v, as: T.self)
    }

    // Results are stored zero-extended, floats as their bit patterns; but an i32 cell's
    // upper half may hold anything (i32.wrap_i64 emits nothing), so i32 readers use
    // the low 32 bits.
    @inline(__always) func set(_ k: Int, _ v: UInt64) { pointee.fp[slot(k)] = v }
    @inline(__always) func set(_ k: Int, _ v: UInt32) { pointee.fp[slot(k)] = UInt64(v) }
    @inline(__always) func set(_ k: Int, _ v: Float) { pointee.fp[slot(k)] = UInt64(v.bitPattern) }
    @inline(__always) func set(_ k: Int, _ v: Double) { pointee.fp[slot(k)] = v.bitPattern }
    @inline(__always) func set(_ k: Int, _ v: Bool) { pointee.fp[slot(k)] = v ? 1 : 0 }

    /// Effective address `u32(slot a) + offset`.
    @inline(__always) func address(_ a: Int, offset: Int) -> UInt64 {
        UInt64(i32(a)) &+ UInt64(word(offset))
    }

    // MARK: Ends of a handler

    /// Continues with the instruction `width` words on.
    @inline(__always) func next(_ width: Int) -> Next {
        let p = pointee.pc + width
        pointee.pc = p
        return p.handler
    }

    /// Takes the branch whose offset is word `k`: a back-edge or forward jump counts
    /// down to the next interrupt check, which runs at the target.
    @inline(__always) func branch(_ k: Int) -> Next {
        let p = pointee.pc + Int(Int32(bitPattern: pointee.pc[k]))
        pointee.pc = p
        return countDown(p)
    }

    /// Counts a taken branch or call; runs the interrupt check (a cold handler) when
    /// the countdown expires, else continues at `p`.
    @inline(__always) func countDown(_ p: Code) -> Next {
        let c = pointee.cd &- 1
        pointee.cd = c
        if c == 0 { return pointee.st.pointee.check }
        return p.handler
    }

    /// Stops with a trap at the current instruction.
    @inline(__always) func trap(_ code: TrapCode) -> Next {
        pointee.st.pointee.trap = code.rawValue
        return pointee.st.pointee.stop
    }

    /// After a failed bounds check: another thread may have grown the (shared) memory
    /// since this run read its size. Re-reads the size; true if the access up to `end`
    /// now fits. (A size never shrinks.)
    @inline(__always) func grew(covering end: UInt64) -> Bool {
        let size = UInt64(truncatingIfNeeded: Memory.loadByteCount(inst.pointee.memory))
        pointee.ms = size
        return end <= size
    }

    /// Reloads memory 0 of the current instance (after a call into another instance,
    /// a host call, or an instruction that may grow or move it).
    @inline(__always) func loadMemory() {
        let m = inst.pointee.memory
        pointee.md = m.pointee.base.assumingMemoryBound(to: UInt8.self)
        pointee.ms = UInt64(truncatingIfNeeded: Memory.sizeForAccess(m))
    }
}

extension Interpreter {
    // A value's cell (see `set`); generated bodies compute it once for their
    // destination and for a chained superinstruction's second op.
    @inline(__always) static func cell(_ v: UInt64) -> UInt64 { v }
    @inline(__always) static func cell(_ v: UInt32) -> UInt64 { UInt64(v) }
    @inline(__always) static func cell(_ v: Float) -> UInt64 { UInt64(v.bitPattern) }
    @inline(__always) static func cell(_ v: Double) -> UInt64 { v.bitPattern }
    @inline(__always) static func cell(_ v: Bool) -> UInt64 { v ? 1 : 0 }
}

/// Traps that handlers raise themselves (stored in `RWState.trap`).
enum TrapCode: Int32 {
    case none = 0
    case unreachable, memoryOutOfBounds, tableOutOfBounds, integerDivideByZero, integerOverflow
    case invalidConversionToInteger, indirectCallTypeMismatch, undefinedElement, uninitializedElement
    case callStackExhausted, nullExceptionReference, staleExceptionReference
    /// Not a trap: the fuel ran out (restartable; `ExecutionError.Kind.outOfFuel`).
    case outOfFuel

    var error: ExecutionError? {
        switch self {
        case .outOfFuel: ExecutionError(.outOfFuel)
        default: trap.map { .trap($0) }
        }
    }

    var trap: Trap? {
        switch self {
        case .none, .outOfFuel: nil
        case .unreachable: .unreachable
        case .memoryOutOfBounds: .memoryOutOfBounds
        case .tableOutOfBounds: .tableOutOfBounds
        case .integerDivideByZero: .integerDivideByZero
        case .integerOverflow: .integerOverflow
        case .invalidConversionToInteger: .invalidConversionToInteger
        case .indirectCallTypeMismatch: .indirectCallTypeMismatch
        case .undefinedElement: .undefinedElement
        case .uninitializedElement: .uninitializedElement
        case .callStackExhausted: .callStackExhausted
        case .nullExceptionReference: .nullExceptionReference
        case .staleExceptionReference: .staleExceptionReference
        }
    }
}
