import RewasmCore
import XCTest

/// Numeric instruction semantics (spec §4.3), one exported function per instruction
/// (Fixtures/numeric.wat, exports named like the instructions).
final class NumericTests: XCTestCase {
    private var h: Harness!

    override func setUpWithError() throws {
        h = try Harness("numeric")
    }

    override func tearDown() {
        // XCTest keeps test case objects alive until the end: drop the runtime now.
        h = nil
    }

    // MARK: Helpers

    private func i32(_ op: String, _ a: Int32, _ b: Int32) throws -> Int32 { try h.i32(op, .s32(a), .s32(b)) }
    private func i32(_ op: String, _ a: Int32) throws -> Int32 { try h.i32(op, .s32(a)) }
    private func u32(_ op: String, _ a: UInt32, _ b: UInt32) throws -> UInt32 { UInt32(bitPattern: try h.i32(op, .i32(a), .i32(b))) }
    private func i64(_ op: String, _ a: Int64, _ b: Int64) throws -> Int64 { try h.i64(op, .s64(a), .s64(b)) }
    private func i64(_ op: String, _ a: Int64) throws -> Int64 { try h.i64(op, .s64(a)) }

    /// Bits of the f32 result of `op`.
    private func f32(_ op: String, _ args: Value...) throws -> UInt32 {
        let r = try h.context.invokeHandlingRestarts(try h.function(op), args)
        guard r.count == 1, case .f32(let bits) = r[0] else { throw HarnessError("\(op): \(r)") }
        return bits
    }

    private func f64(_ op: String, _ args: Value...) throws -> UInt64 {
        let r = try h.context.invokeHandlingRestarts(try h.function(op), args)
        guard r.count == 1, case .f64(let bits) = r[0] else { throw HarnessError("\(op): \(r)") }
        return bits
    }

    private func result(_ op: String, _ args: Value...) throws -> Value {
        let r = try h.context.invokeHandlingRestarts(try h.function(op), args)
        guard r.count == 1 else { throw HarnessError("\(op): \(r)") }
        return r[0]
    }

    private func trap(_ op: String, _ args: Value..., expect: Trap, file: StaticString = #filePath, line: UInt = #line) throws {
        let e = try h.error(op, arguments: args)
        XCTAssertEqual(e?.kind, .trap(expect), "\(op)\(args)", file: file, line: line)
    }

    private func bits(_ f: Float) -> UInt32 { f.bitPattern }
    private func bits(_ d: Double) -> UInt64 { d.bitPattern }

    // MARK: Integer arithmetic

    func testI32ArithmeticWraps() throws {
        XCTAssertEqual(try i32("i32.add", .max, 1), .min)
        XCTAssertEqual(try i32("i32.add", -1, -1), -2)
        XCTAssertEqual(try i32("i32.sub", .min, 1), .max)
        XCTAssertEqual(try i32("i32.sub", 0, .min), .min)
        XCTAssertEqual(try i32("i32.mul", 0x10000, 0x10000), 0)
        XCTAssertEqual(try i32("i32.mul", 0x7FFF_FFFF, 3), 0x7FFF_FFFD)
        XCTAssertEqual(try i32("i32.mul", -1, .min), .min)
        XCTAssertEqual(try i32("i32.and", 0x0F0F, 0x00FF), 0x000F)
        XCTAssertEqual(try i32("i32.or", 0x0F00, 0x00F0), 0x0FF0)
        XCTAssertEqual(try i32("i32.xor", -1, 0x0F0F), ~0x0F0F)
    }

    func testI64ArithmeticWraps() throws {
        XCTAssertEqual(try i64("i64.add", .max, 1), .min)
        XCTAssertEqual(try i64("i64.sub", .min, 1), .max)
        XCTAssertEqual(try i64("i64.mul", 0x1_0000_0000, 0x1_0000_0000), 0)
        XCTAssertEqual(try i64("i64.mul", 0x1234_5678_9ABC_DEF0, 0x10), 0x2345_6789_ABCD_EF00)
        XCTAssertEqual(try i64("i64.add", 0xFFFF_FFFF, 1), 0x1_0000_0000, "no 32-bit truncation")
        XCTAssertEqual(try i64("i64.xor", -1, 0), -1)
    }

    func testI32DivisionAndRemainder() throws {
        XCTAssertEqual(try i32("i32.div_s", -7, 2), -3)
        XCTAssertEqual(try i32("i32.div_s", 7, -2), -3)
        XCTAssertEqual(try i32("i32.div_s", .min, 1), .min)
        XCTAssertEqual(try i32("i32.rem_s", -7, 2), -1)
        XCTAssertEqual(try i32("i32.rem_s", 7, -2), 1)
        XCTAssertEqual(try i32("i32.rem_s", .min, -1), 0)
        XCTAssertEqual(try i32("i32.rem_s", .min, 2), 0)
        XCTAssertEqual(try u32("i32.div_u", 0xFFFF_FFFF, 2), 0x7FFF_FFFF)
        XCTAssertEqual(try u32("i32.div_u", 0x8000_0000, 0xFFFF_FFFF), 0)
        XCTAssertEqual(try u32("i32.rem_u", 0xFFFF_FFFF, 10), 5)
        XCTAssertEqual(try u32("i32.rem_u", 0x8000_0000, 0xFFFF_FFFF), 0x8000_0000)

        try trap("i32.div_s", .s32(.min), .s32(-1), expect: .integerOverflow)
        try trap("i32.div_s", .s32(1), .s32(0), expect: .integerDivideByZero)
        try trap("i32.div_s", .s32(0), .s32(0), expect: .integerDivideByZero)
        try trap("i32.div_u", .s32(1), .s32(0), expect: .integerDivideByZero)
        try trap("i32.rem_s", .s32(.min), .s32(0), expect: .integerDivideByZero)
        try trap("i32.rem_u", .s32(-1), .s32(0), expect: .integerDivideByZero)
    }

