import RewasmCore
import XCTest

/// Linear memory and tables (spec §4.4.7, §4.4.6): bounds, growth, bulk operations,
/// segments and call_indirect.
final class MemoryTableTests: XCTestCase {
    private let page: UInt32 = 65536

    private func bytes(_ h: Harness, _ offset: Int, _ count: Int) throws -> [UInt8] {
        guard let m = h.instance.exportedMemory("memory"), let b = m.read(offset: UInt64(offset), count: count) else {
            throw HarnessError("cannot read memory [\(offset), +\(count))")
        }
        return b
    }

    // MARK: Loads and stores

    func testLoadsAtTheLastValidByteAndOnePast() throws {
        let h = try Harness("memory")
        let sizes: [(String, UInt32)] = [
            ("i32.load", 4), ("i64.load", 8), ("f32.load", 4), ("f64.load", 8),
            ("i32.load8_s", 1), ("i32.load8_u", 1), ("i32.load16_s", 2), ("i32.load16_u", 2),
            ("i64.load8_s", 1), ("i64.load16_u", 2), ("i64.load32_s", 4), ("i64.load32_u", 4),
        ]
        for (op, size) in sizes {
            XCTAssertNil(try h.error(op, .i32(page - size)), "\(op) ending at the last byte")
            assertTrap(.memoryOutOfBounds, op) { try h.call(op, .i32(page - size + 1)) }
            assertTrap(.memoryOutOfBounds, op) { try h.call(op, .i32(page)) }
            assertTrap(.memoryOutOfBounds, op) { try h.call(op, .i32(UInt32.max)) }
        }
        // The static offset counts too.
        XCTAssertNil(try h.error("i32.load_offset16", .i32(page - 20)))
        assertTrap(.memoryOutOfBounds) { try h.call("i32.load_offset16", .i32(page - 19)) }
    }

    func testStoresAtTheLastValidByteAndOnePast() throws {
        let h = try Harness("memory")
        let stores: [(String, UInt32, Value)] = [
            ("i32.store", 4, .i32(0x0403_0201)), ("i64.store", 8, .i64(0x0807_0605_0403_0201)),
            ("f32.store", 4, .float(1)), ("f64.store", 8, .double(1)),
            ("i32.store8", 1, .i32(0xAB)), ("i32.store16", 2, .i32(0xABCD)),
            ("i64.store8", 1, .i64(0xAB)), ("i64.store16", 2, .i64(0xABCD)), ("i64.store32", 4, .i64(0xABCD_EF01)),
        ]
        for (op, size, v) in stores {
            XCTAssertNil(try h.error(op, .i32(page - size), v), op)
            assertTrap(.memoryOutOfBounds, op) { try h.call(op, .i32(page - size + 1), v) }
        }
        // A store that traps writes nothing, not even its in-bounds part (spec: the whole access is checked first).
        XCTAssertNil(try h.error("i32.store", .i32(page - 4), .i32(0)))
        assertTrap(.memoryOutOfBounds) { try h.call("i32.store", .i32(page - 2), .i32(0xFFFF_FFFF)) }
        XCTAssertEqual(try bytes(h, Int(page) - 4, 4), [0, 0, 0, 0])
    }

