// Control instructions: https://webassembly.github.io/spec/core/exec/instructions.html#control-instructions
//
// Branches and calls are where interrupts are checked: they count down, and when
// the countdown expires the `check` cold path runs at the target (the callee's entry
// for calls), so a resumed execution simply continues there. A wasm call pushes a
// CallFrame in the context's own buffer and jumps: no Swift recursion per call.

import Synchronization

extension Interpreter {
    @inline(__always)
    static func unreachable(_ r: R) -> Next { r.trap(.unreachable) }

    /// `brTableAddImm index add count offsets...`: `brTable` on `index + add` (a switch whose
    /// cases do not start at 0).
    @inline(__always)
    static func brTableAddImm(_ r: R) -> Next { r.branch(5 + Int(min(r.i32(2) &+ r.word(3), r.word(4)))) }

    @inline(__always)
    static func call(_ r: R) -> Next {
        let callee = r.inst.pointee.functions[r.slot(2)]
        return enter(r, callee, args: r.fp + r.slot(3), width: 4)
    }

    /// `callInternal function argBase code code2 frameCells localStart localCells`: a call
    /// of a function of the same module, whose code and frame the loader patched in.
    @inline(__always)
    static func callInternal(_ r: R) -> Next {
        let st = r.st
        let args = r.fp + r.slot(3)
        let code = UnsafePointer<UInt32>(bitPattern: UInt(r.word(4)) | UInt(r.word(5)) << 32).unsafelyUnwrapped
        let cs = r.cs
        guard _fastPath(UnsafeRawPointer(cs) < st.pointee.csEnd && UnsafePointer(args + r.slot(6)) <= st.pointee.stackEnd)
        else { return r.trap(.callStackExhausted) }
        cs.initialize(to: CallFrame(returnPC: r.pc + 9, fp: r.fp, instance: r.inst, function: r.word(2)))
        r.cs = cs + 1
        st.pointee.calls &+= 1
        zeroLocals(args + r.slot(7), r.slot(8))
        r.fp = args
        r.pc = code
        return r.countDown(code)
    }

    @inline(__always)
    static func callIndirect(_ r: R) -> Next {
        guard let callee = indirectCallee(r) else { return r.st.pointee.stop }
        return enter(r, callee, args: r.fp + r.slot(4), width: 6)
    }

    /// The callee of `callIndirect`/`returnCallIndirect table type argBase index`, or nil
    /// with the trap recorded (the caller then stops).
    @inline(__always)
    static func indirectCallee(_ r: R) -> UnsafeMutablePointer<FunctionEntity>? {
        let table = r.inst.pointee.tables[r.slot(2)]
        let i = Int(r.i32(5))
        let trap: TrapCode
        if i < table.pointee.count {
            if let callee = UnsafeMutablePointer<FunctionEntity>(bitPattern: UInt(table.pointee.elements[i])) {
                if callee.pointee.typeID == Int(r.word(3)) { return callee }
                trap = .indirectCallTypeMismatch
            } else {
                trap = .uninitializedElement
            }
        } else {
            trap = .undefinedElement
        }
        _ = r.trap(trap)
        return nil
    }

    /// Calls `callee` with its arguments (and frame) at `args`; the caller continues
    /// `width` words on. A host function goes to the `hostCall` cold path.
    @inline(__always)
    static func enter(_ r: R, _ callee: UnsafeMutablePointer<FunctionEntity>, args: Frame, width: Int) -> Next {
        let st = r.st
        guard let code = callee.pointee.code else {
            st.pointee.hostCallee = UnsafeMutableRawPointer(callee)
            st.pointee.hostArgs = args
            st.pointee.hostReturn = r.pc + width
            return st.pointee.hostCall
        }
        let cs = r.cs
        guard _fastPath(UnsafeRawPointer(cs) < st.pointee.csEnd && UnsafePointer(args + callee.pointee.frameCells) <= st.pointee.stackEnd)
        else { return r.trap(.callStackExhausted) }
        cs.initialize(to: CallFrame(returnPC: r.pc + width, fp: r.fp, instance: r.inst, function: callee.pointee.index))
        r.cs = cs + 1
        st.pointee.calls &+= 1
        zeroLocals(args + callee.pointee.paramCells, callee.pointee.localCells)
        r.fp = args
        r.pc = code
        let ci = callee.pointee.instance.unsafelyUnwrapped
        if ci != r.inst {
            r.inst = ci
            r.loadMemory()
        }
        return r.countDown(code)
    }

