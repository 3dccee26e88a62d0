// The interpreter (https://webassembly.github.io/spec/core/exec/instructions.html).
//
// Translated code is threaded: every instruction starts with its handler's address,
// and each handler ends by jumping to the next instruction's handler (CInterpreter).
// Machine state (RWRegs) travels between handlers in registers and is written back
// to the ExecutionContext only when a handler stops, so a stop at any instruction
// boundary (trap, interrupt, restartable host call) is just a return from `run`.
// The handlers are in Instructions/, one file per instruction family.

import CInterpreter

// Linear memory is little-endian and accessed with native loads and stores.
#if _endian(big)
#error("rewasm supports little-endian hosts only")
#endif

enum Interpreter {
    /// Code of the embedder's entry frame: returning into it ends `run`.
    nonisolated(unsafe) static let exitTrampoline: Code = {
        let p = UnsafeMutablePointer<UInt32>.allocate(capacity: 2)
        let h = Handlers.address(.exit)
        p[0] = UInt32(truncatingIfNeeded: h)
        p[1] = UInt32(truncatingIfNeeded: h >> 32)
        return UnsafePointer(p)
    }()

    /// The instance register of a context that has run nothing yet (never read: `run`
    /// needs a wasm frame).
    nonisolated(unsafe) static let noInstance = UnsafeMutableRawPointer.allocate(
        byteCount: MemoryLayout<InstanceData>.size, alignment: MemoryLayout<InstanceData>.alignment)

    /// Runs the context from its saved state until the entry function returns (nil)
    /// or execution stops with an error (the state is saved for `resume`).
    static func run(_ ctx: ExecutionContext) -> ExecutionError? {
        guard ctx.depth > 0 else { return .trap(.host("no wasm function to run")) }
        let st = ctx.state
        // The memory may have grown or moved (SharedMemRealloc) since the last run.
        let m = st.pointee.saved.inst.assumingMemoryBound(to: InstanceData.self).pointee.memory
        st.pointee.saved.md = m.pointee.base.assumingMemoryBound(to: UInt8.self)
        st.pointee.saved.ms = UInt64(Memory.sizeForAccess(m))
        st.pointee.saved.cd = st.pointee.interval
        st.pointee.trap = 0
        ctx.pendingError = nil

        Handlers.run(st)

        let interval = UInt64(st.pointee.interval)
        ctx.statistics.calls &+= st.pointee.calls
        ctx.statistics.branchesAndCalls &+= st.pointee.periods &* interval &+ (interval &- UInt64(st.pointee.saved.cd))
        st.pointee.calls = 0
        st.pointee.periods = 0
        var error = ctx.pendingError
        ctx.pendingError = nil
        if let e = TrapCode(rawValue: st.pointee.trap)?.error {
            error = e
        }
        if var e = error, case .trap = e.kind, e.backtrace.isEmpty {
            e.backtrace = ctx.backtrace
            return e
        }
        return error
    }
}
