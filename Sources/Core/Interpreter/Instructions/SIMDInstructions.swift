// Vector instructions that are not one expression of Utilities/simd.txt:
// https://webassembly.github.io/spec/core/exec/instructions.html#vector-instructions
//
// A v128 occupies two consecutive 64-bit cells of the frame (lane 0 in the lowest
// bytes of the first); nothing aligns it to 16 bytes, so every access is unaligned.

extension Interpreter {
    @inline(__always)
    static func copy128(_ r: R) -> Next {
        r.setV(2, r.v(3, SIMD2<UInt64>.self))
        return r.next(4)
    }

    /// `select` of two v128 values (`dst a b cond`).
    @inline(__always)
    static func select128(_ r: R) -> Next {
        r.setV(2, r.i32(5) != 0 ? r.v(3, SIMD2<UInt64>.self) : r.v(4, SIMD2<UInt64>.self))
        return r.next(6)
    }

    @inline(__always)
    static func globalGet128(_ r: R) -> Next {
        let g = r.inst.pointee.globals[r.slot(3)]
        r.setV(2, UnsafeRawPointer(g).loadUnaligned(as: SIMD2<UInt64>.self))
        return r.next(4)
    }

    @inline(__always)
    static func globalSet128(_ r: R) -> Next {
        let g = r.inst.pointee.globals[r.slot(3)]
        UnsafeMutableRawPointer(g).storeBytes(of: r.v(2, SIMD2<UInt64>.self), as: SIMD2<UInt64>.self)
        return r.next(4)
    }

    /// `v128.const`: the value's four words follow `dst`.
    @inline(__always)
    static func v128Const(_ r: R) -> Next {
        r.setV(2, UnsafeRawPointer(r.pc + 3).loadUnaligned(as: SIMD4<UInt32>.self))
        return r.next(7)
    }

    /// `i8x16.shuffle dst a b l0 l1 l2 l3`: the 16 lane indices (each < 32, checked by the
    /// translator) packed four to a word; index i < 16 picks a[i], else b[i - 16].
    @inline(__always)
    static func i8x16Shuffle(_ r: R) -> Next {
        var both = (r.v(3, SIMD16<UInt8>.self), r.v(4, SIMD16<UInt8>.self))
        let lanes = UnsafeRawPointer(r.pc + 5).loadUnaligned(as: SIMD16<UInt8>.self)
        var out = SIMD16<UInt8>()
        withUnsafeBytes(of: &both) { b in
            for i in 0..<16 { out[i] = b[Int(lanes[i] & 31)] }
        }
        r.setV(2, out)
        return r.next(9)
    }
}
