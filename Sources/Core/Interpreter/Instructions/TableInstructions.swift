// Table instructions: https://webassembly.github.io/spec/core/exec/instructions.html#table-instructions

extension Interpreter {
    /// table.get/set/size/grow/fill/copy/init and elem.drop. Returns a trap or nil.
    @inline(never)
    static func tableInstruction(_ pc: Code, _ fp: Frame, _ inst: UnsafeMutablePointer<InstanceData>) -> Trap? {
        switch Op(rawValue: UInt16(truncatingIfNeeded: pc.pointee)) {
        case .tableGet:  // dst table index
            let t = inst.pointee.tables[Int(pc[2])]
            let i = Int(i32(fp, pc[3]))
            guard i < t.pointee.count else { return .tableOutOfBounds }
            fp[Int(pc[1])] = t.pointee.elements[i]
        case .tableSet:  // table index value
            let t = inst.pointee.tables[Int(pc[1])]
            let i = Int(i32(fp, pc[2]))
            guard i < t.pointee.count else { return .tableOutOfBounds }
            t.pointee.elements[i] = fp[Int(pc[3])]
        case .tableSize:  // dst table
            fp[Int(pc[1])] = UInt64(inst.pointee.tables[Int(pc[2])].pointee.count)
        case .tableGrow:  // dst table value delta
            let t = inst.pointee.tables[Int(pc[2])]
            let old = Table.grow(t, by: Int(i32(fp, pc[4])), initial: fp[Int(pc[3])])
            fp[Int(pc[1])] = UInt64(old.map { UInt32($0) } ?? UInt32.max)
        case .tableFill:  // table start value count
            let t = inst.pointee.tables[Int(pc[1])]
            let i = Int(i32(fp, pc[2])), v = fp[Int(pc[3])], n = Int(i32(fp, pc[4]))
            guard i + n <= t.pointee.count else { return .tableOutOfBounds }
            (t.pointee.elements + i).update(repeating: v, count: n)
        case .tableCopy:  // dstTable srcTable d s n
            let dt = inst.pointee.tables[Int(pc[1])], st = inst.pointee.tables[Int(pc[2])]
            let d = Int(i32(fp, pc[3])), s = Int(i32(fp, pc[4])), n = Int(i32(fp, pc[5]))
            guard d + n <= dt.pointee.count, s + n <= st.pointee.count else { return .tableOutOfBounds }
            if n > 0 {
                UnsafeMutableRawPointer(dt.pointee.elements + d).copyMemory(from: st.pointee.elements + s, byteCount: n * 8)
            }
        case .tableInit:  // table elem d s n
            let t = inst.pointee.tables[Int(pc[1])]
            let seg = inst.pointee.elements[Int(pc[2])]
            let d = Int(i32(fp, pc[3])), s = Int(i32(fp, pc[4])), n = Int(i32(fp, pc[5]))
            guard s + n <= seg.count, d + n <= t.pointee.count else { return .tableOutOfBounds }
            if n > 0, let src = seg.base {
                UnsafeMutableRawPointer(t.pointee.elements + d).copyMemory(from: src + s * 8, byteCount: n * 8)
            }
        case .elemDrop:
            inst.pointee.elements[Int(pc[1])] = SegmentData(base: nil, count: 0)
        default:
            break
        }
        return nil
    }
}