    func testI64DivisionAndRemainder() throws {
        XCTAssertEqual(try i64("i64.div_s", -7, 2), -3)
        XCTAssertEqual(try i64("i64.rem_s", -7, 2), -1)
        XCTAssertEqual(try i64("i64.rem_s", .min, -1), 0)
        XCTAssertEqual(try i64("i64.div_s", .min, 2), .min / 2)
        XCTAssertEqual(try i64("i64.div_u", -1, 2), .max)
        XCTAssertEqual(try i64("i64.rem_u", -1, 10), 5)
        XCTAssertEqual(try i64("i64.div_u", .min, -1), 0)

        try trap("i64.div_s", .s64(.min), .s64(-1), expect: .integerOverflow)
        try trap("i64.div_s", .s64(5), .s64(0), expect: .integerDivideByZero)
        try trap("i64.div_u", .s64(5), .s64(0), expect: .integerDivideByZero)
        try trap("i64.rem_s", .s64(5), .s64(0), expect: .integerDivideByZero)
        try trap("i64.rem_u", .s64(5), .s64(0), expect: .integerDivideByZero)
    }

    func testShiftsAndRotatesMaskTheCount() throws {
        XCTAssertEqual(try i32("i32.shl", 1, 31), .min)
        XCTAssertEqual(try i32("i32.shl", 1, 32), 1)
        XCTAssertEqual(try i32("i32.shl", 1, 33), 2)
        XCTAssertEqual(try i32("i32.shl", 1, -1), .min)
        XCTAssertEqual(try i32("i32.shr_s", -8, 1), -4)
        XCTAssertEqual(try i32("i32.shr_s", -8, 33), -4)
        XCTAssertEqual(try i32("i32.shr_s", .min, 31), -1)
        XCTAssertEqual(try i32("i32.shr_u", -8, 1), 0x7FFF_FFFC)
        XCTAssertEqual(try i32("i32.shr_u", .min, 63), 1)
        XCTAssertEqual(try i32("i32.shr_u", 5, 32), 5)
        XCTAssertEqual(try u32("i32.rotl", 0x8000_0001, 1), 3)
        XCTAssertEqual(try u32("i32.rotl", 0x8000_0001, 33), 3)
        XCTAssertEqual(try u32("i32.rotl", 0x1234_5678, 0), 0x1234_5678)
        XCTAssertEqual(try u32("i32.rotl", 0x1234_5678, 32), 0x1234_5678)
        XCTAssertEqual(try u32("i32.rotr", 1, 1), 0x8000_0000)
        XCTAssertEqual(try u32("i32.rotr", 0x1234_5678, 4), 0x8123_4567)
        XCTAssertEqual(try u32("i32.rotr", 0x1234_5678, 36), 0x8123_4567)
        XCTAssertEqual(try u32("i32.rotr", 0x1234_5678, 0), 0x1234_5678)

        XCTAssertEqual(try i64("i64.shl", 1, 63), .min)
        XCTAssertEqual(try i64("i64.shl", 1, 64), 1)
        XCTAssertEqual(try i64("i64.shl", 1, 65), 2)
        XCTAssertEqual(try i64("i64.shl", 1, 32), 0x1_0000_0000)
        XCTAssertEqual(try i64("i64.shr_s", .min, 63), -1)
        XCTAssertEqual(try i64("i64.shr_s", -8, 65), -4)
        XCTAssertEqual(try i64("i64.shr_u", .min, 127), 1)
        XCTAssertEqual(try i64("i64.shr_u", -1, 32), 0xFFFF_FFFF)
        XCTAssertEqual(try i64("i64.rotl", Int64(bitPattern: 0x8000_0000_0000_0001), 1), 3)
        XCTAssertEqual(try i64("i64.rotl", Int64(bitPattern: 0x8000_0000_0000_0001), 65), 3)
        XCTAssertEqual(try i64("i64.rotl", 0x1234, 64), 0x1234)
        XCTAssertEqual(try i64("i64.rotr", 1, 1), .min)
        XCTAssertEqual(try i64("i64.rotr", 0x1234_5678_9ABC_DEF0, 68), 0x0123_4567_89AB_CDEF)
    }

    func testImmediateForms() throws {
        // A constant right operand is folded into the instruction: same results.
        XCTAssertEqual(try i32("i32.add_imm-1", 5), 4)
        XCTAssertEqual(try i32("i32.sub_imm-2147483648", 0), .min)
        XCTAssertEqual(try i32("i32.sub_imm-2147483648", 1), -2_147_483_647)
        XCTAssertEqual(try i32("i32.mul_imm-3", 7), -21)
        XCTAssertEqual(try i32("i32.and_imm255", 0x1234), 0x34)
        XCTAssertEqual(try i32("i32.or_imm-256", 1), -255)
        XCTAssertEqual(try i32("i32.xor_imm-1", 0), -1)
        XCTAssertEqual(try i32("i32.shl_imm33", 1), 2)
        XCTAssertEqual(try i32("i32.shr_s_imm33", -8), -4)
        XCTAssertEqual(try i32("i32.shr_u_imm63", .min), 1)
        XCTAssertEqual(try i32("i32.rotl_imm35", Int32(bitPattern: 0x8000_0001)), 0xC)
        XCTAssertEqual(try i32("i32.shl_imm-1", 1), .min)
        XCTAssertEqual(try i32("i32.shr_s_imm-1", .min), -1)
        XCTAssertEqual(try i64("i64.add_imm-1", 0), -1)
        XCTAssertEqual(try i64("i64.add_imm-1", 0x1_0000_0000), 0xFFFF_FFFF)
        XCTAssertEqual(try i64("i64.sub_imm-2147483648", 0), 2_147_483_648)
        XCTAssertEqual(try i64("i64.and_imm-256", 0x1_0000_01FF), 0x1_0000_0100)
        XCTAssertEqual(try i64("i64.or_imm2147483647", 1 << 40), 1 << 40 | 0x7FFF_FFFF)
        XCTAssertEqual(try i64("i64.xor_imm-1", 0), -1)
        XCTAssertEqual(try i64("i64.shl_imm65", 1), 2)
        XCTAssertEqual(try i64("i64.shr_s_imm65", -8), -4)
        XCTAssertEqual(try i64("i64.shr_u_imm127", .min), 1)
        XCTAssertEqual(try i64("i64.rotl_imm67", Int64(bitPattern: 0x8000_0000_0000_0001)), 0xC)
        XCTAssertEqual(try i64("i64.shr_s_imm-1", .min), -1)
        XCTAssertEqual(try i64("i64.rotl_imm-1", 1), .min)
        XCTAssertEqual(try i64("i64.add_imm4294967296", 1), 0x1_0000_0001)
    }

