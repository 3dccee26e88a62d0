import RewasmCore
import XCTest

/// The binary decoder (spec §5): malformed input is a `LoadError` of kind
/// `.malformed` with a message in the spec test suite's wording, and no input crashes.
final class DecoderTests: XCTestCase {
    /// (module (func (export "f") (result i32) i32.const 42))
    private let minimal: [UInt8] = Wasm.function(results: [.i32], [OpCode.i32Const, 42])

    func testMinimalModuleLoads() throws {
        let m = try Module(bytes: minimal)
        XCTAssertEqual(m.exports.map(\.name), ["f"])
        XCTAssertEqual(m.info.types, [FuncType(params: [], results: [.i32])])
        XCTAssertNotNil(assertLoads(Wasm.header), "an empty module is valid")
    }

    func testBadMagic() {
        var bytes = minimal
        bytes[3] = 0x6E  // "\0asn"
        let e = assertLoadError(bytes, .malformed, "magic header not detected")
        XCTAssertEqual(e?.offset, 0)
        assertLoadError(Array("wasm\u{1}\0\0\0".utf8), .malformed, "magic header")
        assertLoadError([], .malformed, "unexpected end")
        assertLoadError([0x00, 0x61, 0x73], .malformed, "unexpected end")
    }

    func testBadVersion() {
        var bytes = minimal
        bytes[4] = 2
        let e = assertLoadError(bytes, .malformed, "unknown binary version")
        XCTAssertEqual(e?.offset, 4)
        assertLoadError([0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00], .malformed, "unknown binary version")
        assertLoadError(Array(Wasm.header.prefix(6)), .malformed, "unexpected end")
    }

    func testTruncatedSections() {
        // A type section announcing 5 bytes with only 2 present.
        assertLoadError(Wasm.header + [0x01, 0x05, 0x01, 0x60], .malformed, "length out of bounds")
        // A section id with no size.
        assertLoadError(Wasm.header + [0x01], .malformed, "unexpected end")
        // The vector announces two types, the section holds one.
        let oneType: [UInt8] = [0x60, 0x00, 0x01, 0x7F]
        assertLoadError(Wasm.header + Wasm.section(1, [0x02] + oneType), .malformed, "unexpected end")
        // A function body cut short: its size runs past the section.
        assertLoadError(
            Wasm.module(Wasm.types([FuncType(params: [], results: [])]), Wasm.functions([0]),
                        Wasm.section(10, [0x01, 0x05, 0x00, 0x0B])),
            .malformed, "length out of bounds")
    }

    func testSectionSizeMismatch() {
        // The type section says 6 bytes but its content ends after 5: one byte left over.
        let e = assertLoadError(
            Wasm.header + [0x01, 0x06, 0x01, 0x60, 0x00, 0x01, 0x7F, 0x00], .malformed, "section size mismatch")
        XCTAssertNotNil(e?.offset)
        // The same with the function section.
        assertLoadError(
            Wasm.module(Wasm.types([FuncType(params: [], results: [])]), [0x03, 0x03, 0x01, 0x00, 0x00]),
            .malformed, "section size mismatch")
    }

    func testSectionOrderAndIds() {
        let types = Wasm.types([FuncType(params: [], results: [])])
        assertLoadError(Wasm.module(Wasm.functions([]), types), .malformed, "unexpected content after last section")
        assertLoadError(Wasm.module(types, types), .malformed, "unexpected content after last section")
        // Section 13 (tags) is exception handling's: unknown in 2.0; 14 is unknown in 3.0.
        assertLoadError(Wasm.header + Wasm.section(13, []), .malformed, "malformed section id", features: .wasm2)
        assertLoadError(Wasm.header + Wasm.section(14, []), .malformed, "malformed section id")
        // Custom sections may appear anywhere, and repeatedly.
        let custom = Wasm.section(0, Wasm.name("note") + [1, 2, 3])
        assertLoads(Wasm.module(custom, types, custom, Wasm.functions([]), custom))
    }

    func testOverlongLEB128() {
        // The type count as a 6-byte LEB128: longer than a u32 may be.
        let e = assertLoadError(
            Wasm.header + Wasm.section(1, [0x80, 0x80, 0x80, 0x80, 0x80, 0x00]), .malformed, "integer representation too long")
        XCTAssertNotNil(e?.offset)
        // 5 bytes, but the last one sets bits beyond 32.
        assertLoadError(Wasm.header + Wasm.section(1, [0xFF, 0xFF, 0xFF, 0xFF, 0x7F]), .malformed, "integer too large")
        // An overlong but in-range encoding of 0 is fine (padding is allowed up to 5 bytes).
        assertLoads(Wasm.header + Wasm.section(1, [0x80, 0x80, 0x80, 0x80, 0x00]))
        // i32.const with an 6-byte signed LEB128 in a function body.
        assertLoadError(
            Wasm.function(results: [.i32], [OpCode.i32Const, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]),
            .malformed, "integer representation too long")
        // i32.const whose 5th byte is not a sign extension.
        assertLoadError(
            Wasm.function(results: [.i32], [OpCode.i32Const, 0xFF, 0xFF, 0xFF, 0xFF, 0x4F]), .malformed, "integer too large")
        // The largest and smallest i32 in 5 bytes are fine.
        assertLoads(Wasm.function(results: [.i32], [OpCode.i32Const] + Wasm.sleb(Int64(Int32.min))))
        assertLoads(Wasm.function(results: [.i32], [OpCode.i32Const] + Wasm.sleb(Int64(Int32.max))))
    }

