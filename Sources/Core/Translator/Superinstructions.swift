// Superinstructions: a function's translated code with consecutive instructions
// merged into one where Utilities/ops.txt defines their `pair` (the pairs come from
// op-pair profiles of real programs). A merged instruction runs both bodies in one
// dispatch. The second may not be a branch target: nothing may jump into the middle.

enum Superinstructions {
    struct Instruction {
        var start: Int
        var op: Op
    }

    /// `code` (whose instructions are `instructions`, in order) with pairs merged and
    /// branch offsets remapped, and where its `callInternal` instructions now start.
    static func fuse(_ code: [UInt32], _ instructions: [Instruction]) -> (code: [UInt32], calls: [Int]) {
        let calls = instructions.filter { $0.op == .callInternal }.map(\.start)
        guard instructions.count > 1 else { return (code, calls) }
        var targets = Set<Int>()
        for i in instructions {
            for k in targetWords(i, code) { targets.insert(i.start + Int(Int32(bitPattern: code[k]))) }
        }
        var merges = 0
        var newCode: [UInt32] = []
        newCode.reserveCapacity(code.count)
        var newStart = [Int](repeating: -1, count: code.count + 1)
        // Target words to patch: (index in newCode, old absolute target, new instruction start).
        var fixups: [(Int, Int, Int)] = []
        var n = 0
        while n < instructions.count {
            let first = instructions[n]
            let start = newCode.count
            newStart[first.start] = start
            var parts = [first]
            if n + 1 < instructions.count, !targets.contains(instructions[n + 1].start),
               let pair = choose(first, instructions[n + 1], code) {
                parts.append(instructions[n + 1])
                appendHandler(pair, to: &newCode)
                merges += 1
            } else {
                appendHandler(first.op, to: &newCode)
            }
            for part in parts {
                let end = part.start + width(part, code)
                let targetWords = Set(targetWords(part, code))
                for k in part.start + 2 ..< end {
                    if targetWords.contains(k) {
                        fixups.append((newCode.count, part.start + Int(Int32(bitPattern: code[k])), start))
                    }
                    newCode.append(code[k])
                }
            }
            n += parts.count
        }
        guard merges > 0 else { return (code, calls) }
        newStart[code.count] = newCode.count
        for (word, oldTarget, instructionStart) in fixups {
            guard oldTarget >= 0, oldTarget <= code.count, newStart[oldTarget] >= 0 else { return (code, calls) }
            newCode[word] = UInt32(bitPattern: Int32(newStart[oldTarget] - instructionStart))
        }
        return (newCode, calls.map { newStart[$0] })
    }

    /// The superinstruction for `first` then `second`: the chained form when `second`
    /// reads the slot `first` just wrote (its value then stays in a register).
    private static func choose(_ first: Instruction, _ second: Instruction, _ code: [UInt32]) -> Op? {
        let pair = Op.pair(first.op, second.op)
        for (op, operand) in pair.chained where code[second.start + 2 + operand] == code[first.start + 2] {
            return op
        }
        return pair.plain
    }

    private static func appendHandler(_ op: Op, to code: inout [UInt32]) {
        let h = Handlers.address(op)
        code.append(UInt32(truncatingIfNeeded: h))
        code.append(UInt32(truncatingIfNeeded: h >> 32))
    }

    private static func width(_ i: Instruction, _ code: [UInt32]) -> Int {
        i.op.countWord.map { i.op.width + i.op.tailWords(code[i.start + $0]) } ?? i.op.width
    }

    /// Indexes in `code` of the instruction's branch offsets.
    private static func targetWords(_ i: Instruction, _ code: [UInt32]) -> [Int] {
        if i.op == .brTable || i.op == .brTableAddImm, let c = i.op.countWord {
            return Array(i.start + c + 1 ... i.start + c + 1 + Int(code[i.start + c]))
        }
        var out: [Int] = []
        for (k, operand) in i.op.operands.enumerated() where operand.kind == .target {
            out.append(i.start + 2 + k)
        }
        return out
    }
}