    func testImmediateFormsAgreeWithRegisterForms() throws {
        let forms: [(String, String, Int64)] = [
            ("i32.add_imm-1", "i32.add", -1), ("i32.sub_imm-2147483648", "i32.sub", -2_147_483_648),
            ("i32.mul_imm-3", "i32.mul", -3), ("i32.and_imm255", "i32.and", 255), ("i32.or_imm-256", "i32.or", -256),
            ("i32.xor_imm-1", "i32.xor", -1), ("i32.shl_imm33", "i32.shl", 33), ("i32.shr_s_imm33", "i32.shr_s", 33),
            ("i32.shr_u_imm63", "i32.shr_u", 63), ("i32.rotl_imm35", "i32.rotl", 35), ("i32.shl_imm-1", "i32.shl", -1),
            ("i32.shr_s_imm-1", "i32.shr_s", -1),
            ("i64.add_imm-1", "i64.add", -1), ("i64.sub_imm-2147483648", "i64.sub", -2_147_483_648),
            ("i64.and_imm-256", "i64.and", -256), ("i64.or_imm2147483647", "i64.or", 2_147_483_647),
            ("i64.xor_imm-1", "i64.xor", -1), ("i64.shl_imm65", "i64.shl", 65), ("i64.shr_s_imm65", "i64.shr_s", 65),
            ("i64.shr_u_imm127", "i64.shr_u", 127), ("i64.rotl_imm67", "i64.rotl", 67), ("i64.shr_s_imm-1", "i64.shr_s", -1),
            ("i64.rotl_imm-1", "i64.rotl", -1), ("i64.add_imm4294967296", "i64.add", 4_294_967_296),
        ]
        let inputs: [Int64] = [0, 1, -1, 7, -8, 0x7FFF_FFFF, -0x8000_0000, 0x1234_5678_9ABC_DEF0, .min, .max]
        for (imm, reg, c) in forms {
            for x in inputs {
                if imm.hasPrefix("i32") {
                    let a = Int32(truncatingIfNeeded: x)
                    XCTAssertEqual(try i32(imm, a), try i32(reg, a, Int32(truncatingIfNeeded: c)), "\(imm)(\(a))")
                } else {
                    XCTAssertEqual(try i64(imm, x), try i64(reg, x, c), "\(imm)(\(x))")
                }
            }
        }
    }

    func testBitCounts() throws {
        XCTAssertEqual(try i32("i32.clz", 0), 32)
        XCTAssertEqual(try i32("i32.clz", 1), 31)
        XCTAssertEqual(try i32("i32.clz", -1), 0)
        XCTAssertEqual(try i32("i32.clz", 0x8000), 16)
        XCTAssertEqual(try i32("i32.ctz", 0), 32)
        XCTAssertEqual(try i32("i32.ctz", .min), 31)
        XCTAssertEqual(try i32("i32.ctz", 0x8000), 15)
        XCTAssertEqual(try i32("i32.popcnt", -1), 32)
        XCTAssertEqual(try i32("i32.popcnt", 0), 0)
        XCTAssertEqual(try i32("i32.popcnt", 0x5555_5555), 16)
        XCTAssertEqual(try i32("i32.eqz", 0), 1)
        XCTAssertEqual(try i32("i32.eqz", .min), 0)
        XCTAssertEqual(try i64("i64.clz", 0), 64)
        XCTAssertEqual(try i64("i64.clz", 1), 63)
        XCTAssertEqual(try i64("i64.clz", 0xFFFF_FFFF), 32)
        XCTAssertEqual(try i64("i64.ctz", 0), 64)
        XCTAssertEqual(try i64("i64.ctz", 0x1_0000_0000), 32)
        XCTAssertEqual(try i64("i64.popcnt", -1), 64)
        XCTAssertEqual(try i64("i64.popcnt", 0x1_0000_0001), 2)
        XCTAssertEqual(try h.i32("i64.eqz", .i64(0)), 1)
        XCTAssertEqual(try h.i32("i64.eqz", .i64(0x1_0000_0000)), 0)
    }

    func testSignExtension() throws {
        XCTAssertEqual(try i32("i32.extend8_s", 0x7F), 127)
        XCTAssertEqual(try i32("i32.extend8_s", 0x80), -128)
        XCTAssertEqual(try i32("i32.extend8_s", 0x1FF), -1)
        XCTAssertEqual(try i32("i32.extend8_s", 0x1234_5600), 0)
        XCTAssertEqual(try i32("i32.extend16_s", 0x8000), -32768)
        XCTAssertEqual(try i32("i32.extend16_s", 0x1_7FFF), 32767)
        XCTAssertEqual(try i64("i64.extend8_s", 0x80), -128)
        XCTAssertEqual(try i64("i64.extend16_s", 0xFFFF), -1)
        XCTAssertEqual(try i64("i64.extend32_s", 0x8000_0000), -2_147_483_648)
        XCTAssertEqual(try i64("i64.extend32_s", 0x1_7FFF_FFFF), 0x7FFF_FFFF)
        XCTAssertEqual(try h.i64("i64.extend_i32_s", .s32(-1)), -1)
        XCTAssertEqual(try h.i64("i64.extend_i32_u", .s32(-1)), 0xFFFF_FFFF)
        XCTAssertEqual(try h.i32("i32.wrap_i64", .i64(0x1_0000_0005)), 5)
        XCTAssertEqual(try h.i32("i32.wrap_i64", .i64(0xFFFF_FFFF_8000_0000)), .min)
    }

