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
        fillBytes(r.md + Int(d), UInt8(truncatingIfNeeded: v), Int(n))
        return r.next(5)
    }

    /// `memoryCopy d s n` (the ranges may overlap)
    @inline(__always)
    static func memoryCopy(_ r: R) -> Next {
        let d = UInt64(r.i32(2)), s = UInt64(r.i32(3)), n = UInt64(r.i32(4))
        let size = UInt64(Memory.sizeForAccess(r.inst.pointee.memory))
        guard d + n <= size, s + n <= size else { return r.trap(.memoryOutOfBounds) }
        copyBytes(r.md + Int(d), r.md + Int(s), Int(n))
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

    /// Copies `n` bytes as memmove does. Copies of up to 32 bytes, half of all in real
    /// programs, run inline: every load comes before the stores, so overlapping ranges
    /// copy correctly, and the handler saves no registers for a call.
    @inline(__always)
    static func copyBytes(_ dst: UnsafeMutableRawPointer, _ src: UnsafeRawPointer, _ n: Int) {
        if n >= 16 && n <= 32 {
            let a = src.loadUnaligned(as: UInt64.self), b = src.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            let c = src.loadUnaligned(fromByteOffset: n - 16, as: UInt64.self)
            let d = src.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            dst.storeBytes(of: a, as: UInt64.self)
            dst.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
            dst.storeBytes(of: c, toByteOffset: n - 16, as: UInt64.self)
            dst.storeBytes(of: d, toByteOffset: n - 8, as: UInt64.self)
        } else if n >= 8 && n < 16 {
            let a = src.loadUnaligned(as: UInt64.self), b = src.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            dst.storeBytes(of: a, as: UInt64.self)
            dst.storeBytes(of: b, toByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 && n < 8 {
            let a = src.loadUnaligned(as: UInt32.self), b = src.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            dst.storeBytes(of: a, as: UInt32.self)
            dst.storeBytes(of: b, toByteOffset: n - 4, as: UInt32.self)
        } else if n > 0 && n < 4 {
            let a = src.load(as: UInt8.self), b = src.load(fromByteOffset: n >> 1, as: UInt8.self)
            let c = src.load(fromByteOffset: n - 1, as: UInt8.self)
            dst.storeBytes(of: a, as: UInt8.self)
            dst.storeBytes(of: b, toByteOffset: n >> 1, as: UInt8.self)
            dst.storeBytes(of: c, toByteOffset: n - 1, as: UInt8.self)
        } else if n > 32 {
            memmove(dst, src, n)
        }
    }

    /// Sets `n` bytes to `v` as memset does; up to 32 bytes inline.
    @inline(__always)
    static func fillBytes(_ dst: UnsafeMutableRawPointer, _ v: UInt8, _ n: Int) {
        let w = UInt64(v) &* 0x0101_0101_0101_0101
        if n >= 8 && n <= 32 {
            dst.storeBytes(of: w, as: UInt64.self)
            dst.storeBytes(of: w, toByteOffset: n - 8, as: UInt64.self)
            if n > 16 {
                dst.storeBytes(of: w, toByteOffset: 8, as: UInt64.self)
                dst.storeBytes(of: w, toByteOffset: n - 16, as: UInt64.self)
            }
        } else if n >= 4 && n < 8 {
            dst.storeBytes(of: UInt32(truncatingIfNeeded: w), as: UInt32.self)
            dst.storeBytes(of: UInt32(truncatingIfNeeded: w), toByteOffset: n - 4, as: UInt32.self)
        } else if n > 0 && n < 4 {
            dst.storeBytes(of: v, as: UInt8.self)
            dst.storeBytes(of: v, toByteOffset: n >> 1, as: UInt8.self)
            dst.storeBytes(of: v, toByteOffset: n - 1, as: UInt8.self)
        } else if n > 32 {
            memset(dst, Int32(v), n)
        }
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
        // Never emitted: the translator rejects 0xFE without Threads. A body of its own
        // (not `r.trap(.unreachable)`) keeps LLVM from merging this handler into `unreachable`.
        return stop(r, .trap(.unreachable))
        #endif
    }

    /// Stops at the current instruction with `e` (a trap, an exit or a restartable error).
    @inline(__always)
    static func stop(_ r: R, _ e: ExecutionError) -> Next {
        context(r).pendingError = e
        return r.st.pointee.stop
    }
}