    func testLittleEndianAndExtension() throws {
        let h = try Harness("memory")
        _ = try h.call("i64.store", .i32(8), .i64(0x8877_6655_4433_2211))
        XCTAssertEqual(try bytes(h, 8, 8), [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88])
        XCTAssertEqual(try h.i32("i32.load", .i32(8)), 0x4433_2211)
        XCTAssertEqual(try h.i32("i32.load", .i32(9)), 0x5544_3322, "unaligned")
        XCTAssertEqual(try h.i32("i32.load8_s", .i32(15)), -120)
        XCTAssertEqual(try h.i32("i32.load8_u", .i32(15)), 0x88)
        XCTAssertEqual(try h.i32("i32.load16_s", .i32(14)), Int32(Int16(bitPattern: 0x8877)))
        XCTAssertEqual(try h.i32("i32.load16_u", .i32(14)), 0x8877)
        XCTAssertEqual(try h.i64("i64.load8_s", .i32(15)), -120)
        XCTAssertEqual(try h.i64("i64.load32_s", .i32(12)), Int64(Int32(bitPattern: 0x8877_6655)))
        XCTAssertEqual(try h.i64("i64.load32_u", .i32(12)), 0x8877_6655)
        XCTAssertEqual(try h.i64("i64.load16_u", .i32(14)), 0x8877)
        _ = try h.call("i32.store8", .i32(0), .i32(0x1234_56FF))
        XCTAssertEqual(try bytes(h, 0, 2), [0xFF, 0])
        _ = try h.call("i64.store32", .i32(100), .i64(0xFFFF_FFFF_0102_0304))
        XCTAssertEqual(try bytes(h, 100, 5), [4, 3, 2, 1, 0])
        _ = try h.call("i32.store_offset4", .i32(200), .i32(7))
        XCTAssertEqual(try h.i32("i32.load", .i32(204)), 7)
    }

    func testOffsetPlusAddressBeyond4GiBTraps() throws {
        let h = try Harness("memory")
        // The effective address is computed without wrapping: 1 + 0xFFFFFFFF = 2^32, not 0.
        assertTrap(.memoryOutOfBounds) { try h.call("i32.load_max_offset", .i32(1)) }
        assertTrap(.memoryOutOfBounds) { try h.call("i32.load_max_offset", .i32(0)) }
        assertTrap(.memoryOutOfBounds) { try h.call("i32.load_max_offset", .i32(UInt32.max)) }
        assertTrap(.memoryOutOfBounds) { try h.call("i32.load8_u_max_offset", .i32(1)) }
        assertTrap(.memoryOutOfBounds) { try h.call("i64.load_max_offset", .i32(UInt32.max - 3)) }
        assertTrap(.memoryOutOfBounds) { try h.call("i32.store_max_offset", .i32(1), .i32(5)) }
        assertTrap(.memoryOutOfBounds) { try h.call("i32.store_max_offset", .i32(UInt32.max), .i32(5)) }
        XCTAssertEqual(try bytes(h, 0, 4), [0, 0, 0, 0])
    }

    // MARK: Growth

    func testMemoryGrowReturnsOldSizeAndMinusOneBeyondMax() throws {
        let h = try Harness("memory")
        XCTAssertEqual(try h.i32("size"), 1)
        XCTAssertEqual(try h.i32("grow", .i32(0)), 1)
        XCTAssertEqual(try h.i32("grow", .i32(2)), -1, "1 + 2 pages is beyond the maximum of 2")
        XCTAssertEqual(try h.i32("grow", .i32(UInt32.max)), -1)
        XCTAssertEqual(try h.i32("grow", .i32(0x1_0000)), -1)
        XCTAssertEqual(try h.i32("size"), 1)
        XCTAssertEqual(try h.i32("grow", .i32(1)), 1)
        XCTAssertEqual(try h.i32("size"), 2)
        XCTAssertEqual(try h.i32("grow", .i32(1)), -1)
        XCTAssertEqual(try h.i32("grow", .i32(0)), 2)
        // The new page is zeroed and addressable, and the end moved.
        XCTAssertEqual(try h.i32("i32.load", .i32(2 * page - 4)), 0)
        _ = try h.call("i32.store", .i32(2 * page - 4), .i32(99))
        XCTAssertEqual(try h.i32("i32.load", .i32(2 * page - 4)), 99)
        assertTrap(.memoryOutOfBounds) { try h.call("i32.load", .i32(2 * page - 3)) }
        XCTAssertEqual(h.instance.exportedMemory("memory")?.pages, 2)
        XCTAssertEqual(h.instance.exportedMemory("memory")?.byteCount, 2 * Int(page))
    }

    func testGrowInsideAFunctionIsSeenByLaterAccesses() throws {
        let h = try Harness("memory")
        // Address page + 8 is out of bounds before the grow and inside after it.
        XCTAssertEqual(try h.i32("grow_then_store", .i32(page + 8)), 0x0102_0304)
    }

