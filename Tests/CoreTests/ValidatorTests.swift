import RewasmCore
import XCTest

/// Validation (spec §3): well-formed but invalid modules are `LoadError`s of kind
/// `.invalid`; valid corner cases load and run.
final class ValidatorTests: XCTestCase {
    private let i32Const0: [UInt8] = [OpCode.i32Const, 0]

    func testTypeMismatch() {
        // (func (result i32) i64.const 0)
        assertLoadError(Wasm.function(results: [.i32], [OpCode.i64Const, 0]), .invalid, "type mismatch")
        // (func (result i32)) with an empty body.
        assertLoadError(Wasm.function(results: [.i32], []), .invalid, "type mismatch")
        // (func i32.const 0): a value left over.
        assertLoadError(Wasm.function(i32Const0), .invalid, "type mismatch")
        // (func (result i32) i32.const 0 i64.const 0 i32.add)
        assertLoadError(Wasm.function(results: [.i32], i32Const0 + [OpCode.i64Const, 0, OpCode.i32Add]), .invalid, "type mismatch")
        // i32.add with one operand.
        assertLoadError(Wasm.function(results: [.i32], i32Const0 + [OpCode.i32Add]), .invalid, "type mismatch")
        // (func (param i64) (result i32) local.get 0)
        assertLoadError(Wasm.function(params: [.i64], results: [.i32], [OpCode.localGet, 0]), .invalid, "type mismatch")
        // if without else must not change the stack: (if (result i32) (then i32.const 1))
        assertLoadError(
            Wasm.function(results: [.i32], i32Const0 + [OpCode.if, ValueType.i32.rawValue, OpCode.i32Const, 1, OpCode.end]),
            .invalid, "type mismatch")
        // block (result i32) ending empty.
        assertLoadError(Wasm.function(results: [.i32], [OpCode.block, ValueType.i32.rawValue, OpCode.end]), .invalid, "type mismatch")
        // select of an i32 and an i64.
        assertLoadError(
            Wasm.function(results: [.i32], i32Const0 + [OpCode.i64Const, 0] + i32Const0 + [OpCode.select]), .invalid, "type mismatch")
        // select without a type on references is invalid: ref.null func twice.
        assertLoadError(
            Wasm.function([0xD0, 0x70, 0xD0, 0x70] + i32Const0 + [OpCode.select, OpCode.drop]), .invalid, "type mismatch")
        // The start function must have type [] -> [].
        assertLoadError(
            Wasm.module(Wasm.types([FuncType(params: [.i32], results: [])]), Wasm.functions([0]), Wasm.start(0),
                        Wasm.code([Wasm.body([])])),
            .invalid, "start function")
    }

    func testUnknownLocal() {
        assertLoadError(Wasm.function(results: [.i32], [OpCode.localGet, 0]), .invalid, "unknown local")
        assertLoadError(Wasm.function(params: [.i32], locals: [(2, .i64)], [OpCode.localGet, 3, OpCode.drop]), .invalid, "unknown local")
        assertLoadError(Wasm.function(params: [.i32], i32Const0 + [OpCode.localSet, 1]), .invalid, "unknown local")
        // Index 2 is the last local: fine.
        assertLoads(Wasm.function(params: [.i32], locals: [(2, .i64)], [OpCode.localGet, 2, OpCode.drop]))
    }

    func testUnknownGlobal() {
        assertLoadError(Wasm.function(results: [.i32], [OpCode.globalGet, 0]), .invalid, "unknown global")
        assertLoadError(Wasm.function(i32Const0 + [OpCode.globalSet, 1]),
                        .invalid, "unknown global")
        // Globals' initializers may read only imported globals (2.0).
        let two = Wasm.globals([(.i32, mutable: false, initializer: i32Const0), (.i32, mutable: false, initializer: [OpCode.globalGet, 0])])
        assertLoadError(Wasm.module(two), .invalid, "unknown global")
        // Exporting a global that does not exist.
        assertLoadError(Wasm.module(Wasm.exports([("g", .global, 0)])), .invalid, "unknown global")
    }

    func testUnknownFunction() {
        assertLoadError(Wasm.function([OpCode.call, 1]), .invalid, "unknown function")
        assertLoadError(Wasm.module(Wasm.exports([("f", .function, 0)])), .invalid, "unknown function")
        assertLoadError(
            Wasm.module(Wasm.types([FuncType(params: [], results: [])]), Wasm.functions([0]), Wasm.start(5), Wasm.code([Wasm.body([])])),
            .invalid, "unknown function")
        // Function section naming a type that does not exist.
        assertLoadError(
            Wasm.module(Wasm.types([FuncType(params: [], results: [])]), Wasm.functions([1]), Wasm.code([Wasm.body([])])),
            .invalid, "unknown type")
    }

