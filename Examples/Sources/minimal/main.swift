// minimal: load a module, instantiate it, call an export, print the result.
//
// The smallest embedding of rewasm: a Module (decoded, validated and translated once),
// a Runtime (the store that owns instances), an Instance, and an ExecutionContext (one
// wasm thread's stacks) to run a call on.

import Core
import RewasmCore

runExample("minimal") {
    // Modules/compute.wasm exports fib(n) (see compute.wat).
    let module = try Module(bytes: try loadWasm("compute.wasm"))
    let runtime = Runtime()
    let instance = try runtime.instantiate(module)  // no imports needed
    let context = ExecutionContext(runtime: runtime)

    guard let fib = instance.function("fib") else { throw ExampleError("no export fib") }
    print("fib has type \(fib.type)")
    let results = try context.invoke(fib, [.i32(25)])
    print("fib(25) = \(results[0])")
    check(results == [.i32(75025)], "fib(25) is 75025")

    // A context can run any number of calls, one after the other.
    let more = try (0...10).map { n in try context.invoke(fib, [.i32(UInt32(n))])[0] }
    print("fib(0...10) = \(more.map(\.description).joined(separator: " "))")
    check(more.last == .i32(55), "fib(10) is 55")

    // Traps are thrown as ExecutionError.
    do {
        _ = try context.invoke(fib, [.i64(1)])  // wrong argument type
        check(false, "a wrong argument type is refused")
    } catch {
        print("invoking fib with an i64: \(error)")
        check(true, "a wrong argument type is refused")
    }
}
