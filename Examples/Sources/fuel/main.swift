// fuel: deterministic execution budgets.
//
// With `Configuration.fuel` set, every wasm instruction executed costs one unit of
// fuel. When a context runs out, the call stops with the restartable error
// `outOfFuel`; `addFuel(_:)` and `resume()` continue it where it stopped. Unlike a
// timer, fuel counts work, not time: the same call always consumes the same fuel, and
// stops at the same instruction, on any machine and however it is sliced.

import Core
import RewasmCore

/// Runs fib(n) on a fresh context that starts with `budget` and gets `budget` more
/// whenever it runs out. Returns the result, how often it ran out, and the fuel used.
func fibInChunks(_ n: UInt32, budget: UInt64, configuration base: Configuration) throws -> (Value, Int, UInt64) {
    var configuration = base
    configuration.fuel = budget  // every new context starts with this much
    let runtime = Runtime(configuration: configuration)
    // The module must be translated for fuel metering: Module(bytes:configuration:).
    let instance = try runtime.instantiate(try loadModule("compute.wasm", configuration: configuration))
    let context = ExecutionContext(runtime: runtime)
    let fib = try function(instance, "fib")
    var stops = 0
    var outcome: Result<[Value], ExecutionError>
    do { outcome = .success(try context.invokeHandlingRestarts(fib, [.i32(n)])) } catch {
        outcome = .failure(error)
    }
    while case .failure(let error) = outcome, error.kind == .outOfFuel {
        stops += 1
        context.addFuel(budget)
        // resume(), with restarts handled (torture mode below injects them).
        do { outcome = .success(try context.resumeHandlingRestarts()) } catch { outcome = .failure(error) }
    }
    return (try outcome.get()[0], stops, context.fuelConsumed)
}

runExample("fuel") {
    var configuration = Configuration()
    configuration.fuel = 10_000

    section("an endless loop stops when its fuel is used up")
    let runtime = Runtime(configuration: configuration)
    let instance = try runtime.instantiate(try loadModule("compute.wasm", configuration: configuration))
    let context = ExecutionContext(runtime: runtime)
    guard let ticks = instance.global("ticks") else { throw ExampleError("no global ticks") }
    print("the context starts with \(context.fuel) fuel")
    do {
        _ = try context.invokeHandlingRestarts(try function(instance, "spin"), [])
        check(false, "spin stops")
    } catch let error as ExecutionError where error.kind == .outOfFuel {
        print("\(error) after \(ticks.value) iterations; fuel left \(context.fuel), consumed \(context.fuelConsumed)")
        check(context.isSuspended, "out of fuel suspends the execution")
    }
    let firstStop = ticks.value
    context.addFuel(5_000)
    do { _ = try context.resume() } catch let error as ExecutionError where error.kind == .outOfFuel {
        print("with 5000 more: \(ticks.value) iterations; consumed \(context.fuelConsumed)")
    }
    check(context.fuelConsumed > 10_000, "resume consumed the added fuel")
    context.abandon()

    // The same budget stops the same loop at the same instruction, every time.
    let again = ExecutionContext(runtime: runtime)
    let instance2 = try runtime.instantiate(try loadModule("compute.wasm", configuration: configuration))
    do { _ = try again.invoke(try function(instance2, "spin"), []) } catch let error as ExecutionError where error.kind == .outOfFuel {}
    print("a second instance with the same budget stopped after \(instance2.global("ticks")?.value ?? .i64(0)) iterations")
    check(instance2.global("ticks")?.value == firstStop, "the same budget stops at the same point")

    section("fib(22) in chunks of fuel: the same result and the same total")
    // Reference: an unmetered runtime.
    let plainRuntime = Runtime()
    let plain = try plainRuntime.instantiate(try loadModule("compute.wasm"))
    let expected = try ExecutionContext(runtime: plainRuntime).invoke(try function(plain, "fib"), [.i32(22)])[0]
    var totals: Set<UInt64> = []
    for budget: UInt64 in [.max, 300_000, 100_000, 7_919, 500] {
        let (result, stops, consumed) = try fibInChunks(22, budget: budget, configuration: Configuration())
        print("budget \(budget == .max ? "unlimited" : String(budget)): fib(22) = \(result), ran out \(stops) times, fuel consumed \(consumed)")
        check(result == expected, "the same result as without fuel")
        totals.insert(consumed)
    }
    check(totals.count == 1, "every run consumed exactly the same fuel (\(totals.first ?? 0))")

    section("torture mode (a restart injected every 7 checks) consumes the same fuel")
    var torture = Configuration()
    torture.tortureRestartInterval = 7
    let (result, _, consumed) = try fibInChunks(22, budget: 100_000, configuration: torture)
    check(result == expected && totals == [consumed], "fib(22) = \(result), fuel consumed \(consumed)")
}
