// Memory instructions: https://webassembly.github.io/spec/core/exec/instructions.html#memory-instructions
// Loads and stores are generated (Numeric+Generated.swift): a bounds check against
// the size in a register (re-read when it fails: another thread may have grown a
// shared memory) and a native access. Here: memory.size, memory.grow, the bulk
// operations and the atomic op.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Interpreter {
    /// `memorySize dst`
    @inline(__always)
    static func memorySize(_ r: R) -> Next {
        r.set(2, UInt64(Memory.loadByteCount(r.inst.pointee.memory) >> 16))
        return r.next(3)
    }

    /// `memoryGrow dst delta`: the old size in pages, or -1.
    @inline(__always)
    static func memoryGrow(_ r: R) -> Next {
        if let e = grow(r) { return stop(r, e) }
        r.loadMemory()
        return r.next(4)
    }

    @inline(never)
    static func grow(_ r: R) -> ExecutionError? {
        let m = r.inst.pointee.memory
        let delta = Int(r.i32(3))
        var old: Int?
        #if SharedMemRealloc
        if Memory.growMoves(m, by: delta), let stopper = context(r).runtime.worldStopper {
            // The memory moves: every other thread must be out of wasm and host code.
            if let e = stopper.stopTheWorld(context(r), { old = Memory.grow(m, by: delta) }) { return e }
            r.set(2, old.map { UInt32($0) } ?? UInt32.max)
            return nil
        }
        #endif
        old = Memory.grow(m, by: delta)
        r.set(2, old.map { UInt32($0) } ?? UInt32.max)
        return nil
    }

    /// `memoryFill d value n`
    @inline(__always)
    static func memoryFill(_ r: R) -> Next {
        let d = UInt64(r.i32(2)), v = r.i32(3), n = UInt64(r.i32(4))
        guard d + n <= UInt64(Memory.sizeForAccess(r.inst.pointee.memory)) else { return r.trap(.memoryOutOfBounds) }
        if n > 0 { memset(r.md + Int(d), Int32(v & 0xFF), Int(n)) }
        return r.next(5)
    }

    /// `memoryCopy d s n` (the ranges may overlap)
    @inline(__always)
    static func memoryCopy(_ r: R) -> Next {
        let d = UInt64(r.i32(2)), s = UInt64(r.i32(3)), n = UInt64(r.i32(4))
        let size = UInt64(Memory.sizeForAccess(r.inst.pointee.memory))
        guard d + n <= size, s + n <= size else { return r.trap(.memoryOutOfBounds) }
        if n > 0 { memmove(r.md + Int(d), r.md + Int(s), Int(n)) }
        return r.next(5)
    }

    /// `memoryInit segment d s n`
    @inline(__always)
    static func memoryInit(_ r: R) -> Next {
        let seg = r.inst.pointee.datas[r.slot(2)]
        let d = UInt64(r.i32(3)), s = UInt64(r.i32(4)), n = UInt64(r.i32(5))
        guard s + n <= UInt64(seg.count), d + n <= UInt64(Memory.sizeForAccess(r.inst.pointee.memory)) else {
            return r.trap(.memoryOutOfBounds)
        }
        if n > 0, let src = seg.base { memmove(r.md + Int(d), src + Int(s), Int(n)) }
        return r.next(6)
    }

    /// `dataDrop segment`
    @inline(__always)
    static func dataDrop(_ r: R) -> Next {
        r.inst.pointee.datas[r.slot(2)] = SegmentData(base: nil, count: 0)
        return r.next(3)
    }

    /// `atomic dst sub a b c offset`: every 0xFE instruction, out of line (see
    /// AtomicInstructions.swift). A wait that is interrupted stops here and runs again.
    @inline(__always)
    static func atomic(_ r: R) -> Next {
        #if Threads
        if let e = atomicInstruction(r) { return stop(r, e) }
        return r.next(8)
        #else
        return r.trap(.unreachable)  // never emitted: the translator rejects 0xFE without Threads
        #endif
    }

    /// Stops at the current instruction with `e` (a trap, an exit or a restartable error).
    @inline(__always)
    static func stop(_ r: R, _ e: ExecutionError) -> Next {
        context(r).pendingError = e
        return r.st.pointee.stop
    }
}
