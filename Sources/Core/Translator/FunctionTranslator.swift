// Validation (https://webassembly.github.io/spec/core/valid/instructions.html) and
// translation of one function body in a single pass.
//
// Every wasm operand-stack position has a fixed frame slot (`slotBase + height`),
// so instructions address slots directly, like registers. `local.get` emits
// nothing: the operand refers to the local's slot until something would change
// that local or the value must sit in its canonical slot (block entry, call
// arguments, branch values), when it is "materialized" with a copy. `local.set`
// retargets the producing instruction's destination to the local when it can.

/// What the translator needs to know about the module.
struct ModuleContext {
    var types: [FuncType]
    var typeIDs: [Int]
    /// Type index of every function in the index space (imports first).
    var functionTypes: [UInt32]
    var importedFunctions: Int
    /// Merge instruction pairs into superinstructions.
    var superinstructions: Bool
    var tables: [TableType]
    /// Every memory, imports first.
    var memories: [MemoryType]
    var features: Features
    var globals: [GlobalType]
    var elementTypes: [ValueType]
    var dataCount: UInt32?
    var declaredRefs: Set<UInt32>
    /// Exception handling: the type of every tag (imports first).
    var tagTypes: [FuncType] = []
    /// Fuel metering: start every straight-line segment with a `fuel` instruction.
    var fuel = false
}

struct TranslatedFunction {
    /// The `constants` instruction that must come first, if any (offsets in `code` and
    /// `calls` do not count it).
    var prologue: [UInt32]
    var code: [UInt32]
    /// Where the `callInternal` instructions start: Module patches in their callee's code.
    var calls: [Int]
    var frameCells: Int
    var localCells: Int
    /// The `try_table` blocks, innermost first (positions in `code`).
    var catchRanges: [CatchRange] = []
}

/// A `try_table` block: its body's code range and its catch clauses in order. A clause
/// names a landing pad: code after the function's end that takes the caught exception's
/// values (`catchValues`) and branches to the clause's label.
struct CatchRange {
    struct Clause {
        /// 0 `catch`, 1 `catch_ref`, 2 `catch_all`, 3 `catch_all_ref`.
        var kind: UInt8
        /// Tag index in the module's tag space (unused for the `catch_all` kinds).
        var tag: UInt32
        var pad: Int
    }
    var start: Int
    var end: Int
    var clauses: [Clause]
}

struct FunctionTranslator {
    private enum Location: Equatable {
        /// In its canonical slot (`slotBase + index in the stack`).
        case temp
        /// Still in a local's slot (the slot of local `x` is `localSlots[x]`).
        case local(UInt32)
        /// A constant in a loop: `constants[k]`, which gets a slot of its own that the
        /// function's prologue fills (see `placeConstants`).
        case constant(Int)
    }

    private struct Operand {
        /// nil: unknown (popped from the polymorphic stack of unreachable code).
        var type: ValueType?
        var location: Location
        /// Its canonical slot, counted from `slotBase` (a `v128` takes two cells).
        var cell: Int32 = 0
        /// Cells it takes.
        var width: Int { type == .v128 ? 2 : 1 }
    }

    private enum ControlKind { case block, loop, ifThen, ifElse, function, tryTable }

    private struct Control {
        var kind: ControlKind
        var params: [ValueType]
        var results: [ValueType]
        /// Operand stack size at entry, below the parameters.
        var height: Int
        /// The spec's `unreachable` flag: the rest of the block has a polymorphic stack.
        var unreachable = false
        /// No code is emitted: the block started in unreachable code.
        var dead = false
        /// Loop: the code position branches jump to.
        var loopStart = 0
        /// Branch sites to patch with the end position: (word to patch, instruction start).
        var patches: [(Int, Int)] = []
        /// `if`: the conditional branch to patch with the else (or end) position.
        var elsePatch: (Int, Int)?
        var labelTypes: [ValueType] { kind == .loop ? params : results }
        // (A `try_table` keeps where its body starts in `loopStart` and its clauses on
        // `tryClauses`: fields added here made every copy of a Control dearer, which
        // showed in load-time profiles.)
    }

    /// A catch clause whose landing pad is emitted after the function's code.
    private struct PendingClause {
        var kind: UInt8
        var tag: UInt32
        /// The values it delivers (payload, then exnref for the `_ref` kinds).
        var types: [ValueType]
        /// The stack height of the `try_table` in cells: the pad's values go in its slots.
        var height: Int
        /// The label: its kind, height and (loop) start; a block's end comes later
        /// (`catchEnds[index]`, filled in by `patch`).
        var index: Int
        var targetKind: ControlKind
        /// The label's stack height in cells.
        var targetHeight: Int
        var targetStart: Int
    }

    /// Memory 0 has 64-bit addresses; offsets are u64 in the binary (both memory64).
    private let memory0Is64: Bool
    private let offsets64: Bool
    /// For each catch clause (by `PendingClause.index`) that branches to a block: where
    /// that block ended. A block's `patches` entry `(-1 - index, 0)` asks for it.
    private var catchEnds: [Int] = []
    /// The clauses of the open `try_table` blocks, innermost last (kept out of `Control`,
    /// which the translator copies often).
    private var tryClauses: [[PendingClause]] = []
    /// `try_table` blocks that ended, innermost first, with their clauses' pads pending.
    private var tryBlocks: [(start: Int, end: Int, clauses: [PendingClause])] = []

    private let module: ModuleContext
    private var reader: ByteReader
    private let type: FuncType
    private var localTypes: [ValueType] = []
    /// The slot of each local (parameters first; a `v128` takes two cells).
    private var localSlots: [UInt32] = []
    /// Frame cells of the parameters and locals: operand slots start here.
    private let slotBase: Int
    /// Cells of the function's results (returned in slots 0..<resultCells).
    private let resultCells: Int
    private var stack: [Operand] = []
    private var controls: [Control] = []
    private var code: [UInt32] = []
    /// The most operand cells in use at any point.
    private var maxHeight = 0
    private struct Emitted {
        var start: Int
        var op: Op
        /// The index of its `dst` word if it wrote a new temp there, else -1.
        var dst: Int
    }

    /// The instructions emitted since the last label, newest last (a few): candidates
    /// for rewriting by the peephole, which may fuse the newest with what follows.
    private var recent: [Emitted] = []
    private var lastStart: Int { recent.last?.start ?? -1 }
    /// Every instruction emitted, and where branches land, for the superinstruction pass.
    private var instructions: [Superinstructions.Instruction] = []
    private var targets: [Int32] = []
    /// An operand named a constant's slot (so `placeConstants` has work).
    private var constantSlotsUsed = false
    /// Constants used in loops (cells); a function rarely has more than a few dozen.
    private var constants: [UInt64] = []
    /// `constants[k]` is half of a v128 constant (its low cell at k, high cell at k + 1).
    private var wideConstants: [Bool] = []
    /// Loops open around the current instruction.
    private var loops = 0
    /// Fuel metering: the amount word of the current segment's `fuel` instruction (-1: none).
    private var fuelSite = -1
    private let handlerTable = Handlers.table
    /// Until `placeConstants`, operands name constant `k` as slot `constantSlot + k`.
    private static let constantSlot: UInt32 = 0x4000_0000
    private var lastDst: Int {
        get { recent.last?.dst ?? -1 }
        set { if !recent.isEmpty { recent[recent.count - 1].dst = newValue } }
    }

    /// Upper bound on locals + operand stack cells of one function.
    static let maxFrameCells = 1 << 20

    init(module: ModuleContext, bytes: [UInt8], body: FunctionBody, type: FuncType) throws(LoadError) {
        self.module = module
        self.memory0Is64 = module.memories.first?.limits.is64 ?? false
        self.offsets64 = module.features.contains(.memory64)
        self.type = type
        self.reader = ByteReader(bytes: bytes, offset: body.code.lowerBound, end: body.code.upperBound)
        let total = UInt64(type.params.count) + body.localCount
        guard total <= UInt64(FunctionTranslator.maxFrameCells) else {
            throw LoadError(.unsupported, "too many locals (\(total))", offset: body.code.lowerBound)
        }
        localTypes = type.params
        localTypes.reserveCapacity(Int(total))
        for d in body.locals {
            localTypes.append(contentsOf: repeatElement(d.type, count: Int(d.count)))
        }
        localSlots.reserveCapacity(localTypes.count)
        var cells = 0
        for t in localTypes {
            localSlots.append(UInt32(cells))
            cells += t.cellCount
        }
        slotBase = cells
        resultCells = type.resultCells
    }

