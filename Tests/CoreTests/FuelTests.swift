import RewasmCore
import XCTest

/// Fuel metering (`Configuration.fuel`): exact, deterministic charges, out-of-fuel as a
/// restartable stop, and `addFuel` + `resume()` continuing where it stopped.
final class FuelTests: XCTestCase {
    /// A runtime metering fuel (or not), the fixture `fuel.wat` instantiated in it, and a
    /// context starting with `fuel`.
    private func harness(fuel: UInt64?, torture: Int? = nil) throws -> (ExecutionContext, Instance) {
        var configuration = Configuration()
        configuration.fuel = fuel
        configuration.tortureRestartInterval = torture
        let runtime = Runtime(configuration: configuration)
        let imports = Imports()
        imports.define("host", "tick", .function(runtime.hostFunction(type: FuncType(params: [.i32], results: [.i32])) { call in
            call.setI32(0, call.i32(0) &* 3)
        }))
        let module = try Module(bytes: try Fixture.bytes("fuel"), configuration: configuration)
        let context = ExecutionContext(runtime: runtime)
        return (context, try runtime.instantiate(module, imports: imports, context: context))
    }

    private func function(_ instance: Instance, _ name: String) throws -> Function {
        guard let f = instance.function(name) else { throw HarnessError("no export \(name)") }
        return f
    }

    /// One unit per wasm instruction executed, charged per straight-line segment.
    func testExactCharges() throws {
        let (context, instance) = try harness(fuel: 1_000_000)
        XCTAssertEqual(context.fuel, 1_000_000)
        XCTAssertEqual(try context.invoke(try function(instance, "straight"), []), [.i32(3)])
        // i32.const, i32.const, i32.add, end
        XCTAssertEqual(context.fuelConsumed, 4)
        for n: UInt32 in [0, 1, 10, 1000] {
            let before = context.fuelConsumed
            XCTAssertEqual(try context.invoke(try function(instance, "sum"), [.i32(n)]), [.i64(UInt64(n) * UInt64(max(n, 1) - 1) / 2)])
            // Entry `block loop` (2), the loop test (4) n + 1 times, the body (10) n
            // times, and after the block `local.get end` (2).
            XCTAssertEqual(context.fuelConsumed - before, 14 * UInt64(n) + 8, "sum(\(n))")
        }
        XCTAssertEqual(context.fuel, 1_000_000 - context.fuelConsumed)
    }

    /// Running out stops before the segment that does not fit; adding fuel and resuming
    /// finishes with the same result and the same total as one uninterrupted run.
    func testOutOfFuelThenResume() throws {
        let (reference, refInstance) = try harness(fuel: .max)
        let expected = try reference.invoke(try function(refInstance, "mixed"), [.i32(40)])
        let total = reference.fuelConsumed
        XCTAssertGreaterThan(total, 10_000)

        let (context, instance) = try harness(fuel: 100)
        let mixed = try function(instance, "mixed")
        var stops = 0
        var outcome: Result<[Value], ExecutionError>
        do { outcome = .success(try context.invoke(mixed, [.i32(40)])) } catch { outcome = .failure(error) }
        while case .failure(let e) = outcome, e.kind == .outOfFuel {
            XCTAssertTrue(e.isRestartable)
            XCTAssertTrue(context.isSuspended)
            XCTAssertLessThan(context.fuel, 100, "stopped with enough fuel for the next segment")
            stops += 1
            context.addFuel(100)
            do { outcome = .success(try context.resume()) } catch { outcome = .failure(error) }
        }
        let results = try outcome.get()
        XCTAssertEqual(results, expected)
        XCTAssertEqual(context.fuelConsumed, total)
        XCTAssertGreaterThan(stops, Int(total / 100) - 1)
    }

    /// `invokeHandlingRestarts` hands out-of-fuel to the caller (it is no restart).
    func testOutOfFuelIsReturnedToTheCaller() throws {
        let (context, instance) = try harness(fuel: 10_000)
        let spin = try function(instance, "spin")
        do {
            _ = try context.invokeHandlingRestarts(spin, [])
            XCTFail("spin returned")
        } catch {
            XCTAssertEqual(error.kind, .outOfFuel)
            XCTAssertEqual(error.description, "all fuel consumed")
        }
        XCTAssertLessThanOrEqual(context.fuelConsumed, 10_000)
        XCTAssertGreaterThan(context.fuelConsumed, 10_000 - 10)
        context.abandon()
        // A dropped execution leaves the fuel as it was; a new call runs on it.
        context.fuel = 100
        XCTAssertEqual(try context.invoke(try function(instance, "straight"), []), [.i32(3)])
        XCTAssertEqual(context.fuel, 96)
    }

    /// The same calls consume the same fuel with restarts injected anywhere.
    func testDeterministicUnderTortureRestarts() throws {
        var consumed: [UInt64] = []
        // 13 odd k: sum(100) = 4950 each; 12 even k: tick(k) = 3k, 3 * 156 in all.
        let expected: [Value] = [.i64(13 * 4950 + 468)]
        for torture: Int? in [nil, 1, 7] {
            let (context, instance) = try harness(fuel: .max, torture: torture)
            let mixed = try function(instance, "mixed")
            XCTAssertEqual(try context.invokeHandlingRestarts(mixed, [.i32(25)]), expected)
            consumed.append(context.fuelConsumed)
        }
        XCTAssertEqual(Set(consumed).count, 1, "\(consumed)")
    }

    /// Metered code runs only in a metering runtime, and the other way round.
    func testModuleAndRuntimeMustAgree() throws {
        let bytes = try Fixture.bytes("fuel")
        let plain = Runtime()
        var metered = Configuration()
        metered.fuel = 10
        let meteredRuntime = Runtime(configuration: metered)
        let imports = { (r: Runtime) -> Imports in
            let i = Imports()
            i.define("host", "tick", .function(r.hostFunction(type: FuncType(params: [.i32], results: [.i32])) { _ in }))
            return i
        }
        XCTAssertThrowsError(try plain.instantiate(try Module(bytes: bytes, fuel: true), imports: imports(plain))) {
            XCTAssertTrue("\($0)".contains("fuel"), "\($0)")
        }
        XCTAssertThrowsError(try meteredRuntime.instantiate(try Module(bytes: bytes), imports: imports(meteredRuntime))) {
            XCTAssertTrue("\($0)".contains("fuel"), "\($0)")
        }
        XCTAssertTrue(try Module(bytes: bytes, configuration: metered).metersFuel)
        XCTAssertFalse(try Module(bytes: bytes).metersFuel)
        // addFuel saturates.
        let context = ExecutionContext(runtime: meteredRuntime)
        context.addFuel(.max)
        XCTAssertEqual(context.fuel, .max)
    }
}
