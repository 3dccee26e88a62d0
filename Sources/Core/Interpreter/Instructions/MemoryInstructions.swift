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
        growMemory(r, r.inst.pointee.memory, delta: UInt64(r.i32(3)), is64: false)
    }

    /// Grows `m` by `delta` pages into slot 2: the old size, or -1 of the address type.
    static func growMemory(_ r: R, _ m: UnsafeMutablePointer<MemoryData>, delta: UInt64, is64: Bool) -> ExecutionError? {
        let failed: UInt64 = is64 ? UInt64.max : UInt64(UInt32.max)
        guard delta <= UInt64(Int.max >> 16) else {
            r.set(2, failed)
            return nil
        }
        let delta = Int(delta)
        // The limiter is asked about growth that could happen (not beyond the maximum).
        if let limiter = context(r).runtime.limiter, delta > 0 {
            let size = Memory.loadByteCount(m)
            if delta <= m.pointee.maxPages - (size >> 16),
               !limiter.memoryGrowing(current: size, desired: size + delta * Memory.pageSize, maximum: m.pointee.maxPages * Memory.pageSize) {
                r.set(2, failed)
                return nil
            }
        }
        var old: Int?
        #if SharedMemRealloc
        if Memory.growMoves(m, by: delta), let stopper = context(r).runtime.worldStopper {
            // The memory moves: every other thread must be out of wasm and host code.
            if let e = stopper.stopTheWorld(context(r), { old = Memory.grow(m, by: delta) }) { return e }
            r.set(2, old.map { UInt64($0) } ?? failed)
            return nil
        }
        #endif
        old = Memory.grow(m, by: delta)
        r.set(2, old.map { UInt64($0) } ?? failed)
        return nil
    }

    // MARK: Any memory (multi-memory, memory64)

    /// The memory an `X` op's immediate word `k` names, and whether its addresses are i64.
    @inline(__always)
    static func memory(_ r: R, _ k: Int) -> (UnsafeMutablePointer<MemoryData>, Bool) {
        let w = r.word(k)
        return (r.inst.pointee.memories[Int(w & 0x7FFF_FFFF)], w >> 31 != 0)
    }

    /// An address or length operand of a memory with i64 (or i32) addresses.
    @inline(__always)
    static func address(_ r: R, _ k: Int, is64: Bool) -> UInt64 { is64 ? r.i64(k) : UInt64(r.i32(k)) }

    /// True if `[a, a + n)` lies within `size` bytes (no overflow for any 64-bit a, n).
    @inline(__always)
    static func fits(_ a: UInt64, _ n: UInt64, _ size: Int) -> Bool {
        a <= UInt64(size) && n <= UInt64(size) - a
    }

    /// `memorySizeX dst memory`
    @inline(__always)
    static func memorySizeX(_ r: R) -> Next {
        let (m, _) = memory(r, 3)
        r.set(2, UInt64(Memory.loadByteCount(m) >> 16))
        return r.next(4)
    }

    /// `memoryGrowX dst delta memory`
    @inline(__always)
    static func memoryGrowX(_ r: R) -> Next {
        if let e = growX(r) { return stop(r, e) }
        r.loadMemory()
        return r.next(5)
    }

    @inline(never)
    static func growX(_ r: R) -> ExecutionError? {
        let (m, is64) = memory(r, 4)
        return growMemory(r, m, delta: address(r, 3, is64: is64), is64: is64)
    }

    /// `memoryFillX d value n memory`
    @inline(__always)
    static func memoryFillX(_ r: R) -> Next {
        let (m, is64) = memory(r, 5)
        let d = address(r, 2, is64: is64), v = r.i32(3), n = address(r, 4, is64: is64)
        guard fits(d, n, Memory.sizeForAccess(m)) else { return r.trap(.memoryOutOfBounds) }
        fillBytes(m.pointee.base + Int(d), UInt8(truncatingIfNeeded: v), Int(n))
        return r.next(6)
    }

    /// `memoryCopyX d s n dstMemory srcMemory` (the ranges may overlap)
    @inline(__always)
    static func memoryCopyX(_ r: R) -> Next {
        let (dm, d64) = memory(r, 5), (sm, s64) = memory(r, 6)
        let d = address(r, 2, is64: d64), s = address(r, 3, is64: s64), n = address(r, 4, is64: d64 && s64)
        guard fits(d, n, Memory.sizeForAccess(dm)), fits(s, n, Memory.sizeForAccess(sm)) else {
            return r.trap(.memoryOutOfBounds)
        }
        copyBytes(dm.pointee.base + Int(d), sm.pointee.base + Int(s), Int(n))
        return r.next(7)
    }

    /// `memoryInitX segment d s n memory`
    @inline(__always)
    static func memoryInitX(_ r: R) -> Next {
        let seg = r.inst.pointee.datas[r.slot(2)]
        let (m, is64) = memory(r, 6)
        let d = address(r, 3, is64: is64), s = UInt64(r.i32(4)), n = UInt64(r.i32(5))
        guard s + n <= UInt64(seg.count), fits(d, n, Memory.sizeForAccess(m)) else {
            return r.trap(.memoryOutOfBounds)
        }
        if n > 0, let src = seg.base { memmove(m.pointee.base + Int(d), src + Int(s), Int(n)) }
        return r.next(7)
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

    /// `atomic dst sub a b c offset offhi`: every 0xFE instruction, out of line (see
    /// AtomicInstructions.swift). A wait that is interrupted stops here and runs again.
    @inline(__always)
    static func atomic(_ r: R) -> Next {
        #if Threads
        if let e = atomicInstruction(r) { return stop(r, e) }
        return r.next(9)
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