    mutating func translate() throws(LoadError) -> TranslatedFunction {
        controls.append(Control(kind: .function, params: [], results: type.results, height: 0))
        startSegment()
        while !controls.isEmpty {
            try step()
        }
        guard reader.isAtEnd else { throw .malformed("section size mismatch", at: reader.offset) }
        let ranges = emitLandingPads()
        let prologue = placeConstants()
        let frame = slotBase + (prologue.isEmpty ? 0 : Int(prologue[3])) + maxHeight + 1
        guard frame <= FunctionTranslator.maxFrameCells else {
            throw LoadError(.unsupported, "function frame too large", offset: reader.offset)
        }
        var positions = ranges.flatMap { [$0.start, $0.end] + $0.clauses.map(\.pad) }
        let calls = module.superinstructions
            ? Superinstructions.fuse(&code, instructions, targets: targets, positions: &positions)
            : instructions.filter { $0.op == .callInternal || $0.op == .returnCallInternal }.map { Int($0.start) }
        var k = 0
        var catchRanges = ranges
        for i in catchRanges.indices {
            catchRanges[i].start = positions[k]
            catchRanges[i].end = positions[k + 1]
            k += 2
            for j in catchRanges[i].clauses.indices {
                catchRanges[i].clauses[j].pad = positions[k]
                k += 1
            }
        }
        return TranslatedFunction(
            prologue: prologue, code: code, calls: calls, frameCells: frame, localCells: slotBase - type.paramCells,
            catchRanges: catchRanges)
    }

    /// Emits a landing pad for every catch clause after the function's code: it takes the
    /// caught exception's values into the `try_table`'s slots, moves them to the label's
    /// and branches there (or returns, for the function's label). Normal execution never
    /// comes here, so a `try_table` costs nothing until something is thrown.
    private mutating func emitLandingPads() -> [CatchRange] {
        guard !tryBlocks.isEmpty else { return [] }
        // Emission needs an open block; the function's own has ended.
        controls.append(Control(kind: .block, params: [], results: [], height: 0))
        defer { controls.removeLast() }
        var ranges: [CatchRange] = []
        for t in tryBlocks {
            var clauses: [CatchRange.Clause] = []
            for c in t.clauses {
                label()
                let pad = code.count
                markTarget(pad)
                emit(.catchValues, [slot(c.height), UInt32(c.kind)])
                var k = 0
                if c.targetKind == .function {
                    for t in c.types {
                        if UInt32(k) != slot(c.height + k) { emitCopy(UInt32(k), slot(c.height + k), t) }
                        k += t.cellCount
                    }
                    emit(.ret)
                } else {
                    for t in c.types where c.targetHeight != c.height {
                        emitCopy(slot(c.targetHeight + k), slot(c.height + k), t)
                        k += t.cellCount
                    }
                    let target = c.targetKind == .loop ? c.targetStart : catchEnds[c.index]
                    let start = code.count
                    emit(.br, [UInt32(bitPattern: Int32(target - start))])
                    markTarget(target)
                }
                clauses.append(CatchRange.Clause(kind: c.kind, tag: c.tag, pad: pad))
            }
            ranges.append(CatchRange(start: t.start, end: t.end, clauses: clauses))
        }
        label()
        return ranges
    }

    // MARK: - Operand stack

    /// The frame slot `cell` cells above `slotBase`.
    private func slot(_ cell: Int) -> UInt32 { UInt32(slotBase + cell) }

    /// Operand cells in use: where the next value's canonical slot starts.
    private var top: Int {
        @inline(__always) get {
            guard let last = stack.last else { return 0 }
            return Int(last.cell) + last.width
        }
    }

    /// The canonical cell of stack index `index` (the top for `stack.count`).
    private func cellAt(_ index: Int) -> Int { index < stack.count ? Int(stack[index].cell) : top }

    /// Where the label's `k`th value goes: `cellAt(height)` plus the cells of the values before.
    private func labelCell(_ height: Int, _ types: [ValueType], _ k: Int) -> Int {
        var c = cellAt(height)
        for t in types[..<k] { c += t.cellCount }
        return c
    }

    /// Where the function's `k`th result goes (results start at slot 0).
    private func resultSlot(_ k: Int) -> UInt32 {
        var c = 0
        for t in type.results[..<k] { c += t.cellCount }
        return UInt32(c)
    }

    // (Inlined: called from mutating code, an out-of-line call copies the whole translator.)
    @inline(__always)
    private func slotOf(_ index: Int, _ op: Operand) -> UInt32 {
        switch op.location {
        case .local(let i): localSlots[Int(i)]
        case .constant(let k): FunctionTranslator.constantSlot + UInt32(k)
        case .temp: slot(Int(op.cell))
        }
    }

    /// Pushes `op` at the top (its canonical slot follows the value below).
    @inline(__always)
    private mutating func append(_ op: Operand) {
        var op = op
        op.cell = Int32(truncatingIfNeeded: top)
        stack.append(op)
        if top > maxHeight { maxHeight = top }
    }

    /// The value of an operand that is a constant of a loop.
    private func constantValue(_ op: Operand) -> UInt64? {
        if case .constant(let k) = op.location, op.type != .v128 { return constants[k] }
        return nil
    }

    /// A constant: inside a loop it becomes an operand of its own (no instruction; the
    /// prologue puts it in its slot once per call), elsewhere a `const` instruction.
    private mutating func pushConstant(_ v: UInt64, _ t: ValueType) {
        // (Results are returned in slots 0..<n; where those are operand slots too, moving
        // the operand slots up for constants would separate them: no constant slots then.)
        guard !isUnreachable, loops > 0, slotBase >= resultCells, constants.count < 64 else {
            if t == .i32 || t == .f32 {
                emitResult(.const32, [UInt32(truncatingIfNeeded: v)], t)
            } else {
                emitResult(.const64, [UInt32(truncatingIfNeeded: v), UInt32(truncatingIfNeeded: v >> 32)], t)
            }
            return
        }
        let k: Int
        if let known = constants.indices.first(where: { constants[$0] == v && !wideConstants[$0] }) {
            k = known
        } else {
            k = constants.count
            constants.append(v)
            wideConstants.append(false)
        }
        append(Operand(type: t, location: .constant(k)))
    }

    /// `v128.const`: like `pushConstant`, a loop's constant gets two slots that the prologue
    /// fills (so a mask or splat in a vector loop costs no instruction per iteration).
    private mutating func pushConstant128(_ w: [UInt32]) {
        let lo = UInt64(w[0]) | UInt64(w[1]) << 32, hi = UInt64(w[2]) | UInt64(w[3]) << 32
        guard !isUnreachable, loops > 0, slotBase >= resultCells, constants.count < 63 else {
            emitResult(.v128Const, w, .v128)
            return
        }
        var k = constants.count
        if let known = constants.indices.first(where: {
            wideConstants[$0] && $0 + 1 < constants.count && constants[$0] == lo && constants[$0 + 1] == hi
        }) {
            k = known
        } else {
            constants += [lo, hi]
            wideConstants += [true, true]
        }
        append(Operand(type: .v128, location: .constant(k)))
    }

    /// Gives the constants that instructions read a slot each, right after the locals:
    /// operand slots move up to make room. Returns the `constants` instruction that fills
    /// them, to run first (empty if no constant needs a slot).
    private mutating func placeConstants() -> [UInt32] {
        guard constantSlotsUsed else { return [] }
        // The constants actually read from a slot (others went into immediates), in order.
        var place: [Int: UInt32] = [:]
        var used: [UInt64] = []
        let base = UInt32(slotBase)
        func visitSlots(_ body: (Int) -> Void) {
            for i in instructions {
                var mask = i.op.slotMask
                while mask != 0 {
                    body(Int(i.start) + 2 + mask.trailingZeroBitCount)
                    mask &= mask - 1
                }
            }
        }
        visitSlots { w in
            let v = code[w]
            guard v >= FunctionTranslator.constantSlot else { return }
            let k = Int(v - FunctionTranslator.constantSlot)
            if place[k] == nil {
                place[k] = UInt32(used.count)
                used.append(constants[k])
                // A v128's high cell follows (its operand names the low one).
                if wideConstants[k] { used.append(constants[k + 1]) }
            }
        }
        guard !used.isEmpty else { return [] }
        let count = UInt32(used.count)
        visitSlots { w in
            let v = code[w]
            if v >= FunctionTranslator.constantSlot {
                code[w] = base + place[Int(v - FunctionTranslator.constantSlot), default: 0]
            } else if v >= base {
                code[w] = v + count
            }
        }
        let h = Handlers.address(.constants)
        var prologue: [UInt32] = [UInt32(truncatingIfNeeded: h), UInt32(truncatingIfNeeded: h >> 32), base, count]
        for v in used { prologue += [UInt32(truncatingIfNeeded: v), UInt32(truncatingIfNeeded: v >> 32)] }
        return prologue
    }

