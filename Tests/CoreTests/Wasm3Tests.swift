import RewasmCore
import Foundation
import XCTest

// WebAssembly 3.0 proposals: multi-memory, memory64/table64, extended-const (fixture
// wasm3_memory), tail calls (wasm3_tailcall) and exception handling (wasm3_exceptions),
// with their embedding API and the restart protocol.

final class Wasm3Tests: XCTestCase {
    // MARK: Multi-memory, memory64, table64, extended-const

    func testMemory64AndMultiMemory() throws {
        let h = try Harness("wasm3_memory")
        // Data segments went to their own memories.
        XCTAssertEqual(try h.value("load64", .i64(16)), .i32(1))
        XCTAssertEqual(try h.value("load32", .i32(8)), .i32(97))
        XCTAssertEqual(try h.value("load32", .i32(16)), .i32(0))
        // 64-bit addresses and values.
        _ = try h.call("store64", .i64(40), .i64(0x1122_3344_5566_7788))
        XCTAssertEqual(try h.value("get64", .i64(40)), .i64(0x1122_3344_5566_7788))
        XCTAssertEqual(try h.value("get64", .i64(16)), .i64(0x0403_0201))
        // Bounds: the last byte is in, one past is not; huge addresses never wrap.
        XCTAssertEqual(try h.value("load64", .i64(65535)), .i32(0))
        assertTrap(.memoryOutOfBounds) { try h.call("load64", .i64(65536)) }
        assertTrap(.memoryOutOfBounds) { try h.call("load64", .i64(UInt64.max)) }
        assertTrap(.memoryOutOfBounds) { try h.call("get64", .i64(UInt64.max - 3)) }
        assertTrap(.memoryOutOfBounds) { try h.call("farOffset", .i64(0)) }
        assertTrap(.memoryOutOfBounds) { try h.call("load32", .i32(65536)) }
        // Sizes and growth per memory; -1 (of the address type) beyond the maximum.
        XCTAssertEqual(try h.value("size64"), .i64(1))
        XCTAssertEqual(try h.value("size32"), .i32(1))
        XCTAssertEqual(try h.value("grow64", .i64(2)), .i64(1))
        XCTAssertEqual(try h.value("size64"), .i64(3))
        XCTAssertEqual(try h.value("load64", .i64(3 * 65536 - 1)), .i32(0))
        XCTAssertEqual(try h.value("grow64", .i64(2)), .i64(UInt64.max))
        XCTAssertEqual(try h.value("grow64", .i64(UInt64.max)), .i64(UInt64.max))
        XCTAssertEqual(try h.value("grow32", .i32(1)), .i32(1))
        XCTAssertEqual(try h.value("grow32", .i32(1)), .i32(UInt32.max))
        XCTAssertEqual(try h.value("size32"), .i32(2))
        // Bulk operations across memories.
        _ = try h.call("copyAcross")
        XCTAssertEqual(try h.value("load32", .i32(103)), .i32(4))
        _ = try h.call("fill64", .i64(200), .i32(0xAB), .i64(10))
        XCTAssertEqual(try h.value("load64", .i64(209)), .i32(0xAB))
        XCTAssertEqual(try h.value("load64", .i64(210)), .i32(0))
        assertTrap(.memoryOutOfBounds) { try h.call("fill64", .i64(1), .i32(0), .i64(UInt64.max)) }
        _ = try h.call("init32", .i32(300))
        XCTAssertEqual(try h.value("load32", .i32(302)), .i32(UInt32(UInt8(ascii: "z"))))
        // Embedders see every memory.
        XCTAssertEqual(h.instance.memories.count, 2)
        XCTAssertEqual(h.instance.memories[1].read(offset: 300, count: 3), Array("xyz".utf8))
    }

    func testTable64() throws {
        let h = try Harness("wasm3_memory")
        XCTAssertEqual(try h.value("call64", .i64(1)), .i32(7))
        XCTAssertEqual(try h.value("call64", .i64(2)), .i32(8))
        assertTrap(.uninitializedElement) { try h.call("call64", .i64(0)) }
        // An index above 2^32 is out of bounds, not wrapped to a small one.
        assertTrap(.undefinedElement) { try h.call("call64", .i64(1 << 32 | 1)) }
        XCTAssertEqual(try h.value("tableSize"), .i64(4))
        XCTAssertEqual(try h.value("tableGrow", .i64(3)), .i64(4))
        XCTAssertEqual(try h.value("tableGrow", .i64(1 << 40)), .i64(UInt64.max))
        XCTAssertEqual(try h.value("tableSize"), .i64(7))
    }