    // MARK: Comparisons, including the fused compare-and-branch forms

    func testIntegerComparisonsInEveryForm() throws {
        let values32: [Int32] = [.min, -1, 0, 1, .max]
        let ops32: [(String, (Int32, Int32) -> Bool)] = [
            ("eq", { $0 == $1 }), ("ne", { $0 != $1 }), ("lt_s", { $0 < $1 }), ("gt_s", { $0 > $1 }),
            ("le_s", { $0 <= $1 }), ("ge_s", { $0 >= $1 }),
            ("lt_u", { UInt32(bitPattern: $0) < UInt32(bitPattern: $1) }), ("gt_u", { UInt32(bitPattern: $0) > UInt32(bitPattern: $1) }),
            ("le_u", { UInt32(bitPattern: $0) <= UInt32(bitPattern: $1) }), ("ge_u", { UInt32(bitPattern: $0) >= UInt32(bitPattern: $1) }),
        ]
        for (name, expected) in ops32 {
            for a in values32 {
                for b in values32 {
                    let want: Int32 = expected(a, b) ? 1 : 0
                    for prefix in ["", "if.", "br.", "brv."] {
                        XCTAssertEqual(try i32("\(prefix)i32.\(name)", a, b), want, "\(prefix)i32.\(name) \(a) \(b)")
                    }
                }
            }
        }
        let values64: [Int64] = [.min, -1, 0, 1, 0x1_0000_0000, .max]
        let ops64: [(String, (Int64, Int64) -> Bool)] = [
            ("eq", { $0 == $1 }), ("ne", { $0 != $1 }), ("lt_s", { $0 < $1 }), ("gt_s", { $0 > $1 }),
            ("le_s", { $0 <= $1 }), ("ge_s", { $0 >= $1 }),
            ("lt_u", { UInt64(bitPattern: $0) < UInt64(bitPattern: $1) }), ("gt_u", { UInt64(bitPattern: $0) > UInt64(bitPattern: $1) }),
            ("le_u", { UInt64(bitPattern: $0) <= UInt64(bitPattern: $1) }), ("ge_u", { UInt64(bitPattern: $0) >= UInt64(bitPattern: $1) }),
        ]
        for (name, expected) in ops64 {
            for a in values64 {
                for b in values64 {
                    let want: Int32 = expected(a, b) ? 1 : 0
                    for prefix in ["", "if.", "br.", "brv."] {
                        XCTAssertEqual(try h.i32("\(prefix)i64.\(name)", .s64(a), .s64(b)), want, "\(prefix)i64.\(name) \(a) \(b)")
                    }
                }
            }
        }
        for v: Int64 in [0, 1, -1, 0x1_0000_0000, .min] {
            for prefix in ["br.", "if."] {
                XCTAssertEqual(try h.i32("\(prefix)i64.eqz", .s64(v)), v == 0 ? 1 : 0, "\(prefix)i64.eqz \(v)")
                let v32 = Int32(truncatingIfNeeded: v)
                XCTAssertEqual(try h.i32("\(prefix)i32.eqz", .s32(v32)), v32 == 0 ? 1 : 0, "\(prefix)i32.eqz \(v32)")
            }
        }
    }

    func testFloatComparisonsInEveryForm() throws {
        let values: [Double] = [-.infinity, -1, -0.0, 0, 0.5, .infinity, .nan]
        let ops: [(String, (Double, Double) -> Bool)] = [
            ("eq", { $0 == $1 }), ("ne", { $0 != $1 }), ("lt", { $0 < $1 }), ("gt", { $0 > $1 }),
            ("le", { $0 <= $1 }), ("ge", { $0 >= $1 }),
        ]
        for (name, expected) in ops {
            for a in values {
                for b in values {
                    let want: Int32 = expected(a, b) ? 1 : 0
                    for prefix in ["", "if.", "br.", "brv."] {
                        XCTAssertEqual(try h.i32("\(prefix)f64.\(name)", .double(a), .double(b)), want, "\(prefix)f64.\(name) \(a) \(b)")
                        XCTAssertEqual(try h.i32("\(prefix)f32.\(name)", .float(Float(a)), .float(Float(b))), want, "\(prefix)f32.\(name) \(a) \(b)")
                    }
                }
            }
        }
    }