    /// Emission is off: this point cannot be reached.
    private var isUnreachable: Bool {
        // Field by field: copying the whole `Control` (retaining its arrays) on every
        // emitted instruction showed in load-time profiles.
        let i = controls.count - 1
        guard i >= 0 else { return true }
        return controls[i].unreachable || controls[i].dead
    }

    private mutating func push(_ t: ValueType?) {
        append(Operand(type: t, location: .temp))
    }

    /// Pops an operand, checking its type; returns it and its slot.
    @discardableResult
    private mutating func pop(_ expected: ValueType? = nil) throws(LoadError) -> (Operand, UInt32) {
        let f = controls.count - 1
        guard f >= 0 else { throw .invalid("type mismatch", at: reader.offset) }
        if stack.count == controls[f].height {
            guard controls[f].unreachable else { throw .invalid("type mismatch", at: reader.offset) }
            return (Operand(type: expected, location: .temp, cell: Int32(truncatingIfNeeded: top)), slot(top))
        }
        let op = stack.removeLast()
        if let expected, let t = op.type, t != expected {
            throw .invalid("type mismatch", at: reader.offset)
        }
        if case .constant = op.location { constantSlotsUsed = true }
        return (op.type == nil ? Operand(type: expected, location: op.location, cell: op.cell) : op, slotOf(stack.count, op))
    }

    private mutating func popValues(_ types: [ValueType]) throws(LoadError) {
        for t in types.reversed() { try pop(t) }
    }

    /// Checks that the top of the stack has `types` without popping.
    private func checkTop(_ types: [ValueType]) throws(LoadError) {
        let f = controls.count - 1
        guard f >= 0 else { throw .invalid("type mismatch", at: reader.offset) }
        let height = controls[f].height, unreachable = controls[f].unreachable
        // As popping would, without touching the stack: below the frame's height only a
        // polymorphic (unreachable) stack has values, of any type.
        var index = stack.count
        for t in types.reversed() {
            if index == height {
                guard unreachable else { throw .invalid("type mismatch", at: reader.offset) }
                continue
            }
            index -= 1
            if let have = stack[index].type, have != t { throw .invalid("type mismatch", at: reader.offset) }
        }
    }

    /// Pops `types` and pushes them back typed (spec: `br_if`), keeping locations;
    /// in unreachable code this turns polymorphic values into typed ones.
    private mutating func retypeTop(_ types: [ValueType]) throws(LoadError) {
        let saved = stack
        try popValues(types)
        let popped = saved.count - stack.count
        let fresh = types.count - popped
        let base = stack.count
        for (i, t) in types.enumerated() {
            if i < fresh {
                push(t)
            } else {
                var op = saved[base + i - fresh]
                op.type = t
                append(op)
            }
        }
    }

    /// Moves a local-referencing operand into its canonical slot.
    private mutating func materialize(_ index: Int) {
        switch stack[index].location {
        case .local(let i):
            emitCopy(slot(Int(stack[index].cell)), localSlots[Int(i)], stack[index].type)
        case .constant(let k):
            emitConstant(slot(Int(stack[index].cell)), constant: k, stack[index].type)
        case .temp:
            return
        }
        stack[index].location = .temp
    }

    private mutating func materializeAll(from: Int = 0) {
        for i in from..<stack.count { materialize(i) }
    }

    // MARK: - Emission

    /// Appends an instruction: its handler's address (two words), then its operands.
    private mutating func emit(_ op: Op, _ operands: [UInt32] = [], dst: Bool = false, first: UInt32? = nil) {
        guard !isUnreachable else { return }
        let start = code.count
        let h = handlerTable[Int(op.rawValue)]
        code.append(UInt32(truncatingIfNeeded: h))
        code.append(UInt32(truncatingIfNeeded: h >> 32))
        if let first { code.append(first) }
        code.append(contentsOf: operands)
        if recent.count == 4 { recent.removeFirst() }
        recent.append(Emitted(start: start, op: op, dst: dst ? start + 2 : -1))
        instructions.append(Superinstructions.Instruction(start: Int32(start), op: op))
    }

    /// Emits `op dst ...operands` writing a new temp at the top, and pushes it.
    private mutating func emitResult(_ op: Op, _ operands: [UInt32], _ t: ValueType) {
        emit(op, operands, dst: true, first: slot(top))
        push(t)
    }

    /// Copies a value of type `t` from slot `src` to `dst`.
    private mutating func emitCopy(_ dst: UInt32, _ src: UInt32, _ t: ValueType?) {
        emit(t == .v128 ? .copy128 : .copy, [dst, src])
    }

    private mutating func label() {
        recent.removeAll(keepingCapacity: true)
    }

    /// Fuel metering: starts a straight-line segment with a `fuel` instruction, whose
    /// amount `step` counts up for every wasm instruction until the next segment. A
    /// segment starts where control may arrive other than from the instruction before
    /// (function entry, loop header, after `end`, an `else`) or may not continue past
    /// one (an `if`'s then-arm, after a `br_if`), so a segment runs whole or not at all
    /// but for a trap, a call that does not return, or an exception.
    private mutating func startSegment() {
        guard module.fuel, !isUnreachable else { return }
        emit(.fuel, [0])
        fuelSite = code.count - 1
    }

    private func lastOp() -> Op? { recent.last?.op }

    /// True if the last instruction produced exactly the operand that sits at
    /// `index` (now popped) as a temp.
    private func lastProduced(_ index: Int, _ op: Operand) -> Bool {
        lastDst >= 0 && op.location == .temp && code[lastDst] == slot(Int(op.cell)) && !isUnreachable
    }

    /// Removes the last instruction; returns its operands. The one before becomes the last.
    private mutating func rewindLast() -> [UInt32] {
        let start = lastStart
        let words = Array(code[(start + 2)...])
        code.removeSubrange(start...)
        recent.removeLast()
        instructions.removeLast()
        return words
    }

    /// Emits a branch to the label `depth` levels up; the values it carries are
    /// already checked and at the top of the stack.
    private mutating func emitJump(_ op: Op, _ operands: [UInt32], depth: Int) {
        guard !isUnreachable else { return }
        let target = controls.count - 1 - depth
        let start = code.count
        emit(op, operands + [0])
        let word = code.count - 1
        if controls[target].kind == .loop {
            code[word] = UInt32(bitPattern: Int32(controls[target].loopStart - start))
            markTarget(controls[target].loopStart)
        } else {
            controls[target].patches.append((word, start))
        }
    }

    /// Records that a branch lands at code position `p` (no superinstruction may span it).
    private mutating func markTarget(_ p: Int) {
        targets.append(Int32(p))
    }

    private mutating func patch(_ site: (Int, Int), to target: Int) {
        markTarget(target)
        if site.0 < 0 {
            catchEnds[-1 - site.0] = target  // a catch clause's label (see `catchEnds`)
            return
        }
        code[site.0] = UInt32(bitPattern: Int32(target - site.1))
    }

    /// Copies the top `types.count` values into the slots the label at `depth` expects.
    /// Returns false if nothing needed to move.
    @discardableResult
    private mutating func emitBranchCopies(depth: Int) -> Bool {
        guard !isUnreachable else { return false }
        let target = controls[controls.count - 1 - depth]
        let n = target.labelTypes.count
        var moved = false
        if target.kind == .function {
            // Results go to slots 0..<n, which are locals: materialize first so that no
            // copy overwrites a local that a later copy reads.
            if n > 1 { materializeAll(from: stack.count - n) }
            for i in 0..<n {
                moved = emitMove(resultSlot(i), stack.count - n + i) || moved
            }
            return moved
        }
        for i in 0..<n {
            moved = emitMove(slot(labelCell(target.height, target.labelTypes, i)), stack.count - n + i) || moved
        }
        return moved
    }

    /// Puts the operand at stack `index` into slot `dst` (a constant by a `const`
    /// instruction: a copy of a constant's slot would make the function need a prologue).
    /// Returns false if it is there already.
    private mutating func emitMove(_ dst: UInt32, _ index: Int) -> Bool {
        let op = stack[index]
        if case .constant(let k) = op.location {
            emitConstant(dst, constant: k, op.type)
            return true
        }
        let src = slotOf(index, op)
        guard src != dst else { return false }
        emitCopy(dst, src, op.type)
        return true
    }

    /// Puts constant `k` (of type `t`) in slot `dst` by an instruction.
    private mutating func emitConstant(_ dst: UInt32, constant k: Int, _ t: ValueType?) {
        guard t == .v128 else { return emitConstant(dst, constants[k], t) }
        emit(.v128Const, [dst] + words(constants[k]) + words(constants[k + 1]))
    }

