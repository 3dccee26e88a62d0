// Atomic memory instructions (threads proposal):
// https://github.com/WebAssembly/threads/blob/main/proposals/threads/Overview.md#atomic-memory-accesses
// Every access is a real sequentially consistent atomic operation on the memory
// (Synchronization's Atomic through pointer rebinding), safe from any number of
// threads. Alignment is checked before bounds, as the reference interpreter does.

#if Threads
import Synchronization

extension Interpreter {
    /// Executes `atomic dst sub a b c offset offhi`: `sub` is the opcode in bits 0-7, the
    /// memory index in bits 8-30 and bit 31 for i64 addresses; the offset is 64 bits.
    /// Returns nil, a trap, or the interrupt that stopped a wait (the instruction is then
    /// re-executed on resume).
    @inline(never)
    static func atomicInstruction(_ r: R) -> ExecutionError? {
        let sub = r.word(3)
        let op = AtomicOp(rawValue: UInt8(truncatingIfNeeded: sub)).unsafelyUnwrapped
        let size = op.size
        if size == 0 {
            atomicMemoryFence(ordering: .sequentiallyConsistent)
            return nil
        }
        let m = r.inst.pointee.memories[Int((sub >> 8) & 0x7F_FFFF)]
        let a = sub >> 31 != 0 ? r.i64(4) : UInt64(r.i32(4))
        let (ea, o) = a.addingReportingOverflow(UInt64(r.word(7)) | UInt64(r.word(8)) << 32)
        guard !o else { return .trap(.memoryOutOfBounds) }
        guard ea & UInt64(size &- 1) == 0 else { return .trap(.unalignedAtomic) }
        guard ea < UInt64.max - 8, ea &+ UInt64(size) <= UInt64(Memory.loadByteCount(m)) else { return .trap(.memoryOutOfBounds) }
        let p = m.pointee.base + Int(ea)
        let fp = r.fp, dst = r.slot(2)
        let b = r.i64(5), c = r.i64(6)
        switch op.shape {
        case .load:
            fp[dst] = switch size {
            case 1: UInt64(AtomicCell<UInt8>.load(p))
            case 2: UInt64(AtomicCell<UInt16>.load(p))
            case 4: UInt64(AtomicCell<UInt32>.load(p))
            default: AtomicCell<UInt64>.load(p)
            }
        case .store:
            switch size {
            case 1: AtomicCell<UInt8>.store(p, UInt8(truncatingIfNeeded: b))
            case 2: AtomicCell<UInt16>.store(p, UInt16(truncatingIfNeeded: b))
            case 4: AtomicCell<UInt32>.store(p, UInt32(truncatingIfNeeded: b))
            default: AtomicCell<UInt64>.store(p, b)
            }
        case .rmw(let r):
            fp[dst] = switch size {
            case 1: UInt64(AtomicCell<UInt8>.rmw(p, r, UInt8(truncatingIfNeeded: b)))
            case 2: UInt64(AtomicCell<UInt16>.rmw(p, r, UInt16(truncatingIfNeeded: b)))
            case 4: UInt64(AtomicCell<UInt32>.rmw(p, r, UInt32(truncatingIfNeeded: b)))
            default: AtomicCell<UInt64>.rmw(p, r, b)
            }
        case .cmpxchg:
            // The expected value is wrapped to the access width, as the spec requires.
            fp[dst] = switch size {
            case 1: UInt64(AtomicCell<UInt8>.cmpxchg(p, UInt8(truncatingIfNeeded: b), UInt8(truncatingIfNeeded: c)))
            case 2: UInt64(AtomicCell<UInt16>.cmpxchg(p, UInt16(truncatingIfNeeded: b), UInt16(truncatingIfNeeded: c)))
            case 4: UInt64(AtomicCell<UInt32>.cmpxchg(p, UInt32(truncatingIfNeeded: b), UInt32(truncatingIfNeeded: c)))
            default: AtomicCell<UInt64>.cmpxchg(p, b, c)
            }
        case .notify:
            // An unshared memory has no waiters.
            let key = WaitKey(memory: UInt(bitPattern: m), offset: ea)
            fp[dst] = m.pointee.shared ? UInt64(Waiters.notify(key, count: UInt32(truncatingIfNeeded: b))) : 0
        case .wait:
            guard m.pointee.shared else { return .trap(.expectedSharedMemory) }
            let key = WaitKey(memory: UInt(bitPattern: m), offset: ea)
            switch atomicWait(context(r), pc: r.pc, key: key, address: p, expected: b, wide: size == 8, timeout: Int64(bitPattern: c)) {
            case .success(let r): fp[dst] = UInt64(r)
            case .failure(let e): return e
            }
        case .fence:
            break
        }
        return nil
    }
}