    func testComparisonsAgainstConstantsInEveryForm() throws {
        // `x cmp const`: folded into compare-immediate instructions and compare-immediate branches.
        let signed32: [String: (Int32, Int32) -> Bool] = [
            "eq": { $0 == $1 }, "ne": { $0 != $1 }, "lt_s": { $0 < $1 }, "gt_s": { $0 > $1 }, "le_s": { $0 <= $1 }, "ge_s": { $0 >= $1 },
            "lt_u": { UInt32(bitPattern: $0) < UInt32(bitPattern: $1) }, "gt_u": { UInt32(bitPattern: $0) > UInt32(bitPattern: $1) },
            "le_u": { UInt32(bitPattern: $0) <= UInt32(bitPattern: $1) }, "ge_u": { UInt32(bitPattern: $0) >= UInt32(bitPattern: $1) },
        ]
        let inputs: [Int64] = [.min, -2_147_483_649, -2_147_483_648, -6, -5, -4, 0, 5, 2_147_483_647, 0xFFFF_FFFB, .max]
        for (op, expected) in signed32 {
            for c: Int32 in [-5, .min] {
                for x in inputs {
                    let a = Int32(truncatingIfNeeded: x)
                    let want: Int32 = expected(a, c) ? 1 : 0
                    for prefix in ["", "if.", "br.", "brv."] {
                        XCTAssertEqual(try i32("\(prefix)i32.\(op)_imm\(c)", a), want, "\(prefix)i32.\(op)(\(a), \(c))")
                    }
                    let c64 = Int64(c)
                    let want64: Int32
                    switch op {
                    case "eq": want64 = x == c64 ? 1 : 0
                    case "ne": want64 = x != c64 ? 1 : 0
                    case "lt_s": want64 = x < c64 ? 1 : 0
                    case "gt_s": want64 = x > c64 ? 1 : 0
                    case "le_s": want64 = x <= c64 ? 1 : 0
                    case "ge_s": want64 = x >= c64 ? 1 : 0
                    case "lt_u": want64 = UInt64(bitPattern: x) < UInt64(bitPattern: c64) ? 1 : 0
                    case "gt_u": want64 = UInt64(bitPattern: x) > UInt64(bitPattern: c64) ? 1 : 0
                    case "le_u": want64 = UInt64(bitPattern: x) <= UInt64(bitPattern: c64) ? 1 : 0
                    default: want64 = UInt64(bitPattern: x) >= UInt64(bitPattern: c64) ? 1 : 0
                    }
                    for prefix in ["", "if.", "br.", "brv."] {
                        XCTAssertEqual(try h.i32("\(prefix)i64.\(op)_imm\(c)", .s64(x)), want64, "\(prefix)i64.\(op)(\(x), \(c))")
                    }
                }
            }
        }
        // A loop whose back-edge tests against a constant.
        XCTAssertEqual(try i32("count_to", 3), 3)
        XCTAssertEqual(try i32("count_to", 2000), 1000)
        XCTAssertEqual(try i32("count_to", -1), 0)
    }

    // MARK: Floating point

    func testFloatMinMaxSignedZerosAndNaN() throws {
        let negZero32 = bits(Float(-0.0)), posZero32 = bits(Float(0.0))
        XCTAssertEqual(try f32("f32.min", .float(-0.0), .float(0.0)), negZero32)
        XCTAssertEqual(try f32("f32.min", .float(0.0), .float(-0.0)), negZero32)
        XCTAssertEqual(try f32("f32.max", .float(-0.0), .float(0.0)), posZero32)
        XCTAssertEqual(try f32("f32.max", .float(0.0), .float(-0.0)), posZero32)
        XCTAssertEqual(try f32("f32.min", .float(1), .float(2)), bits(Float(1)))
        XCTAssertEqual(try f32("f32.max", .float(-1), .float(-2)), bits(Float(-1)))
        XCTAssertEqual(try f32("f32.min", .float(-.infinity), .float(5)), bits(-Float.infinity))
        for (a, b) in [(Float.nan, Float(1)), (Float(1), Float.nan), (-Float.infinity, Float.nan), (Float.nan, Float.nan)] {
            XCTAssertTrue(Float(bitPattern: try f32("f32.min", .float(a), .float(b))).isNaN, "min(\(a), \(b))")
            XCTAssertTrue(Float(bitPattern: try f32("f32.max", .float(a), .float(b))).isNaN, "max(\(a), \(b))")
        }

        XCTAssertEqual(try f64("f64.min", .double(-0.0), .double(0.0)), bits(-0.0))
        XCTAssertEqual(try f64("f64.min", .double(0.0), .double(-0.0)), bits(-0.0))
        XCTAssertEqual(try f64("f64.max", .double(-0.0), .double(0.0)), bits(0.0))
        XCTAssertEqual(try f64("f64.max", .double(0.0), .double(-0.0)), bits(0.0))
        XCTAssertEqual(try f64("f64.max", .double(3), .double(.infinity)), bits(Double.infinity))
        for (a, b) in [(Double.nan, 1.0), (1.0, Double.nan), (Double.infinity, Double.nan)] {
            XCTAssertTrue(Double(bitPattern: try f64("f64.min", .double(a), .double(b))).isNaN, "min(\(a), \(b))")
            XCTAssertTrue(Double(bitPattern: try f64("f64.max", .double(a), .double(b))).isNaN, "max(\(a), \(b))")
        }
    }

    func testNearestRoundsTiesToEven() throws {
        let cases32: [(Float, Float)] = [
            (0.5, 0), (1.5, 2), (2.5, 2), (3.5, 4), (-0.5, -0.0), (-1.5, -2), (-2.5, -2),
            (0.49999997, 0), (8_388_609, 8_388_609), (-0.0, -0.0), (.infinity, .infinity),
        ]
        for (x, want) in cases32 {
            XCTAssertEqual(try f32("f32.nearest", .float(x)), bits(want), "nearest(\(x))")
        }
        let cases64: [(Double, Double)] = [
            (0.5, 0), (1.5, 2), (2.5, 2), (-0.5, -0.0), (-2.5, -2), (0.49999999999999994, 0),
            (4_503_599_627_370_497, 4_503_599_627_370_497), (-4.5, -4),
        ]
        for (x, want) in cases64 {
            XCTAssertEqual(try f64("f64.nearest", .double(x)), bits(want), "nearest(\(x))")
        }
        XCTAssertTrue(Float(bitPattern: try f32("f32.nearest", .float(.nan))).isNaN)
    }

