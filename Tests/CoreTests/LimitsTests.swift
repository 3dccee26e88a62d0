import RewasmCore
import XCTest

/// Resource limits: running out of call frames or value stack is the trap
/// "call stack exhausted", never a crash of the host, and the context stays usable.
final class LimitsTests: XCTestCase {
    private func configuration(frames: Int? = nil, cells: Int? = nil) -> Configuration {
        var c = Configuration()
        if let frames { c.limits.maxFrames = frames }
        if let cells { c.limits.maxStackCells = cells }
        return c
    }

    func testSmallMaxFramesTraps() throws {
        let h = try Harness("limits", configuration: configuration(frames: 100))
        XCTAssertEqual(try h.i32("depth", .i32(50)), 50)
        XCTAssertEqual(try h.i32("depth", .i32(99)), 99, "99 recursive calls + the entry frame fit in 100")
        assertTrap(.callStackExhausted) { try h.call("depth", .i32(100)) }
        assertTrap(.callStackExhausted) { try h.call("depth", .i32(1000)) }
        assertTrap(.callStackExhausted) { try h.call("indirect", .i32(1000)) }
        assertTrap(.callStackExhausted) { try h.call("forever", .i32(0)) }
        // The context is reusable afterwards, for deep and shallow calls alike.
        XCTAssertFalse(h.context.isSuspended)
        XCTAssertEqual(try h.i32("depth", .i32(10)), 10)
        XCTAssertEqual(try h.i32("indirect", .i32(60)), 60)
        XCTAssertEqual(try h.i32("depth", .i32(99)), 99)
    }

    func testSmallMaxStackCellsTraps() throws {
        // `fat` has 33 locals per frame: 2,000 cells hold a few dozen frames.
        let h = try Harness("limits", configuration: configuration(cells: 2000))
        XCTAssertEqual(try h.i32("fat", .i32(10)), 10)
        assertTrap(.callStackExhausted) { try h.call("fat", .i32(100)) }
        assertTrap(.callStackExhausted) { try h.call("depth", .i32(10000)) }
        assertTrap(.callStackExhausted) { try h.call("forever", .i32(0)) }
        XCTAssertEqual(try h.i32("fat", .i32(10)), 10, "the context is reusable")
        XCTAssertEqual(try h.i32("depth", .i32(100)), 100)
    }

    func testTinyStackStillRunsLeafFunctions() throws {
        // Even the smallest configuration must either run a function or trap; never overrun.
        let h = try Harness("limits", configuration: configuration(frames: 1, cells: 1))
        XCTAssertEqual(try h.i32("depth", .i32(0)), 0)
        assertTrap(.callStackExhausted) { try h.call("depth", .i32(1)) }
        assertTrap(.callStackExhausted) { try h.call("fat", .i32(0)) }
    }

    func testDefaultLimitsHandleDepthTenThousand() throws {
        let h = try Harness("limits")
        XCTAssertEqual(try h.i32("depth", .i32(10_000)), 10_000)
        XCTAssertEqual(try h.i32("fat", .i32(10_000)), 10_000)
        XCTAssertEqual(try h.i32("indirect", .i32(10_000)), 10_000)
        // Unbounded recursion still ends in a trap with the defaults.
        do {
            _ = try h.call("forever", .i32(0))
            XCTFail("returned")
        } catch let e as ExecutionError {
            XCTAssertEqual(e.kind, .trap(.callStackExhausted))
            XCTAssertFalse(e.backtrace.isEmpty)
            XCTAssertEqual(e.backtrace.first?.name, "forever")
        }
        XCTAssertEqual(try h.i32("depth", .i32(3)), 3)
    }

    func testEachContextHasItsOwnStack() throws {
        let runtime = Runtime(configuration: configuration(frames: 50))
        let instance = try runtime.instantiate(try Fixture.module("limits"))
        let depth = try XCTUnwrap(instance.function("depth"))
        let a = ExecutionContext(runtime: runtime)
        let b = ExecutionContext(runtime: runtime)
        assertTrap(.callStackExhausted) { try a.invoke(depth, [.i32(1000)]) }
        XCTAssertEqual(try b.invoke(depth, [.i32(40)]), [.i32(40)])
        XCTAssertEqual(try a.invoke(depth, [.i32(40)]), [.i32(40)])
    }

    func testContextsOnSeveralThreads() throws {
        // Contexts of one runtime run concurrently on different threads.
        let runtime = Runtime()
        let instance = try runtime.instantiate(try Fixture.module("limits"))
        let depth = try XCTUnwrap(instance.function("depth"))
        let results = Locked<[Int: [Value]]>([:])
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            let ctx = ExecutionContext(runtime: runtime)
            let r = try? ctx.invoke(depth, [.i32(UInt32(1000 * (i + 1)))])
            results.mutate { $0[i] = r ?? [] }
        }
        XCTAssertEqual(results.get(), [0: [.i32(1000)], 1: [.i32(2000)], 2: [.i32(3000)], 3: [.i32(4000)]])
    }

    /// BUG (Sources/Core/Restart/ExecutionContext.swift, invoke): the arguments are written
    /// into the value stack before anything checks that they fit, so invoking a function
    /// with more parameters than the context has stack cells writes past the end of the
    /// stack buffer: AddressSanitizer reports a heap-buffer-overflow at
    /// `stack[i] = a.cell`. The wasm function then traps as expected, but a host function
    /// invoked directly is not refused at all (this test fails: "expected trap 'call stack
    /// exhausted', got []"), and the corrupted heap can abort the whole test process
    /// afterwards (glibc "malloc assertion failure"), so it stays disabled until fixed.
    func testInvokeWithMoreArgumentsThanStackCells() throws {
        let params = [ValueType](repeating: .i64, count: 64)
        // (func (param i64 x 64) (result i64) local.get 63)
        let bytes = Wasm.function(params: params, results: [.i64], [OpCode.localGet, 63])
        var c = Configuration()
        c.limits.maxStackCells = 16
        let runtime = Runtime(configuration: c)
        let instance = try runtime.instantiate(try Module(bytes: bytes))
        let f = try XCTUnwrap(instance.function("f"))
        let ctx = ExecutionContext(runtime: runtime)
        let args = (0..<64).map { Value.i64(UInt64($0)) }
        assertTrap(.callStackExhausted) { try ctx.invoke(f, args) }
        let host = runtime.hostFunction(type: FuncType(params: params, results: [])) { _ in }
        assertTrap(.callStackExhausted) { try ctx.invoke(host, args) }
    }
}