    func testMemoryGrowBeyondMaxMemoryBytes() throws {
        var c = Configuration()
        c.limits.maxMemoryBytes = 3 * UInt64(page)
        let h = try Harness("memory_unbounded", configuration: c)
        XCTAssertEqual(try h.i32("grow", .i32(2)), 1)
        XCTAssertEqual(try h.i32("grow", .i32(1)), -1, "the runtime limit is 3 pages")
        XCTAssertEqual(try h.i32("size"), 3)
        XCTAssertEqual(try h.i32("store_last"), 7)
        XCTAssertNil(h.instance.exportedMemory("memory")?.grow(by: 1))
        XCTAssertEqual(h.instance.exportedMemory("memory")?.grow(by: 0), 3)

        // A limit below the declared minimum fails instantiation, as a resource error.
        var tiny = Configuration()
        tiny.limits.maxMemoryBytes = UInt64(page) - 1
        do {
            _ = try Runtime(configuration: tiny).instantiate(try Fixture.module("memory_unbounded"))
            XCTFail("instantiated a memory above the limit")
        } catch let e as InstantiationError {
            guard case .resource(let m) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(m.contains("memory"), m)
        }
    }

    func testDefaultLimitsAllowGrowingWithoutAMaximum() throws {
        let h = try Harness("memory_unbounded")
        XCTAssertEqual(try h.i32("grow", .i32(15)), 1)
        XCTAssertEqual(try h.i32("size"), 16)
        XCTAssertEqual(try h.i32("store_last"), 7)
        XCTAssertEqual(try h.i32("grow", .i32(65536)), -1, "beyond 4 GiB")
    }

    // MARK: Bulk memory

    func testMemoryFill() throws {
        let h = try Harness("memory")
        _ = try h.call("fill", .i32(10), .i32(0x1AB), .i32(4))
        XCTAssertEqual(try bytes(h, 9, 6), [0, 0xAB, 0xAB, 0xAB, 0xAB, 0], "value truncated to a byte")
        // Filling up to the end is fine, n = 0 at the end too; one past traps and writes nothing.
        XCTAssertNil(try h.error("fill", .i32(page - 3), .i32(1), .i32(3)))
        XCTAssertNil(try h.error("fill", .i32(page), .i32(1), .i32(0)))
        assertTrap(.memoryOutOfBounds) { try h.call("fill", .i32(page + 1), .i32(1), .i32(0)) }
        assertTrap(.memoryOutOfBounds) { try h.call("fill", .i32(page - 10), .i32(2), .i32(11)) }
        XCTAssertEqual(try bytes(h, Int(page) - 10, 7), [0, 0, 0, 0, 0, 0, 0])
        assertTrap(.memoryOutOfBounds) { try h.call("fill", .i32(1), .i32(2), .i32(UInt32.max)) }
        XCTAssertEqual(try bytes(h, 1, 4), [0, 0, 0, 0])
    }

    func testMemoryCopyOverlapBothDirections() throws {
        let h = try Harness("memory")
        let m = try XCTUnwrap(h.instance.exportedMemory("memory"))
        XCTAssertTrue(m.write(offset: 100, bytes: [1, 2, 3, 4, 5, 6, 7, 8]))
        // Forward overlap (dst > src): as if through a temporary buffer.
        _ = try h.call("copy", .i32(102), .i32(100), .i32(6))
        XCTAssertEqual(try bytes(h, 100, 8), [1, 2, 1, 2, 3, 4, 5, 6])
        // Backward overlap (dst < src).
        XCTAssertTrue(m.write(offset: 100, bytes: [1, 2, 3, 4, 5, 6, 7, 8]))
        _ = try h.call("copy", .i32(100), .i32(102), .i32(6))
        XCTAssertEqual(try bytes(h, 100, 8), [3, 4, 5, 6, 7, 8, 7, 8])
        // Bounds: both ranges are checked before anything is written.
        assertTrap(.memoryOutOfBounds) { try h.call("copy", .i32(0), .i32(page - 2), .i32(4)) }
        assertTrap(.memoryOutOfBounds) { try h.call("copy", .i32(page - 2), .i32(100), .i32(4)) }
        XCTAssertEqual(try bytes(h, Int(page) - 2, 2), [0, 0])
        XCTAssertEqual(try bytes(h, 0, 4), [0, 0, 0, 0])
        XCTAssertNil(try h.error("copy", .i32(page), .i32(page), .i32(0)))
        assertTrap(.memoryOutOfBounds) { try h.call("copy", .i32(page + 1), .i32(0), .i32(0)) }
        assertTrap(.memoryOutOfBounds) { try h.call("copy", .i32(0), .i32(page + 1), .i32(0)) }
    }