    func testExtendedConst() throws {
        let h = try Harness("wasm3_memory")
        XCTAssertEqual(h.instance.global("base")?.value, .i32(1012))
        XCTAssertEqual(h.instance.global("g64")?.value, .i64(7))
    }

    func testAtomicsOnMemory64() throws {
        #if Threads
        let h = try Harness("wasm3_atomic64")
        _ = try h.call("store64", .i64(64), .i64(5))
        XCTAssertEqual(try h.value("atomicAdd64", .i64(64), .i32(3)), .i32(5))
        XCTAssertEqual(try h.value("get64", .i64(64)), .i64(8))
        assertTrap(.unalignedAtomic) { try h.call("atomicAdd64", .i64(66), .i32(1)) }
        assertTrap(.memoryOutOfBounds) { try h.call("atomicAdd64", .i64(1 << 40), .i32(1)) }
        assertTrap(.memoryOutOfBounds) { try h.call("atomicAdd64", .i64(UInt64.max - 3), .i32(1)) }
        // A wait whose value differs returns "not-equal" (1) at once.
        XCTAssertEqual(try h.value("wait64", .i64(64)), .i32(1))
        #else
        XCTAssertThrowsError(try Fixture.module("wasm3_atomic64"))
        #endif
    }

    func testMemory64Limits() throws {
        // A declared maximum of 2^48 pages reserves only what --max-memory allows.
        var c = Configuration()
        c.limits.maxMemoryBytes = 1 << 20
        let runtime = Runtime(configuration: c)
        let m = try XCTUnwrap(Memory(type: MemoryType(limits: Limits(min: 1, max: 1 << 48, is64: true)), runtime: runtime))
        XCTAssertEqual(m.grow(by: 15), 1)
        XCTAssertNil(m.grow(by: 1), "beyond --max-memory")
        XCTAssertNil(Memory(type: MemoryType(limits: Limits(min: 17, is64: true)), runtime: runtime))
        // Validation: 2^48 pages is the most a 64-bit memory may declare.
        assertLoadError(Wasm.header + Wasm.section(5, [0x01, 0x04] + Wasm.uleb(1 << 48 + 1)), .invalid, "memory size")
        assertLoads(Wasm.header + Wasm.section(5, [0x01, 0x05, 0x00] + Wasm.uleb(1 << 48)))
        // Not in 2.0, where the flags are a 1-bit (2-bit with threads) LEB128.
        assertLoadError(Wasm.header + Wasm.section(5, [0x01, 0x04, 0x00]), .malformed, "integer", features: .wasm2)
        // Limits flags are a byte: no LEB128 continuation, no unknown bit.
        assertLoadError(Wasm.header + Wasm.section(5, [0x01, 0x08, 0x00]), .malformed, "malformed limits flags")
        assertLoadError(Wasm.header + Wasm.section(4, [0x01, 0x70, 0x02, 0x00]), .malformed, "malformed limits flags")
    }

    func testMemoryInstructionErrors() {
        let twoMemories = Wasm.memories([(1, nil), (1, nil)])
        // memarg bit 6: a memory index follows.
        assertLoads(Wasm.function(results: [.i32], middle: twoMemories, wasm3Const0 + [OpCode.i32Load, 0x42, 1, 0]))
        assertLoadError(
            Wasm.function(results: [.i32], middle: twoMemories, wasm3Const0 + [OpCode.i32Load, 0x42, 2, 0]), .invalid,
            "unknown memory 2")
        assertLoadError(
            Wasm.function(results: [.i32], middle: twoMemories, wasm3Const0 + [OpCode.i32Load, 0x82, 0x01, 0]), .malformed,
            "malformed memop flags")
        // A 32-bit memory's offset must fit in 32 bits.
        assertLoadError(
            Wasm.function(results: [.i32], middle: Wasm.memories([(1, nil)]), wasm3Const0 + [OpCode.i32Load, 2] + Wasm.uleb(1 << 32)),
            .invalid, "offset out of range")
        // A 64-bit memory takes i64 addresses only.
        let mem64 = Wasm.section(5, [0x01, 0x04, 0x01])
        assertLoadError(Wasm.function(results: [.i32], middle: mem64, wasm3Const0 + [OpCode.i32Load, 2, 0]), .invalid, "type mismatch")
        assertLoads(Wasm.function(results: [.i32], middle: mem64, [OpCode.i64Const, 0, OpCode.i32Load, 2] + Wasm.uleb(1 << 40)))
    }

