import RewasmCore
import XCTest

/// Imports, exports and instantiation (spec §4.5.4).
final class LinkingTests: XCTestCase {
    private let i2i = FuncType(params: [.i32], results: [.i32])

    func testHostFunctionImportByModuleAndName() throws {
        let runtime = Runtime()
        let imports = Imports()
        let seen = Locked<[UInt32]>([])
        imports.define("env", "f", .function(runtime.hostFunction(type: i2i) { call in
            let x = call.i32(0)
            seen.mutate { $0.append(x) }
            call.setI32(0, x &+ 100)
        }))
        // Same name in another module, and another name in the same module: not used.
        imports.define("other", "f", .function(runtime.hostFunction(type: i2i) { (_: HostCall) throws(ExecutionError) in throw .trap(.host("wrong module")) }))
        imports.define("env", "g", .function(runtime.hostFunction(type: i2i) { (_: HostCall) throws(ExecutionError) in throw .trap(.host("wrong name")) }))
        let instance = try runtime.instantiate(try Fixture.module("import_func"), imports: imports)
        let ctx = ExecutionContext(runtime: runtime)
        XCTAssertEqual(try ctx.invoke(XCTUnwrap(instance.function("call_f")), [.i32(5)]), [.i32(210)])
        XCTAssertEqual(seen.get(), [5])
        XCTAssertEqual(ctx.statistics.hostCalls, 1)
    }

    func testHostFunctionWithValuesAPI() throws {
        let runtime = Runtime()
        let imports = Imports()
        imports.define("env", "f", .function(runtime.hostFunction(type: i2i, values: { call, args in
            XCTAssertNotNil(call.caller, "called from wasm")
            guard case .i32(let x) = args[0] else { return [] }
            return [.i32(x * 3)]
        })))
        let instance = try runtime.instantiate(try Fixture.module("import_func"), imports: imports)
        let ctx = ExecutionContext(runtime: runtime)
        XCTAssertEqual(try ctx.invoke(XCTUnwrap(instance.function("call_f")), [.i32(7)]), [.i32(42)])

        // Returning the wrong number of results is a host trap, not a crash.
        let bad = Imports()
        bad.define("env", "f", .function(runtime.hostFunction(type: i2i, values: { _, _ in [] })))
        let other = try runtime.instantiate(try Fixture.module("import_func"), imports: bad)
        assertTrap(.host("host function returned 0 results, expected 1")) {
            try ctx.invoke(XCTUnwrap(other.function("call_f")), [.i32(7)])
        }
    }

    func testUnknownImportIsUnlinkableAndNamed() throws {
        let runtime = Runtime()
        assertUnlinkable(try Fixture.module("import_func"), Imports(), in: runtime, "unknown import", "env.f")
        // A definition under a different module name does not count.
        let imports = Imports()
        imports.define("Env", "f", .function(runtime.hostFunction(type: i2i) { _ in }))
        assertUnlinkable(try Fixture.module("import_func"), imports, in: runtime, "env.f")
        assertUnlinkable(try Fixture.module("import_memory"), Imports(), in: runtime, "unknown import", "env.mem")
        assertUnlinkable(try Fixture.module("import_global"), Imports(), in: runtime, "env.g")
        assertUnlinkable(try Fixture.module("import_table"), Imports(), in: runtime, "env.tab")
    }

    func testKindMismatchIsUnlinkable() throws {
        let runtime = Runtime()
        let provider = try runtime.instantiate(try Fixture.module("provider"))
        let imports = Imports()
        // A memory where a function is wanted, and the other way around.
        imports.define("env", "f", .memory(try XCTUnwrap(provider.exportedMemory("memory"))))
        imports.define("env", "mem", .function(try XCTUnwrap(provider.function("add"))))
        imports.define("env", "tab", .global(try XCTUnwrap(provider.global("counter"))))
        imports.define("env", "g", .table(try XCTUnwrap(provider.table("table"))))
        assertUnlinkable(try Fixture.module("import_func"), imports, in: runtime, "env.f", "function", "memory")
        assertUnlinkable(try Fixture.module("import_memory"), imports, in: runtime, "env.mem", "memory", "function")
        assertUnlinkable(try Fixture.module("import_table"), imports, in: runtime, "env.tab")
        assertUnlinkable(try Fixture.module("import_global"), imports, in: runtime, "env.g")
    }

