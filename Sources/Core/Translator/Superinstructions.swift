// Superinstructions: a function's translated code with consecutive instructions
// merged into one where Utilities/ops.txt defines their `pair` (the pairs come from
// op-pair profiles of real programs). A merged instruction runs both bodies in one
// dispatch. A `pair` may also join a pair and a third op: three ops in one dispatch.
// Only the first of a merged group may be a branch target: nothing may jump into the
// middle.

enum Superinstructions {
    struct Instruction {
        var start: Int32
        var op: Op
    }

    /// Merges groups of instructions in `code`, whose instructions are `instructions` in
    /// order, in place and remaps branch offsets; `targets` holds every position a
    /// branch lands on (more do no harm). Returns where its `callInternal` instructions
    /// now start.
    /// `positions` (instruction starts or the code's end, each also in `targets`) are
    /// remapped to where they are after the merge.
    static func fuse(
        _ code: inout [UInt32], _ instructions: [Instruction], targets: [Int32], positions: inout [Int]
    ) -> [Int] {
        let calls = instructions.filter { $0.op == .callInternal || $0.op == .returnCallInternal }.map { Int($0.start) }
        guard instructions.count > 1 else { return calls }
        var newStart: [Int32] = []
        let end = instructions.withUnsafeBufferPointer { instructions in
            code.withUnsafeMutableBufferPointer { code in
                merge(code, instructions, targets.sorted(), &newStart)
            }
        }
        guard end > 0 else { return calls }
        if !positions.isEmpty {
            let oldEnd = code.count
            positions = positions.map { p in
                if p >= oldEnd { return end }
                // The first instruction starting at or after p (binary search; starts are sorted).
                var lo = 0, hi = instructions.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if Int(instructions[mid].start) < p { lo = mid + 1 } else { hi = mid }
                }
                return lo < instructions.count ? Int(newStart[lo]) : end
            }
        }
        code.removeSubrange(end...)
        return instructions.indices.filter { instructions[$0].op == .callInternal || instructions[$0].op == .returnCallInternal }.map { Int(newStart[$0]) }
    }

    /// Merges in place; returns the new code's length (0 if nothing merged) and fills
    /// `newStart` with every instruction's new start.
    private static func merge(
        _ code: UnsafeMutableBufferPointer<UInt32>, _ instructions: UnsafeBufferPointer<Instruction>,
        _ targets: [Int32], _ newStart: inout [Int32]
    ) -> Int {
        // What merges, decided before anything moves: greedily from the front, three
        // instructions where a superinstruction of three exists, else two. `targets` is
        // sorted, and so are the instructions: one walk finds which are targets.
        var groupOp = [Op](repeating: .unreachable, count: instructions.count)
        var groupCount = [UInt8](repeating: 1, count: instructions.count)
        var t = 0
        func isTarget(_ i: Int) -> Bool {
            let start = instructions[i].start
            while t < targets.count && targets[t] < start { t += 1 }
            return t < targets.count && targets[t] == start
        }
        var merges = 0
        var n = 0
        while n + 1 < instructions.count {
            let a = instructions[n], b = instructions[n + 1]
            guard !isTarget(n + 1), let ab = choose(a.op, b, written: written(a, code), code) else {
                n += 1
                continue
            }
            if n + 2 < instructions.count, !isTarget(n + 2),
               let abc = choose(ab, instructions[n + 2], written: written(b, code), code) {
                (groupOp[n], groupCount[n]) = (abc, 3)
            } else {
                (groupOp[n], groupCount[n]) = (ab, 2)
            }
            merges += 1
            n += Int(groupCount[n])
        }
        guard merges > 0 else { return 0 }
        // Compacts in place (merging only shrinks code). Branch offsets are fixed after,
        // from the old targets recorded here: (new index of the word, old target, new start).
        newStart = [Int32](repeating: 0, count: instructions.count)
        var fixups: [(Int, Int32, Int)] = []
        var out = 0
        n = 0
        while n < instructions.count {
            let first = instructions[n]
            let start = out
            let count = Int(groupCount[n])
            let h = Handlers.address(count > 1 ? groupOp[n] : first.op)
            code[out] = UInt32(truncatingIfNeeded: h)
            code[out + 1] = UInt32(truncatingIfNeeded: h >> 32)
            out += 2
            for p in n ..< n + count {
                let part = instructions[p]
                newStart[p] = Int32(start)
                let from = Int(part.start) + 2, to = Int(part.start) + width(part, code)
                forEachTargetWord(part, code) { k in
                    fixups.append((out + (k - from), part.start + Int32(bitPattern: code[k]), start))
                }
                for k in from ..< to {
                    code[out] = code[k]
                    out += 1
                }
            }
            n += count
        }
        let oldEnd = Int32(code.count)
        for (word, oldTarget, instructionStart) in fixups {
            // Targets are instruction starts (or the end): find the instruction's new place.
            let target: Int
            if oldTarget == oldEnd {
                target = out
            } else {
                var lo = 0, hi = instructions.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if instructions[mid].start < oldTarget { lo = mid + 1 } else { hi = mid }
                }
                precondition(lo < instructions.count && instructions[lo].start == oldTarget && groupStarts(lo, groupCount),
                             "a branch into the middle of a superinstruction")
                target = Int(newStart[lo])
            }
            code[word] = UInt32(bitPattern: Int32(target - instructionStart))
        }
        return out
    }

    /// True if instruction `i` starts its group (is not the second or third of a merge).
    private static func groupStarts(_ i: Int, _ groupCount: [UInt8]) -> Bool {
        (i < 1 || groupCount[i - 1] < 2) && (i < 2 || groupCount[i - 2] < 3)
    }

    /// The slot the instruction writes last, if it has a result.
    private static func written(_ i: Instruction, _ code: UnsafeMutableBufferPointer<UInt32>) -> UInt32? {
        i.op.resultOperand.map { code[Int(i.start) + 2 + $0] }
    }

    /// The superinstruction for `first` (an op, or the pair formed so far) then `second`:
    /// the chained form when `second` reads the slot just `written` (its value then stays
    /// in a register), else the plain one.
    private static func choose(
        _ first: Op, _ second: Instruction, written: UInt32?, _ code: UnsafeMutableBufferPointer<UInt32>
    ) -> Op? {
        let forms = Op.pair(first, second.op)
        if let written {
            let base = Int(second.start) + 2
            if let op = forms.chained, code[base + forms.operand] == written { return op }
            if let op = forms.chained2, code[base + forms.operand2] == written { return op }
        }
        return forms.plain
    }

    private static func width(_ i: Instruction, _ code: UnsafeMutableBufferPointer<UInt32>) -> Int {
        i.op.countWord.map { i.op.width + i.op.tailWords(code[Int(i.start) + $0]) } ?? i.op.width
    }

    /// Calls `body` with the index in `code` of each of the instruction's branch offsets.
    private static func forEachTargetWord(
        _ i: Instruction, _ code: UnsafeMutableBufferPointer<UInt32>, _ body: (Int) -> Void
    ) {
        let start = Int(i.start)
        var mask = i.op.targetMask
        while mask != 0 {
            body(start + 2 + mask.trailingZeroBitCount)
            mask &= mask - 1
        }
        if i.op.tailIsTargets, let c = i.op.countWord {
            for k in start + c + 1 ... start + c + 1 + Int(code[start + c]) { body(k) }
        }
    }
}