/// Sequentially consistent operations on a naturally aligned integer in linear memory.
/// One extension per width below: Synchronization declares `wrappingAdd` and friends
/// per concrete integer type, not through a protocol a generic could use.
enum AtomicCell<T> {}

extension AtomicCell where T == UInt8 {
    @inline(__always)
    static func load(_ p: UnsafeMutableRawPointer) -> T {
        UnsafeMutablePointer<Atomic<T>>(OpaquePointer(p)).pointee.load(ordering: .sequentiallyConsistent)
    }

    @inline(__always)
    static func store(_ p: UnsafeMutableRawPointer, _ v: T) {
        UnsafeMutablePointer<Atomic<T>>(OpaquePointer(p)).pointee.store(v, ordering: .sequentiallyConsistent)
    }

    @inline(__always)
    static func cmpxchg(_ p: UnsafeMutableRawPointer, _ expected: T, _ replacement: T) -> T {
        UnsafeMutablePointer<Atomic<T>>(OpaquePointer(p)).pointee
            .compareExchange(expected: expected, desired: replacement, ordering: .sequentiallyConsistent).original
    }

    @inline(__always)
    static func rmw(_ p: UnsafeMutableRawPointer, _ op: AtomicRMW, _ v: T) -> T {
        let a = UnsafeMutablePointer<Atomic<T>>(OpaquePointer(p))
        return switch op {
        case .add: a.pointee.wrappingAdd(v, ordering: .sequentiallyConsistent).oldValue
        case .sub: a.pointee.wrappingSubtract(v, ordering: .sequentiallyConsistent).oldValue
        case .and: a.pointee.bitwiseAnd(v, ordering: .sequentiallyConsistent).oldValue
        case .or: a.pointee.bitwiseOr(v, ordering: .sequentiallyConsistent).oldValue
        case .xor: a.pointee.bitwiseXor(v, ordering: .sequentiallyConsistent).oldValue
        case .xchg: a.pointee.exchange(v, ordering: .sequentiallyConsistent)
        }
    }
}

extension AtomicCell where T == UInt16 {
    @inline(__always)
    static func load(_ p: UnsafeMutableRawPointer) -> T {
        UnsafeMutablePointer<Atomic<T>>(OpaquePointer(p)).pointee.load(ordering: .sequentiallyConsistent)
    }

    @inline(__always)
    static func store(_ p: UnsafeMutableRawPointer, _ v: T) {
        UnsafeMutablePointer<Atomic<T>>(OpaquePointer(p)).pointee.store(v, ordering: .sequentiallyConsistent)
    }

    @inline(__always)
    static func cmpxchg(_ p: UnsafeMutableRawPointer, _ expected: T, _ replacement: T) -> T {
        UnsafeMutablePointer<Atomic<T>>(OpaquePointer(p)).pointee
            .compareExchange(expected: expected, desired: replacement, ordering: .sequentiallyConsistent).original
    }