    func testFunctionTypeMismatchIsUnlinkable() throws {
        let runtime = Runtime()
        for type in [
            FuncType(params: [.i64], results: [.i32]), FuncType(params: [.i32], results: []),
            FuncType(params: [.i32, .i32], results: [.i32]), FuncType(params: [.i32], results: [.i32, .i32]),
        ] {
            let imports = Imports()
            imports.define("env", "f", .function(runtime.hostFunction(type: type) { _ in }))
            assertUnlinkable(try Fixture.module("import_func"), imports, in: runtime, "env.f", "incompatible import type")
        }
        // A wasm function of the wrong type, too: provider.add is (i32 i32) -> i32.
        let provider = try runtime.instantiate(try Fixture.module("provider"))
        let imports = Imports()
        imports.register("env", instance: provider)
        imports.define("env", "f", .function(try XCTUnwrap(provider.function("add"))))
        assertUnlinkable(try Fixture.module("import_func"), imports, in: runtime, "env.f")
    }

    func testMemoryLimitsMismatchIsUnlinkable() throws {
        let runtime = Runtime()
        let bounded = try runtime.instantiate(try Fixture.module("provider"))  // memory 1 2
        let unbounded = try runtime.instantiate(try Fixture.module("memory_unbounded"))  // memory 1
        let ok = Imports()
        ok.define("env", "mem", .memory(try XCTUnwrap(bounded.exportedMemory("memory"))))
        let imported = try runtime.instantiate(try Fixture.module("import_memory"), imports: ok)
        XCTAssertTrue(imported.memory === bounded.exportedMemory("memory"), "the same memory, not a copy")

        // import_memory wants a maximum of at most 2 pages; an unbounded memory does not fit.
        let noMax = Imports()
        noMax.define("env", "mem", .memory(try XCTUnwrap(unbounded.exportedMemory("memory"))))
        assertUnlinkable(try Fixture.module("import_memory"), noMax, in: runtime, "env.mem", "memory limits")

        // import_memory_min2 wants at least 2 pages now: the bounded memory has 1 until it grows.
        assertUnlinkable(try Fixture.module("import_memory_min2"), ok, in: runtime, "env.mem")
        XCTAssertEqual(bounded.exportedMemory("memory")?.grow(by: 1), 1)
        XCTAssertNoThrow(try runtime.instantiate(try Fixture.module("import_memory_min2"), imports: ok),
                         "limits are matched against the current size")
    }

    func testTableLimitsMismatchIsUnlinkable() throws {
        let runtime = Runtime()
        // provider's table is (table 2 funcref) without a maximum; import_table wants max <= 4.
        let provider = try runtime.instantiate(try Fixture.module("provider"))
        let imports = Imports()
        imports.define("env", "tab", .table(try XCTUnwrap(provider.table("table"))))
        assertUnlinkable(try Fixture.module("import_table"), imports, in: runtime, "env.tab", "table")
        // table.wat's funcref table is (table 4 6): max 6 > 4 does not fit either.
        let tables = try runtime.instantiate(try Fixture.module("table"))
        imports.define("env", "tab", .table(try XCTUnwrap(tables.table("table"))))
        assertUnlinkable(try Fixture.module("import_table"), imports, in: runtime, "env.tab")
        // An externref table does not fit a funcref import.
        imports.define("env", "tab", .table(try XCTUnwrap(tables.table("externs"))))
        assertUnlinkable(try Fixture.module("import_table"), imports, in: runtime, "env.tab")
    }