    func testUnknownLabel() {
        assertLoadError(Wasm.function([OpCode.br, 1]), .invalid, "unknown label")
        assertLoadError(Wasm.function([OpCode.block, OpCode.emptyBlock, OpCode.br, 2, OpCode.end]), .invalid, "unknown label")
        assertLoadError(Wasm.function(i32Const0 + [OpCode.brIf, 1]), .invalid, "unknown label")
        assertLoadError(Wasm.function(i32Const0 + [OpCode.brTable, 1, 0, 3]), .invalid, "unknown label")
        // br 1 inside one block targets the function: fine.
        assertLoads(Wasm.function([OpCode.block, OpCode.emptyBlock, OpCode.br, 1, OpCode.end]))
    }

    func testImmutableGlobalSet() {
        let immutable = Wasm.globals([(.i32, mutable: false, initializer: i32Const0)])
        assertLoadError(Wasm.function(middle: immutable, i32Const0 + [OpCode.globalSet, 0]), .invalid, "global is immutable")
        // An imported immutable global cannot be set either.
        let imp = Wasm.imports([(module: "env", name: "g", descriptor: [0x03, ValueType.i32.rawValue, 0x00])])
        assertLoadError(Wasm.function(imports: imp, i32Const0 + [OpCode.globalSet, 0]), .invalid, "global is immutable")
        let mutable = Wasm.globals([(.i32, mutable: true, initializer: i32Const0)])
        assertLoads(Wasm.function(middle: mutable, i32Const0 + [OpCode.globalSet, 0]))
        // A constant expression must not read a mutable import.
        let mutImport = Wasm.imports([(module: "env", name: "g", descriptor: [0x03, ValueType.i32.rawValue, 0x01])])
        assertLoadError(
            Wasm.module(mutImport, Wasm.globals([(.i32, mutable: false, initializer: [OpCode.globalGet, 0])])),
            .invalid, "constant expression required")
    }

    func testBadAlignment() {
        let memory = Wasm.memories([(1, nil)])
        // i32.load with alignment 2^3 > 4 bytes.
        assertLoadError(Wasm.function(results: [.i32], middle: memory, i32Const0 + [OpCode.i32Load, 3, 0]),
                        .invalid, "alignment must not be larger than natural")
        // i64.load with alignment 2^4.
        assertLoadError(Wasm.function(results: [.i64], middle: memory, i32Const0 + [OpCode.i64Load, 4, 0]),
                        .invalid, "alignment")
        // i32.load8_u (0x2D) with alignment 2.
        assertLoadError(Wasm.function(results: [.i32], middle: memory, i32Const0 + [0x2D, 1, 0]), .invalid, "alignment")
        // Natural and smaller alignments are fine.
        assertLoads(Wasm.function(results: [.i32], middle: memory, i32Const0 + [OpCode.i32Load, 2, 0]))
        assertLoads(Wasm.function(results: [.i32], middle: memory, i32Const0 + [OpCode.i32Load, 0, 0]))
        // A load without a memory.
        assertLoadError(Wasm.function(results: [.i32], i32Const0 + [OpCode.i32Load, 2, 0]), .invalid, "unknown memory")
    }

    func testMultipleMemories() {
        // A 2.0 rule, lifted by multi-memory (3.0).
        assertLoadError(Wasm.module(Wasm.memories([(1, nil), (1, nil)])), .invalid, "multiple memories", features: .wasm2)
        let imp = Wasm.imports([(module: "env", name: "m", descriptor: [0x02, 0x00, 0x01])])
        assertLoadError(Wasm.module(imp, Wasm.memories([(1, nil)])), .invalid, "multiple memories", features: .wasm2)
        assertLoads(Wasm.module(Wasm.memories([(1, nil), (1, nil)])))
        assertLoads(Wasm.module(imp, Wasm.memories([(1, nil)])))
        // Limits: min above max, and above 4 GiB.
        assertLoadError(Wasm.module(Wasm.memories([(2, 1)])), .invalid, "size minimum must not be greater than maximum")
        assertLoadError(Wasm.module(Wasm.memories([(65537, nil)])), .invalid, "memory size must be at most 65536 pages")
        assertLoads(Wasm.module(Wasm.memories([(0, 65536)])))
    }

