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
    static func fuse(_ code: inout [UInt32], _ instructions: [Instruction], targets: [Int32]) -> [Int] {
        let calls = instructions.filter { $0.op == .callInternal }.map { Int($0.start) }
        guard instructions.count > 1 else { return calls }
        var newStart: [Int] = []
        let merged = instructions.withUnsafeBufferPointer { instructions in
            code.withUnsafeMutableBufferPointer { code in
                merge(code, instructions, targets, &newStart)
            }
        }
        guard merged > 0 else { return calls }
        code.removeSubrange(newStart[code.count]...)
        return calls.map { newStart[$0] }
    }

    /// Merges in place; returns the new code's length (0 if nothing merged) and fills
    /// `newStart` with the new position of every instruction start (and of the end).
    private static func merge(
        _ code: UnsafeMutableBufferPointer<UInt32>, _ instructions: UnsafeBufferPointer<Instruction>,
        _ targets: [Int32], _ newStart: inout [Int]
    ) -> Int {
        let end = code.count
        var isTarget = [Bool](repeating: false, count: end + 1)
        for t in targets where t >= 0 && Int(t) <= end { isTarget[Int(t)] = true }
        // What merges, decided before anything moves: greedily from the front, three
        // instructions where a superinstruction of three exists, else two.
        var group = [(op: Op, count: Int)?](repeating: nil, count: instructions.count)
        var merges = 0
        var n = 0
        while n + 1 < instructions.count {
            let a = instructions[n], b = instructions[n + 1]
            guard !isTarget[Int(b.start)], let ab = choose(a.op, b, written: written(a, code), code) else {
                n += 1
                continue
            }
            if n + 2 < instructions.count, !isTarget[Int(instructions[n + 2].start)],
               let abc = choose(ab, instructions[n + 2], written: written(b, code), code) {
                group[n] = (abc, 3)
                n += 3
            } else {
                group[n] = (ab, 2)
                n += 2
            }
            merges += 1
        }
        guard merges > 0 else { return 0 }
        // Compacts in place (merging only shrinks code). Branch offsets are fixed after,
        // from the old targets recorded here: (new index of the word, old target, new start).
        newStart = [Int](repeating: -1, count: end + 1)
        var fixups: [(Int, Int, Int)] = []
        var out = 0
        n = 0
        while n < instructions.count {
            let first = instructions[n]
            let start = out
            newStart[Int(first.start)] = start
            let (op, count) = group[n] ?? (first.op, 1)
            let h = Handlers.address(op)
            code[out] = UInt32(truncatingIfNeeded: h)
            code[out + 1] = UInt32(truncatingIfNeeded: h >> 32)
            out += 2
            for p in n ..< n + count {
                let part = instructions[p]
                let from = Int(part.start) + 2, to = Int(part.start) + width(part, code)
                forEachTargetWord(part, code) { k in
                    fixups.append((out + (k - from), Int(part.start) + Int(Int32(bitPattern: code[k])), start))
                }
                for k in from ..< to {
                    code[out] = code[k]
                    out += 1
                }
            }
            n += count
        }
        newStart[end] = out
        for (word, oldTarget, instructionStart) in fixups {
            let target = oldTarget >= 0 && oldTarget <= end ? newStart[oldTarget] : -1
            precondition(target >= 0, "a branch into the middle of a superinstruction")
            code[word] = UInt32(bitPattern: Int32(target - instructionStart))
        }
        return out
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
