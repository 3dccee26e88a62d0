import RewasmCore
import XCTest

/// `Runtime.limiter`: consulted on memory and table growth (and their creation),
/// instantiation; refusals show as -1 and `.resource` errors.
final class LimiterTests: XCTestCase {
    /// Accounts every memory byte and table element of a runtime against budgets, and
    /// records what it was asked.
    private final class Budget: ResourceLimiter, @unchecked Sendable {
        let memoryBudget: Int
        let tableBudget: Int
        let instanceBudget: Int
        let log = Locked<[String]>([])
        private let used = Locked<(memory: Int, table: Int, instances: Int)>((0, 0, 0))

        init(memory: Int, table: Int, instances: Int = .max) {
            memoryBudget = memory
            tableBudget = table
            instanceBudget = instances
        }

        func memoryGrowing(current: Int, desired: Int, maximum: Int?) -> Bool {
            log.mutate { $0.append("memory \(current)->\(desired) max \(maximum.map(String.init) ?? "none")") }
            return used.mutate { u in
                guard u.memory + desired - current <= memoryBudget else { return false }
                u.memory += desired - current
                return true
            }
        }

        func tableGrowing(current: Int, desired: Int, maximum: Int?) -> Bool {
            log.mutate { $0.append("table \(current)->\(desired)") }
            return used.mutate { u in
                guard u.table + desired - current <= tableBudget else { return false }
                u.table += desired - current
                return true
            }
        }

        func instantiating(_ module: Module) -> Bool {
            used.mutate { u in
                guard u.instances < instanceBudget else { return false }
                u.instances += 1
                return true
            }
        }
    }

    private func instantiate(_ fixture: String, _ limiter: Budget) throws -> (Runtime, Instance) {
        let runtime = Runtime()
        runtime.limiter = limiter
        return (runtime, try runtime.instantiate(try Fixture.module(fixture)))
    }

    func testMemoryGrowthIsAccountedAndRefused() throws {
        let budget = Budget(memory: 65536 + 65536, table: 100)
        let (runtime, instance) = try instantiate("memory", budget)
        let context = ExecutionContext(runtime: runtime)
        guard let grow = instance.function("grow") else { return XCTFail("no grow") }
        // memory 1 2: the instance takes 1 page (asked from 0), then one grow fits.
        XCTAssertEqual(try context.invoke(grow, [.i32(1)]), [.i32(1)])
        XCTAssertEqual(budget.log.get(), ["memory 0->65536 max 131072", "memory 65536->131072 max 131072"])
        // Beyond the declared maximum: -1 without asking the limiter.
        XCTAssertEqual(try context.invoke(grow, [.i32(1)]), [.i32(UInt32.max)])
        XCTAssertEqual(budget.log.get().count, 2, "asked about an impossible size")
        // A grow of 0 pages is no growth: not asked.
        XCTAssertEqual(try context.invoke(grow, [.i32(0)]), [.i32(2)])
        XCTAssertEqual(budget.log.get().count, 2)
        // A second instance does not fit its first page: instantiation fails.
        XCTAssertThrowsError(try runtime.instantiate(try Fixture.module("memory"))) { e in
            guard case InstantiationError.resource(let m)? = e as? InstantiationError else { return XCTFail("\(e)") }
            XCTAssertTrue(m.contains("limiter"), m)
        }
    }

    func testGuestGrowRefusedByTheLimiterReturnsMinusOne() throws {
        let budget = Budget(memory: 65536, table: 100)
        let (runtime, instance) = try instantiate("memory", budget)
        guard let grow = instance.function("grow") else { return XCTFail("no grow") }
        XCTAssertEqual(try ExecutionContext(runtime: runtime).invoke(grow, [.i32(1)]), [.i32(UInt32.max)])
        XCTAssertEqual(instance.memory?.pages, 1)
    }

    func testTableGrowthIsAccountedAndRefused() throws {
        // table $t 4 6 funcref and table $ext 2 externref: 6 elements at instantiation.
        let budget = Budget(memory: 1 << 20, table: 8)
        let (runtime, instance) = try instantiate("table", budget)
        XCTAssertEqual(budget.log.get(), ["table 0->4", "table 0->2"])
        guard let grow = instance.function("grow_null") else { return XCTFail("no grow_null") }
        let context = ExecutionContext(runtime: runtime)
        XCTAssertEqual(try context.invoke(grow, [.i32(2)]), [.i32(4)])
        // 8 used: one more is refused, though the table's maximum (6) allows none anyway;
        // grow the externref table instead, which has no maximum.
        guard let extGrow = instance.function("ext_grow") else { return XCTFail("no ext_grow") }
        XCTAssertEqual(try context.invoke(extGrow, [.externref(nil), .i32(1)]), [.i32(UInt32.max)])
        XCTAssertEqual(budget.log.get().last, "table 2->3")
    }

    func testInstantiationCanBeRefused() throws {
        let budget = Budget(memory: 1 << 30, table: 1000, instances: 2)
        let runtime = Runtime()
        runtime.limiter = budget
        let module = try Fixture.module("memory")
        _ = try runtime.instantiate(module)
        _ = try runtime.instantiate(module)
        XCTAssertThrowsError(try runtime.instantiate(module)) { e in
            XCTAssertTrue("\(e)".contains("limiter"), "\(e)")
        }
    }

    /// A limiter with only the defaults allows everything.
    func testDefaultsAllow() throws {
        final class Nothing: ResourceLimiter {}
        let runtime = Runtime()
        runtime.limiter = Nothing()
        let instance = try runtime.instantiate(try Fixture.module("memory"))
        guard let grow = instance.function("grow") else { return XCTFail("no grow") }
        XCTAssertEqual(try ExecutionContext(runtime: runtime).invoke(grow, [.i32(1)]), [.i32(1)])
    }
}