    func testRoundingFamily() throws {
        XCTAssertEqual(try f32("f32.ceil", .float(-0.5)), bits(Float(-0.0)))
        XCTAssertEqual(try f32("f32.ceil", .float(1.1)), bits(Float(2)))
        XCTAssertEqual(try f32("f32.floor", .float(-0.5)), bits(Float(-1)))
        XCTAssertEqual(try f32("f32.floor", .float(0.5)), bits(Float(0)))
        XCTAssertEqual(try f32("f32.trunc", .float(-1.7)), bits(Float(-1)))
        XCTAssertEqual(try f32("f32.trunc", .float(-0.7)), bits(Float(-0.0)))
        XCTAssertEqual(try f64("f64.ceil", .double(-0.5)), bits(-0.0))
        XCTAssertEqual(try f64("f64.floor", .double(-1.5)), bits(-2.0))
        XCTAssertEqual(try f64("f64.trunc", .double(2.9)), bits(2.0))
        XCTAssertEqual(try f32("f32.sqrt", .float(4)), bits(Float(2)))
        XCTAssertEqual(try f32("f32.sqrt", .float(-0.0)), bits(Float(-0.0)))
        XCTAssertTrue(Float(bitPattern: try f32("f32.sqrt", .float(-1))).isNaN)
        XCTAssertEqual(try f64("f64.sqrt", .double(2)), bits(2.0.squareRoot()))
        XCTAssertEqual(try f64("f64.div", .double(1), .double(0)), bits(Double.infinity))
        XCTAssertEqual(try f64("f64.div", .double(-1), .double(0)), bits(-Double.infinity))
        XCTAssertTrue(Double(bitPattern: try f64("f64.div", .double(0), .double(0))).isNaN)
        XCTAssertTrue(Float(bitPattern: try f32("f32.add", .float(.infinity), .float(-.infinity))).isNaN)
        XCTAssertEqual(try f32("f32.mul", .float(3), .float(-0.5)), bits(Float(-1.5)))
        XCTAssertEqual(try f64("f64.sub", .double(0.3), .double(0.1)), bits(0.3 - 0.1))
    }

    func testSignOperationsAreBitwise() throws {
        XCTAssertEqual(try f32("f32.copysign", .float(1), .float(-0.0)), bits(Float(-1)))
        XCTAssertEqual(try f32("f32.copysign", .float(-1), .float(0)), bits(Float(1)))
        XCTAssertEqual(try f32("f32.copysign", .f32(0x7FC0_0001), .float(-1)), 0xFFC0_0001, "NaN payload kept")
        XCTAssertEqual(try f32("f32.copysign", .float(2), .f32(0xFFC0_0000)), bits(Float(-2)), "sign of a NaN")
        XCTAssertEqual(try f64("f64.copysign", .double(1), .double(-0.0)), bits(-1.0))
        XCTAssertEqual(try f64("f64.copysign", .f64(0x7FF0_0000_0000_0001), .double(-1)), 0xFFF0_0000_0000_0001)
        XCTAssertEqual(try f32("f32.abs", .float(-0.0)), 0)
        XCTAssertEqual(try f32("f32.abs", .f32(0xFFC0_0001)), 0x7FC0_0001)
        XCTAssertEqual(try f32("f32.neg", .f32(0x7FC0_0001)), 0xFFC0_0001)
        XCTAssertEqual(try f32("f32.neg", .float(0)), 0x8000_0000)
        XCTAssertEqual(try f64("f64.abs", .f64(0xFFF8_0000_0000_0001)), 0x7FF8_0000_0000_0001)
        XCTAssertEqual(try f64("f64.neg", .double(0)), 0x8000_0000_0000_0000)
        XCTAssertEqual(try f64("f64.neg", .f64(0x7FF4_0000_0000_0000)), 0xFFF4_0000_0000_0000, "signaling NaN stays")
    }

    // MARK: Conversions

