// The interpreter loop (https://webassembly.github.io/spec/core/exec/instructions.html).
//
// One `switch` over `Op` on translated code. Machine state lives in locals while
// the loop runs and is written back to the ExecutionContext when it stops, so a
// stop at any instruction boundary (trap, interrupt, restartable host call) is
// just a return. Wasm calls push a CallFrame in the context's own buffer: no
// Swift recursion per wasm call.

// Linear memory is little-endian and accessed with native loads and stores.
#if _endian(big)
#error("rewasm supports little-endian hosts only")
#endif

enum Interpreter {
    /// Code of the embedder's entry frame: returning into it ends `run`.
    nonisolated(unsafe) static let exitTrampoline: UnsafePointer<UInt32> = {
        let p = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
        p.initialize(to: UInt32(Op.exit.rawValue))
        return UnsafePointer(p)
    }()

    /// Runs the context from its saved state until the entry function returns (nil)
    /// or execution stops with an error (the state is saved for `resume`).
    static func run(_ ctx: ExecutionContext) -> ExecutionError? {
        var pc = ctx.pc
        var fp = ctx.fp
        var depth = ctx.depth
        var current = ctx.current
        guard var inst = current?.pointee.instance ?? (depth > 0 ? ctx.frames[depth - 1].instance : nil) else {
            return trapError(.host("no wasm function to run"))
        }
        var mem = inst.pointee.memory.pointee.base
        var memSize = UInt64(Memory.sizeForAccess(inst.pointee.memory))
        let frames = ctx.frames
        let maxDepth = ctx.maxFrames
        let stackEnd = ctx.stackEnd
        let interval = ctx.checkInterval
        var countdown = interval
        var periods: UInt64 = 0
        var calls: UInt64 = 0
        var outcome: ExecutionError?

        loop: while true {
            switch decode(pc.pointee) {
            // MARK: Control
            case .unreachable:
                outcome = trapError(.unreachable)
                break loop
            case .br:
                pc += Int(Int32(bitPattern: pc[1]))
                countdown &-= 1
                if countdown == 0 {
                    countdown = interval
                    periods &+= 1
                    if let e = ctx.checkInterrupt() { outcome = e; break loop }
                }
            case .brIf:
                if i32(fp, pc[1]) != 0 {
                    pc += Int(Int32(bitPattern: pc[2]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 3
                }
            case .brIfNot:
                if i32(fp, pc[1]) == 0 {
                    pc += Int(Int32(bitPattern: pc[2]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 3
                }
            case .brTable:
                let index = min(i32(fp, pc[1]), pc[2])
                pc += Int(Int32(bitPattern: pc[3 + Int(index)]))
                countdown &-= 1
                if countdown == 0 {
                    countdown = interval
                    periods &+= 1
                    if let e = ctx.checkInterrupt() { outcome = e; break loop }
                }
            case .call:
                let callee = inst.pointee.functions[Int(pc[1])]
                let newFP = fp + Int(pc[2])
                if let code = callee.pointee.code {
                    guard depth < maxDepth, callee.pointee.frameCells <= stackEnd - newFP else {
                        outcome = trapError(.callStackExhausted)
                        break loop
                    }
                    frames[depth] = CallFrame(returnPC: pc + 3, fp: fp, function: current, instance: inst)
                    depth &+= 1
                    calls &+= 1
                    zeroLocals(newFP + callee.pointee.paramCells, callee.pointee.localCells)
                    fp = newFP
                    pc = code
                    current = callee
                    let ci = callee.pointee.instance.unsafelyUnwrapped
                    if ci != inst {
                        inst = ci
                        mem = inst.pointee.memory.pointee.base
                        memSize = UInt64(Memory.sizeForAccess(inst.pointee.memory))
                    }
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    ctx.save(pc, fp, depth, current)
                    if let e = callHost(ctx, callee, args: newFP) { outcome = e; break loop }
                    mem = inst.pointee.memory.pointee.base
                    memSize = UInt64(Memory.sizeForAccess(inst.pointee.memory))
                    pc += 3
                }
            case .callIndirect:
                let table = inst.pointee.tables[Int(pc[1])]
                let i = Int(i32(fp, pc[4]))
                guard i < table.pointee.count else { outcome = trapError(.undefinedElement); break loop }
                let ref = table.pointee.elements[i]
                guard let callee = UnsafeMutablePointer<FunctionEntity>(bitPattern: UInt(ref)) else {
                    outcome = trapError(.uninitializedElement)
                    break loop
                }
                guard callee.pointee.typeID == Int(pc[2]) else {
                    outcome = trapError(.indirectCallTypeMismatch)
                    break loop
                }
                let newFP = fp + Int(pc[3])
                if let code = callee.pointee.code {
                    guard depth < maxDepth, callee.pointee.frameCells <= stackEnd - newFP else {
                        outcome = trapError(.callStackExhausted)
                        break loop
                    }
                    frames[depth] = CallFrame(returnPC: pc + 5, fp: fp, function: current, instance: inst)
                    depth &+= 1
                    calls &+= 1
                    zeroLocals(newFP + callee.pointee.paramCells, callee.pointee.localCells)
                    fp = newFP
                    pc = code
                    current = callee
                    let ci = callee.pointee.instance.unsafelyUnwrapped
                    if ci != inst {
                        inst = ci
                        mem = inst.pointee.memory.pointee.base
                        memSize = UInt64(Memory.sizeForAccess(inst.pointee.memory))
                    }
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    ctx.save(pc, fp, depth, current)
                    if let e = callHost(ctx, callee, args: newFP) { outcome = e; break loop }
                    mem = inst.pointee.memory.pointee.base
                    memSize = UInt64(Memory.sizeForAccess(inst.pointee.memory))
                    pc += 5
                }
            case .ret:
                depth &-= 1
                let f = frames[depth]
                pc = f.returnPC
                fp = f.fp
                current = f.function
                if let fi = f.instance, fi != inst {
                    inst = fi
                    mem = inst.pointee.memory.pointee.base
                    memSize = UInt64(Memory.sizeForAccess(inst.pointee.memory))
                }
            case .exit:
                break loop

            // MARK: Copies, constants, select
            case .copy:
                fp[Int(pc[1])] = fp[Int(pc[2])]
                pc += 3
            case .const32:
                fp[Int(pc[1])] = UInt64(pc[2])
                pc += 3
            case .const64:
                fp[Int(pc[1])] = UInt64(pc[2]) | UInt64(pc[3]) << 32
                pc += 4
            case .select:
                fp[Int(pc[1])] = i32(fp, pc[4]) != 0 ? fp[Int(pc[2])] : fp[Int(pc[3])]
                pc += 5

            // MARK: Variables
            case .globalGet:
                fp[Int(pc[1])] = inst.pointee.globals[Int(pc[2])].pointee
                pc += 3
            case .globalSet:
                inst.pointee.globals[Int(pc[2])].pointee = fp[Int(pc[1])]
                pc += 3

            // MARK: Tables and references
            case .tableGet, .tableSet, .tableSize, .tableGrow, .tableFill, .tableCopy, .tableInit, .elemDrop:
                if let t = tableInstruction(pc, fp, inst) { outcome = trapError(t); break loop }
                pc += width(pc)
            case .refIsNull:
                fp[Int(pc[1])] = fp[Int(pc[2])] == 0 ? 1 : 0
                pc += 3
            case .refFunc:
                fp[Int(pc[1])] = UInt64(UInt(bitPattern: inst.pointee.functions[Int(pc[2])]))
                pc += 3

            // MARK: Memory
            case .i32Load:
                let ea = UInt64(i32(fp, pc[2])) &+ UInt64(pc[3])
                guard ea &+ 4 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = UInt64(mem.loadUnaligned(fromByteOffset: Int(ea), as: UInt32.self))
                pc += 4
            case .i64Load:
                let ea = UInt64(i32(fp, pc[2])) &+ UInt64(pc[3])
                guard ea &+ 8 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = mem.loadUnaligned(fromByteOffset: Int(ea), as: UInt64.self)
                pc += 4
            case .f32Load:
                let ea = UInt64(i32(fp, pc[2])) &+ UInt64(pc[3])
                guard ea &+ 4 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = UInt64(mem.loadUnaligned(fromByteOffset: Int(ea), as: UInt32.self))
                pc += 4
            case .f64Load:
                let ea = UInt64(i32(fp, pc[2])) &+ UInt64(pc[3])
                guard ea &+ 8 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = mem.loadUnaligned(fromByteOffset: Int(ea), as: UInt64.self)
                pc += 4
            case .i32Load8S:
                let ea = UInt64(i32(fp, pc[2])) &+ UInt64(pc[3])
                guard ea &+ 1 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = UInt64(UInt32(bitPattern: Int32(mem.load(fromByteOffset: Int(ea), as: Int8.self))))
                pc += 4
            case .i32Load8U:
                let ea = UInt64(i32(fp, pc[2])) &+ UInt64(pc[3])
                guard ea &+ 1 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = UInt64(mem.load(fromByteOffset: Int(ea), as: UInt8.self))
                pc += 4
            case .i32Load16S:
                let ea = UInt64(i32(fp, pc[2])) &+ UInt64(pc[3])
                guard ea &+ 2 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = UInt64(UInt32(bitPattern: Int32(mem.loadUnaligned(fromByteOffset: Int(ea), as: Int16.self))))
                pc += 4
            case .i32Load16U:
                let ea = UInt64(i32(fp, pc[2])) &+ UInt64(pc[3])
                guard ea &+ 2 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = UInt64(mem.loadUnaligned(fromByteOffset: Int(ea), as: UInt16.self))
                pc += 4
            case .i64Load8S:
                let ea = UInt64(i32(fp, pc[2])) &+ UInt64(pc[3])
                guard ea &+ 1 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = UInt64(bitPattern: Int64(mem.load(fromByteOffset: Int(ea), as: Int8.self)))
                pc += 4
            case .i64Load8U:
                let ea = UInt64(i32(fp, pc[2])) &+ UInt64(pc[3])
                guard ea &+ 1 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = UInt64(mem.load(fromByteOffset: Int(ea), as: UInt8.self))
                pc += 4
            case .i64Load16S:
                let ea = UInt64(i32(fp, pc[2])) &+ UInt64(pc[3])
                guard ea &+ 2 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = UInt64(bitPattern: Int64(mem.loadUnaligned(fromByteOffset: Int(ea), as: Int16.self)))
                pc += 4
            case .i64Load16U:
                let ea = UInt64(i32(fp, pc[2])) &+ UInt64(pc[3])
                guard ea &+ 2 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = UInt64(mem.loadUnaligned(fromByteOffset: Int(ea), as: UInt16.self))
                pc += 4
            case .i64Load32S:
                let ea = UInt64(i32(fp, pc[2])) &+ UInt64(pc[3])
                guard ea &+ 4 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = UInt64(bitPattern: Int64(mem.loadUnaligned(fromByteOffset: Int(ea), as: Int32.self)))
                pc += 4
            case .i64Load32U:
                let ea = UInt64(i32(fp, pc[2])) &+ UInt64(pc[3])
                guard ea &+ 4 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = UInt64(mem.loadUnaligned(fromByteOffset: Int(ea), as: UInt32.self))
                pc += 4
            case .i32Store, .f32Store:
                let ea = UInt64(i32(fp, pc[1])) &+ UInt64(pc[3])
                guard ea &+ 4 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                mem.storeBytes(of: i32(fp, pc[2]), toByteOffset: Int(ea), as: UInt32.self)
                pc += 4
            case .i64Store, .f64Store:
                let ea = UInt64(i32(fp, pc[1])) &+ UInt64(pc[3])
                guard ea &+ 8 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                mem.storeBytes(of: fp[Int(pc[2])], toByteOffset: Int(ea), as: UInt64.self)
                pc += 4
            case .i32Store8, .i64Store8:
                let ea = UInt64(i32(fp, pc[1])) &+ UInt64(pc[3])
                guard ea &+ 1 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                mem.storeBytes(of: UInt8(truncatingIfNeeded: fp[Int(pc[2])]), toByteOffset: Int(ea), as: UInt8.self)
                pc += 4
            case .i32Store16, .i64Store16:
                let ea = UInt64(i32(fp, pc[1])) &+ UInt64(pc[3])
                guard ea &+ 2 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                mem.storeBytes(of: UInt16(truncatingIfNeeded: fp[Int(pc[2])]), toByteOffset: Int(ea), as: UInt16.self)
                pc += 4
            case .i64Store32:
                let ea = UInt64(i32(fp, pc[1])) &+ UInt64(pc[3])
                guard ea &+ 4 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                mem.storeBytes(of: UInt32(truncatingIfNeeded: fp[Int(pc[2])]), toByteOffset: Int(ea), as: UInt32.self)
                pc += 4
            case .load32Add:
                let ea = UInt64(i32(fp, pc[2]) &+ i32(fp, pc[3])) &+ UInt64(pc[4])
                guard ea &+ 4 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = UInt64(mem.loadUnaligned(fromByteOffset: Int(ea), as: UInt32.self))
                pc += 5
            case .load64Add:
                let ea = UInt64(i32(fp, pc[2]) &+ i32(fp, pc[3])) &+ UInt64(pc[4])
                guard ea &+ 8 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = mem.loadUnaligned(fromByteOffset: Int(ea), as: UInt64.self)
                pc += 5
            case .load8UAdd:
                let ea = UInt64(i32(fp, pc[2]) &+ i32(fp, pc[3])) &+ UInt64(pc[4])
                guard ea &+ 1 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = UInt64(mem.load(fromByteOffset: Int(ea), as: UInt8.self))
                pc += 5
            case .load8SAdd:
                let ea = UInt64(i32(fp, pc[2]) &+ i32(fp, pc[3])) &+ UInt64(pc[4])
                guard ea &+ 1 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = UInt64(UInt32(bitPattern: Int32(mem.load(fromByteOffset: Int(ea), as: Int8.self))))
                pc += 5
            case .load16UAdd:
                let ea = UInt64(i32(fp, pc[2]) &+ i32(fp, pc[3])) &+ UInt64(pc[4])
                guard ea &+ 2 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = UInt64(mem.loadUnaligned(fromByteOffset: Int(ea), as: UInt16.self))
                pc += 5
            case .store32Add:
                let ea = UInt64(i32(fp, pc[1]) &+ i32(fp, pc[2])) &+ UInt64(pc[4])
                guard ea &+ 4 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                mem.storeBytes(of: i32(fp, pc[3]), toByteOffset: Int(ea), as: UInt32.self)
                pc += 5
            case .store64Add:
                let ea = UInt64(i32(fp, pc[1]) &+ i32(fp, pc[2])) &+ UInt64(pc[4])
                guard ea &+ 8 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                mem.storeBytes(of: fp[Int(pc[3])], toByteOffset: Int(ea), as: UInt64.self)
                pc += 5
            case .store8Add:
                let ea = UInt64(i32(fp, pc[1]) &+ i32(fp, pc[2])) &+ UInt64(pc[4])
                guard ea &+ 1 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                mem.storeBytes(of: UInt8(truncatingIfNeeded: fp[Int(pc[3])]), toByteOffset: Int(ea), as: UInt8.self)
                pc += 5
            case .load32AddImm:
                let ea = UInt64(i32(fp, pc[2]) &+ pc[3]) &+ UInt64(pc[4])
                guard ea &+ 4 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = UInt64(mem.loadUnaligned(fromByteOffset: Int(ea), as: UInt32.self))
                pc += 5
            case .load64AddImm:
                let ea = UInt64(i32(fp, pc[2]) &+ pc[3]) &+ UInt64(pc[4])
                guard ea &+ 8 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = mem.loadUnaligned(fromByteOffset: Int(ea), as: UInt64.self)
                pc += 5
            case .load8UAddImm:
                let ea = UInt64(i32(fp, pc[2]) &+ pc[3]) &+ UInt64(pc[4])
                guard ea &+ 1 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                fp[Int(pc[1])] = UInt64(mem.load(fromByteOffset: Int(ea), as: UInt8.self))
                pc += 5
            case .store32AddImm:
                let ea = UInt64(i32(fp, pc[1]) &+ pc[2]) &+ UInt64(pc[4])
                guard ea &+ 4 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                mem.storeBytes(of: i32(fp, pc[3]), toByteOffset: Int(ea), as: UInt32.self)
                pc += 5
            case .store64AddImm:
                let ea = UInt64(i32(fp, pc[1]) &+ pc[2]) &+ UInt64(pc[4])
                guard ea &+ 8 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                mem.storeBytes(of: fp[Int(pc[3])], toByteOffset: Int(ea), as: UInt64.self)
                pc += 5
            case .store8AddImm:
                let ea = UInt64(i32(fp, pc[1]) &+ pc[2]) &+ UInt64(pc[4])
                guard ea &+ 1 <= memSize else { outcome = trapError(.memoryOutOfBounds); break loop }
                mem.storeBytes(of: UInt8(truncatingIfNeeded: fp[Int(pc[3])]), toByteOffset: Int(ea), as: UInt8.self)
                pc += 5
            case .memorySize:
                fp[Int(pc[1])] = UInt64(Memory.loadByteCount(inst.pointee.memory) >> 16)
                pc += 2
            // Out of line, one call site: memory.grow, bulk memory, and atomics (a wait
            // or a grow that must unwind returns its error and stays at the instruction).
            case .memoryGrow, .memoryFill, .memoryCopy, .memoryInit, .dataDrop, .atomic:
                if let e = memoryInstruction(ctx, pc, fp, inst) { outcome = e; break loop }
                mem = inst.pointee.memory.pointee.base
                memSize = UInt64(Memory.sizeForAccess(inst.pointee.memory))
                pc += width(pc)

            // MARK: Numeric: comparisons
            case .i32Eqz: unary32(pc, fp) { $0 == 0 ? 1 : 0 }; pc += 3
            case .i32Eq: compare32(pc, fp, ==); pc += 4
            case .i32Ne: compare32(pc, fp, !=); pc += 4
            case .i32LtS: compare32(pc, fp) { Int32(bitPattern: $0) < Int32(bitPattern: $1) }; pc += 4
            case .i32LtU: compare32(pc, fp, <); pc += 4
            case .i32GtS: compare32(pc, fp) { Int32(bitPattern: $0) > Int32(bitPattern: $1) }; pc += 4
            case .i32GtU: compare32(pc, fp, >); pc += 4
            case .i32LeS: compare32(pc, fp) { Int32(bitPattern: $0) <= Int32(bitPattern: $1) }; pc += 4
            case .i32LeU: compare32(pc, fp, <=); pc += 4
            case .i32GeS: compare32(pc, fp) { Int32(bitPattern: $0) >= Int32(bitPattern: $1) }; pc += 4
            case .i32GeU: compare32(pc, fp, >=); pc += 4
            case .i64Eqz: fp[Int(pc[1])] = fp[Int(pc[2])] == 0 ? 1 : 0; pc += 3
            case .i64Eq: compare64(pc, fp, ==); pc += 4
            case .i64Ne: compare64(pc, fp, !=); pc += 4
            case .i64LtS: compare64(pc, fp) { Int64(bitPattern: $0) < Int64(bitPattern: $1) }; pc += 4
            case .i64LtU: compare64(pc, fp, <); pc += 4
            case .i64GtS: compare64(pc, fp) { Int64(bitPattern: $0) > Int64(bitPattern: $1) }; pc += 4
            case .i64GtU: compare64(pc, fp, >); pc += 4
            case .i64LeS: compare64(pc, fp) { Int64(bitPattern: $0) <= Int64(bitPattern: $1) }; pc += 4
            case .i64LeU: compare64(pc, fp, <=); pc += 4
            case .i64GeS: compare64(pc, fp) { Int64(bitPattern: $0) >= Int64(bitPattern: $1) }; pc += 4
            case .i64GeU: compare64(pc, fp, >=); pc += 4
            case .f32Eq: compareF32(pc, fp, ==); pc += 4
            case .f32Ne: compareF32(pc, fp, !=); pc += 4
            case .f32Lt: compareF32(pc, fp, <); pc += 4
            case .f32Gt: compareF32(pc, fp, >); pc += 4
            case .f32Le: compareF32(pc, fp, <=); pc += 4
            case .f32Ge: compareF32(pc, fp, >=); pc += 4
            case .f64Eq: compareF64(pc, fp, ==); pc += 4
            case .f64Ne: compareF64(pc, fp, !=); pc += 4
            case .f64Lt: compareF64(pc, fp, <); pc += 4
            case .f64Gt: compareF64(pc, fp, >); pc += 4
            case .f64Le: compareF64(pc, fp, <=); pc += 4
            case .f64Ge: compareF64(pc, fp, >=); pc += 4

            // MARK: Numeric: i32
            case .i32Clz: unary32(pc, fp) { UInt32($0.leadingZeroBitCount) }; pc += 3
            case .i32Ctz: unary32(pc, fp) { UInt32($0.trailingZeroBitCount) }; pc += 3
            case .i32Popcnt: unary32(pc, fp) { UInt32($0.nonzeroBitCount) }; pc += 3
            case .i32Add: binary32(pc, fp, &+); pc += 4
            case .i32Sub: binary32(pc, fp, &-); pc += 4
            case .i32Mul: binary32(pc, fp, &*); pc += 4
            case .i32DivS:
                let a = Int32(bitPattern: i32(fp, pc[2])), b = Int32(bitPattern: i32(fp, pc[3]))
                guard b != 0 else { outcome = trapError(.integerDivideByZero); break loop }
                guard !(a == Int32.min && b == -1) else { outcome = trapError(.integerOverflow); break loop }
                fp[Int(pc[1])] = UInt64(UInt32(bitPattern: a / b))
                pc += 4
            case .i32DivU:
                let a = i32(fp, pc[2]), b = i32(fp, pc[3])
                guard b != 0 else { outcome = trapError(.integerDivideByZero); break loop }
                fp[Int(pc[1])] = UInt64(a / b)
                pc += 4
            case .i32RemS:
                let a = Int32(bitPattern: i32(fp, pc[2])), b = Int32(bitPattern: i32(fp, pc[3]))
                guard b != 0 else { outcome = trapError(.integerDivideByZero); break loop }
                fp[Int(pc[1])] = b == -1 ? 0 : UInt64(UInt32(bitPattern: a % b))
                pc += 4
            case .i32RemU:
                let a = i32(fp, pc[2]), b = i32(fp, pc[3])
                guard b != 0 else { outcome = trapError(.integerDivideByZero); break loop }
                fp[Int(pc[1])] = UInt64(a % b)
                pc += 4
            case .i32And: binary32(pc, fp, &); pc += 4
            case .i32Or: binary32(pc, fp, |); pc += 4
            case .i32Xor: binary32(pc, fp, ^); pc += 4
            case .i32Shl: binary32(pc, fp, &<<); pc += 4
            case .i32ShrS: binary32(pc, fp) { UInt32(bitPattern: Int32(bitPattern: $0) &>> Int32(bitPattern: $1)) }; pc += 4
            case .i32ShrU: binary32(pc, fp, &>>); pc += 4
            case .i32Rotl: binary32(pc, fp, rotl32); pc += 4
            case .i32Rotr: binary32(pc, fp, rotr32); pc += 4

            // MARK: Numeric: i64
            case .i64Clz: unary64(pc, fp) { UInt64($0.leadingZeroBitCount) }; pc += 3
            case .i64Ctz: unary64(pc, fp) { UInt64($0.trailingZeroBitCount) }; pc += 3
            case .i64Popcnt: unary64(pc, fp) { UInt64($0.nonzeroBitCount) }; pc += 3
            case .i64Add: binary64(pc, fp, &+); pc += 4
            case .i64Sub: binary64(pc, fp, &-); pc += 4
            case .i64Mul: binary64(pc, fp, &*); pc += 4
            case .i64DivS:
                let a = Int64(bitPattern: fp[Int(pc[2])]), b = Int64(bitPattern: fp[Int(pc[3])])
                guard b != 0 else { outcome = trapError(.integerDivideByZero); break loop }
                guard !(a == Int64.min && b == -1) else { outcome = trapError(.integerOverflow); break loop }
                fp[Int(pc[1])] = UInt64(bitPattern: a / b)
                pc += 4
            case .i64DivU:
                let a = fp[Int(pc[2])], b = fp[Int(pc[3])]
                guard b != 0 else { outcome = trapError(.integerDivideByZero); break loop }
                fp[Int(pc[1])] = a / b
                pc += 4
            case .i64RemS:
                let a = Int64(bitPattern: fp[Int(pc[2])]), b = Int64(bitPattern: fp[Int(pc[3])])
                guard b != 0 else { outcome = trapError(.integerDivideByZero); break loop }
                fp[Int(pc[1])] = b == -1 ? 0 : UInt64(bitPattern: a % b)
                pc += 4
            case .i64RemU:
                let a = fp[Int(pc[2])], b = fp[Int(pc[3])]
                guard b != 0 else { outcome = trapError(.integerDivideByZero); break loop }
                fp[Int(pc[1])] = a % b
                pc += 4
            case .i64And: binary64(pc, fp, &); pc += 4
            case .i64Or: binary64(pc, fp, |); pc += 4
            case .i64Xor: binary64(pc, fp, ^); pc += 4
            case .i64Shl: binary64(pc, fp, &<<); pc += 4
            case .i64ShrS: binary64(pc, fp) { UInt64(bitPattern: Int64(bitPattern: $0) &>> Int64(bitPattern: $1)) }; pc += 4
            case .i64ShrU: binary64(pc, fp, &>>); pc += 4
            case .i64Rotl: binary64(pc, fp, rotl64); pc += 4
            case .i64Rotr: binary64(pc, fp, rotr64); pc += 4

            // MARK: Numeric: f32, f64
            case .f32Abs: unary32(pc, fp) { $0 & 0x7FFF_FFFF }; pc += 3
            case .f32Neg: unary32(pc, fp) { $0 ^ 0x8000_0000 }; pc += 3
            case .f32Ceil: unaryF32(pc, fp) { $0.rounded(.up) }; pc += 3
            case .f32Floor: unaryF32(pc, fp) { $0.rounded(.down) }; pc += 3
            case .f32Trunc: unaryF32(pc, fp) { $0.rounded(.towardZero) }; pc += 3
            case .f32Nearest: unaryF32(pc, fp) { $0.rounded(.toNearestOrEven) }; pc += 3
            case .f32Sqrt: unaryF32(pc, fp) { $0.squareRoot() }; pc += 3
            case .f32Add: binaryF32(pc, fp, +); pc += 4
            case .f32Sub: binaryF32(pc, fp, -); pc += 4
            case .f32Mul: binaryF32(pc, fp, *); pc += 4
            case .f32Div: binaryF32(pc, fp, /); pc += 4
            case .f32Min: binaryF32(pc, fp, fmin); pc += 4
            case .f32Max: binaryF32(pc, fp, fmax); pc += 4
            case .f32Copysign: binary32(pc, fp, copysign32); pc += 4
            case .f64Abs: unary64(pc, fp) { $0 & 0x7FFF_FFFF_FFFF_FFFF }; pc += 3
            case .f64Neg: unary64(pc, fp) { $0 ^ 0x8000_0000_0000_0000 }; pc += 3
            case .f64Ceil: unaryF64(pc, fp) { $0.rounded(.up) }; pc += 3
            case .f64Floor: unaryF64(pc, fp) { $0.rounded(.down) }; pc += 3
            case .f64Trunc: unaryF64(pc, fp) { $0.rounded(.towardZero) }; pc += 3
            case .f64Nearest: unaryF64(pc, fp) { $0.rounded(.toNearestOrEven) }; pc += 3
            case .f64Sqrt: unaryF64(pc, fp) { $0.squareRoot() }; pc += 3
            case .f64Add: binaryF64(pc, fp, +); pc += 4
            case .f64Sub: binaryF64(pc, fp, -); pc += 4
            case .f64Mul: binaryF64(pc, fp, *); pc += 4
            case .f64Div: binaryF64(pc, fp, /); pc += 4
            case .f64Min: binaryF64(pc, fp, fmin); pc += 4
            case .f64Max: binaryF64(pc, fp, fmax); pc += 4
            case .f64Copysign: binary64(pc, fp, copysign64); pc += 4

            // MARK: Numeric: conversions
            case .i32WrapI64: fp[Int(pc[1])] = fp[Int(pc[2])] & 0xFFFF_FFFF; pc += 3
            case .i32TruncF32S, .i32TruncF64S, .i32TruncF32U, .i32TruncF64U,
                 .i64TruncF32S, .i64TruncF64S, .i64TruncF32U, .i64TruncF64U:
                switch truncate(pc.pointee, fp[Int(pc[2])]) {
                case .success(let v): fp[Int(pc[1])] = v
                case .failure(let t): outcome = trapError(t); break loop
                }
                pc += 3
            case .i64ExtendI32S: fp[Int(pc[1])] = UInt64(bitPattern: Int64(Int32(bitPattern: i32(fp, pc[2])))); pc += 3
            case .i64ExtendI32U: fp[Int(pc[1])] = UInt64(i32(fp, pc[2])); pc += 3
            case .f32ConvertI32S: fp[Int(pc[1])] = UInt64(Float(Int32(bitPattern: i32(fp, pc[2]))).bitPattern); pc += 3
            case .f32ConvertI32U: fp[Int(pc[1])] = UInt64(Float(i32(fp, pc[2])).bitPattern); pc += 3
            case .f32ConvertI64S: fp[Int(pc[1])] = UInt64(Float(Int64(bitPattern: fp[Int(pc[2])])).bitPattern); pc += 3
            case .f32ConvertI64U: fp[Int(pc[1])] = UInt64(Float(fp[Int(pc[2])]).bitPattern); pc += 3
            case .f32DemoteF64: fp[Int(pc[1])] = UInt64(Float(f64(fp, pc[2])).bitPattern); pc += 3
            case .f64ConvertI32S: fp[Int(pc[1])] = Double(Int32(bitPattern: i32(fp, pc[2]))).bitPattern; pc += 3
            case .f64ConvertI32U: fp[Int(pc[1])] = Double(i32(fp, pc[2])).bitPattern; pc += 3
            case .f64ConvertI64S: fp[Int(pc[1])] = Double(Int64(bitPattern: fp[Int(pc[2])])).bitPattern; pc += 3
            case .f64ConvertI64U: fp[Int(pc[1])] = Double(fp[Int(pc[2])]).bitPattern; pc += 3
            case .f64PromoteF32: fp[Int(pc[1])] = Double(f32(fp, pc[2])).bitPattern; pc += 3
            case .i32Extend8S: unary32(pc, fp) { UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: $0))) }; pc += 3
            case .i32Extend16S: unary32(pc, fp) { UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: $0))) }; pc += 3
            case .i64Extend8S: unary64(pc, fp) { UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: $0))) }; pc += 3
            case .i64Extend16S: unary64(pc, fp) { UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: $0))) }; pc += 3
            case .i64Extend32S: unary64(pc, fp) { UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: $0))) }; pc += 3
            case .i32TruncSatF32S: fp[Int(pc[1])] = UInt64(satI32S(Double(f32(fp, pc[2])))); pc += 3
            case .i32TruncSatF32U: fp[Int(pc[1])] = UInt64(satI32U(Double(f32(fp, pc[2])))); pc += 3
            case .i32TruncSatF64S: fp[Int(pc[1])] = UInt64(satI32S(f64(fp, pc[2]))); pc += 3
            case .i32TruncSatF64U: fp[Int(pc[1])] = UInt64(satI32U(f64(fp, pc[2]))); pc += 3
            case .i64TruncSatF32S: fp[Int(pc[1])] = satI64S(Double(f32(fp, pc[2]))); pc += 3
            case .i64TruncSatF32U: fp[Int(pc[1])] = satI64U(Double(f32(fp, pc[2]))); pc += 3
            case .i64TruncSatF64S: fp[Int(pc[1])] = satI64S(f64(fp, pc[2])); pc += 3
            case .i64TruncSatF64U: fp[Int(pc[1])] = satI64U(f64(fp, pc[2])); pc += 3

            // MARK: Fused forms
            case .i32AddImm: fp[Int(pc[1])] = UInt64(i32(fp, pc[2]) &+ pc[3]); pc += 4
            case .i32SubImm: fp[Int(pc[1])] = UInt64(i32(fp, pc[2]) &- pc[3]); pc += 4
            case .i32AndImm: fp[Int(pc[1])] = UInt64(i32(fp, pc[2]) & pc[3]); pc += 4
            case .i32OrImm: fp[Int(pc[1])] = UInt64(i32(fp, pc[2]) | pc[3]); pc += 4
            case .i32XorImm: fp[Int(pc[1])] = UInt64(i32(fp, pc[2]) ^ pc[3]); pc += 4
            case .i32ShlImm: fp[Int(pc[1])] = UInt64(i32(fp, pc[2]) &<< pc[3]); pc += 4
            case .i32ShrSImm: fp[Int(pc[1])] = UInt64(UInt32(bitPattern: Int32(bitPattern: i32(fp, pc[2])) &>> Int32(bitPattern: pc[3]))); pc += 4
            case .i32ShrUImm: fp[Int(pc[1])] = UInt64(i32(fp, pc[2]) &>> pc[3]); pc += 4
            case .i64AddImm: fp[Int(pc[1])] = fp[Int(pc[2])] &+ imm64(pc[3]); pc += 4
            case .i64SubImm: fp[Int(pc[1])] = fp[Int(pc[2])] &- imm64(pc[3]); pc += 4
            case .i64AndImm: fp[Int(pc[1])] = fp[Int(pc[2])] & imm64(pc[3]); pc += 4
            case .i64OrImm: fp[Int(pc[1])] = fp[Int(pc[2])] | imm64(pc[3]); pc += 4
            case .i64XorImm: fp[Int(pc[1])] = fp[Int(pc[2])] ^ imm64(pc[3]); pc += 4
            case .i64ShlImm: fp[Int(pc[1])] = fp[Int(pc[2])] &<< imm64(pc[3]); pc += 4
            case .i64ShrSImm: fp[Int(pc[1])] = UInt64(bitPattern: Int64(bitPattern: fp[Int(pc[2])]) &>> Int64(Int32(bitPattern: pc[3]))); pc += 4
            case .i64ShrUImm: fp[Int(pc[1])] = fp[Int(pc[2])] &>> imm64(pc[3]); pc += 4
            case .i64RotlImm: fp[Int(pc[1])] = rotl64(fp[Int(pc[2])], imm64(pc[3])); pc += 4
            case .i32MulImm: fp[Int(pc[1])] = UInt64(i32(fp, pc[2]) &* pc[3]); pc += 4
            case .i32EqImm: fp[Int(pc[1])] = i32(fp, pc[2]) == pc[3] ? 1 : 0; pc += 4
            case .i32NeImm: fp[Int(pc[1])] = i32(fp, pc[2]) != pc[3] ? 1 : 0; pc += 4
            case .i32LtSImm: fp[Int(pc[1])] = Int32(bitPattern: i32(fp, pc[2])) < Int32(bitPattern: pc[3]) ? 1 : 0; pc += 4
            case .i32LtUImm: fp[Int(pc[1])] = i32(fp, pc[2]) < pc[3] ? 1 : 0; pc += 4
            case .i32GtSImm: fp[Int(pc[1])] = Int32(bitPattern: i32(fp, pc[2])) > Int32(bitPattern: pc[3]) ? 1 : 0; pc += 4
            case .i32GtUImm: fp[Int(pc[1])] = i32(fp, pc[2]) > pc[3] ? 1 : 0; pc += 4
            case .i32LeSImm: fp[Int(pc[1])] = Int32(bitPattern: i32(fp, pc[2])) <= Int32(bitPattern: pc[3]) ? 1 : 0; pc += 4
            case .i32LeUImm: fp[Int(pc[1])] = i32(fp, pc[2]) <= pc[3] ? 1 : 0; pc += 4
            case .i32GeSImm: fp[Int(pc[1])] = Int32(bitPattern: i32(fp, pc[2])) >= Int32(bitPattern: pc[3]) ? 1 : 0; pc += 4
            case .i32GeUImm: fp[Int(pc[1])] = i32(fp, pc[2]) >= pc[3] ? 1 : 0; pc += 4
            case .brIfI32EqImm:
                if i32(fp, pc[1]) == pc[2] {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI32NeImm:
                if i32(fp, pc[1]) != pc[2] {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI32LtSImm:
                if Int32(bitPattern: i32(fp, pc[1])) < Int32(bitPattern: pc[2]) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI32LtUImm:
                if i32(fp, pc[1]) < pc[2] {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI32GtSImm:
                if Int32(bitPattern: i32(fp, pc[1])) > Int32(bitPattern: pc[2]) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI32GtUImm:
                if i32(fp, pc[1]) > pc[2] {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI32LeSImm:
                if Int32(bitPattern: i32(fp, pc[1])) <= Int32(bitPattern: pc[2]) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI32LeUImm:
                if i32(fp, pc[1]) <= pc[2] {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI32GeSImm:
                if Int32(bitPattern: i32(fp, pc[1])) >= Int32(bitPattern: pc[2]) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI32GeUImm:
                if i32(fp, pc[1]) >= pc[2] {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .i64MulImm: fp[Int(pc[1])] = fp[Int(pc[2])] &* imm64(pc[3]); pc += 4
            case .i64EqImm: fp[Int(pc[1])] = fp[Int(pc[2])] == imm64(pc[3]) ? 1 : 0; pc += 4
            case .i64NeImm: fp[Int(pc[1])] = fp[Int(pc[2])] != imm64(pc[3]) ? 1 : 0; pc += 4
            case .i64LtSImm: fp[Int(pc[1])] = Int64(bitPattern: fp[Int(pc[2])]) < Int64(Int32(bitPattern: pc[3])) ? 1 : 0; pc += 4
            case .i64LtUImm: fp[Int(pc[1])] = fp[Int(pc[2])] < imm64(pc[3]) ? 1 : 0; pc += 4
            case .i64GtSImm: fp[Int(pc[1])] = Int64(bitPattern: fp[Int(pc[2])]) > Int64(Int32(bitPattern: pc[3])) ? 1 : 0; pc += 4
            case .i64GtUImm: fp[Int(pc[1])] = fp[Int(pc[2])] > imm64(pc[3]) ? 1 : 0; pc += 4
            case .i64LeSImm: fp[Int(pc[1])] = Int64(bitPattern: fp[Int(pc[2])]) <= Int64(Int32(bitPattern: pc[3])) ? 1 : 0; pc += 4
            case .i64LeUImm: fp[Int(pc[1])] = fp[Int(pc[2])] <= imm64(pc[3]) ? 1 : 0; pc += 4
            case .i64GeSImm: fp[Int(pc[1])] = Int64(bitPattern: fp[Int(pc[2])]) >= Int64(Int32(bitPattern: pc[3])) ? 1 : 0; pc += 4
            case .i64GeUImm: fp[Int(pc[1])] = fp[Int(pc[2])] >= imm64(pc[3]) ? 1 : 0; pc += 4
            case .brIfI64EqImm:
                if fp[Int(pc[1])] == imm64(pc[2]) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI64NeImm:
                if fp[Int(pc[1])] != imm64(pc[2]) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI64LtSImm:
                if Int64(bitPattern: fp[Int(pc[1])]) < Int64(Int32(bitPattern: pc[2])) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI64LtUImm:
                if fp[Int(pc[1])] < imm64(pc[2]) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI64GtSImm:
                if Int64(bitPattern: fp[Int(pc[1])]) > Int64(Int32(bitPattern: pc[2])) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI64GtUImm:
                if fp[Int(pc[1])] > imm64(pc[2]) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI64LeSImm:
                if Int64(bitPattern: fp[Int(pc[1])]) <= Int64(Int32(bitPattern: pc[2])) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI64LeUImm:
                if fp[Int(pc[1])] <= imm64(pc[2]) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI64GeSImm:
                if Int64(bitPattern: fp[Int(pc[1])]) >= Int64(Int32(bitPattern: pc[2])) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI64GeUImm:
                if fp[Int(pc[1])] >= imm64(pc[2]) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .i32RotlImm: fp[Int(pc[1])] = UInt64(rotl32(i32(fp, pc[2]), pc[3])); pc += 4
            case .brIfI32Eqz:
                if i32(fp, pc[1]) == 0 {
                    pc += Int(Int32(bitPattern: pc[2]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 3
                }
            case .brIfI32Nez:
                if i32(fp, pc[1]) != 0 {
                    pc += Int(Int32(bitPattern: pc[2]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 3
                }
            case .brIfI64Eqz:
                if fp[Int(pc[1])] == 0 {
                    pc += Int(Int32(bitPattern: pc[2]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 3
                }
            case .brIfI64Nez:
                if fp[Int(pc[1])] != 0 {
                    pc += Int(Int32(bitPattern: pc[2]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 3
                }
            case .brIfI32Eq:
                if i32(fp, pc[1]) == i32(fp, pc[2]) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI32Ne:
                if i32(fp, pc[1]) != i32(fp, pc[2]) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI32LtS:
                if Int32(bitPattern: i32(fp, pc[1])) < Int32(bitPattern: i32(fp, pc[2])) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI32LtU:
                if i32(fp, pc[1]) < i32(fp, pc[2]) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI32GtS:
                if Int32(bitPattern: i32(fp, pc[1])) > Int32(bitPattern: i32(fp, pc[2])) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI32GtU:
                if i32(fp, pc[1]) > i32(fp, pc[2]) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI32LeS:
                if Int32(bitPattern: i32(fp, pc[1])) <= Int32(bitPattern: i32(fp, pc[2])) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI32LeU:
                if i32(fp, pc[1]) <= i32(fp, pc[2]) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI32GeS:
                if Int32(bitPattern: i32(fp, pc[1])) >= Int32(bitPattern: i32(fp, pc[2])) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI32GeU:
                if i32(fp, pc[1]) >= i32(fp, pc[2]) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI64Eq:
                if fp[Int(pc[1])] == fp[Int(pc[2])] {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI64Ne:
                if fp[Int(pc[1])] != fp[Int(pc[2])] {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI64LtS:
                if Int64(bitPattern: fp[Int(pc[1])]) < Int64(bitPattern: fp[Int(pc[2])]) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI64LtU:
                if fp[Int(pc[1])] < fp[Int(pc[2])] {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI64GtS:
                if Int64(bitPattern: fp[Int(pc[1])]) > Int64(bitPattern: fp[Int(pc[2])]) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI64GtU:
                if fp[Int(pc[1])] > fp[Int(pc[2])] {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI64LeS:
                if Int64(bitPattern: fp[Int(pc[1])]) <= Int64(bitPattern: fp[Int(pc[2])]) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI64LeU:
                if fp[Int(pc[1])] <= fp[Int(pc[2])] {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI64GeS:
                if Int64(bitPattern: fp[Int(pc[1])]) >= Int64(bitPattern: fp[Int(pc[2])]) {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            case .brIfI64GeU:
                if fp[Int(pc[1])] >= fp[Int(pc[2])] {
                    pc += Int(Int32(bitPattern: pc[3]))
                    countdown &-= 1
                    if countdown == 0 {
                        countdown = interval
                        periods &+= 1
                        if let e = ctx.checkInterrupt() { outcome = e; break loop }
                    }
                } else {
                    pc += 4
                }
            }
        }

        ctx.save(pc, fp, depth, current)
        ctx.statistics.calls &+= calls
        ctx.statistics.branchesAndCalls &+= periods &* UInt64(interval) &+ UInt64(interval - countdown)
        if var e = outcome, case .trap(let t) = e.kind {
            // Another thread grew the shared memory after this loop read its size:
            // run again, re-executing the access with the current size.
            if t == .memoryOutOfBounds, UInt64(Memory.loadByteCount(inst.pointee.memory)) > memSize,
               decode(pc.pointee) != .call, decode(pc.pointee) != .callIndirect {
                return run(ctx)
            }
            e.backtrace = ctx.backtrace
            return e
        }
        return outcome
    }

    /// The op of a code word. Ops are numbered from 0 in declaration order, so the
    /// enum's in-memory tag equals the raw value and the cast needs no range check.
    @inline(__always)
    static func decode(_ word: UInt32) -> Op {
        if MemoryLayout<Op>.size == 1 {
            return unsafeBitCast(UInt8(truncatingIfNeeded: word), to: Op.self)
        }
        return unsafeBitCast(UInt16(truncatingIfNeeded: word), to: Op.self)
    }

    /// Zeroes a callee's non-parameter locals (inline: most functions have a few).
    @inline(__always)
    static func zeroLocals(_ p: UnsafeMutablePointer<UInt64>, _ count: Int) {
        var i = 0
        while i < count {
            p[i] = 0
            i &+= 1
        }
    }

    /// A sign-extended 32-bit immediate.
    @inline(__always)
    static func imm64(_ w: UInt32) -> UInt64 { UInt64(bitPattern: Int64(Int32(bitPattern: w))) }

    @inline(never)
    static func trapError(_ t: Trap) -> ExecutionError { ExecutionError(.trap(t)) }

    /// The width of the instruction at `pc`, out of line: handlers that need it do not
    /// keep the dispatched op alive, which keeps the shared dispatch sequence short
    /// (docs/DESIGN-NOTES.md, "Dispatch-layout sensitivity").
    @inline(never)
    static func width(_ pc: Code) -> Int { decode(pc.pointee).width }

    /// Trapping float-to-integer truncations (spec §4.3.2 trunc) of the op in `word`.
    @inline(never)
    static func truncate(_ word: UInt32, _ cell: UInt64) -> Result<UInt64, Trap> {
        let op = decode(word)
        let isF32 = op == .i32TruncF32S || op == .i32TruncF32U || op == .i64TruncF32S || op == .i64TruncF32U
        let x = isF32 ? Double(Float(bitPattern: UInt32(truncatingIfNeeded: cell))) : Double(bitPattern: cell)
        if x.isNaN { return .failure(.invalidConversionToInteger) }
        switch op {
        case .i32TruncF32S, .i32TruncF64S:
            guard inRange(x, -2147483649.0, 2147483648.0) else { return .failure(.integerOverflow) }
            return .success(UInt64(UInt32(bitPattern: Int32(x))))
        case .i32TruncF32U, .i32TruncF64U:
            guard inRange(x, -1.0, 4294967296.0) else { return .failure(.integerOverflow) }
            return .success(UInt64(UInt32(x)))
        case .i64TruncF32S, .i64TruncF64S:
            guard x >= -9223372036854775808.0 && x < 9223372036854775808.0 else { return .failure(.integerOverflow) }
            return .success(UInt64(bitPattern: Int64(x)))
        default:
            guard inRange(x, -1.0, 18446744073709551616.0) else { return .failure(.integerOverflow) }
            return .success(UInt64(x))
        }
    }
}

extension ExecutionContext {
    @inline(__always)
    func save(_ pc: UnsafePointer<UInt32>, _ fp: UnsafeMutablePointer<UInt64>, _ depth: Int, _ current: UnsafeMutablePointer<FunctionEntity>?) {
        self.pc = pc
        self.fp = fp
        self.depth = depth
        self.current = current
    }
}
