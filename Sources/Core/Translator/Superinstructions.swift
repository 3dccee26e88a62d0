// Superinstructions: a function's translated code with consecutive instructions
// merged into one where Utilities/ops.txt defines their `pair` (the pairs come from
// op-pair profiles of real programs). A merged instruction runs both bodies in one
// dispatch. The second may not be a branch target: nothing may jump into the middle.

enum Superinstructions {
    struct Instruction {
        var start: Int
        var op: Op
    }

    /// Merges pairs in `code` (whose instructions are `instructions`, in order) in place
    /// and remaps branch offsets; returns where its `callInternal` instructions now start.
    static func fuse(_ code: inout [UInt32], _ instructions: [Instruction]) -> [Int] {
        let calls = instructions.filter { $0.op == .callInternal }.map(\.start)
        guard instructions.count > 1 else { return calls }
        // Instruction starts that branches land on (out-of-range offsets are not trusted).
        var isTarget = [Bool](repeating: false, count: code.count + 1)
        for i in instructions {
            forEachTargetWord(i, code) { k in
                let t = i.start + Int(Int32(bitPattern: code[k]))
                if t >= 0, t <= code.count { isTarget[t] = true }
            }
        }
        // What merges with its successor, decided before anything moves.
        var merged = [Op?](repeating: nil, count: instructions.count)
        var merges = 0
        var n = 0
        while n + 1 < instructions.count {
            if !isTarget[instructions[n + 1].start], let pair = choose(instructions[n], instructions[n + 1], code) {
                merged[n] = pair
                merges += 1
                n += 2
            } else {
                n += 1
            }
        }
        guard merges > 0 else { return calls }
        // Compacts in place (merging only shrinks code). Branch offsets are fixed after,
        // from the old targets recorded here: (new index of the word, old target, new start).
        var newStart = [Int](repeating: -1, count: code.count + 1)
        var fixups: [(Int, Int, Int)] = []
        var out = 0
        n = 0
        while n < instructions.count {
            let first = instructions[n]
            let start = out
            newStart[first.start] = start
            let pair = merged[n]
            writeHandler(pair ?? first.op, &code, at: &out)
            for p in n ..< n + (pair == nil ? 1 : 2) {
                let part = instructions[p]
                let from = part.start + 2, to = part.start + width(part, code)
                forEachTargetWord(part, code) { k in
                    fixups.append((out + (k - from), part.start + Int(Int32(bitPattern: code[k])), start))
                }
                for k in from ..< to {
                    code[out] = code[k]
                    out += 1
                }
            }
            n += pair == nil ? 1 : 2
        }
        newStart[code.count] = out
        for (word, oldTarget, instructionStart) in fixups {
            let target = oldTarget >= 0 && oldTarget < newStart.count ? newStart[oldTarget] : -1
            precondition(target >= 0, "a branch into the middle of a superinstruction")
            code[word] = UInt32(bitPattern: Int32(target - instructionStart))
        }
        code.removeSubrange(out...)
        return calls.map { newStart[$0] }
    }

    /// The superinstruction for `first` then `second`: the chained form when `second`
    /// reads the slot `first` just wrote (its value then stays in a register).
    private static func choose(_ first: Instruction, _ second: Instruction, _ code: [UInt32]) -> Op? {
        let forms = Op.pair(first.op, second.op)
        let written = code[first.start + 2]
        if let op = forms.chained, code[second.start + 2 + forms.operand] == written { return op }
        if let op = forms.chained2, code[second.start + 2 + forms.operand2] == written { return op }
        return forms.plain
    }

    private static func writeHandler(_ op: Op, _ code: inout [UInt32], at out: inout Int) {
        let h = Handlers.address(op)
        code[out] = UInt32(truncatingIfNeeded: h)
        code[out + 1] = UInt32(truncatingIfNeeded: h >> 32)
        out += 2
    }

    private static func width(_ i: Instruction, _ code: [UInt32]) -> Int {
        i.op.countWord.map { i.op.width + i.op.tailWords(code[i.start + $0]) } ?? i.op.width
    }

    /// Calls `body` with the index in `code` of each of the instruction's branch offsets.
    private static func forEachTargetWord(_ i: Instruction, _ code: [UInt32], _ body: (Int) -> Void) {
        var mask = i.op.targetMask
        while mask != 0 {
            body(i.start + 2 + mask.trailingZeroBitCount)
            mask &= mask - 1
        }
        if i.op == .brTable || i.op == .brTableAddImm, let c = i.op.countWord {
            for k in i.start + c + 1 ... i.start + c + 1 + Int(code[i.start + c]) { body(k) }
        }
    }
}