    func testDuplicateExports() {
        let types = Wasm.types([FuncType(params: [], results: [])])
        assertLoadError(
            Wasm.module(types, Wasm.functions([0]), Wasm.exports([("a", .function, 0), ("a", .function, 0)]), Wasm.code([Wasm.body([])])),
            .invalid, "duplicate export name")
        // Different kinds share one namespace.
        assertLoadError(
            Wasm.module(types, Wasm.functions([0]), Wasm.memories([(1, nil)]),
                        Wasm.exports([("x", .function, 0), ("x", .memory, 0)]), Wasm.code([Wasm.body([])])),
            .invalid, "duplicate export name")
        // Names differing only in Unicode normalization are distinct.
        assertLoads(
            Wasm.module(types, Wasm.functions([0]),
                        Wasm.exports([("\u{E9}", .function, 0), ("e\u{301}", .function, 0)]), Wasm.code([Wasm.body([])])))
    }

    func testUndeclaredFunctionReference() {
        // Two functions; function 0 takes ref.func 1, which nothing declares.
        let types = Wasm.types([FuncType(params: [], results: [])])
        let refFunc1: [UInt8] = [OpCode.refFunc, 1, OpCode.drop]
        assertLoadError(
            Wasm.module(types, Wasm.functions([0, 0]), Wasm.code([Wasm.body(refFunc1), Wasm.body([])])),
            .invalid, "undeclared function reference")
        // Exporting function 1 declares it.
        assertLoads(
            Wasm.module(types, Wasm.functions([0, 0]), Wasm.exports([("g", .function, 1)]),
                        Wasm.code([Wasm.body(refFunc1), Wasm.body([])])))
        // So does a declarative element segment: flags 3, elemkind 0, one function index.
        assertLoads(
            Wasm.module(types, Wasm.functions([0, 0]), Wasm.elements([[0x03, 0x00, 0x01, 0x01]]),
                        Wasm.code([Wasm.body(refFunc1), Wasm.body([])])))
        // ref.func of a function that does not exist.
        assertLoadError(
            Wasm.module(types, Wasm.functions([0]), Wasm.code([Wasm.body([OpCode.refFunc, 7, OpCode.drop])])),
            .invalid, "unknown function")
    }

    func testBrTableArityMismatch() {
        // (block (result i32) (block (br_table 0 1 (i32.const 1) (i32.const 0))) ...)
        // Label 0 takes no value, label 1 takes an i32.
        let code: [UInt8] = [
            OpCode.block, ValueType.i32.rawValue,
            OpCode.block, OpCode.emptyBlock,
            OpCode.i32Const, 1, OpCode.i32Const, 0, OpCode.brTable, 1, 0, 1,
            OpCode.end,
            OpCode.i32Const, 2,
            OpCode.end,
        ]
        assertLoadError(Wasm.function(results: [.i32], code), .invalid, "type mismatch")
        // Same arity, different types: i32 and i64 labels.
        let types: [UInt8] = [
            OpCode.block, ValueType.i32.rawValue,
            OpCode.block, ValueType.i64.rawValue,
            OpCode.i32Const, 1, OpCode.i32Const, 0, OpCode.brTable, 1, 0, 1,
            OpCode.end,
            OpCode.drop, OpCode.i32Const, 2,
            OpCode.end,
        ]
        assertLoadError(Wasm.function(results: [.i32], types), .invalid, "type mismatch")
        // Both labels take an i32: fine.
        let fine: [UInt8] = [
            OpCode.block, ValueType.i32.rawValue,
            OpCode.block, ValueType.i32.rawValue,
            OpCode.i32Const, 1, OpCode.i32Const, 0, OpCode.brTable, 1, 0, 1,
            OpCode.end,
            OpCode.end,
        ]
        assertLoads(Wasm.function(results: [.i32], fine))
    }

