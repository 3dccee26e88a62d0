// Reference instructions: https://webassembly.github.io/spec/core/exec/instructions.html#reference-instructions
// A reference is a cell: 0 for null, else the address of its entity.

extension Interpreter {
    @inline(__always)
    static func refIsNull(_ r: R) -> Next {
        r.set(2, r.i64(3) == 0)
        return r.next(4)
    }

    @inline(__always)
    static func refFunc(_ r: R) -> Next {
        r.set(2, UInt64(UInt(bitPattern: r.inst.pointee.functions[r.slot(3)])))
        return r.next(4)
    }
}