    @inline(__always)
    static func rmw(_ p: UnsafeMutableRawPointer, _ op: AtomicRMW, _ v: T) -> T {
        let a = UnsafeMutablePointer<Atomic<T>>(OpaquePointer(p))
        return switch op {
        case .add: a.pointee.wrappingAdd(v, ordering: .sequentiallyConsistent).oldValue
        case .sub: a.pointee.wrappingSubtract(v, ordering: .sequentiallyConsistent).oldValue
        case .and: a.pointee.bitwiseAnd(v, ordering: .sequentiallyConsistent).oldValue
        case .or: a.pointee.bitwiseOr(v, ordering: .sequentiallyConsistent).oldValue
        case .xor: a.pointee.bitwiseXor(v, ordering: .sequentiallyConsistent).oldValue
        case .xchg: a.pointee.exchange(v, ordering: .sequentiallyConsistent)
        }
    }
}

extension AtomicCell where T == UInt32 {
    @inline(__always)
    static func load(_ p: UnsafeMutableRawPointer) -> T {
        UnsafeMutablePointer<Atomic<T>>(OpaquePointer(p)).pointee.load(ordering: .sequentiallyConsistent)
    }

    @inline(__always)
    static func store(_ p: UnsafeMutableRawPointer, _ v: T) {
        UnsafeMutablePointer<Atomic<T>>(OpaquePointer(p)).pointee.store(v, ordering: .sequentiallyConsistent)
    }

    @inline(__always)
    static func cmpxchg(_ p: UnsafeMutableRawPointer, _ expected: T, _ replacement: T) -> T {
        UnsafeMutablePointer<Atomic<T>>(OpaquePointer(p)).pointee
            .compareExchange(expected: expected, desired: replacement, ordering: .sequentiallyConsistent).original
    }

    @inline(__always)
    static func rmw(_ p: UnsafeMutableRawPointer, _ op: AtomicRMW, _ v: T) -> T {
        let a = UnsafeMutablePointer<Atomic<T>>(OpaquePointer(p))
        return switch op {
        case .add: a.pointee.wrappingAdd(v, ordering: .sequentiallyConsistent).oldValue
        case .sub: a.pointee.wrappingSubtract(v, ordering: .sequentiallyConsistent).oldValue
        case .and: a.pointee.bitwiseAnd(v, ordering: .sequentiallyConsistent).oldValue
        case .or: a.pointee.bitwiseOr(v, ordering: .sequentiallyConsistent).oldValue
        case .xor: a.pointee.bitwiseXor(v, ordering: .sequentiallyConsistent).oldValue
        case .xchg: a.pointee.exchange(v, ordering: .sequentiallyConsistent)
        }
    }
}

extension AtomicCell where T == UInt64 {
    @inline(__always)
    static func load(_ p: UnsafeMutableRawPointer) -> T {
        UnsafeMutablePointer<Atomic<T>>(OpaquePointer(p)).pointee.load(ordering: .sequentiallyConsistent)
    }

    @inline(__always)
    static func store(_ p: UnsafeMutableRawPointer, _ v: T) {
        UnsafeMutablePointer<Atomic<T>>(OpaquePointer(p)).pointee.store(v, ordering: .sequentiallyConsistent)
    }

    @inline(__always)
    static func cmpxchg(_ p: UnsafeMutableRawPointer, _ expected: T, _ replacement: T) -> T {
        UnsafeMutablePointer<Atomic<T>>(OpaquePointer(p)).pointee
            .compareExchange(expected: expected, desired: replacement, ordering: .sequentiallyConsistent).original
    }

    @inline(__always)
    static func rmw(_ p: UnsafeMutableRawPointer, _ op: AtomicRMW, _ v: T) -> T {
        let a = UnsafeMutablePointer<Atomic<T>>(OpaquePointer(p))
        return switch op {
        case .add: a.pointee.wrappingAdd(v, ordering: .sequentiallyConsistent).oldValue
        case .sub: a.pointee.wrappingSubtract(v, ordering: .sequentiallyConsistent).oldValue
        case .and: a.pointee.bitwiseAnd(v, ordering: .sequentiallyConsistent).oldValue
        case .or: a.pointee.bitwiseOr(v, ordering: .sequentiallyConsistent).oldValue
        case .xor: a.pointee.bitwiseXor(v, ordering: .sequentiallyConsistent).oldValue
        case .xchg: a.pointee.exchange(v, ordering: .sequentiallyConsistent)
        }
    }
}
#endif