    func testMemoryInitAndDataDrop() throws {
        let h = try Harness("memory")
        _ = try h.call("init_hello", .i32(50), .i32(1), .i32(3))
        XCTAssertEqual(try bytes(h, 50, 4), Array("ell\0".utf8))
        _ = try h.call("init_world", .i32(page - 6), .i32(0), .i32(6))
        XCTAssertEqual(try bytes(h, Int(page) - 6, 6), Array("world!".utf8))
        // Source range beyond the segment, destination beyond memory.
        assertTrap(.memoryOutOfBounds) { try h.call("init_hello", .i32(0), .i32(3), .i32(3)) }
        assertTrap(.memoryOutOfBounds) { try h.call("init_hello", .i32(page - 2), .i32(0), .i32(3)) }
        XCTAssertEqual(try bytes(h, Int(page) - 2, 2), Array("d!".utf8), "nothing written by the trapping init")
        // n = 0 at the very end of the segment is fine; one past is not.
        XCTAssertNil(try h.error("init_hello", .i32(0), .i32(5), .i32(0)))
        assertTrap(.memoryOutOfBounds) { try h.call("init_hello", .i32(0), .i32(6), .i32(0)) }

        // After data.drop the segment is empty: only n = 0 at offset 0 succeeds.
        _ = try h.call("drop_hello")
        XCTAssertNil(try h.error("init_hello", .i32(0), .i32(0), .i32(0)))
        assertTrap(.memoryOutOfBounds) { try h.call("init_hello", .i32(0), .i32(0), .i32(1)) }
        assertTrap(.memoryOutOfBounds) { try h.call("init_hello", .i32(0), .i32(1), .i32(0)) }
        XCTAssertNil(try h.error("drop_hello"), "dropping twice is fine")
        // The other segment is untouched.
        _ = try h.call("init_world", .i32(0), .i32(0), .i32(5))
        XCTAssertEqual(try bytes(h, 0, 5), Array("world".utf8))
    }

    func testSegmentsBelongToTheInstance() throws {
        // Dropping a segment in one instance leaves another instance of the same module alone.
        let runtime = Runtime()
        let module = try Fixture.module("memory")
        let a = try runtime.instantiate(module)
        let b = try runtime.instantiate(module)
        let ctx = ExecutionContext(runtime: runtime)
        _ = try ctx.invoke(XCTUnwrap(a.function("drop_hello")), [])
        assertTrap(.memoryOutOfBounds) { try ctx.invoke(XCTUnwrap(a.function("init_hello")), [.i32(0), .i32(0), .i32(5)]) }
        _ = try ctx.invoke(XCTUnwrap(b.function("init_hello")), [.i32(0), .i32(0), .i32(5)])
        XCTAssertEqual(b.memory?.read(offset: 0, count: 5), Array("hello".utf8))
        XCTAssertEqual(a.memory?.read(offset: 0, count: 5), [0, 0, 0, 0, 0])
    }

    // MARK: Tables