    func testTrappingConversions() throws {
        let ops32 = ["i32.trunc_f32_s", "i32.trunc_f32_u", "i64.trunc_f32_s", "i64.trunc_f32_u"]
        let ops64 = ["i32.trunc_f64_s", "i32.trunc_f64_u", "i64.trunc_f64_s", "i64.trunc_f64_u"]
        for op in ops32 {
            try trap(op, .float(.nan), expect: .invalidConversionToInteger)
            try trap(op, .f32(0xFFC0_0000), expect: .invalidConversionToInteger)
            try trap(op, .float(.infinity), expect: .integerOverflow)
            try trap(op, .float(-.infinity), expect: .integerOverflow)
        }
        for op in ops64 {
            try trap(op, .double(.nan), expect: .invalidConversionToInteger)
            try trap(op, .f64(0x7FF0_0000_0000_0001), expect: .invalidConversionToInteger)
            try trap(op, .double(.infinity), expect: .integerOverflow)
            try trap(op, .double(-.infinity), expect: .integerOverflow)
        }

        // i32 from f32: the edges are 2^31 (out) and the float just below it (in).
        XCTAssertEqual(try h.i32("i32.trunc_f32_s", .float(2_147_483_520)), 2_147_483_520)
        XCTAssertEqual(try h.i32("i32.trunc_f32_s", .float(-2_147_483_648)), .min)
        XCTAssertEqual(try h.i32("i32.trunc_f32_s", .float(-1.9)), -1)
        XCTAssertEqual(try h.i32("i32.trunc_f32_s", .float(-0.9)), 0)
        try trap("i32.trunc_f32_s", .float(2_147_483_648), expect: .integerOverflow)
        try trap("i32.trunc_f32_s", .float(-2_147_483_904), expect: .integerOverflow)
        XCTAssertEqual(try h.i32("i32.trunc_f32_u", .float(4_294_967_040)), Int32(bitPattern: 4_294_967_040))
        XCTAssertEqual(try h.i32("i32.trunc_f32_u", .float(-0.99)), 0)
        try trap("i32.trunc_f32_u", .float(4_294_967_296), expect: .integerOverflow)
        try trap("i32.trunc_f32_u", .float(-1), expect: .integerOverflow)

        // i32 from f64: fractions just inside the range truncate.
        XCTAssertEqual(try h.i32("i32.trunc_f64_s", .double(2_147_483_647.99)), .max)
        XCTAssertEqual(try h.i32("i32.trunc_f64_s", .double(-2_147_483_648.99)), .min)
        try trap("i32.trunc_f64_s", .double(2_147_483_648), expect: .integerOverflow)
        try trap("i32.trunc_f64_s", .double(-2_147_483_649), expect: .integerOverflow)
        XCTAssertEqual(try h.i32("i32.trunc_f64_u", .double(4_294_967_295.9)), -1)
        XCTAssertEqual(try h.i32("i32.trunc_f64_u", .double(-0.99)), 0)
        try trap("i32.trunc_f64_u", .double(4_294_967_296), expect: .integerOverflow)
        try trap("i32.trunc_f64_u", .double(-1), expect: .integerOverflow)

        // i64.
        XCTAssertEqual(try h.i64("i64.trunc_f32_s", .float(9_223_371_487_098_961_920)), 9_223_371_487_098_961_920)
        XCTAssertEqual(try h.i64("i64.trunc_f32_s", .float(-9_223_372_036_854_775_808.0)), .min)
        try trap("i64.trunc_f32_s", .float(9_223_372_036_854_775_808.0), expect: .integerOverflow)
        try trap("i64.trunc_f32_s", .float(-9_223_373_136_366_403_584.0), expect: .integerOverflow)
        XCTAssertEqual(try h.i64("i64.trunc_f32_u", .float(18_446_742_974_197_923_840.0)),
                       Int64(bitPattern: 18_446_742_974_197_923_840))
        try trap("i64.trunc_f32_u", .float(18_446_744_073_709_551_616.0), expect: .integerOverflow)
        XCTAssertEqual(try h.i64("i64.trunc_f64_s", .double(9_223_372_036_854_774_784)), 9_223_372_036_854_774_784)
        XCTAssertEqual(try h.i64("i64.trunc_f64_s", .double(-9_223_372_036_854_775_808.0)), .min)
        try trap("i64.trunc_f64_s", .double(9_223_372_036_854_775_808.0), expect: .integerOverflow)
        try trap("i64.trunc_f64_s", .double(-9_223_372_036_854_777_856.0), expect: .integerOverflow)
        XCTAssertEqual(try h.i64("i64.trunc_f64_u", .double(18_446_744_073_709_549_568.0)),
                       Int64(bitPattern: 18_446_744_073_709_549_568))
        XCTAssertEqual(try h.i64("i64.trunc_f64_u", .double(-0.99)), 0)
        try trap("i64.trunc_f64_u", .double(18_446_744_073_709_551_616.0), expect: .integerOverflow)
        try trap("i64.trunc_f64_u", .double(-1), expect: .integerOverflow)
    }

    func testSaturatingConversions() throws {
        XCTAssertEqual(try h.i32("i32.trunc_sat_f32_s", .float(.nan)), 0)
        XCTAssertEqual(try h.i32("i32.trunc_sat_f32_s", .float(.infinity)), .max)
        XCTAssertEqual(try h.i32("i32.trunc_sat_f32_s", .float(-.infinity)), .min)
        XCTAssertEqual(try h.i32("i32.trunc_sat_f32_s", .float(2_147_483_648)), .max)
        XCTAssertEqual(try h.i32("i32.trunc_sat_f32_s", .float(-2_147_483_904)), .min)
        XCTAssertEqual(try h.i32("i32.trunc_sat_f32_s", .float(-1.9)), -1)
        XCTAssertEqual(try h.i32("i32.trunc_sat_f32_u", .float(-1)), 0)
        XCTAssertEqual(try h.i32("i32.trunc_sat_f32_u", .float(.nan)), 0)
        XCTAssertEqual(try h.i32("i32.trunc_sat_f32_u", .float(4_294_967_296)), -1)
        XCTAssertEqual(try h.i32("i32.trunc_sat_f32_u", .float(4_294_967_040)), Int32(bitPattern: 4_294_967_040))
        XCTAssertEqual(try h.i32("i32.trunc_sat_f64_s", .double(2_147_483_647.5)), .max)
        XCTAssertEqual(try h.i32("i32.trunc_sat_f64_s", .double(2_147_483_646.5)), 2_147_483_646)
        XCTAssertEqual(try h.i32("i32.trunc_sat_f64_s", .double(-2_147_483_648.5)), .min)
        XCTAssertEqual(try h.i32("i32.trunc_sat_f64_s", .double(-1e300)), .min)
        XCTAssertEqual(try h.i32("i32.trunc_sat_f64_u", .double(4_294_967_295.5)), -1)
        XCTAssertEqual(try h.i32("i32.trunc_sat_f64_u", .double(4_294_967_294.5)), -2)
        XCTAssertEqual(try h.i32("i32.trunc_sat_f64_u", .double(-0.5)), 0)
        XCTAssertEqual(try h.i64("i64.trunc_sat_f32_s", .float(.infinity)), .max)
        XCTAssertEqual(try h.i64("i64.trunc_sat_f32_s", .float(-.infinity)), .min)
        XCTAssertEqual(try h.i64("i64.trunc_sat_f32_s", .float(.nan)), 0)
        XCTAssertEqual(try h.i64("i64.trunc_sat_f32_u", .float(1e30)), -1)
        XCTAssertEqual(try h.i64("i64.trunc_sat_f32_u", .float(-1e30)), 0)
        XCTAssertEqual(try h.i64("i64.trunc_sat_f64_s", .double(1e300)), .max)
        XCTAssertEqual(try h.i64("i64.trunc_sat_f64_s", .double(-1e300)), .min)
        XCTAssertEqual(try h.i64("i64.trunc_sat_f64_s", .double(9_223_372_036_854_774_784)), 9_223_372_036_854_774_784)
        XCTAssertEqual(try h.i64("i64.trunc_sat_f64_s", .double(-9_223_372_036_854_775_808.0)), .min)
        XCTAssertEqual(try h.i64("i64.trunc_sat_f64_u", .double(1e300)), -1)
        XCTAssertEqual(try h.i64("i64.trunc_sat_f64_u", .double(-5)), 0)
        XCTAssertEqual(try h.i64("i64.trunc_sat_f64_u", .double(18_446_744_073_709_549_568.0)),
                       Int64(bitPattern: 18_446_744_073_709_549_568))
        XCTAssertEqual(try h.i64("i64.trunc_sat_f64_u", .double(.nan)), 0)
    }