    private mutating func emitConstant(_ dst: UInt32, _ c: UInt64, _ t: ValueType?) {
        if t == .i64 || t == .f64 {
            emit(.const64, [dst, UInt32(truncatingIfNeeded: c), UInt32(truncatingIfNeeded: c >> 32)])
        } else {
            emit(.const32, [dst, UInt32(truncatingIfNeeded: c)])
        }
    }

    private mutating func branch(depth: Int) {
        if controls[controls.count - 1 - depth].kind == .function {
            emitBranchCopies(depth: depth)
            emitReturn()
        } else {
            emitBranchCopies(depth: depth)
            emitJump(.br, [], depth: depth)
        }
    }

    /// Returns from the function; a single result copied into place just before
    /// travels with the return instead (`retValue src`).
    private mutating func emitReturn() {
        if lastOp() == .copy, code[lastStart + 2] == 0 {
            let words = rewindLast()
            emit(.retValue, [words[1]])
        } else {
            emit(.ret)
        }
    }

    private mutating func setUnreachable() {
        guard let h = controls.last?.height else { return }
        stack.removeSubrange(h...)
        controls[controls.count - 1].unreachable = true
        label()
    }

    // MARK: - Immediates

    private mutating func readLabel() throws(LoadError) -> Int {
        let d = Int(try reader.readU32())
        guard d < controls.count else { throw .invalid("unknown label", at: reader.offset) }
        return d
    }

    private mutating func readBlockType() throws(LoadError) -> FuncType {
        let b = try reader.peekByte()
        if b == 0x40 {
            _ = try reader.readByte()
            return FuncType(params: [], results: [])
        }
        if let t = ValueType(rawValue: b), t.isEnabled(by: module.features) {
            _ = try reader.readByte()
            return FuncType(params: [], results: [t])
        }
        let at = reader.offset
        let idx = try reader.readS33()
        guard idx >= 0, idx < Int64(module.types.count) else { throw .invalid("unknown type", at: at) }
        return module.types[Int(idx)]
    }

    private mutating func readLocal() throws(LoadError) -> (UInt32, ValueType) {
        let at = reader.offset
        let i = try reader.readU32()
        guard Int(i) < localTypes.count else { throw .invalid("unknown local", at: at) }
        return (i, localTypes[Int(i)])
    }

    /// A memory instruction's immediate (spec §5.4.6): with multi-memory, bit 6 of the
    /// alignment field says a memory index follows; with memory64 the offset is a u64
    /// (beyond u32 only for a 64-bit memory).
    private struct MemArg {
        var memory: UInt32
        var offset: UInt64
        var is64: Bool
        /// Memory 0 with 32-bit addresses: the ops with a one-compare bounds check
        /// against the size register and every fused address form.
        var isDefault: Bool { memory == 0 && !is64 }
    }

    private mutating func readMemArg(naturalAlignment: UInt32, exact: Bool = false) throws(LoadError) -> MemArg {
        let at = reader.offset
        var align = try reader.readU32()
        // The common case first: memory 0, a u32 offset, no flags.
        if align < 0x40 && !memory0Is64 && !exact, module.memories.count > 0 {
            let offset = offsets64 ? try reader.readUnsigned(bits: 64) : UInt64(try reader.readU32())
            guard align <= naturalAlignment else {
                throw .invalid("alignment must not be larger than natural", at: at)
            }
            guard offset <= UInt64(UInt32.max) else { throw .invalid("offset out of range", at: at) }
            return MemArg(memory: 0, offset: offset, is64: false)
        }
        var memory: UInt32 = 0
        if module.features.contains(.multiMemory) {
            guard align < 0x80 else { throw .malformed("malformed memop flags", at: at) }
            if align & 0x40 != 0 {
                align &= ~0x40
                memory = try reader.readU32()
            }
        }
        let offset = module.features.contains(.memory64) ? try reader.readUnsigned(bits: 64) : UInt64(try reader.readU32())
        if exact {
            guard align == naturalAlignment else { throw .invalid("alignment must be equal to natural", at: at) }
        }
        guard align <= naturalAlignment else {
            throw .invalid("alignment must not be larger than natural", at: at)
        }
        guard Int(memory) < module.memories.count else { throw .invalid("unknown memory \(memory)", at: at) }
        let is64 = module.memories[Int(memory)].limits.is64
        guard is64 || offset <= UInt64(UInt32.max) else { throw .invalid("offset out of range", at: at) }
        return MemArg(memory: memory, offset: offset, is64: is64)
    }

    /// The memory index of `memory.size`/`grow`/`fill`/`copy`/`init`: a reserved zero byte
    /// in 2.0, a memory index with multi-memory.
    private mutating func readMemoryIndex() throws(LoadError) -> UInt32 {
        let at = reader.offset
        let m: UInt32
        if module.features.contains(.multiMemory) {
            m = try reader.readU32()
        } else {
            try readZeroByte()
            m = 0
        }
        guard Int(m) < module.memories.count else { throw .invalid("unknown memory \(m)", at: at) }
        return m
    }

    /// The `memory` immediate of the ops for any memory: the index, bit 31 for i64 addresses.
    private func memoryWord(_ m: UInt32) -> UInt32 {
        m | (module.memories[Int(m)].limits.is64 ? 1 << 31 : 0)
    }

    private func addressType(memory m: UInt32) -> ValueType { module.memories[Int(m)].limits.addressType }

    /// Splits a 64-bit immediate into its two words, low first.
    private func words(_ v: UInt64) -> [UInt32] {
        [UInt32(truncatingIfNeeded: v), UInt32(truncatingIfNeeded: v >> 32)]
    }

    /// The `end` immediate of the 64-bit and any-memory accesses: offset + access size,
    /// saturated (an access whose end does not fit in 64 bits always traps).
    private func accessEnd(_ m: MemArg, alignment: UInt32) -> [UInt32] {
        let (end, o) = m.offset.addingReportingOverflow(1 << UInt64(alignment))
        return words(o ? UInt64.max : end)
    }

    /// Pops a table index, count or size of table `t`. A table64 value (i64) above u32.max
    /// becomes u32.max, which no table reaches, so the 32-bit table ops serve both.
    private mutating func popIndex(table t: UInt32) throws(LoadError) -> UInt32 {
        guard module.tables[Int(t)].limits.is64 else { return try pop(.i32).1 }
        let (_, v) = try pop(.i64)
        let dst = slot(top)
        emit(.clampU32, [dst, v])
        return dst
    }

    private mutating func readZeroByte() throws(LoadError) {
        let at = reader.offset
        guard try reader.readByte() == 0 else { throw .malformed("zero byte expected", at: at) }
    }

    private mutating func readTable() throws(LoadError) -> UInt32 {
        let at = reader.offset
        let t = try reader.readU32()
        guard Int(t) < module.tables.count else { throw .invalid("unknown table \(t)", at: at) }
        return t
    }

    private mutating func readElem() throws(LoadError) -> UInt32 {
        let at = reader.offset
        let e = try reader.readU32()
        guard Int(e) < module.elementTypes.count else { throw .invalid("unknown elem segment \(e)", at: at) }
        return e
    }

    private mutating func readData() throws(LoadError) -> UInt32 {
        let at = reader.offset
        let d = try reader.readU32()
        guard let count = module.dataCount else { throw .malformed("data count section required", at: at) }
        guard d < count else { throw .invalid("unknown data segment \(d)", at: at) }
        return d
    }

    private mutating func readRefType() throws(LoadError) -> ValueType {
        let at = reader.offset
        let t = try reader.readValueType(module.features)
        guard t.isReference else { throw .malformed("malformed reference type", at: at) }
        return t
    }

    // MARK: - Instructions