    func testGlobalTypeMismatchIsUnlinkable() throws {
        let runtime = Runtime()
        for (type, value) in [
            (GlobalType(valueType: .i32, isMutable: false), Value.i32(1)),
            (GlobalType(valueType: .i64, isMutable: true), Value.i64(1)),
            (GlobalType(valueType: .f32, isMutable: true), Value.float(1)),
        ] {
            let imports = Imports()
            imports.define("env", "g", .global(Global(type: type, value: value, runtime: runtime)))
            assertUnlinkable(try Fixture.module("import_global"), imports, in: runtime, "env.g", "global")
        }
        let imports = Imports()
        let g = Global(type: GlobalType(valueType: .i32, isMutable: true), value: .i32(17), runtime: runtime)
        imports.define("env", "g", .global(g))
        let instance = try runtime.instantiate(try Fixture.module("import_global"), imports: imports)
        let ctx = ExecutionContext(runtime: runtime)
        XCTAssertEqual(try ctx.invoke(XCTUnwrap(instance.function("get")), []), [.i32(17)])
        _ = try ctx.invoke(XCTUnwrap(instance.function("set")), [.i32(99)])
        XCTAssertEqual(g.value, .i32(99), "the host's global object is the one written")
    }

    func testInstancesShareExportedEntities() throws {
        let runtime = Runtime()
        let ctx = ExecutionContext(runtime: runtime)
        let provider = try runtime.instantiate(try Fixture.module("provider"), context: ctx)
        let imports = Imports()
        imports.register("provider", instance: provider)
        let consumer = try runtime.instantiate(try Fixture.module("consumer"), imports: imports, context: ctx)
        func call(_ i: Instance, _ name: String, _ args: [Value]) throws -> [Value] {
            try ctx.invoke(try XCTUnwrap(i.function(name)), args)
        }

        // A function exported by the provider, called by the consumer.
        XCTAssertEqual(try call(consumer, "use_add", [.i32(40), .i32(2)]), [.i32(42)])
        // The memory: written by the consumer, read by the provider.
        _ = try call(consumer, "write_byte", [.i32(123), .i32(0xAB)])
        XCTAssertEqual(try call(provider, "read_byte", [.i32(123)]), [.i32(0xAB)])
        // The mutable global: written by the consumer, seen by the provider and the embedder.
        _ = try call(consumer, "set_counter", [.i32(77)])
        XCTAssertEqual(try call(provider, "get_counter", []), [.i32(77)])
        XCTAssertEqual(provider.global("counter")?.value, .i32(77))
        // Written by the provider (called from the consumer), seen by the consumer after the call returns.
        XCTAssertEqual(try call(consumer, "bump_and_read", []), [.i32(78 + 1000)])
        XCTAssertEqual(try call(consumer, "get_counter", []), [.i32(78)])
        // The table: the consumer's element segment put its own function in slot 1; called
        // through the provider's call_indirect it still sees the consumer's globals.
        XCTAssertEqual(try call(provider, "call_slot", [.i32(1)]), [.i32(1042)])
        XCTAssertEqual(try call(consumer, "call_slot", [.i32(1)]), [.i32(1042)])
        assertTrap(.uninitializedElement) { try call(provider, "call_slot", [.i32(0)]) }
        // Memory growth through one instance is seen by the other.
        XCTAssertEqual(try call(provider, "grow", [.i32(1)]), [.i32(1)])
        XCTAssertEqual(try call(consumer, "size", []), [.i32(2)])
        _ = try call(consumer, "write_byte", [.i32(65536 + 5), .i32(9)])
        XCTAssertEqual(try call(provider, "read_byte", [.i32(65536 + 5)]), [.i32(9)])
        // Exported functions are the same function objects.
        XCTAssertEqual(provider.function("add"), imports.lookup("provider", "add").flatMap {
            if case .function(let f) = $0 { return f } else { return nil }
        })
        XCTAssertEqual(consumer.exports.map(\.name), ["use_add", "write_byte", "set_counter", "get_counter", "bump_and_read", "call_slot", "size"])
    }