    func testIntegerToFloatConversionsRoundToNearestEven() throws {
        XCTAssertEqual(try f32("f32.convert_i32_s", .s32(16_777_217)), bits(Float(16_777_216)))
        XCTAssertEqual(try f32("f32.convert_i32_s", .s32(16_777_219)), bits(Float(16_777_220)))
        XCTAssertEqual(try f32("f32.convert_i32_s", .s32(.min)), bits(Float(-2_147_483_648)))
        XCTAssertEqual(try f32("f32.convert_i32_u", .i32(0xFFFF_FFFF)), bits(Float(4_294_967_296)))
        XCTAssertEqual(try f32("f32.convert_i64_s", .s64(.min)), bits(Float(-9_223_372_036_854_775_808.0)))
        // Rounding straight to f32 (not through f64, which would round twice).
        XCTAssertEqual(try f32("f32.convert_i64_s", .s64(0x20_0000_2000_0001)), bits(Float(9_007_200_328_482_816)))
        XCTAssertEqual(try f32("f32.convert_i64_u", .i64(.max)), bits(Float(18_446_744_073_709_551_616.0)))
        XCTAssertEqual(try f32("f32.convert_i64_u", .i64(0x20_0000_2000_0001)), bits(Float(9_007_200_328_482_816)))
        XCTAssertEqual(try f64("f64.convert_i32_s", .s32(-1)), bits(-1.0))
        XCTAssertEqual(try f64("f64.convert_i32_u", .s32(-1)), bits(4_294_967_295.0))
        XCTAssertEqual(try f64("f64.convert_i64_s", .s64(9_007_199_254_740_993)), bits(9_007_199_254_740_992.0))
        XCTAssertEqual(try f64("f64.convert_i64_u", .i64(.max)), bits(18_446_744_073_709_551_616.0))
        XCTAssertEqual(try f64("f64.convert_i64_u", .i64(0x8000_0000_0000_0401)), bits(9_223_372_036_854_777_856.0))
    }

    func testFloatWidthConversions() throws {
        XCTAssertEqual(try f32("f32.demote_f64", .double(1e40)), bits(Float.infinity))
        XCTAssertEqual(try f32("f32.demote_f64", .double(-1e40)), bits(-Float.infinity))
        XCTAssertEqual(try f32("f32.demote_f64", .double(1 + 0x1p-24)), bits(Float(1)), "tie rounds to even")
        XCTAssertEqual(try f32("f32.demote_f64", .double(1 + 0x1p-24 + 0x1p-30)), bits(Float(1) + Float.ulpOfOne))
        XCTAssertEqual(try f32("f32.demote_f64", .double(-0.0)), bits(Float(-0.0)))
        XCTAssertEqual(try f32("f32.demote_f64", .double(1e-50)), 0)
        XCTAssertTrue(Float(bitPattern: try f32("f32.demote_f64", .double(.nan))).isNaN)
        XCTAssertEqual(try f64("f64.promote_f32", .float(.leastNonzeroMagnitude)), bits(Double(Float.leastNonzeroMagnitude)))
        XCTAssertEqual(try f64("f64.promote_f32", .float(-.infinity)), bits(-Double.infinity))
        XCTAssertEqual(try f64("f64.promote_f32", .float(0.1)), bits(Double(Float(0.1))))
        XCTAssertTrue(Double(bitPattern: try f64("f64.promote_f32", .float(.nan))).isNaN)
    }

    func testReinterpretKeepsBits() throws {
        XCTAssertEqual(try h.i32("i32.reinterpret_f32", .float(-0.0)), .min)
        XCTAssertEqual(try h.i32("i32.reinterpret_f32", .f32(0x7FA0_0001)), 0x7FA0_0001, "signaling NaN bits")
        XCTAssertEqual(try h.i64("i64.reinterpret_f64", .double(1)), 0x3FF0_0000_0000_0000)
        XCTAssertEqual(try h.i64("i64.reinterpret_f64", .f64(0xFFF4_0000_0000_0001)), Int64(bitPattern: 0xFFF4_0000_0000_0001))
        XCTAssertEqual(try result("f32.reinterpret_i32", .i32(0x7FA0_0001)), .f32(0x7FA0_0001))
        XCTAssertEqual(try result("f32.reinterpret_i32", .i32(0x3F80_0000)), .float(1))
        XCTAssertEqual(try result("f64.reinterpret_i64", .i64(0x7FF4_0000_0000_0001)), .f64(0x7FF4_0000_0000_0001))
        XCTAssertEqual(try result("f64.reinterpret_i64", .i64(0x8000_0000_0000_0000)), .double(-0.0))
    }

    func testArgumentChecking() throws {
        // The embedder passing the wrong number or types of arguments is an error, not a crash.
        let f = try h.function("i32.add")
        XCTAssertEqual(f.type, FuncType(params: [.i32, .i32], results: [.i32]))
        assertTrap(.invalidArguments("expected 2 arguments, got 1")) { try h.context.invoke(f, [.i32(1)]) }
        do {
            _ = try h.context.invoke(f, [.i32(1), .i64(2)])
            XCTFail("wrong argument type accepted")
        } catch {
            guard case .trap(.invalidArguments(let m)) = error.kind else { return XCTFail("\(error)") }
            XCTAssertTrue(m.contains("argument 1"), m)
        }
    }
}