    private mutating func step() throws(LoadError) {
        let at = reader.offset
        let opcode = try reader.readByte()
        if fuelSite >= 0, !isUnreachable { code[fuelSite] &+= 1 }
        switch opcode {
        case 0x00:  // unreachable
            emit(.unreachable)
            setUnreachable()
        case 0x01:  // nop
            break
        case 0x02, 0x03:  // block, loop
            let bt = try readBlockType()
            try checkTop(bt.params)
            materializeAll()
            try popValues(bt.params)
            label()
            var c = Control(kind: opcode == 0x02 ? .block : .loop, params: bt.params, results: bt.results,
                            height: stack.count)
            c.dead = isUnreachable
            c.loopStart = code.count
            if c.kind == .loop {
                loops += 1
                startSegment()
            }
            controls.append(c)
            for t in bt.params { push(t) }
        case 0x04:  // if
            let bt = try readBlockType()
            let (condOp, cond) = try pop(.i32)
            try checkTop(bt.params)
            let fused = fuseCompare(condOp, index: stack.count, negate: true)
            materializeAll()
            try popValues(bt.params)
            var c = Control(kind: .ifThen, params: bt.params, results: bt.results, height: stack.count)
            c.dead = isUnreachable
            if !isUnreachable {
                let start = code.count
                if let (op, operands) = fused {
                    emit(op, operands + [0])
                } else {
                    emit(.brIfNot, [cond, 0])
                }
                c.elsePatch = (code.count - 1, start)
            }
            label()
            startSegment()
            controls.append(c)
            for t in bt.params { push(t) }
        case 0x05:  // else
            guard let c = controls.last, c.kind == .ifThen else { throw .malformed("else without if", at: at) }
            try endOfBlockValues(c)
            if !isUnreachable {
                let start = code.count
                emit(.br, [0])
                controls[controls.count - 1].patches.append((code.count - 1, start))
            }
            if let site = c.elsePatch { patch(site, to: code.count) }
            controls[controls.count - 1].elsePatch = nil
            controls[controls.count - 1].kind = .ifElse
            controls[controls.count - 1].unreachable = false
            stack.removeSubrange(c.height...)
            for t in c.params { push(t) }
            label()
            startSegment()
        case 0x0B:  // end
            guard let c = controls.last else { throw .malformed("unexpected end", at: at) }
            if c.kind == .ifThen && c.params != c.results { throw .invalid("type mismatch", at: at) }
            try endOfBlockValues(c)
            if c.kind == .function {
                if !isUnreachable {
                    emitBranchCopies(depth: 0)
                    emitReturn()
                }
                controls.removeLast()
                return
            }
            controls.removeLast()
            if c.kind == .loop { loops -= 1 }
            if c.kind == .tryTable {
                let clauses = tryClauses.removeLast()
                if !c.dead {
                    markTarget(code.count)
                    tryBlocks.append((c.loopStart, code.count, clauses))
                }
            }
            if let site = c.elsePatch { patch(site, to: code.count) }
            for site in c.patches { patch(site, to: code.count) }
            stack.removeSubrange(c.height...)
            for t in c.results { push(t) }
            label()
            startSegment()
        case 0x0C:  // br
            let d = try readLabel()
            try checkTop(controls[controls.count - 1 - d].labelTypes)
            branch(depth: d)
            setUnreachable()
        case 0x0D:  // br_if
            let d = try readLabel()
            let (condOp, cond) = try pop(.i32)
            let types = controls[controls.count - 1 - d].labelTypes
            try retypeTop(types)
            try brIf(depth: d, condOp: condOp, cond: cond)
            startSegment()
        case 0x0E:  // br_table
            try brTable()
        case 0x0F:  // return
            try checkTop(type.results)
            branch(depth: controls.count - 1)
            setUnreachable()
        case 0x10:  // call
            let (fi, ft) = try readFunction(at)
            // A function of this module: its code, frame and locals are patched in once all
            // functions are translated, so the call needs no lookups.
            if Int(fi) >= module.importedFunctions {
                try call(ft, op: .callInternal, immediates: [fi], trailing: [0, 0, 0, 0, 0])
            } else {
                try call(ft, op: .call, immediates: [fi], trailing: [])
            }
        case 0x11:  // call_indirect
            let (ft, immediates, index) = try readIndirectCall(at)
            try call(ft, op: .callIndirect, immediates: immediates, trailing: [index])
        case 0x12 where module.features.contains(.tailCall):  // return_call
            let (fi, ft) = try readFunction(at)
            if Int(fi) >= module.importedFunctions {
                try tailCall(ft, op: .returnCallInternal, immediates: [fi], trailing: [0, 0, 0, 0, 0], at: at)
            } else {
                try tailCall(ft, op: .returnCall, immediates: [fi], trailing: [], at: at)
            }
        case 0x13 where module.features.contains(.tailCall):  // return_call_indirect
            let (ft, immediates, index) = try readIndirectCall(at)
            try tailCall(ft, op: .returnCallIndirect, immediates: immediates, trailing: [index], at: at)
        case 0x08 where module.features.contains(.exceptions):  // throw
            let x = try reader.readU32()
            guard Int(x) < module.tagTypes.count else { throw .invalid("unknown tag \(x)", at: at) }
            let argBase = try popArguments(module.tagTypes[Int(x)].params)
            emit(.throwTag, [x, argBase])
            setUnreachable()
        case 0x0A where module.features.contains(.exceptions):  // throw_ref
            let (_, e) = try pop(.exnref)
            emit(.throwRef, [e])
            setUnreachable()
        case 0x1F where module.features.contains(.exceptions):  // try_table
            let bt = try readBlockType()
            let countAt = reader.offset
            let n = Int(try reader.readU32())
            guard n <= reader.remaining else { throw .malformed("unexpected end", at: countAt) }
            var clauses: [PendingClause] = []
            for _ in 0..<n {
                let kindAt = reader.offset
                let kind = try reader.readByte()
                guard kind <= 3 else { throw .malformed("malformed catch clause", at: kindAt) }
                var tag: UInt32 = 0
                var types: [ValueType] = []
                if kind < 2 {
                    tag = try reader.readU32()
                    guard Int(tag) < module.tagTypes.count else { throw .invalid("unknown tag \(tag)", at: kindAt) }
                    types = module.tagTypes[Int(tag)].params
                }
                if kind & 1 != 0 { types.append(.exnref) }
                // Labels count from outside the try_table.
                let d = try readLabel()
                let t = controls.count - 1 - d
                guard controls[t].labelTypes == types else { throw .invalid("type mismatch", at: kindAt) }
                let index = catchEnds.count
                catchEnds.append(0)
                if controls[t].kind != .loop && controls[t].kind != .function {
                    controls[t].patches.append((-1 - index, 0))
                }
                clauses.append(PendingClause(
                    kind: kind, tag: tag, types: types, height: 0, index: index, targetKind: controls[t].kind,
                    targetHeight: cellAt(controls[t].height), targetStart: controls[t].loopStart))
            }
            try checkTop(bt.params)
            materializeAll()
            try popValues(bt.params)
            label()
            var c = Control(kind: .tryTable, params: bt.params, results: bt.results, height: stack.count)
            c.dead = isUnreachable
            for i in clauses.indices { clauses[i].height = top }
            tryClauses.append(clauses)
            c.loopStart = code.count
            if !c.dead { markTarget(code.count) }
            let most = clauses.map { $0.types.reduce(0) { $0 + $1.cellCount } }.max() ?? 0
            if top + most > maxHeight { maxHeight = top + most }
            controls.append(c)
            for t in bt.params { push(t) }
        case 0x06, 0x07, 0x09, 0x18, 0x19:
            // try, catch, rethrow, delegate, catch_all: the legacy proposal.
            guard module.features.contains(.exceptions) else {
                throw .malformed("illegal opcode 0x\(String(opcode, radix: 16))", at: at)
            }
            throw LoadError(.unsupported, "legacy exception handling (try/catch/delegate/rethrow) is not supported; use try_table", offset: at)
        case 0x1A:  // drop
            try pop()
        case 0x1B, 0x1C:  // select, select t
            var declared: ValueType?
            if opcode == 0x1C {
                let n = try reader.readU32()
                guard n == 1 else { throw .invalid("invalid result arity", at: at) }
                declared = try reader.readValueType(module.features)
            }
            let (condOp, cond) = try pop(.i32)
            let condComputed = lastProduced(stack.count, condOp)
            let (b, bSlot) = try pop(declared)
            let (a, aSlot) = try pop(declared ?? b.type)
            var t = declared ?? a.type ?? b.type
            if declared == nil {
                if let ta = a.type, let tb = b.type, ta != tb { throw .invalid("type mismatch", at: at) }
                if let tt = t, tt.isReference { throw .invalid("type mismatch", at: at) }
                t = a.type ?? b.type
            }
            if t == .v128 {
                emitResult(.select128, [aSlot, bSlot, cond], .v128)
            } else if condComputed, let eqz = lastOp(), eqz == .i32Eqz || eqz == .i64Eqz {
                // `select a b (eqz x)` is `select b a x`: no eqz.
                let x = rewindLast()[1]
                emitResult(eqz == .i32Eqz ? .select : .select64, [bSlot, aSlot, x], t ?? .i32)
            } else {
                emitResult(.select, [aSlot, bSlot, cond], t ?? .i32)
            }
            if t == nil { stack[stack.count - 1].type = nil }
        case 0x20:  // local.get
            let (i, t) = try readLocal()
            append(Operand(type: t, location: .local(i)))
        case 0x21, 0x22:  // local.set, local.tee
            let (i, t) = try readLocal()
            let (v, vSlot) = try pop(t)
            let index = stack.count
            var referenced = false
            for j in 0..<stack.count where stack[j].location == .local(i) {
                materialize(j)
                referenced = true
            }
            let dst = localSlots[Int(i)]
            if case .constant(let k) = v.location {
                // A loop's constant set into a local: the constant itself, not a copy of
                // its slot (which would cost the prologue for nothing).
                emitConstant(dst, constant: k, t)
            } else if !(v.location == .local(i)) {
                if !referenced && lastProduced(index, v) {
                    code[lastDst] = dst
                } else {
                    emitCopy(dst, vSlot, t)
                }
            }
            lastDst = -1
            if opcode == 0x22 {
                append(Operand(type: t, location: .local(i)))
            }
        case 0x23:  // global.get
            let g = try reader.readU32()
            guard Int(g) < module.globals.count else { throw .invalid("unknown global \(g)", at: at) }
            let t = module.globals[Int(g)].valueType
            emitResult(t == .v128 ? .globalGet128 : .globalGet, [g], t)
        case 0x24:  // global.set
            let g = try reader.readU32()
            guard Int(g) < module.globals.count else { throw .invalid("unknown global \(g)", at: at) }
            guard module.globals[Int(g)].isMutable else { throw .invalid("global is immutable", at: at) }
            let t = module.globals[Int(g)].valueType
            let (_, v) = try pop(t)
            emit(t == .v128 ? .globalSet128 : .globalSet, [v, g])
        case 0x25:  // table.get
            let t = try readTable()
            let i = try popIndex(table: t)
            emitResult(.tableGet, [t, i], module.tables[Int(t)].elementType)
        case 0x26:  // table.set
            let t = try readTable()
            let (_, v) = try pop(module.tables[Int(t)].elementType)
            let i = try popIndex(table: t)
            emit(.tableSet, [t, i, v])
        case 0x28...0x35:
            try load(opcode)
        case 0x36...0x3E:
            try store(opcode)
        case 0x3F:  // memory.size
            let m = try readMemoryIndex()
            if m == 0 && !module.memories[0].limits.is64 {
                emitResult(.memorySize, [], .i32)
            } else {
                emitResult(.memorySizeX, [memoryWord(m)], addressType(memory: m))
            }
        case 0x40:  // memory.grow
            let m = try readMemoryIndex()
            let t = addressType(memory: m)
            let (_, d) = try pop(t)
            if m == 0 && t == .i32 {
                emitResult(.memoryGrow, [d], .i32)
            } else {
                emitResult(.memoryGrowX, [d, memoryWord(m)], t)
            }
        case 0x41:  // i32.const
            pushConstant(UInt64(UInt32(bitPattern: try reader.readS32())), .i32)
        case 0x42:  // i64.const
            pushConstant(UInt64(bitPattern: try reader.readS64()), .i64)
        case 0x43:  // f32.const
            pushConstant(UInt64(try reader.readFixed32()), .f32)
        case 0x44:  // f64.const
            pushConstant(try reader.readFixed64(), .f64)
        case 0xA7, 0xBC...0xBF:  // i32.wrap_i64 and the reinterprets: same cell, new type
            // (i32 readers use a cell's low 32 bits, so the wrap needs no instruction.)
            let (from, to): (ValueType, ValueType) = switch opcode {
            case 0xA7: (.i64, .i32)
            case 0xBC: (.f32, .i32)
            case 0xBD: (.f64, .i64)
            case 0xBE: (.i32, .f32)
            default: (.i64, .f64)
            }
            let keepLast = lastDst
            let (v, _) = try pop(from)
            append(Operand(type: to, location: v.location))
            lastDst = keepLast
        case 0x45...0xC4:
            guard let sig = NumericTable.singleByte[Int(opcode) - 0x45] else {
                throw .malformed("illegal opcode 0x\(String(opcode, radix: 16))", at: at)
            }
            try numeric(sig)
        case 0xD0:  // ref.null
            let t = try readRefType()
            emitResult(.const32, [0], t)
        case 0xD1:  // ref.is_null
            let (v, s) = try pop()
            if let t = v.type, !t.isReference { throw .invalid("type mismatch", at: at) }
            emitResult(.i64Eqz, [s], .i32)  // a null reference is 0
        case 0xD2:  // ref.func
            let f = try reader.readU32()
            guard Int(f) < module.functionTypes.count else { throw .invalid("unknown function \(f)", at: at) }
            guard module.declaredRefs.contains(f) else { throw .invalid("undeclared function reference", at: at) }
            emitResult(.refFunc, [f], .funcref)
        case 0xFC:
            try prefixed(at)
        case 0xFD:
            try simd(at)
        #if Threads
        case 0xFE:
            try atomic(at)
        #endif
        default:
            throw .malformed("illegal opcode 0x\(String(opcode, radix: 16))", at: at)
        }
    }

