// Control instructions: https://webassembly.github.io/spec/core/exec/instructions.html#control-instructions
// The wasm-to-wasm call path is inline in the loop; this file holds the host call
// (where restartable errors enter the protocol) and backtrace support.

extension Interpreter {
    /// Calls a host function with its parameters at `args`; results are written there.
    /// A restartable error leaves `ctx.restartState` for the re-executed call.
    @inline(never)
    static func callHost(_ ctx: ExecutionContext, _ callee: UnsafeMutablePointer<FunctionEntity>, args: UnsafeMutablePointer<UInt64>) -> ExecutionError? {
        guard let host = callee.pointee.host else { return trapError(.host("not a host function")) }
        let caller = ctx.current?.pointee.instance?.pointee.owner.takeUnretainedValue()
        ctx.statistics.hostCalls &+= 1
        let resultCells = callee.pointee.resultCells
        guard resultCells <= ctx.stackEnd - args else { return trapError(.callStackExhausted) }
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

    static func frameInfo(_ f: UnsafeMutablePointer<FunctionEntity>) -> BacktraceFrame {
        let index = f.pointee.index
        let name = f.pointee.instance?.pointee.owner.takeUnretainedValue().module.info.functionNames[index]
        return BacktraceFrame(functionIndex: index, name: name)
    }
}