    func testTableGetSetAndBounds() throws {
        let h = try Harness("table")
        XCTAssertEqual(try h.i32("size"), 4)
        XCTAssertEqual(try h.i32("is_null", .i32(0)), 0)
        XCTAssertEqual(try h.i32("is_null", .i32(1)), 0)
        XCTAssertEqual(try h.i32("is_null", .i32(2)), 1)
        assertTrap(.tableOutOfBounds) { try h.call("is_null", .i32(4)) }
        assertTrap(.tableOutOfBounds) { try h.call("is_null", .i32(UInt32.max)) }
        _ = try h.call("set_thirty", .i32(3))
        XCTAssertEqual(try h.i32("call_v2i", .i32(3)), 30)
        _ = try h.call("set_null", .i32(0))
        XCTAssertEqual(try h.i32("is_null", .i32(0)), 1)
        assertTrap(.tableOutOfBounds) { try h.call("set_null", .i32(4)) }
        // The embedder sees the same contents.
        let t = try XCTUnwrap(h.instance.table("table"))
        XCTAssertEqual(t.count, 4)
        XCTAssertEqual(t.element(0, runtime: h.runtime), .funcref(nil))
        guard case .funcref(let f)? = t.element(3, runtime: h.runtime), let f else { return XCTFail("slot 3 is null") }
        XCTAssertEqual(f.type, FuncType(params: [], results: [.i32]))
        XCTAssertEqual(try h.context.invoke(f, []), [.i32(30)])
        XCTAssertNil(t.element(4, runtime: h.runtime))
    }

    func testTableGrow() throws {
        let h = try Harness("table")
        XCTAssertEqual(try h.i32("grow_null", .i32(0)), 4)
        XCTAssertEqual(try h.i32("grow_thirty", .i32(1)), 4)
        XCTAssertEqual(try h.i32("size"), 5)
        XCTAssertEqual(try h.i32("call_v2i", .i32(4)), 30, "new slots hold the grow value")
        XCTAssertEqual(try h.i32("grow_null", .i32(2)), -1, "5 + 2 is beyond the maximum of 6")
        XCTAssertEqual(try h.i32("grow_null", .i32(UInt32.max)), -1)
        XCTAssertEqual(try h.i32("grow_null", .i32(1)), 5)
        XCTAssertEqual(try h.i32("size"), 6)
        XCTAssertEqual(try h.i32("is_null", .i32(5)), 1)
        XCTAssertEqual(try h.i32("grow_null", .i32(1)), -1)
        // Growth keeps the old contents.
        XCTAssertEqual(try h.i32("call_v2i", .i32(0)), 10)
        XCTAssertEqual(try h.i32("call_i2i", .i32(1), .i32(21)), 42)
    }

    func testExternrefTable() throws {
        let h = try Harness("table")
        XCTAssertEqual(try h.value("ext_get", .i32(0)), .externref(nil))
        _ = try h.call("ext_set", .i32(1), .externref(1234))
        XCTAssertEqual(try h.value("ext_get", .i32(1)), .externref(1234))
        _ = try h.call("ext_set", .i32(0), .externref(0))
        XCTAssertEqual(try h.value("ext_get", .i32(0)), .externref(0), "0 is a reference, not null")
        XCTAssertEqual(try h.i32("ext_grow", .externref(7), .i32(3)), 2)
        XCTAssertEqual(try h.value("ext_get", .i32(4)), .externref(7))
        XCTAssertEqual(try h.i32("ext_size"), 5)
        assertTrap(.tableOutOfBounds) { try h.call("ext_get", .i32(5)) }
    }

    func testTableFill() throws {
        let h = try Harness("table")
        _ = try h.call("fill_thirty", .i32(1), .i32(3))
        for i: UInt32 in 1...3 { XCTAssertEqual(try h.i32("call_v2i", .i32(i)), 30) }
        XCTAssertEqual(try h.i32("call_v2i", .i32(0)), 10)
        XCTAssertNil(try h.error("fill_thirty", .i32(4), .i32(0)), "n = 0 at the end")
        assertTrap(.tableOutOfBounds) { try h.call("fill_thirty", .i32(5), .i32(0)) }
        _ = try h.call("set_null", .i32(2))
        assertTrap(.tableOutOfBounds) { try h.call("fill_thirty", .i32(2), .i32(3)) }
        XCTAssertEqual(try h.i32("is_null", .i32(2)), 1, "a trapping fill writes nothing")
    }

