// Memory instructions: https://webassembly.github.io/spec/core/exec/instructions.html#memory-instructions
// Loads, stores and memory.size are inline in the loop; memory.grow, the bulk
// operations and the atomics (Threads) come here, out of line, through one call site.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Interpreter {
    /// memory.grow, memory.fill, memory.copy, memory.init, data.drop and the atomic instructions.
    /// Returns nil, a trap, or the interrupt that stopped an atomic wait.
    @inline(never)
    static func memoryInstruction(
        _ ctx: ExecutionContext, _ pc: Code, _ fp: Frame, _ inst: UnsafeMutablePointer<InstanceData>
    ) -> ExecutionError? {
        #if Threads
        if pc.pointee == UInt32(Op.atomic.rawValue) { return atomicInstruction(ctx, pc, fp, inst) }
        #endif
        if pc.pointee == UInt32(Op.memoryGrow.rawValue) { return memoryGrow(ctx, pc, fp, inst) }
        if let t = bulkMemory(pc, fp, inst) { return trapError(t) }
        return nil
    }

    /// memory.grow `dst delta`.
    static func memoryGrow(_ ctx: ExecutionContext, _ pc: Code, _ fp: Frame, _ inst: UnsafeMutablePointer<InstanceData>) -> ExecutionError? {
        let m = inst.pointee.memory
        let delta = Int(i32(fp, pc[2]))
        var old: Int?
        #if SharedMemRealloc
        if Memory.growMoves(m, by: delta), let stopper = ctx.runtime.worldStopper {
            // The memory moves: every other thread must be out of wasm and host code.
            if let e = stopper.stopTheWorld(ctx, { old = Memory.grow(m, by: delta) }) { return e }
            fp[Int(pc[1])] = UInt64(old.map { UInt32($0) } ?? UInt32.max)
            return nil
        }
        #endif
        old = Memory.grow(m, by: delta)
        fp[Int(pc[1])] = UInt64(old.map { UInt32($0) } ?? UInt32.max)
        return nil
    }

    static func bulkMemory(_ pc: Code, _ fp: Frame, _ inst: UnsafeMutablePointer<InstanceData>) -> Trap? {
        let base = inst.pointee.memory.pointee.base
        let memSize = UInt64(Memory.sizeForAccess(inst.pointee.memory))
        switch Op(rawValue: UInt16(truncatingIfNeeded: pc.pointee)) {
        case .memoryFill:  // d value n
            let d = UInt64(i32(fp, pc[1])), v = i32(fp, pc[2]), n = UInt64(i32(fp, pc[3]))
            guard d + n <= memSize else { return .memoryOutOfBounds }
            if n > 0 { memset(base + Int(d), Int32(v & 0xFF), Int(n)) }
        case .memoryCopy:  // d s n
            let d = UInt64(i32(fp, pc[1])), s = UInt64(i32(fp, pc[2])), n = UInt64(i32(fp, pc[3]))
            guard d + n <= memSize, s + n <= memSize else { return .memoryOutOfBounds }
            if n > 0 { memmove(base + Int(d), base + Int(s), Int(n)) }
        case .memoryInit:  // segment d s n
            let seg = inst.pointee.datas[Int(pc[1])]
            let d = UInt64(i32(fp, pc[2])), s = UInt64(i32(fp, pc[3])), n = UInt64(i32(fp, pc[4]))
            guard s + n <= UInt64(seg.count), d + n <= memSize else { return .memoryOutOfBounds }
            if n > 0, let src = seg.base { memmove(base + Int(d), src + Int(s), Int(n)) }
        case .dataDrop:
            inst.pointee.datas[Int(pc[1])] = SegmentData(base: nil, count: 0)
        default:
            break
        }
        return nil
    }
}