    /// At `else` or `end`: the block's results must be exactly what is on the stack,
    /// and they must sit in their canonical slots.
    private mutating func endOfBlockValues(_ c: Control) throws(LoadError) {
        try checkTop(c.results)
        guard stack.count - c.results.count == c.height || c.unreachable && stack.count <= c.height + c.results.count else {
            throw .invalid("type mismatch", at: reader.offset)
        }
        if stack.count != c.height + c.results.count { return }
        if c.kind != .function { materializeAll(from: c.height) }
    }

    private mutating func numeric(_ sig: NumericSig) throws(LoadError) {
        if sig.params.count == 1 {
            let (_, a) = try pop(sig.params[0])
            emitResult(sig.op, [a], sig.result)
            return
        }
        let (bOp, b) = try pop(sig.params[1])
        let (aOp, a) = try pop(sig.params[0])
        // `x op const` with a 32-bit immediate.
        if sig.op == .i32Rotr, let c = takeConstant(bOp, at: stack.count + 1, wide: false) {
            emitResult(.i32RotlImm, [a, (32 &- c) & 31], sig.result)
            return
        }
        if let imm = sig.op.immediateForm, let mask = takeConstant(bOp, at: stack.count + 1, wide: sig.params[1] == .i64) {
            // `(x >> s) & mask`, a bit field: one instruction.
            if imm == .i32AndImm, lastOp() == .i32ShrUImm, lastProduced(stack.count, aOp) {
                let words = rewindLast()  // dst x s
                emitResult(.i32ShrUAndImm, [words[1], words[2], mask], sig.result)
                return
            }
            emitResult(imm, [a, mask], sig.result)
            return
        }
        emitResult(sig.op, [a, b], sig.result)
    }

    /// If the operand at stack index `index` (popped) is a constant that fits an
    /// immediate word (sign-extended if `wide`), its word; a `const` instruction that
    /// produced it is removed.
    private mutating func takeConstant(_ op: Operand, at index: Int, wide: Bool) -> UInt32? {
        if let v = constantValue(op) {
            return !wide || fitsInt32(UInt32(truncatingIfNeeded: v), UInt32(truncatingIfNeeded: v >> 32))
                ? UInt32(truncatingIfNeeded: v) : nil
        }
        guard lastProduced(index, op),
              wide ? lastOp() == .const64 && fitsInt32(code[lastStart + 3], code[lastStart + 4]) : lastOp() == .const32
        else { return nil }
        return rewindLast()[1]
    }

    private func fitsInt32(_ lo: UInt32, _ hi: UInt32) -> Bool {
        let v = Int64(bitPattern: UInt64(hi) << 32 | UInt64(lo))
        return v == Int64(Int32(truncatingIfNeeded: v))
    }

    /// If `cond` (popped, at `index`) was just computed by an integer compare, removes
    /// that compare and returns the fused branch op (taken when the compare holds,
    /// or when it fails if `negate`) with its operands, minus the target.
    private mutating func fuseCompare(_ cond: Operand, index: Int, negate: Bool) -> (Op, [UInt32])? {
        guard lastProduced(index, cond), let op = lastOp(),
              let fused = negate ? op.negatedBranchForm : op.branchForm
        else { return nil }
        let words = rewindLast()  // dst a [b|imm]
        return (fused, Array(words.dropFirst()))
    }

    private mutating func brIf(depth: Int, condOp: Operand, cond: UInt32) throws(LoadError) {
        guard !isUnreachable else { return }
        let target = controls[controls.count - 1 - depth]
        if target.kind == .function {
            // Conditional return: skip over the return sequence when false.
            let start = code.count
            emit(.brIfNot, [cond, 0])
            let word = code.count - 1
            emitBranchCopies(depth: depth)
            emitReturn()
            if !isUnreachable {
                code[word] = UInt32(bitPattern: Int32(code.count - start))
                markTarget(code.count)
            }
            label()
            return
        }
        // Values already in the label's slots need no copies: branch directly.
        let n = target.labelTypes.count
        var inPlace = true
        for i in 0..<n {
            let index = stack.count - n + i
            if index < 0 || slotOf(index, stack[index]) != slot(labelCell(target.height, target.labelTypes, i)) { inPlace = false }
        }
        if inPlace {
            if let (op, operands) = fuseCompare(condOp, index: stack.count, negate: false) {
                emitJump(op, operands, depth: depth)
            } else {
                emitJump(.brIf, [cond], depth: depth)
            }
            label()
            return
        }
        let start = code.count
        emit(.brIfNot, [cond, 0])
        let word = code.count - 1
        emitBranchCopies(depth: depth)
        emitJump(.br, [], depth: depth)
        if !isUnreachable {
            code[word] = UInt32(bitPattern: Int32(code.count - start))
            markTarget(code.count)
        }
        label()
    }