    func testBadUTF8Names() {
        let types = Wasm.types([FuncType(params: [], results: [])])
        let body = Wasm.code([Wasm.body([])])
        for bad: [UInt8] in [[0xFF], [0xC0, 0x80], [0xE0, 0x80], [0xED, 0xA0, 0x80], [0x61, 0x80]] {
            let export = Wasm.section(7, [0x01] + Wasm.uleb(bad.count) + bad + [0x00, 0x00])
            assertLoadError(Wasm.module(types, Wasm.functions([0]), export, body), .malformed, "malformed UTF-8 encoding")
            let imp = Wasm.section(2, [0x01] + Wasm.uleb(bad.count) + bad + Wasm.name("f") + [0x00, 0x00])
            assertLoadError(Wasm.module(types, imp), .malformed, "malformed UTF-8 encoding")
        }
        // Multi-byte UTF-8 is a fine name.
        let export = Wasm.exports([("h\u{E9}llo \u{1F600}", .function, 0)])
        let m = assertLoads(Wasm.module(types, Wasm.functions([0]), export, body))
        XCTAssertEqual(m?.exports.first?.name, "h\u{E9}llo \u{1F600}")
    }

    func testFunctionAndCodeCountMismatch() {
        let types = Wasm.types([FuncType(params: [], results: [])])
        assertLoadError(Wasm.module(types, Wasm.functions([0])), .malformed,
                        "function and code section have inconsistent lengths")
        assertLoadError(Wasm.module(types, Wasm.code([Wasm.body([])])), .malformed,
                        "function and code section have inconsistent lengths")
        assertLoadError(Wasm.module(types, Wasm.functions([0, 0]), Wasm.code([Wasm.body([])])), .malformed,
                        "function and code section have inconsistent lengths")
    }

    func testUnknownOpcodeInBody() {
        // 0x06 (legacy `try`), 0x27 and 0xFF are not WebAssembly 2.0 opcodes.
        for op: UInt8 in [0x06, 0x27, 0xC5, 0xFF] {
            let e = assertLoadError(Wasm.function([op]), .malformed, "illegal opcode", features: .wasm2)
            XCTAssertNotNil(e?.offset)
        }
        // With exception handling, the legacy `try` is refused as such.
        assertLoadError(Wasm.function([0x06, 0x40, OpCode.end]), .unsupported, "legacy exception handling")
        // 0xFC 99 does not exist.
        assertLoadError(Wasm.function([OpCode.prefixFC, 99]), .malformed, "illegal opcode")
    }

    func testBodyWithoutEnd() {
        // The body of `f` is just `nop`, without its final `end`.
        let bytes = Wasm.module(
            Wasm.types([FuncType(params: [], results: [])]), Wasm.functions([0]),
            Wasm.code([[0x00, OpCode.nop]]))
        assertLoadError(bytes, .malformed, "END opcode expected")
    }

    func testMemoryInitWithoutDataCount() {
        let passive: [UInt8] = [0x01] + Wasm.uleb(3) + Array("abc".utf8)
        let instructions: [UInt8] = [OpCode.i32Const, 0, OpCode.i32Const, 0, OpCode.i32Const, 1, OpCode.prefixFC, 8, 0, 0]
        let types = Wasm.types([FuncType(params: [], results: [])])
        // No data count section: malformed.
        assertLoadError(
            Wasm.module(types, Wasm.functions([0]), Wasm.memories([(1, nil)]), Wasm.code([Wasm.body(instructions)]),
                        Wasm.datas([passive])),
            .malformed, "data count section required")
        // data.drop needs it too.
        assertLoadError(
            Wasm.module(types, Wasm.functions([0]), Wasm.memories([(1, nil)]), Wasm.code([Wasm.body([OpCode.prefixFC, 9, 0])]),
                        Wasm.datas([passive])),
            .malformed, "data count section required")
        // With it, the module loads.
        assertLoads(
            Wasm.module(types, Wasm.functions([0]), Wasm.memories([(1, nil)]), Wasm.dataCount(1),
                        Wasm.code([Wasm.body(instructions)]), Wasm.datas([passive])))
        // A data count that disagrees with the data section.
        assertLoadError(
            Wasm.module(types, Wasm.memories([(1, nil)]), Wasm.dataCount(2), Wasm.datas([passive])),
            .malformed, "data count and data section have inconsistent lengths")
    }

