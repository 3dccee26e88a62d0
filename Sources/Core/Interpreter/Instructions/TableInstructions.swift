// Table instructions: https://webassembly.github.io/spec/core/exec/instructions.html#table-instructions

extension Interpreter {
    /// `tableGet dst table index`
    @inline(__always)
    static func tableGet(_ r: R) -> Next {
        let t = r.inst.pointee.tables[r.slot(3)]
        let i = Int(r.i32(4))
        guard i < t.pointee.count else { return r.trap(.tableOutOfBounds) }
        r.set(2, t.pointee.elements[i])
        return r.next(5)
    }

    /// `tableSet table index value`
    @inline(__always)
    static func tableSet(_ r: R) -> Next {
        let t = r.inst.pointee.tables[r.slot(2)]
        let i = Int(r.i32(3))
        guard i < t.pointee.count else { return r.trap(.tableOutOfBounds) }
        t.pointee.elements[i] = r.i64(4)
        return r.next(5)
    }

    /// `tableSize dst table`
    @inline(__always)
    static func tableSize(_ r: R) -> Next {
        r.set(2, UInt64(r.inst.pointee.tables[r.slot(3)].pointee.count))
        return r.next(4)
    }

    /// `tableGrow dst table value delta`: the old size, or -1.
    @inline(__always)
    static func tableGrow(_ r: R) -> Next {
        let old = growTable(r, r.inst.pointee.tables[r.slot(3)], by: Int(r.i32(5)), initial: r.i64(4))
        r.set(2, old.map { UInt32($0) } ?? UInt32.max)
        return r.next(6)
    }

    /// `Table.grow` after asking the runtime's limiter, if any.
    @inline(never)
    static func growTable(_ r: R, _ t: UnsafeMutablePointer<TableData>, by delta: Int, initial: UInt64) -> Int? {
        if let limiter = context(r).runtime.limiter, delta > 0, delta <= t.pointee.max - t.pointee.count,
           !limiter.tableGrowing(current: t.pointee.count, desired: t.pointee.count + delta, maximum: t.pointee.max) {
            return nil
        }
        return Table.grow(t, by: delta, initial: initial)
    }

    /// `tableFill table start value count`
    @inline(__always)
    static func tableFill(_ r: R) -> Next {
        let t = r.inst.pointee.tables[r.slot(2)]
        let i = Int(r.i32(3)), v = r.i64(4), n = Int(r.i32(5))
        guard i + n <= t.pointee.count else { return r.trap(.tableOutOfBounds) }
        (t.pointee.elements + i).update(repeating: v, count: n)
        return r.next(6)
    }

    /// `tableCopy dstTable srcTable d s n` (the ranges may overlap)
    @inline(__always)
    static func tableCopy(_ r: R) -> Next {
        let dt = r.inst.pointee.tables[r.slot(2)], st = r.inst.pointee.tables[r.slot(3)]
        let d = Int(r.i32(4)), s = Int(r.i32(5)), n = Int(r.i32(6))
        guard d + n <= dt.pointee.count, s + n <= st.pointee.count else { return r.trap(.tableOutOfBounds) }
        if n > 0 {
            UnsafeMutableRawPointer(dt.pointee.elements + d).copyMemory(from: st.pointee.elements + s, byteCount: n * 8)
        }
        return r.next(7)
    }

    /// `tableInit table elem d s n`
    @inline(__always)
    static func tableInit(_ r: R) -> Next {
        let t = r.inst.pointee.tables[r.slot(2)]
        let seg = r.inst.pointee.elements[r.slot(3)]
        let d = Int(r.i32(4)), s = Int(r.i32(5)), n = Int(r.i32(6))
        guard s + n <= seg.count, d + n <= t.pointee.count else { return r.trap(.tableOutOfBounds) }
        if n > 0, let src = seg.base {
            UnsafeMutableRawPointer(t.pointee.elements + d).copyMemory(from: src + s * 8, byteCount: n * 8)
        }
        return r.next(7)
    }

    /// `elemDrop elem`
    @inline(__always)
    static func elemDrop(_ r: R) -> Next {
        r.inst.pointee.elements[r.slot(2)] = SegmentData(base: nil, count: 0)
        return r.next(3)
    }
}