    private mutating func brTable() throws(LoadError) {
        let at = reader.offset
        let count = try reader.readCount()
        var depths: [Int] = []
        depths.reserveCapacity(count + 1)
        for _ in 0...count { depths.append(try readLabel()) }
        let (indexOp, index) = try pop(.i32)
        let indexComputed = lastProduced(stack.count, indexOp)
        let arity = controls[controls.count - 1 - depths[count]].labelTypes.count
        for d in depths {
            let types = controls[controls.count - 1 - d].labelTypes
            guard types.count == arity else { throw .invalid("type mismatch", at: at) }
            try checkTop(types)
        }
        if !isUnreachable {
            // A switch on `x + k` (cases not starting at 0): the add goes into the table jump.
            var op = Op.brTable, operands = [index]
            if indexComputed, lastOp() == .i32AddImm {
                let words = rewindLast()  // dst x k
                op = .brTableAddImm
                operands = [words[1], words[2]]
            }
            let start = code.count
            let first = start + 2 + operands.count + 1  // the first offset's word
            emit(op, operands + [UInt32(count)] + [UInt32](repeating: 0, count: count + 1))
            // An entry whose values are in place jumps to the label; the others to a
            // stub that moves the values and branches.
            for (k, d) in depths.enumerated() {
                let target = controls[controls.count - 1 - d]
                let n = target.labelTypes.count
                var inPlace = target.kind != .function
                for i in 0..<n where inPlace {
                    let j = stack.count - n + i
                    if slotOf(j, stack[j]) != slot(labelCell(target.height, target.labelTypes, i)) { inPlace = false }
                }
                if inPlace {
                    if target.kind == .loop {
                        code[first + k] = UInt32(bitPattern: Int32(target.loopStart - start))
                        markTarget(target.loopStart)
                    } else {
                        controls[controls.count - 1 - d].patches.append((first + k, start))
                    }
                } else {
                    code[first + k] = UInt32(bitPattern: Int32(code.count - start))
                    markTarget(code.count)
                    branch(depth: d)
                }
            }
        }
        setUnreachable()
    }

    private mutating func call(_ ft: FuncType, op: Op, immediates: [UInt32], trailing: [UInt32]) throws(LoadError) {
        let argBase = try popArguments(ft.params)
        emit(op, immediates + [argBase] + trailing)
        label()
        for t in ft.results { push(t) }
    }

    /// Pops the arguments of a call or the payload of a throw, first putting them in their
    /// canonical slots; returns the first one's slot (the callee's frame starts there).
    private mutating func popArguments(_ params: [ValueType]) throws(LoadError) -> UInt32 {
        try checkTop(params)
        let base = stack.count - params.count
        if base >= controls.last?.height ?? 0 {
            materializeAll(from: base)
        }
        let argBase = slot(cellAt(max(base, 0)))
        try popValues(params)
        return argBase
    }

    /// The function index of `call`/`return_call` and its type.
    private mutating func readFunction(_ at: Int) throws(LoadError) -> (UInt32, FuncType) {
        let fi = try reader.readU32()
        guard Int(fi) < module.functionTypes.count else { throw .invalid("unknown function \(fi)", at: at) }
        return (fi, module.types[Int(module.functionTypes[Int(fi)])])
    }

    /// The immediates of `call_indirect`/`return_call_indirect`: the type, the op's
    /// `table type` words, and the slot of the (popped) index.
    private mutating func readIndirectCall(_ at: Int) throws(LoadError) -> (FuncType, [UInt32], UInt32) {
        let ti = try reader.readU32()
        let table = try reader.readU32()
        guard Int(table) < module.tables.count else { throw .invalid("unknown table \(table)", at: at) }
        guard Int(ti) < module.types.count else { throw .invalid("unknown type", at: at) }
        guard module.tables[Int(table)].elementType == .funcref else { throw .invalid("type mismatch", at: at) }
        let index = try popIndex(table: table)
        return (module.types[Int(ti)], [table, UInt32(module.typeIDs[Int(ti)])], index)
    }

    /// `return_call`: the callee's results must be the function's. The call is followed by
    /// the code of `return`, which only a host callee reaches (a wasm callee takes over
    /// the frame and returns to this function's caller itself).
    private mutating func tailCall(
        _ ft: FuncType, op: Op, immediates: [UInt32], trailing: [UInt32], at: Int
    ) throws(LoadError) {
        guard ft.results == type.results else { throw .invalid("type mismatch", at: at) }
        try call(ft, op: op, immediates: immediates, trailing: trailing)
        try checkTop(type.results)
        branch(depth: controls.count - 1)
        setUnreachable()
    }

    private mutating func load(_ opcode: UInt8) throws(LoadError) {
        let sig = NumericTable.loads[Int(opcode) - 0x28]
        let m = try readMemArg(naturalAlignment: sig.alignment)
        guard m.isDefault else {
            let (_, addr) = try pop(addressType(memory: m.memory))
            let end = accessEnd(m, alignment: sig.alignment)
            if m.memory == 0 {
                emitResult(sig.m64, [addr] + end, sig.type)
            } else {
                emitResult(sig.mx, [addr, memoryWord(m.memory)] + end, sig.type)
            }
            return
        }
        let offset = UInt32(m.offset)
        let (addrOp, addr) = try pop(.i32)
        // An address computed by the instruction just before: fuse the add into the load.
        if lastProduced(stack.count, addrOp), let last = lastOp(),
           let fused = last == .i32Add ? sig.add : last == .i32AddImm ? sig.addImm : nil {
            let words = rewindLast()  // dst a b|imm
            if last == .i32Add, let scaled = sig.addShl, let (base, index, shift) = shiftedIndex(words[1], words[2]) {
                emitResult(scaled, [base, index, shift, offset], sig.type)
                return
            }
            emitResult(fused, [words[1], words[2], offset], sig.type)
            return
        }
        emitResult(sig.op, [addr, offset], sig.type)
    }

    /// If one of an `i32.add`'s operands `a`, `b` was the temp the instruction before
    /// computed as `x << shift` (an element index), removes that shift and returns the
    /// other operand, `x` and `shift`.
    private mutating func shiftedIndex(_ a: UInt32, _ b: UInt32) -> (UInt32, UInt32, UInt32)? {
        guard lastOp() == .i32ShlImm, lastDst >= 0, code[lastDst] == a || code[lastDst] == b else { return nil }
        let base = code[lastDst] == b ? a : b
        let words = rewindLast()  // dst x shift
        return (base, words[1], words[2])
    }

    private mutating func store(_ opcode: UInt8) throws(LoadError) {
        let sig = NumericTable.stores[Int(opcode) - 0x36]
        let m = try readMemArg(naturalAlignment: sig.alignment)
        guard m.isDefault else {
            let (_, v) = try pop(sig.type)
            let (_, addr) = try pop(addressType(memory: m.memory))
            let end = accessEnd(m, alignment: sig.alignment)
            if m.memory == 0 {
                emit(sig.m64, [addr, v] + end)
            } else {
                emit(sig.mx, [addr, v, memoryWord(m.memory)] + end)
            }
            return
        }
        let offset = UInt32(m.offset)
        let (vOp, v) = try pop(sig.type)
        // A constant stored: the value travels in the instruction.
        if let imm = sig.imm, let value = takeConstant(vOp, at: stack.count, wide: sig.type == .i64) {
            let (_, addr) = try pop(.i32)
            emit(imm, [addr, value, offset])
            return
        }
        let (addrOp, addr) = try pop(.i32)
        // The add must be the last instruction: then the value was not computed after it.
        if lastProduced(stack.count, addrOp), let last = lastOp(), code[lastDst] != v,
           let fused = last == .i32Add ? sig.add : last == .i32AddImm ? sig.addImm : nil {
            let words = rewindLast()  // dst a b|imm
            if last == .i32Add, let scaled = sig.addShl, let (base, index, shift) = shiftedIndex(words[1], words[2]) {
                emit(scaled, [base, index, shift, v, offset])
                return
            }
            emit(fused, [words[1], words[2], v, offset])
            return
        }
        emit(sig.op, [addr, v, offset])
    }

