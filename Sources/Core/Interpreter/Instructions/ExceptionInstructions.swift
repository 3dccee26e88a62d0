// Exception handling (WebAssembly 3.0): https://webassembly.github.io/spec/core/exec/instructions.html#xref-syntax-instructions-syntax-instr-control-mathsf-throw-x
//
// Zero cost until something is thrown: `try_table` emits no code. Its body's code
// range and catch clauses are a table the translator builds (`CatchRange`); a throw
// allocates the exception object (ExceptionStore) and the unwinder walks the call
// frames, looking each frame's position up in its function's table, innermost first.
// A matching clause continues at its landing pad (code after the function's end),
// whose `catchValues` takes the payload and exnref, and which then branches to the
// clause's label. No frame matches: the exception ends the call
// (`ExecutionError.Kind.exception`). A host function's exception (thrown as that same
// error) unwinds from its call instruction the same way.

extension Interpreter {
    /// `throwTag tag argBase`: throws a new exception of `tag` with the payload at `argBase`.
    @inline(__always)
    static func throwTag(_ r: R) -> Next { throwNew(r, r.inst.pointee.tags[r.slot(2)]) }

    /// `throwRef exn` (Bodies that differ, so that LLVM does not merge the two handlers
    /// into one with an extra parameter, which breaks their guaranteed tail calls.)
    @inline(__always)
    static func throwRef(_ r: R) -> Next {
        let handle = r.i64(2)
        guard handle != 0 else { return r.trap(.nullExceptionReference) }
        return throwExisting(r, handle)
    }

    /// `catchValues first kind`: a landing pad's first instruction. Puts the caught
    /// exception's payload (`catch`, `catch_ref`) and exnref (`catch_ref`,
    /// `catch_all_ref`) in the slots from `first`.
    @inline(__always)
    static func catchValues(_ r: R) -> Next {
        takeCaught(r)
        return r.next(4)
    }

    @inline(never)
    static func throwNew(_ r: R, _ tag: UnsafeMutablePointer<TagEntity>) -> Next {
        r.st.pointee.saved = r.pointee
        let handle = Unmanaged<ExecutionContext>.fromOpaque(r.st.pointee.context)._withUnsafeGuaranteedRef { ctx in
            ctx.exceptions.allocate(
                tag: tag, payload: r.fp + r.slot(3), count: tag.pointee.cells, owner: ObjectIdentifier(ctx),
                period: ctx.exceptionPeriod, roots: ctx.liveStack)
        }
        return unwind(r, handle, tag)
    }

    @inline(never)
    static func throwExisting(_ r: R, _ handle: UInt64) -> Next {
        guard let tag = context(r).runtime.exceptions.tag(handle) else { return r.trap(.staleExceptionReference) }
        return unwind(r, handle, tag)
    }

    @inline(never)
    static func takeCaught(_ r: R) {
        // Borrowed, not retained: this runs once per caught exception.
        Unmanaged<ExecutionContext>.fromOpaque(r.st.pointee.context)._withUnsafeGuaranteedRef { ctx in
            let handle = ctx.caught
            ctx.caught = 0
            let first = r.fp + r.slot(2)
            let kind = r.word(3)
            var n = 0
            if kind < 2 { n = ctx.exceptions.copyPayload(handle, to: first) ?? 0 }
            if kind & 1 != 0 { first[n] = handle }
        }
    }

    /// Unwinds from the instruction at `r.pc` to the innermost handler of the exception
    /// `handle` (of `tag`), leaving frames that have none; stops with the exception if
    /// no frame has one.
    /// With `leaving`, the running function has already ended (a tail call of a host
    /// function threw): its handlers do not apply.
    static func unwind(_ r: R, _ handle: UInt64, _ tag: UnsafeMutablePointer<TagEntity>, leaving: Bool = false) -> Next {
        var pc = r.pc
        var search = !leaving
        while true {
            let top = r.cs - 1
            let inst = r.inst
            // Borrowed, not retained: a throw walks every frame it leaves.
            let pad: Code? = !search ? nil : inst.pointee.owner._withUnsafeGuaranteedRef { instance in
                handler(instance.module, function: Int(top.pointee.function), at: pc, tag: tag, tags: inst.pointee.tags)
            }
            if let pad {
                Unmanaged<ExecutionContext>.fromOpaque(r.st.pointee.context)._withUnsafeGuaranteedRef { $0.caught = handle }
                r.pc = pad
                return pad.handler
            }
            if top.pointee.returnPC == exitTrampoline {
                let ctx = context(r)
                r.st.pointee.saved = r.pointee
                guard let e = ctx.runtime.exception(handle) else { return r.trap(.staleExceptionReference) }
                return stop(r, .exception(e))
            }
            // Leave the function: the caller's call instruction is where it continues.
            search = true
            r.cs = top
            r.fp = top.pointee.fp
            pc = top.pointee.returnPC - 1
            r.pc = pc
            if top.pointee.instance != r.inst {
                r.inst = top.pointee.instance
                r.loadMemory()
            }
        }
    }

    /// The landing pad in `module`'s function `function` (its index space) for an
    /// exception of `tag` thrown at `pc`: the first matching clause of the innermost range.
    static func handler(
        _ module: Module, function: Int, at pc: Code, tag: UnsafeMutablePointer<TagEntity>,
        tags: UnsafeMutablePointer<UnsafeMutablePointer<TagEntity>>
    ) -> Code? {
        let defined = function - module.importedFunctions
        guard defined >= 0 && defined < module.catchRanges.count else { return nil }
        let code = UnsafePointer(module.code)
        let offset = pc - code
        return module.catchRanges.withUnsafeBufferPointer { all in
            for range in all[defined] where offset >= range.start && offset < range.end {
                for c in range.clauses where c.kind >= 2 || tags[Int(c.tag)] == tag {
                    return code + c.pad
                }
            }
            return nil
        }
    }

    /// A host function threw a wasm exception: it unwinds from the call instruction.
    /// Any other error stops the run.
    @inline(never)
    static func hostCallFailed(_ r: R) -> Next {
        let ctx = context(r)
        guard let e = ctx.pendingError?.exception else { return r.st.pointee.stop }
        ctx.pendingError = nil
        guard e.payload.map(\.type) == e.tag.type.params else {
            return stop(r, .trap(.host("a host function threw an exception whose payload does not match its tag")))
        }
        r.loadMemory()
        r.st.pointee.saved = r.pointee
        let handle = ctx.runtime.handle(for: e, owner: ctx, roots: ctx.liveStack)
        // A tail call of a host function: the caller's frame is logically gone.
        let h = r.pc.handler
        let tail = h == Handlers.address(.returnCall) || h == Handlers.address(.returnCallIndirect)
        return unwind(r, handle, e.tag.entity, leaving: tail)
    }
}