    // MARK: Tail calls

    func testTailCalls() throws {
        // A frame limit far below the recursion depth: tail calls must not use frames.
        var c = Configuration()
        c.limits.maxFrames = 16
        let h = try Harness("wasm3_tailcall", configuration: c, imports: Wasm3Tests.tailImports)
        XCTAssertEqual(try h.value("even", .i64(1_000_000)), .i64(1))
        XCTAssertEqual(try h.value("odd", .i64(1_000_001)), .i64(1))
        XCTAssertEqual(try h.value("sum", .i64(2_000_000), .i64(0)), .i64(2_000_001_000_000))
        XCTAssertEqual(try h.value("callHost", .i64(20)), .i64(42))
        // The same results under torture restarts.
        for interval in [1, 7] {
            var t = c
            t.tortureRestartInterval = interval
            let h2 = try Harness("wasm3_tailcall", configuration: t, imports: Wasm3Tests.tailImports)
            XCTAssertEqual(try h2.value("even", .i64(100_001)), .i64(0))
            XCTAssertEqual(try h2.value("sum", .i64(100_000), .i64(0)), .i64(5_000_050_000))
            XCTAssertEqual(try h2.value("callHost", .i64(1)), .i64(4))
        }
        // Validation: the callee's results must be the caller's.
        assertLoadError(
            Wasm.module(
                Wasm.types([FuncType(params: [], results: [.i32]), FuncType(params: [], results: [.i64])]),
                Wasm.functions([0, 1]), Wasm.code([Wasm.body([0x12, 1, OpCode.end]), Wasm.body([OpCode.i64Const, 0, OpCode.end])])),
            .invalid, "type mismatch")
        assertLoadError(
            Wasm.module(
                Wasm.types([FuncType(params: [], results: [])]), Wasm.functions([0]), Wasm.code([Wasm.body([0x12, 0, OpCode.end])])),
            .malformed, "illegal opcode", features: .wasm2)
    }

    /// An endless tail-call loop stops for an interrupt and resumes where it stopped.
    func testInfiniteTailCallLoopIsInterruptible() throws {
        let h = try Harness("wasm3_tailcall", imports: Wasm3Tests.tailImports)
        let f = try h.function("spin")
        let context = h.context
        let timer = Thread { Thread.sleep(forTimeInterval: 0.05); context.requestInterrupt() }
        timer.start()
        XCTAssertThrowsError(try context.invoke(f, [.i64(0)])) { e in
            XCTAssertEqual((e as? ExecutionError)?.kind, .userInterrupt)
        }
        XCTAssertTrue(context.isSuspended)
        let calls = context.statistics.calls
        XCTAssertGreaterThan(calls, 1000)
        // Resumed, it goes on from there until the next interrupt.
        let timer2 = Thread { Thread.sleep(forTimeInterval: 0.05); context.requestInterrupt() }
        timer2.start()
        XCTAssertThrowsError(try context.resume()) { e in
            XCTAssertEqual((e as? ExecutionError)?.kind, .userInterrupt)
        }
        XCTAssertGreaterThan(context.statistics.calls, calls)
    }

    static func tailImports(_ r: Runtime) -> Imports {
        let i = Imports()
        i.define("host", "twice", .function(r.hostFunction(type: FuncType(params: [.i64], results: [.i64])) { call in
            call.setI64(0, call.i64(0) &* 2)
        }))
        return i
    }

    // MARK: Exception handling

    /// The host functions of wasm3_exceptions: `throwE` throws tag `e` with its argument;
    /// `callback` calls the instance's `throwE` export on another context, and passes on
    /// what that throws.
    final class ExceptionHost: @unchecked Sendable {
        var instance: Instance?
        var tagE: Tag?
        var restartOnce = false
    }

