// Tail calls (WebAssembly 3.0): https://webassembly.github.io/spec/core/exec/instructions.html#xref-syntax-instructions-syntax-instr-control-mathsf-return-call-x
//
// `return_call` replaces the running function's frame with the callee's: the
// arguments move down to the frame's base, the call-stack entry stays (its return
// address is the caller's), and control jumps to the callee. So a tail-call loop
// grows neither the VM stack nor the call stack nor the host stack. The callee's
// entry counts down to an interrupt check like any call: an infinite tail-call loop
// stops for `--timeout`, and a restart resumes at the callee's first instruction
// with the new frame in place. A host callee is called normally (its results land
// at the arguments), and the translator's `return` code after the instruction
// moves the results and returns.

import Synchronization

extension Interpreter {
    /// `returnCall function argBase`
    @inline(__always)
    static func returnCall(_ r: R) -> Next {
        let callee = r.inst.pointee.functions[r.slot(2)]
        return tailEnter(r, callee, args: r.fp + r.slot(3), width: 4)
    }

    /// `returnCallInternal function argBase code code2 frameCells localStart localCells`:
    /// a function of the same module, its code and frame patched in by the loader.
    @inline(__always)
    static func returnCallInternal(_ r: R) -> Next {
        let code = UnsafePointer<UInt32>(bitPattern: UInt(r.word(4)) | UInt(r.word(5)) << 32).unsafelyUnwrapped
        return replaceFrame(
            r, code: code, instance: r.inst, function: r.word(2), args: r.fp + r.slot(3),
            frameCells: r.slot(6), paramCells: r.slot(7), localCells: r.slot(8))
    }

    /// `returnCallIndirect table type argBase index`
    @inline(__always)
    static func returnCallIndirect(_ r: R) -> Next {
        guard let callee = indirectCallee(r) else { return r.st.pointee.stop }
        return tailEnter(r, callee, args: r.fp + r.slot(4), width: 6)
    }

    /// Tail-calls `callee` with its arguments at `args`. A host function is called as by
    /// `call` (it cannot take over a frame); execution then continues `width` words on,
    /// with the translator's return code.
    @inline(__always)
    static func tailEnter(_ r: R, _ callee: UnsafeMutablePointer<FunctionEntity>, args: Frame, width: Int) -> Next {
        guard let code = callee.pointee.code else { return enter(r, callee, args: args, width: width) }
        return replaceFrame(
            r, code: code, instance: callee.pointee.instance.unsafelyUnwrapped, function: callee.pointee.index,
            args: args, frameCells: callee.pointee.frameCells, paramCells: callee.pointee.paramCells,
            localCells: callee.pointee.localCells)
    }

    /// Moves the arguments to the frame's base, zeroes the callee's locals and jumps to
    /// its code. Nothing is written before the stack check, so a trap leaves the frame
    /// as it was.
    @inline(__always)
    static func replaceFrame(
        _ r: R, code: Code, instance: UnsafeMutablePointer<InstanceData>, function: UInt32, args: Frame,
        frameCells: Int, paramCells: Int, localCells: Int
    ) -> Next {
        let st = r.st
        let fp = r.fp
        guard _fastPath(UnsafePointer(fp + frameCells) <= st.pointee.stackEnd) else { return r.trap(.callStackExhausted) }
        // Upward copy: `args` is never below `fp`. (Relaxed atomics, plain moves in machine
        // code, keep the optimizer from calling memmove, as in `zeroLocals`.)
        var i = 0
        while i < paramCells {
            UnsafeMutablePointer<Atomic<UInt64>>(OpaquePointer(fp + i)).pointee.store(args[i], ordering: .relaxed)
            i &+= 1
        }
        zeroLocals(fp + paramCells, localCells)
        (r.cs - 1).pointee.function = function
        st.pointee.calls &+= 1
        r.pc = code
        if instance != r.inst {
            r.inst = instance
            r.loadMemory()
        }
        return r.countDown(code)
    }
}
