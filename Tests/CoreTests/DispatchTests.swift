import RewasmCore
import XCTest

/// The threaded interpreter (docs/DESIGN-NOTES.md, "Interpreter"): handlers that jump to
/// each other must not grow the host stack, and the fused forms and superinstructions
/// must compute what the plain instructions compute. Expected values: wasmtime.
final class DispatchTests: XCTestCase {
    /// About 10^8 wasm instructions (26 per iteration) in one frame. Were a handler to
    /// reach the next by a call instead of a jump, each would leave a host stack frame
    /// behind and this would overflow the 8 MiB stack after well under a million.
    func testLongLoopRunsInOneFrame() throws {
        let h = try Harness("dispatch")
        XCTAssertEqual(try h.value("long_loop", .i32(4_000_000)), .i32(1_159_779_412))
        // Every iteration but the last takes the loop's back-edge.
        XCTAssertGreaterThanOrEqual(h.context.statistics.branchesAndCalls, 3_999_999)
    }

    /// Each kernel with superinstructions and without: both give the reference result.
    func testSuperinstructionsComputeWhatThePlainInstructionsCompute() throws {
        let cases: [(String, [Value], Value)] = [
            ("array_sum", [.i32(5000)], .i32(UInt32(bitPattern: -2_078_675_188))),
            ("bytes", [.i32(5000)], .i32(19993)),
            ("collatz", [.i64(837_799)], .i32(524)),
            ("collatz", [.i64(63_728_127)], .i32(949)),
            ("switch", [.i32(5000)], .i32(2_080_842)),
            ("float", [.i32(5000)], .i64(6_246_254)),
            ("calls", [.i32(500)], .i64(UInt64(bitPattern: -2_143_188_730_044))),
            ("long_loop", [.i32(1000)], .i32(UInt32(bitPattern: -926_422_956))),
        ]
        let bytes = try Fixture.bytes("dispatch")
        for fused in [true, false] {
            let runtime = Runtime()
            let context = ExecutionContext(runtime: runtime)
            let instance = try runtime.instantiate(try Module(bytes: bytes, superinstructions: fused), context: context)
            for (name, args, expected) in cases {
                let f = try XCTUnwrap(instance.function(name))
                XCTAssertEqual(try context.invokeHandlingRestarts(f, args), [expected], "\(name)\(args), superinstructions: \(fused)")
            }
        }
    }

    /// The same kernels under torture restarts (a restart at every branch and call):
    /// resuming in the middle of fused code gives the same results.
    func testSuperinstructionsResumeCorrectly() throws {
        var torture = Configuration()
        torture.tortureRestartInterval = 1
        let h = try Harness("dispatch", configuration: torture)
        XCTAssertEqual(try h.value("switch", .i32(300)), try Harness("dispatch").value("switch", .i32(300)))
        XCTAssertEqual(try h.value("calls", .i32(100)), try Harness("dispatch").value("calls", .i32(100)))
        XCTAssertEqual(try h.value("bytes", .i32(700)), try Harness("dispatch").value("bytes", .i32(700)))
        XCTAssertGreaterThan(h.context.statistics.restarts["torture", default: 0], 1000)
    }
}
