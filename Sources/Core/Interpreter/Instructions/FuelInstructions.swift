// Fuel metering: not a WebAssembly instruction but rewasm's deterministic budget, as
// wasmtime's and wasmi's fuel (https://docs.wasmtime.dev/api/wasmtime/struct.Store.html#method.set_fuel).
// A module translated with fuel on starts every straight-line segment (function entry,
// block, loop header, if/else arms, after `end` and after a `br_if`) with a `fuel`
// instruction charging the segment's wasm instruction count; unmetered modules have none.

extension Interpreter {
    /// Charges `amount`, or stops with `outOfFuel` before the segment runs, leaving pc
    /// here: after `ExecutionContext.addFuel(_:)`, `resume()` charges it again.
    @inline(__always)
    static func fuel(_ r: R) -> Next {
        let st = r.st
        let amount = UInt64(r.word(2))
        let left = st.pointee.fuel
        guard left >= amount else {
            st.pointee.trap = TrapCode.outOfFuel.rawValue
            return st.pointee.stop
        }
        st.pointee.fuel = left &- amount
        return r.next(3)
    }
}