    func testTableCopyOverlap() throws {
        let h = try Harness("table")
        // [ten, double, null, null] -> copy 0..<2 to 1..<3 (forward overlap) -> [ten, ten, double, null]
        _ = try h.call("copy", .i32(1), .i32(0), .i32(2))
        XCTAssertEqual(try h.i32("call_v2i", .i32(0)), 10)
        XCTAssertEqual(try h.i32("call_v2i", .i32(1)), 10)
        XCTAssertEqual(try h.i32("call_i2i", .i32(2), .i32(4)), 8)
        XCTAssertEqual(try h.i32("is_null", .i32(3)), 1)
        // Backward overlap: copy 1..<3 to 0..<2 -> [ten, double, double, null]
        _ = try h.call("copy", .i32(0), .i32(1), .i32(2))
        XCTAssertEqual(try h.i32("call_v2i", .i32(0)), 10)
        XCTAssertEqual(try h.i32("call_i2i", .i32(1), .i32(4)), 8)
        XCTAssertEqual(try h.i32("call_i2i", .i32(2), .i32(4)), 8)
        assertTrap(.tableOutOfBounds) { try h.call("copy", .i32(3), .i32(0), .i32(2)) }
        assertTrap(.tableOutOfBounds) { try h.call("copy", .i32(0), .i32(3), .i32(2)) }
        XCTAssertEqual(try h.i32("call_v2i", .i32(0)), 10, "a trapping copy writes nothing")
        XCTAssertNil(try h.error("copy", .i32(4), .i32(4), .i32(0)))
    }

    func testTableInitAndElemDrop() throws {
        let h = try Harness("table")
        // $passive = [twenty, thirty, ten]
        _ = try h.call("init_passive", .i32(2), .i32(1), .i32(2))
        XCTAssertEqual(try h.i32("call_v2i", .i32(2)), 30)
        XCTAssertEqual(try h.i32("call_v2i", .i32(3)), 10)
        assertTrap(.tableOutOfBounds) { try h.call("init_passive", .i32(0), .i32(2), .i32(2)) }
        assertTrap(.tableOutOfBounds) { try h.call("init_passive", .i32(3), .i32(0), .i32(2)) }
        XCTAssertEqual(try h.i32("call_v2i", .i32(3)), 10, "a trapping init writes nothing")
        XCTAssertNil(try h.error("init_passive", .i32(4), .i32(3), .i32(0)))
        _ = try h.call("drop_passive")
        XCTAssertNil(try h.error("init_passive", .i32(0), .i32(0), .i32(0)))
        assertTrap(.tableOutOfBounds) { try h.call("init_passive", .i32(0), .i32(0), .i32(1)) }
        // Active segments are dropped once applied.
        assertTrap(.tableOutOfBounds) { try h.call("init_active", .i32(0), .i32(0), .i32(1)) }
        XCTAssertNil(try h.error("init_active", .i32(0), .i32(0), .i32(0)))
        XCTAssertNil(try h.error("drop_active"))
    }

    func testCallIndirectTraps() throws {
        let h = try Harness("table")
        XCTAssertEqual(try h.i32("call_v2i", .i32(0)), 10)
        XCTAssertEqual(try h.i32("call_i2i", .i32(1), .i32(21)), 42)
        assertTrap(.undefinedElement) { try h.call("call_v2i", .i32(4)) }
        assertTrap(.undefinedElement) { try h.call("call_v2i", .i32(UInt32.max)) }
        assertTrap(.uninitializedElement) { try h.call("call_v2i", .i32(2)) }
        assertTrap(.indirectCallTypeMismatch) { try h.call("call_v2i", .i32(1)) }
        assertTrap(.indirectCallTypeMismatch) { try h.call("call_i2i", .i32(0), .i32(1)) }
        // The trap carries a backtrace naming the caller.
        do {
            _ = try h.call("call_v2i", .i32(2))
        } catch let e as ExecutionError {
            XCTAssertFalse(e.backtrace.isEmpty)
        }
    }
}