    func testMalformedTypesAndKinds() {
        // A function type must start with 0x60.
        assertLoadError(Wasm.header + Wasm.section(1, [0x01, 0x61, 0x00, 0x00]), .malformed, "malformed function type")
        // 0x7A is no value type.
        assertLoadError(Wasm.header + Wasm.section(1, [0x01, 0x60, 0x01, 0x7A, 0x00]), .malformed, "malformed value type")
        // Import kind 4 (tag) does not exist in 2.0; 5 does not in 3.0.
        assertLoadError(Wasm.module(Wasm.section(2, [0x01] + Wasm.name("m") + Wasm.name("n") + [0x04, 0x00])),
                        .malformed, "malformed import kind", features: .wasm2)
        assertLoadError(Wasm.module(Wasm.section(2, [0x01] + Wasm.name("m") + Wasm.name("n") + [0x05, 0x00])),
                        .malformed, "malformed import kind")
        // Global mutability must be 0 or 1.
        assertLoadError(Wasm.header + Wasm.section(6, [0x01, 0x7F, 0x02, OpCode.i32Const, 0, 0x0B]),
                        .malformed, "malformed mutability")
    }

    func testMalformedNameSectionIsIgnored() throws {
        // A "name" custom section with a truncated function-names subsection.
        let name = Wasm.section(0, Wasm.name("name") + [0x01, 0x10, 0x01])
        let m = try Module(bytes: minimal + name)
        XCTAssertTrue(m.info.functionNames.isEmpty)
        XCTAssertEqual(m.info.customSections.map(\.name), ["name"])
    }

    func testNameSectionOfFixture() throws {
        let m = try Fixture.module("all_sections")
        XCTAssertEqual(m.info.moduleName, "everything")
        XCTAssertEqual(m.info.functionNames[1], "one")  // index 0 is the import
        XCTAssertEqual(m.info.functionNames[3], "init")
        XCTAssertEqual(m.info.start, 3)
        XCTAssertEqual(m.info.dataCount, 2)
        XCTAssertEqual(m.imports.map { "\($0.module).\($0.name)" }, ["env.f", "env.g"])
    }

    // MARK: Robustness

    func testEveryPrefixOfAValidModule() throws {
        for fixture in ["all_sections", "table", "restart", "host"] {
            let bytes = try Fixture.bytes(fixture)
            XCTAssertNotNil(assertLoads(bytes), fixture)
            var loaded = 0
            for n in 0..<bytes.count {
                do {
                    _ = try Module(bytes: Array(bytes.prefix(n)))
                    loaded += 1
                    // A prefix can only be a module if it ends at a section boundary.
                    XCTAssertGreaterThanOrEqual(n, 8)
                } catch {
                    if n < 8 {
                        XCTAssertEqual(error.kind, .malformed, "\(fixture) prefix \(n)")
                    }
                    XCTAssertFalse(error.message.isEmpty)
                }
            }
            XCTAssertLessThan(loaded, 20, "\(fixture): most prefixes must fail")
        }
    }

    func testRandomGarbageNeverCrashes() {
        var rng = SplitMix64(seed: 0x5EED)
        for i in 0..<3000 {
            let count = Int.random(in: 0...96, using: &rng)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if i % 2 == 0 { bytes = Wasm.header + bytes }
            if i % 3 == 0 {
                // Plausible section framing with a random id and a random payload.
                let payload = Array(bytes.dropFirst(8))
                bytes = Wasm.header + [UInt8(i % 13)] + Wasm.uleb(payload.count) + payload
            }
            do {
                _ = try Module(bytes: bytes)
            } catch {
                XCTAssertFalse(error.message.isEmpty)
            }
        }
    }

    func testMutatedModulesNeverCrash() throws {
        var rng = SplitMix64(seed: 42)
        for fixture in ["all_sections", "restart", "table", "valid"] {
            let original = try Fixture.bytes(fixture)
            var failures = 0
            for _ in 0..<1500 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    let at = Int.random(in: 8..<bytes.count, using: &rng)
                    switch Int.random(in: 0..<4, using: &rng) {
                    case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
                    case 1: bytes[at] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
                    case 2: bytes.remove(at: at)
                    default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: at)
                    }
                }
                do {
                    _ = try Module(bytes: bytes)
                } catch {
                    failures += 1
                    XCTAssertFalse(error.message.isEmpty)
                }
            }
            XCTAssertGreaterThan(failures, 0, fixture)
        }
    }
}