    func exceptionHarness(_ configuration: Configuration = Configuration()) throws -> (Harness, ExceptionHost) {
        let host = ExceptionHost()
        let h = try Harness("wasm3_exceptions", configuration: configuration) { r in
            let i = Imports()
            i.define("host", "throwE", .function(r.hostFunction(type: FuncType(params: [.i32], results: [])) { (call: HostCall) throws(ExecutionError) in
                // First a restart (re-executed on resume), then the exception.
                if host.restartOnce && call.context.restartState == nil {
                    call.context.restartState = true
                    throw ExecutionError.restart(.retry)
                }
                guard let tag = host.tagE else { throw ExecutionError.trap(.host("no tag")) }
                throw ExecutionError.exception(Exception(tag: tag, payload: [.i32(call.i32(0) &+ 100)]))
            }))
            i.define("host", "callback", .function(r.hostFunction(type: FuncType(params: [.i32], results: [.i32])) { (call: HostCall) throws(ExecutionError) in
                guard let f = host.instance?.function("throwE") else { throw ExecutionError.trap(.host("no instance")) }
                let inner = ExecutionContext(runtime: call.context.runtime)
                _ = try inner.invokeHandlingRestarts(f, [.i32(call.i32(0))])
                call.setI32(0, 0)
            }))
            return i
        }
        host.instance = h.instance
        host.tagE = h.instance.tag("e")
        return (h, host)
    }

    func testThrowAndCatch() throws {
        let (h, _) = try exceptionHarness()
        XCTAssertEqual(try h.value("catchE", .i32(5)), .i32(5))
        XCTAssertEqual(try h.value("noThrow"), .i32(5))
        XCTAssertEqual(try h.value("catchPair", .i32(1)), .i64(43))
        XCTAssertEqual(try h.value("catchPair", .i32(0)), .i64(99))
        XCTAssertEqual(try h.value("rethrow", .i32(9)), .i32(9))
        XCTAssertEqual(try h.value("catchToFunction", .i32(4)), .i32(4))
        XCTAssertEqual(try h.value("retry", .i32(5)), .i32(5))
        assertTrap(.nullExceptionReference) { try h.call("throwNull") }
    }

    func testUncaughtExceptionReachesTheEmbedder() throws {
        let (h, _) = try exceptionHarness()
        do {
            _ = try h.call("uncaught", .i32(3))
            XCTFail("returned")
        } catch let e as ExecutionError {
            let x = try XCTUnwrap(e.exception, "\(e)")
            XCTAssertEqual(x.tag, h.instance.tag("pair"))
            XCTAssertNotEqual(x.tag, h.instance.tag("e"))
            XCTAssertEqual(x.payload, [.i32(3), .i64(64)])
            XCTAssertFalse(e.isRestartable)
        }
        // The context is usable again.
        XCTAssertEqual(try h.value("catchE", .i32(1)), .i32(1))
        // A second instance's tags are distinct: its exception is not "e" of the first.
        let (h2, _) = try exceptionHarness()
        XCTAssertNotEqual(h2.instance.tag("e"), h.instance.tag("e"))
    }

    func testHostFunctionThrowsIntoWasm() throws {
        let (h, host) = try exceptionHarness()
        XCTAssertEqual(try h.value("catchHost", .i32(1)), .i32(101))
        // Across a restartable host call: the same result after the restart.
        host.restartOnce = true
        XCTAssertEqual(try h.value("catchHost", .i32(2)), .i32(102))
    }

    /// A handler around a `return_call` does not apply to the callee's exception.
    func testTailCallLeavesTheHandlers() throws {
        let (h, _) = try exceptionHarness()
        XCTAssertEqual(try h.value("tailCatch", .i32(5), .i32(0)), .i32(5))
        XCTAssertEqual(try h.value("tailCatch", .i32(5), .i32(1)), .i32(105))
    }

    func testExceptionUnwindsThroughHostFrames() throws {
        let (h, _) = try exceptionHarness()
        XCTAssertEqual(try h.value("catchThroughHost", .i32(7)), .i32(7))
    }