    func testConstantExpressions() {
        // i32.add is not constant in 2.0; extended-const (3.0) makes it one.
        let add = Wasm.globals([(.i32, mutable: false, initializer: i32Const0 + i32Const0 + [OpCode.i32Add])])
        assertLoadError(Wasm.module(add), .invalid, "constant expression required", features: .wasm2)
        assertLoads(Wasm.module(add))
        let addI64 = Wasm.globals([(.i32, mutable: false, initializer: i32Const0 + [OpCode.i64Const, 0, OpCode.i32Add])])
        assertLoadError(Wasm.module(addI64), .invalid, "type mismatch")
        // An initializer of the wrong type.
        assertLoadError(Wasm.module(Wasm.globals([(.i64, mutable: false, initializer: i32Const0)])), .invalid, "type mismatch")
        // Two values.
        assertLoadError(Wasm.module(Wasm.globals([(.i32, mutable: false, initializer: i32Const0 + i32Const0)])),
                        .invalid, "type mismatch")
        // nop is an instruction, but not a constant one.
        assertLoadError(Wasm.module(Wasm.globals([(.i32, mutable: false, initializer: [OpCode.nop] + i32Const0)])),
                        .invalid, "constant expression required")
    }

    // MARK: Valid corner cases

    func testValidCornerCasesLoadAndRun() throws {
        let h = try Harness("valid")
        assertTrap(.unreachable) { try h.call("unreachable_add") }
        assertTrap(.unreachable) { try h.call("unreachable_end") }
        XCTAssertEqual(try h.i32("after_br"), 7)
        XCTAssertEqual(try h.i32("after_return_select"), 5)
        XCTAssertEqual(try h.i32("after_br_table", .i32(0)), 111)
        XCTAssertEqual(try h.i32("after_br_table", .i32(1)), 111)
        XCTAssertEqual(try h.i32("after_br_table", .i32(9)), 111)

        XCTAssertEqual(try h.call("swap", .i32(1), .i32(2)), [.i32(2), .i32(1)])
        XCTAssertEqual(try h.i32("sub_swapped", .i32(10), .i32(3)), -7)
        XCTAssertEqual(try h.i32("block_params", .i32(10), .i32(3)), 7)
        XCTAssertEqual(try h.i32("block_pair", .i32(10), .i32(3)), -7)
        XCTAssertEqual(try h.i32("countdown", .i32(5)), 0)
        XCTAssertEqual(try h.i32("countdown", .i32(1)), 0)
        XCTAssertEqual(try h.call("if_params", .i32(1), .i32(9)), [.i32(9), .i32(1)])
        XCTAssertEqual(try h.call("if_params", .i32(0), .i32(9)), [.i32(9), .i32(2)])
        XCTAssertEqual(try h.call("br_if_pair", .i32(1)), [.i32(3), .i32(4)])
        XCTAssertEqual(try h.call("br_if_pair", .i32(0)), [.i32(5), .i32(6)])
        XCTAssertEqual(try h.i32("br_table_pair", .i32(0)), 7)
        XCTAssertEqual(try h.i32("br_table_pair", .i32(1)), 29)
        XCTAssertEqual(try h.i32("br_table_pair", .i32(77)), 29)
    }

    func testPolymorphicStackByteLevel() {
        // (func (result i32) unreachable i64.add drop i32.const 1) is valid...
        assertLoads(Wasm.function(results: [.i32], [OpCode.unreachable, OpCode.i64Add, OpCode.drop, OpCode.i32Const, 1]))
        // ...but a known operand of the wrong type is still a mismatch after unreachable.
        assertLoadError(
            Wasm.function(results: [.i32], [OpCode.unreachable, OpCode.i64Const, 0, OpCode.i32Add]), .invalid, "type mismatch")
        // And the block's result type still applies: unreachable then an i64 for an i32 result.
        assertLoadError(Wasm.function(results: [.i32], [OpCode.unreachable, OpCode.i64Const, 0]), .invalid, "type mismatch")
        // A block in unreachable code is checked like any other block...
        assertLoads(Wasm.function(results: [.i32], [OpCode.unreachable, OpCode.block, ValueType.i32.rawValue, OpCode.unreachable, OpCode.end]))
        // ...its own stack is not polymorphic until something in it is unreachable.
        assertLoadError(
            Wasm.function(results: [.i32], [OpCode.unreachable, OpCode.block, ValueType.i32.rawValue, OpCode.i32Add, OpCode.end]),
            .invalid, "type mismatch")
    }

    func testCallIndirectNeedsATable() {
        let types = Wasm.types([FuncType(params: [], results: [])])
        assertLoadError(
            Wasm.module(types, Wasm.functions([0]), Wasm.code([Wasm.body(i32Const0 + [OpCode.callIndirect, 0, 0])])),
            .invalid, "unknown table")
        assertLoads(
            Wasm.module(types, Wasm.functions([0]), Wasm.tables([(.funcref, 1, nil)]),
                        Wasm.code([Wasm.body(i32Const0 + [OpCode.callIndirect, 0, 0])])))
    }
}