    @inline(__always)
    static func ret(_ r: R) -> Next {
        let f = r.cs - 1
        r.cs = f
        let pc = f.pointee.returnPC
        r.pc = pc
        r.fp = f.pointee.fp
        if f.pointee.instance != r.inst {
            r.inst = f.pointee.instance
            r.loadMemory()
        }
        return pc.handler
    }

    /// `retValue value`: returns the function's single result from slot `value`.
    @inline(__always)
    static func retValue(_ r: R) -> Next {
        r.fp[0] = r.i64(2)
        return ret(r)
    }

    /// The end of the entry trampoline: the invoked function returned.
    @inline(__always)
    static func exit(_ r: R) -> Next { r.st.pointee.stop }

    /// Zeroes a callee's non-parameter locals, inline: most functions have a few. The
    /// stores are relaxed atomics (plain stores in machine code) only so that the
    /// optimizer does not turn the loop into a call to memset, which would make the
    /// call handler spill every register.
    @inline(__always)
    static func zeroLocals(_ p: Frame, _ count: Int) {
        var i = 0
        while i < count {
            UnsafeMutablePointer<Atomic<UInt64>>(OpaquePointer(p + i)).pointee.store(0, ordering: .relaxed)
            i &+= 1
        }
    }

    // MARK: Cold paths

    /// The interrupt countdown expired: ask the interrupt sources (DESIGN.md §3.1).
    /// Stopping here leaves pc at the branch target or callee entry, so `resume` continues.
    @inline(__always)
    static func check(_ r: R) -> Next {
        let st = r.st
        st.pointee.periods &+= 1
        r.cd = st.pointee.interval
        return checkInterrupt(r) ? st.pointee.stop : r.pc.handler
    }

    @inline(never)
    static func checkInterrupt(_ r: R) -> Bool {
        let ctx = context(r)
        guard let e = ctx.checkInterrupt() else { return false }
        ctx.pendingError = e
        return true
    }

    /// Calls the host function that `enter` found. A restartable error stops at the
    /// call instruction: resuming runs the call again, which finds `restartState`.
    @inline(__always)
    static func hostCall(_ r: R) -> Next {
        let st = r.st
        guard callHost(r) else { return hostCallFailed(r) }
        r.loadMemory()
        let pc = st.pointee.hostReturn.unsafelyUnwrapped
        r.pc = pc
        return pc.handler
    }

    @inline(never)
    static func callHost(_ r: R) -> Bool {
        let st = r.st
        st.pointee.saved = r.pointee
        let ctx = context(r)
        let callee = st.pointee.hostCallee.unsafelyUnwrapped.assumingMemoryBound(to: FunctionEntity.self)
        guard let e = callHost(ctx, callee, args: st.pointee.hostArgs.unsafelyUnwrapped) else { return true }
        ctx.pendingError = e
        return false
    }

    /// The ExecutionContext of a running handler (unretained: it outlives the run).
    @inline(__always)
    static func context(_ r: R) -> ExecutionContext {
        Unmanaged<ExecutionContext>.fromOpaque(r.st.pointee.context).takeUnretainedValue()
    }

    /// Calls a host function with its parameters at `args`; results are written there.
    /// A restartable error leaves `ctx.restartState` for the re-executed call.
    @inline(never)
    static func callHost(_ ctx: ExecutionContext, _ callee: UnsafeMutablePointer<FunctionEntity>, args: UnsafeMutablePointer<UInt64>) -> ExecutionError? {
        guard let host = callee.pointee.host else { return .trap(.host("not a host function")) }
        let caller = ctx.currentInstance?.pointee.owner.takeUnretainedValue()
        ctx.statistics.hostCalls &+= 1
        let resultCells = callee.pointee.resultCells
        guard resultCells <= ctx.stackEnd - args else { return .trap(.callStackExhausted) }
        do {
            try host.takeUnretainedValue().body(HostCall(context: ctx, caller: caller, cells: args))
            ctx.restartState = nil
            return nil
        } catch {
            if case .trap = error.kind, error.backtrace.isEmpty {
                var e = error
                e.backtrace = ctx.backtrace
                return e
            }
            return error
        }
    }

    static func frameInfo(_ instance: UnsafeMutablePointer<InstanceData>, _ index: UInt32) -> BacktraceFrame {
        let name = instance.pointee.owner.takeUnretainedValue().module.info.functionNames[index]
        return BacktraceFrame(functionIndex: index, name: name)
    }
}