    func testStartFunctionRuns() throws {
        let runtime = Runtime()
        let started = Locked<[UInt32]>([])
        let imports = Imports()
        imports.define("env", "started", .function(runtime.hostFunction(type: FuncType(params: [.i32], results: [])) { call in
            let v = call.i32(0)
            started.mutate { $0.append(v) }
        }))
        let instance = try runtime.instantiate(try Fixture.module("start"), imports: imports)
        XCTAssertEqual(instance.global("g")?.value, .i32(42))
        XCTAssertEqual(started.get(), [42])
        // Each instantiation runs it again.
        _ = try runtime.instantiate(try Fixture.module("start"), imports: imports)
        XCTAssertEqual(started.get(), [42, 42])
    }

    func testTrappingStartFunction() throws {
        let runtime = Runtime()
        do {
            _ = try runtime.instantiate(try Fixture.module("start_trap"))
            XCTFail("instantiated")
        } catch let e as InstantiationError {
            guard case .trap(let t) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(t.kind, .trap(.unreachable))
        }
    }

    func testTrappingDataSegmentKeepsEarlierSegments() throws {
        let runtime = Runtime()
        let provider = try runtime.instantiate(try Fixture.module("memory_unbounded"))
        let memory = try XCTUnwrap(provider.exportedMemory("memory"))
        let imports = Imports()
        imports.define("env", "memory", .memory(memory))
        do {
            _ = try runtime.instantiate(try Fixture.module("data_trap"), imports: imports)
            XCTFail("instantiated")
        } catch let e as InstantiationError {
            guard case .trap(let t) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(t.kind, .trap(.memoryOutOfBounds))
        }
        XCTAssertEqual(memory.read(offset: 0, count: 2), Array("ab".utf8), "the segment before the failing one is applied")
        XCTAssertEqual(memory.read(offset: 65535, count: 1), [0], "the failing segment writes nothing")
        XCTAssertEqual(memory.read(offset: 8, count: 2), [0, 0], "segments after it are not applied")
    }

    func testTrappingElementSegmentKeepsEarlierSegments() throws {
        let runtime = Runtime()
        let provider = try runtime.instantiate(try Fixture.module("provider"))
        let table = try XCTUnwrap(provider.table("table"))
        let memory = try XCTUnwrap(provider.exportedMemory("memory"))
        let imports = Imports()
        imports.define("env", "table", .table(table))
        imports.define("env", "memory", .memory(memory))
        do {
            _ = try runtime.instantiate(try Fixture.module("elem_trap"), imports: imports)
            XCTFail("instantiated")
        } catch let e as InstantiationError {
            guard case .trap(let t) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(t.kind, .trap(.tableOutOfBounds))
        }
        // Slot 0 got the function; slot 1 stays null (the failing segment writes nothing);
        // data segments come after element segments and are never applied.
        let ctx = ExecutionContext(runtime: runtime)
        XCTAssertEqual(try ctx.invoke(XCTUnwrap(provider.function("call_slot")), [.i32(0)]), [.i32(7)])
        XCTAssertEqual(table.element(1, runtime: runtime), .funcref(nil))
        XCTAssertEqual(memory.read(offset: 0, count: 5), [0, 0, 0, 0, 0])
    }

    func testOneModuleManyInstances() throws {
        let runtime = Runtime()
        let module = try Fixture.module("provider")
        let a = try runtime.instantiate(module)
        let b = try runtime.instantiate(module)
        let ctx = ExecutionContext(runtime: runtime)
        _ = try ctx.invoke(XCTUnwrap(a.function("bump_counter")), [])
        XCTAssertEqual(a.global("counter")?.value, .i32(6))
        XCTAssertEqual(b.global("counter")?.value, .i32(5), "globals are per instance")
        XCTAssertFalse(a.exportedMemory("memory") === b.exportedMemory("memory"))
        // And in another runtime.
        let other = Runtime()
        let c = try other.instantiate(module)
        XCTAssertEqual(c.global("answer")?.value, .i32(42))
    }
}
