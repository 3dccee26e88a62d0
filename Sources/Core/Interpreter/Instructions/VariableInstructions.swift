// Variable and parametric instructions, and the copies and constants of translated code:
// https://webassembly.github.io/spec/core/exec/instructions.html#variable-instructions
// https://webassembly.github.io/spec/core/exec/instructions.html#parametric-instructions
// (`local.get`/`local.set` mostly vanish in translation: operands name locals' slots.)

import Synchronization

extension Interpreter {
    @inline(__always)
    static func globalGet(_ r: R) -> Next {
        r.set(2, r.inst.pointee.globals[r.slot(3)].pointee)
        return r.next(4)
    }

    @inline(__always)
    static func globalSet(_ r: R) -> Next {
        r.inst.pointee.globals[r.slot(3)].pointee = r.i64(2)
        return r.next(4)
    }
}


extension Interpreter {
    /// `constants first count values...`: the prologue of a function whose loops use
    /// constants: puts them into their slots (below the operand slots), so that the
    /// loops read them like locals instead of materializing them on every iteration.
    @inline(__always)
    static func constants(_ r: R) -> Next {
        let n = r.slot(3)
        let dst = r.fp + r.slot(2)
        let values = UnsafeRawPointer(r.pc + 4)
        var i = 0
        while i < n {
            // A relaxed atomic store is a plain store, and keeps the loop from becoming a
            // call to memcpy (a call would make this handler save every register).
            UnsafeMutablePointer<Atomic<UInt64>>(OpaquePointer(dst + i)).pointee
                .store(values.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self), ordering: .relaxed)
            i &+= 1
        }
        return r.next(4 + 2 * n)
    }
}