    private mutating func prefixed(_ at: Int) throws(LoadError) {
        let sub = try reader.readU32()
        switch sub {
        case 0...7:
            try numeric(NumericTable.saturating[Int(sub)])
        case 8:  // memory.init
            let d = try readData()
            let m = try readMemoryIndex()
            let t = addressType(memory: m)
            let (_, n) = try pop(.i32)
            let (_, s) = try pop(.i32)
            let (_, dst) = try pop(t)
            if m == 0 && t == .i32 {
                emit(.memoryInit, [d, dst, s, n])
            } else {
                emit(.memoryInitX, [d, dst, s, n, memoryWord(m)])
            }
        case 9:  // data.drop
            emit(.dataDrop, [try readData()])
        case 10:  // memory.copy dst src
            let dm = try readMemoryIndex()
            let sm = try readMemoryIndex()
            let dt = addressType(memory: dm), st = addressType(memory: sm)
            // The length has the smaller of the two address types.
            let (_, n) = try pop(dt == .i64 && st == .i64 ? .i64 : .i32)
            let (_, s) = try pop(st)
            let (_, d) = try pop(dt)
            if dm == 0 && sm == 0 && dt == .i32 {
                emit(.memoryCopy, [d, s, n])
            } else {
                emit(.memoryCopyX, [d, s, n, memoryWord(dm), memoryWord(sm)])
            }
        case 11:  // memory.fill
            let m = try readMemoryIndex()
            let t = addressType(memory: m)
            let (_, n) = try pop(t)
            let (_, v) = try pop(.i32)
            let (_, d) = try pop(t)
            if m == 0 && t == .i32 {
                emit(.memoryFill, [d, v, n])
            } else {
                emit(.memoryFillX, [d, v, n, memoryWord(m)])
            }
        case 12:  // table.init elem table
            let e = try readElem()
            let t = try readTable()
            guard module.tables[Int(t)].elementType == module.elementTypes[Int(e)] else { throw .invalid("type mismatch", at: at) }
            let (_, n) = try pop(.i32)
            let (_, s) = try pop(.i32)
            let d = try popIndex(table: t)
            emit(.tableInit, [t, e, d, s, n])
        case 13:  // elem.drop
            emit(.elemDrop, [try readElem()])
        case 14:  // table.copy dst src
            let dt = try readTable()
            let st = try readTable()
            guard module.tables[Int(dt)].elementType == module.tables[Int(st)].elementType else { throw .invalid("type mismatch", at: at) }
            // The length has the smaller of the two index types.
            let both64 = module.tables[Int(dt)].limits.is64 && module.tables[Int(st)].limits.is64
            let n = try popIndex(table: both64 ? dt : module.tables[Int(dt)].limits.is64 ? st : dt)
            let s = try popIndex(table: st)
            let d = try popIndex(table: dt)
            emit(.tableCopy, [dt, st, d, s, n])
        case 15:  // table.grow
            let t = try readTable()
            let n = try popIndex(table: t)
            let (_, v) = try pop(module.tables[Int(t)].elementType)
            let is64 = module.tables[Int(t)].limits.is64
            emitResult(.tableGrow, [t, v, n], is64 ? .i64 : .i32)
            if is64 {
                // -1 (u32.max from the 32-bit op) as an i64; no size reaches u32.max.
                let r = slot(Int(stack[stack.count - 1].cell))
                emit(.i64ExtendI32S, [r, r])
            }
        case 16:  // table.size
            let t = try readTable()
            emitResult(.tableSize, [t], module.tables[Int(t)].limits.addressType)
        case 17:  // table.fill
            let t = try readTable()
            let n = try popIndex(table: t)
            let (_, v) = try pop(module.tables[Int(t)].elementType)
            let i = try popIndex(table: t)
            emit(.tableFill, [t, i, v, n])
        default:
            throw .malformed("illegal opcode 0xfc \(sub)", at: at)
        }
    }

    /// A SIMD instruction (0xFD prefix): `v128.const` and `i8x16.shuffle` here, the rest
    /// from the table of Utilities/simd.txt.
    @inline(never)  // (keeps `step` as small as it was: its inlining decisions show in load time)
    private mutating func simd(_ at: Int) throws(LoadError) {
        guard module.features.contains(.simd) else { throw .malformed("illegal opcode 0xfd", at: at) }
        let sub = try reader.readU32()
        switch sub {
        case 12:  // v128.const
            var w: [UInt32] = []
            for _ in 0..<4 { w.append(try reader.readFixed32()) }
            pushConstant128(w)
            return
        case 13:  // i8x16.shuffle
            var w: [UInt32] = [0, 0, 0, 0]
            for i in 0..<16 {
                let laneAt = reader.offset
                let l = try reader.readByte()
                guard l < 32 else { throw .invalid("invalid lane index", at: laneAt) }
                w[i / 4] |= UInt32(l) << (8 * UInt32(i % 4))
            }
            let (_, b) = try pop(.v128)
            let (_, a) = try pop(.v128)
            emitResult(.i8x16Shuffle, [a, b] + w, .v128)
            return
        default:
            break
        }
        guard sub < NumericTable.simd.count, let sig = NumericTable.simd[Int(sub)],
              sub < 0x100 || module.features.contains(.relaxedSimd)
        else { throw .malformed("illegal opcode 0xfd \(sub)", at: at) }
        if let mx = sig.mx {
            let m = try readMemArg(naturalAlignment: sig.alignment)
            let lane = try readLane(sig.lanes)
            var value: [UInt32] = []
            if !sig.params.isEmpty { value = [try pop(.v128).1] }
            let (_, addr) = try pop(addressType(memory: m.memory))
            let operands = m.isDefault
                ? [addr] + value + [UInt32(m.offset)] + lane
                : [addr] + value + [memoryWord(m.memory)] + accessEnd(m, alignment: sig.alignment) + lane
            let op = m.isDefault ? sig.op : mx
            if let t = sig.result { emitResult(op, operands, t) } else { emit(op, operands) }
            return
        }
        let lane = try readLane(sig.lanes)
        var slots = [UInt32](repeating: 0, count: sig.params.count)
        for i in sig.params.indices.reversed() { slots[i] = try pop(sig.params[i]).1 }
        if let t = sig.result { emitResult(sig.op, slots + lane, t) } else { emit(sig.op, slots + lane) }
    }

    /// A lane index immediate (one byte) below `lanes`; none if `lanes` is 0.
    private mutating func readLane(_ lanes: UInt8) throws(LoadError) -> [UInt32] {
        guard lanes > 0 else { return [] }
        let at = reader.offset
        let l = try reader.readByte()
        guard l < lanes else { throw .invalid("invalid lane index", at: at) }
        return [UInt32(l)]
    }

    #if Threads
    /// An atomic instruction: `atomic dst sub a b c offset offhi` (unused operands are 0;
    /// `sub` also carries the memory index and address type, see `atomicInstruction`).
    private mutating func atomic(_ at: Int) throws(LoadError) {
        let sub = try reader.readU32()
        guard sub <= 0xFF, let op = AtomicOp(rawValue: UInt8(sub)) else {
            throw .malformed("illegal opcode 0xfe \(sub)", at: at)
        }
        if case .fence = op.shape {
            try readZeroByte()
            emit(.atomic, [0, UInt32(op.rawValue), 0, 0, 0, 0, 0])
            return
        }
        // Atomic accesses must state exactly their natural alignment.
        let m = try readMemArg(naturalAlignment: UInt32(op.size.trailingZeroBitCount), exact: true)
        let a = addressType(memory: m.memory)
        let code = UInt32(op.rawValue) | m.memory << 8 | (m.is64 ? 1 << 31 : 0)
        let offset = words(m.offset)
        let t = op.valueType
        switch op.shape {
        case .load:
            let (_, addr) = try pop(a)
            emitResult(.atomic, [code, addr, 0, 0] + offset, t)
        case .store:
            let (_, v) = try pop(t)
            let (_, addr) = try pop(a)
            emit(.atomic, [0, code, addr, v, 0] + offset)
        case .rmw:
            let (_, v) = try pop(t)
            let (_, addr) = try pop(a)
            emitResult(.atomic, [code, addr, v, 0] + offset, t)
        case .cmpxchg:
            let (_, r) = try pop(t)
            let (_, e) = try pop(t)
            let (_, addr) = try pop(a)
            emitResult(.atomic, [code, addr, e, r] + offset, t)
        case .wait:
            let (_, timeout) = try pop(.i64)
            let (_, e) = try pop(t)
            let (_, addr) = try pop(a)
            emitResult(.atomic, [code, addr, e, timeout] + offset, .i32)
        case .notify:
            let (_, n) = try pop(.i32)
            let (_, addr) = try pop(a)
            emitResult(.atomic, [code, addr, n, 0] + offset, .i32)
        case .fence:
            break
        }
    }
    #endif
}