    func testExceptionsUnderTorture() throws {
        for interval in [1, 7] {
            var c = Configuration()
            c.tortureRestartInterval = interval
            let (h, _) = try exceptionHarness(c)
            XCTAssertEqual(try h.value("catchE", .i32(5)), .i32(5))
            XCTAssertEqual(try h.value("catchPair", .i32(1)), .i64(43))
            XCTAssertEqual(try h.value("retry", .i32(50)), .i32(50))
            XCTAssertEqual(try h.value("throwLoop", .i32(3000)), .i64(4_498_500))
            XCTAssertEqual(try h.value("catchHost", .i32(1)), .i32(101))
        }
    }

    /// Exception objects are reclaimed: a long throw loop keeps only the live ones.
    func testThrowLoopRunsInBoundedMemory() throws {
        let (h, _) = try exceptionHarness()
        let n: UInt64 = 300_000
        XCTAssertEqual(try h.value("throwLoop", .i32(UInt32(n))), .i64(n * (n - 1) / 2))
        let store = h.runtime.exceptionStatistics
        XCTAssertGreaterThan(store.collections, 100)
        XCTAssertLessThanOrEqual(store.live, 2 * 1024 + 8, "objects alive after \(n) throws")
        // The exnref kept in the global survived every collection with its payload.
        let kept = try h.value("keptPayload")
        XCTAssertEqual(kept, .i32(UInt32(n - 1 - (n - 1) % 3)))
    }

    /// Tags link across instances by identity: an imported tag matches what its
    /// exporter throws; a tag of the same type defined elsewhere does not. An import
    /// of a tag with another type is unlinkable.
    func testTagsLinkAcrossInstances() throws {
        let runtime = Runtime()
        let context = ExecutionContext(runtime: runtime)
        let provider = try runtime.instantiate(try Fixture.module("wasm3_tag_provider"), context: context)
        let imports = Imports()
        imports.register("provider", instance: provider)
        let consumer = try runtime.instantiate(try Fixture.module("wasm3_tag_consumer"), imports: imports, context: context)
        let f = { (name: String) throws -> Function in try XCTUnwrap(consumer.function(name)) }
        XCTAssertEqual(try context.invoke(try f("catchImported"), [.i32(8)]), [.i32(8)])
        XCTAssertEqual(try context.invoke(try f("catchOwn"), [.i32(8)]), [.i32(UInt32(bitPattern: -2))])
        do {
            _ = try context.invoke(try f("throwImported"), [.i32(3)])
            XCTFail("returned")
        } catch let e as ExecutionError {
            XCTAssertEqual(e.exception?.tag, provider.tag("t"))
            XCTAssertEqual(e.exception?.payload, [.i32(3)])
        }
        // A host tag of another type cannot stand in for the import.
        let wrong = Imports()
        wrong.define("provider", "t", .tag(try XCTUnwrap(Tag(type: FuncType(params: [.i64], results: []), runtime: runtime))))
        wrong.define("provider", "raise", .function(try XCTUnwrap(provider.function("raise"))))
        assertUnlinkable(try Fixture.module("wasm3_tag_consumer"), wrong, in: runtime, "tag")
        // A tag's type has no results.
        XCTAssertNil(Tag(type: FuncType(params: [], results: [.i32]), runtime: runtime))
    }

    func testExceptionValidation() {
        let empty = FuncType(params: [], results: [])
        // A tag's type has no results.
        assertLoadError(
            Wasm.module(Wasm.types([FuncType(params: [], results: [.i32])]), Wasm.section(13, [0x01, 0x00, 0x00])),
            .invalid, "non-empty tag result type")
        // throw of an unknown tag; exnref is not a 2.0 type.
        assertLoadError(Wasm.function([0x08, 0x00]), .invalid, "unknown tag")
        assertLoadError(Wasm.header + Wasm.section(1, [0x01, 0x60, 0x01, 0x69, 0x00]), .malformed, "malformed value type", features: .wasm2)
        // A catch label whose type is not the payload's.
        let tagged = Wasm.module(
            Wasm.types([empty, FuncType(params: [.i32], results: [])]), Wasm.functions([0]),
            Wasm.section(13, [0x01, 0x00, 0x01]),
            Wasm.code([Wasm.body([OpCode.block, 0x40, 0x1F, 0x40, 0x01, 0x00, 0x00, 0x00, OpCode.end, OpCode.end, OpCode.end])]))
        assertLoadError(tagged, .invalid, "type mismatch")
        _ = empty
    }
}

private let wasm3Const0: [UInt8] = [OpCode.i32Const, 0]

