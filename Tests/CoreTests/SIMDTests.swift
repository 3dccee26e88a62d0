import RewasmCore
import XCTest

// SIMD and relaxed SIMD (fixture wasm3_simd): each instruction family with its lane edge
// cases, NaN and saturation rules, v128 values through the language and the embedding
// API, and the restart protocol.

final class SIMDTests: XCTestCase {
    /// The fixture with its host function `swap(i32, v128, f64) -> (v128, i32)`: the vector
    /// plus the i32 and the truncated f64 in every i32 lane, and the vector's lane 0.
    func harness(_ configuration: Configuration = Configuration()) throws -> Harness {
        try Harness("wasm3_simd", configuration: configuration) { r in
            let imports = Imports()
            let type = FuncType(params: [.i32, .v128, .f64], results: [.v128, .i32])
            imports.define("host", "swap", .function(r.hostFunction(type: type) { _, args in
                guard case .i32(let n) = args[0], case .v128(let v) = args[1], case .f64(let d) = args[2] else { return [] }
                let lanes = v.lanes(SIMD4<UInt32>.self)
                let add = n &+ UInt32(Double(bitPattern: d))
                return [.v128(V128(lanes &+ SIMD4(repeating: add))), .i32(lanes[0])]
            }))
            return imports
        }
    }

    private func v<S: SIMD>(_ lanes: S) -> Value { .v128(V128(lanes)) }

    /// The single v128 result of `name` in the lane type `S`.
    private func call<S: SIMD>(_ h: Harness, _ name: String, _ type: S.Type, _ args: Value...) throws -> S {
        let results = try h.context.invokeHandlingRestarts(try h.function(name), args)
        guard results.count == 1, case .v128(let x) = results[0] else { throw HarnessError("\(name) returned \(results)") }
        return x.lanes(S.self)
    }

    private func bits(_ v: SIMD4<Float>) -> SIMD4<UInt32> { SIMD4(v[0].bitPattern, v[1].bitPattern, v[2].bitPattern, v[3].bitPattern) }
    private func bits(_ v: SIMD2<Double>) -> SIMD2<UInt64> { SIMD2(v[0].bitPattern, v[1].bitPattern) }

    func testLaneAccess() throws {
        let h = try harness()
        var bytes = SIMD16<Int8>(repeating: 3)
        bytes[15] = -1
        XCTAssertEqual(try h.value("extract_s", v(bytes)), .i32(UInt32(bitPattern: -1)))
        XCTAssertEqual(try h.value("extract_u", v(bytes)), .i32(255))
        var expected = SIMD8<UInt16>(repeating: 1)
        expected[7] = 0x2345
        XCTAssertEqual(try call(h, "replace", SIMD8<UInt16>.self, v(SIMD8<UInt16>(repeating: 1)), .i32(0x12345)), expected)
        XCTAssertEqual(try call(h, "splat_f64", SIMD2<Double>.self, .double(1.5)), SIMD2(1.5, 1.5))
        XCTAssertEqual(try h.value("extract_f32", v(SIMD4<Float>(0, 0, 0, -2.5))), .float(-2.5))
    }

    func testIntegerArithmetic() throws {
        let h = try harness()
        XCTAssertEqual(try call(h, "i8_add_sat_s", SIMD16<Int8>.self,
                                v(SIMD16<Int8>(100, -100, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                                v(SIMD16<Int8>(100, -100, 1, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))),
                       SIMD16<Int8>(127, -128, 127, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        let d = try call(h, "i8_sub_sat_u", SIMD16<UInt8>.self, v(SIMD16<UInt8>(repeating: 5)), v(SIMD16<UInt8>(repeating: 10)))
        XCTAssertEqual(d, SIMD16<UInt8>(repeating: 0))
        XCTAssertEqual(try call(h, "i16_mul", SIMD8<UInt16>.self, v(SIMD8<UInt16>(repeating: 300)), v(SIMD8<UInt16>(repeating: 300))),
                       SIMD8(repeating: UInt16(90000 % 65536)))
        XCTAssertEqual(try call(h, "i32_min_s", SIMD4<Int32>.self, v(SIMD4<Int32>(-1, 5, 0, 0)), v(SIMD4<Int32>(1, 3, 0, 0))),
                       SIMD4(-1, 3, 0, 0))
        XCTAssertEqual(try call(h, "i32_max_u", SIMD4<UInt32>.self, v(SIMD4<UInt32>(.max, 5, 0, 0)), v(SIMD4<UInt32>(1, 6, 0, 0))),
                       SIMD4(.max, 6, 0, 0))
        var a = SIMD16<UInt8>(repeating: 0), b = SIMD16<UInt8>(repeating: 0)
        (a[0], a[1], a[2]) = (255, 0, 1)
        (b[0], b[1], b[2]) = (255, 1, 2)
        let avg = try call(h, "i8_avgr_u", SIMD16<UInt8>.self, v(a), v(b))
        XCTAssertEqual([avg[0], avg[1], avg[2]], [255, 1, 2])  // rounds up, no overflow
        var s = SIMD16<Int8>(repeating: 0)
        (s[0], s[1], s[2]) = (-128, -5, 5)
        let abs = try call(h, "i8_abs", SIMD16<Int8>.self, v(s))
        XCTAssertEqual([abs[0], abs[1], abs[2]], [-128, 5, 5])  // abs(-128) wraps
        XCTAssertEqual(try call(h, "i64_mul", SIMD2<Int64>.self, v(SIMD2<Int64>(.max, 3)), v(SIMD2<Int64>(2, -4))), SIMD2(-2, -12))
        XCTAssertEqual(try call(h, "q15mulr", SIMD8<Int16>.self, v(SIMD8<Int16>(-32768, 16384, -1, 0, 0, 0, 0, 0)),
                                v(SIMD8<Int16>(-32768, 16384, 1, 0, 0, 0, 0, 0))),
                       SIMD8<Int16>(32767, 8192, 0, 0, 0, 0, 0, 0))  // saturates; rounds half up
        XCTAssertEqual(try call(h, "dot", SIMD4<Int32>.self, v(SIMD8<Int16>(1, 2, 3, 4, -1, -2, 32767, -32768)),
                                v(SIMD8<Int16>(5, 6, 7, 8, 9, 10, 32767, -32768))),
                       SIMD4(17, 53, -29, 2_147_418_113))
        XCTAssertEqual(try call(h, "extmul_high_u", SIMD4<UInt32>.self, v(SIMD8<UInt16>(9, 9, 9, 9, 65535, 2, 3, 4)),
                                v(SIMD8<UInt16>(9, 9, 9, 9, 65535, 5, 6, 7))),
                       SIMD4(4_294_836_225, 10, 18, 28))
        var pairs = SIMD16<Int8>(repeating: 0)
        (pairs[0], pairs[1], pairs[2], pairs[3], pairs[4], pairs[5]) = (127, 127, -128, -128, 1, -1)
        let sums = try call(h, "extadd_s", SIMD8<Int16>.self, v(pairs))
        XCTAssertEqual([sums[0], sums[1], sums[2]], [254, -256, 0])
        var pop = SIMD16<UInt8>(repeating: 0)
        (pop[0], pop[1], pop[2], pop[3]) = (0xFF, 0x0F, 0, 0x80)
        let counts = try call(h, "popcnt", SIMD16<UInt8>.self, v(pop))
        XCTAssertEqual([counts[0], counts[1], counts[2], counts[3]], [8, 4, 0, 1])
    }

    /// Shift counts are taken modulo the lane width.
    func testShifts() throws {
        let h = try harness()
        XCTAssertEqual(try call(h, "i32_shl", SIMD4<UInt32>.self, v(SIMD4<UInt32>(1, 0x8000_0000, 3, 0)), .i32(33)), SIMD4(2, 0, 6, 0))
        var s = SIMD16<Int8>(repeating: 0)
        (s[0], s[1]) = (-128, 64)
        let r = try call(h, "i8_shr_s", SIMD16<Int8>.self, v(s), .i32(9))
        XCTAssertEqual([r[0], r[1]], [-64, 32])
        XCTAssertEqual(try call(h, "i64_shr_u", SIMD2<UInt64>.self, v(SIMD2<UInt64>(.max, 2)), .i32(65)), SIMD2(.max >> 1, 1))
    }

    func testNarrowAndExtend() throws {
        let h = try harness()
        let n = try call(h, "narrow_s", SIMD16<Int8>.self, v(SIMD8<Int16>(300, -300, 5, -5, 127, -128, 128, -129)),
                         v(SIMD8<Int16>(repeating: 1)))
        XCTAssertEqual(n, SIMD16<Int8>(127, -128, 5, -5, 127, -128, 127, -128, 1, 1, 1, 1, 1, 1, 1, 1))
        let u = try call(h, "narrow_u", SIMD8<UInt16>.self, v(SIMD4<Int32>(70000, -1, 65535, 3)), v(SIMD4<Int32>(repeating: 0)))
        XCTAssertEqual(u, SIMD8<UInt16>(65535, 0, 65535, 3, 0, 0, 0, 0))
        XCTAssertEqual(try call(h, "extend_high_s", SIMD2<Int64>.self, v(SIMD4<Int32>(0, 0, -1, 7))), SIMD2(-1, 7))
    }

    func testComparesAndReductions() throws {
        let h = try harness()
        var a = SIMD16<Int8>(repeating: 0)
        (a[0], a[1]) = (-1, 1)
        let lt = try call(h, "i8_lt_s", SIMD16<UInt8>.self, v(a), v(SIMD16<Int8>(repeating: 0)))
        XCTAssertEqual([lt[0], lt[1], lt[2]], [255, 0, 0])
        XCTAssertEqual(try call(h, "i64_ge_s", SIMD2<UInt64>.self, v(SIMD2<Int64>(-1, 5)), v(SIMD2<Int64>(-1, 6))), SIMD2(.max, 0))
        XCTAssertEqual(try call(h, "f32_eq", SIMD4<UInt32>.self, v(SIMD4<Float>(.nan, 1, -0.0, 0)), v(SIMD4<Float>(.nan, 1, 0, 0))),
                       SIMD4(0, .max, .max, .max))  // NaN is unequal to itself; -0 == +0
        var m = SIMD16<Int8>(repeating: 1)
        (m[0], m[3], m[15]) = (-1, -128, -7)
        XCTAssertEqual(try h.value("bitmask", v(m)), .i32(1 | 8 | 0x8000))
        XCTAssertEqual(try h.value("all_true", v(SIMD4<UInt32>(1, 2, 3, 0))), .i32(0))
        XCTAssertEqual(try h.value("all_true", v(SIMD4<UInt32>(1, 2, 3, 0x100))), .i32(1))
        XCTAssertEqual(try h.value("any_true", v(SIMD4<UInt32>(0, 0, 0, 0))), .i32(0))
        XCTAssertEqual(try h.value("any_true", v(SIMD4<UInt32>(0, 0, 0, 0x8000_0000))), .i32(1))
        XCTAssertEqual(try call(h, "bitselect", SIMD16<UInt8>.self, v(SIMD16<UInt8>(repeating: 0xAA)),
                                v(SIMD16<UInt8>(repeating: 0x55)), v(SIMD16<UInt8>(repeating: 0xF0))),
                       SIMD16(repeating: 0xA5))
    }

    func testFloats() throws {
        let h = try harness()
        let canonical32: UInt32 = 0x7FC0_0000
        let min = try call(h, "f32_min", SIMD4<UInt32>.self, v(SIMD4<Float>(.nan, -0.0, 1, 2)), v(SIMD4<Float>(1, 0, .nan, 1)))
        XCTAssertEqual(min[0] & 0x7FFF_FFFF, canonical32)
        XCTAssertEqual(min[1], (-0.0 as Float).bitPattern)  // -0 < +0
        XCTAssertEqual(min[2] & 0x7FFF_FFFF, canonical32)
        XCTAssertEqual(min[3], Float(1).bitPattern)
        let max = try call(h, "f64_max", SIMD2<UInt64>.self, v(SIMD2<Double>(-0.0, 1)), v(SIMD2<Double>(0, .nan)))
        XCTAssertEqual(max[0], 0)
        XCTAssertTrue(Double(bitPattern: max[1]).isNaN)
        // pmin is `b < a ? b : a`: a NaN in a stays, one in b does not win.
        let pmin = try call(h, "f32_pmin", SIMD4<UInt32>.self, v(SIMD4<Float>(.nan, 1, -0.0, 2)), v(SIMD4<Float>(1, .nan, 0, 1)))
        XCTAssertTrue(Float(bitPattern: pmin[0]).isNaN)
        XCTAssertEqual(SIMD3(pmin[1], pmin[2], pmin[3]), SIMD3(Float(1).bitPattern, (-0.0 as Float).bitPattern, Float(1).bitPattern))
        XCTAssertEqual(try call(h, "f32_nearest", SIMD4<Float>.self, v(SIMD4<Float>(2.5, 3.5, -2.5, 0.49999997))), SIMD4(2, 4, -2, 0))
        XCTAssertEqual(try call(h, "f64_floor", SIMD2<Double>.self, v(SIMD2<Double>(-1.5, 2.7))), SIMD2(-2, 2))
        let sqrt = try call(h, "f32_sqrt", SIMD4<Float>.self, v(SIMD4<Float>(4, 2.25, -1, 0)))
        XCTAssertEqual(SIMD3(sqrt[0], sqrt[1], sqrt[3]), SIMD3(2, 1.5, 0))
        XCTAssertTrue(sqrt[2].isNaN)
        XCTAssertEqual(try call(h, "f64_div", SIMD2<Double>.self, v(SIMD2<Double>(1, -1)), v(SIMD2<Double>(0, 0))),
                       SIMD2(.infinity, -.infinity))
    }

    /// Saturating truncations and exactly rounded conversions.
    func testConversions() throws {
        let h = try harness()
        XCTAssertEqual(try call(h, "trunc_sat_s", SIMD4<Int32>.self, v(SIMD4<Float>(.nan, 3e9, -3e9, -1.9))),
                       SIMD4(0, .max, .min, -1))
        XCTAssertEqual(try call(h, "trunc_sat_u_zero", SIMD4<UInt32>.self, v(SIMD2<Double>(-1, 5e9))), SIMD4(0, .max, 0, 0))
        let ints: SIMD4<UInt32> = SIMD4(.max, 1, 0x8000_0001, 16_777_217)
        XCTAssertEqual(try call(h, "convert_u", SIMD4<Float>.self, v(ints)),
                       SIMD4(Float(ints[0]), Float(ints[1]), Float(ints[2]), Float(ints[3])))
        XCTAssertEqual(try call(h, "convert_u", SIMD4<Float>.self, v(ints))[3], 16_777_216)  // ties to even
        XCTAssertEqual(try call(h, "convert_low_s", SIMD2<Double>.self, v(SIMD4<Int32>(-1, 7, 99, 99))), SIMD2(-1, 7))
        XCTAssertEqual(try call(h, "demote", SIMD4<Float>.self, v(SIMD2<Double>(1e40, 0.1))), SIMD4(.infinity, Float(0.1), 0, 0))
        XCTAssertEqual(bits(try call(h, "promote", SIMD2<Double>.self, v(SIMD4<Float>(0.1, -0.0, 5, 5)))),
                       bits(SIMD2(Double(Float(0.1)), -0.0)))
    }

    func testShuffleAndSwizzle() throws {
        let h = try harness()
        let a = SIMD16<UInt8>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        let b = a &+ 16
        XCTAssertEqual(try call(h, "shuffle", SIMD16<UInt8>.self, v(a), v(b)),
                       SIMD16(0, 16, 1, 17, 2, 18, 3, 19, 31, 30, 29, 28, 15, 14, 13, 12))
        var idx = SIMD16<UInt8>(repeating: 1)
        (idx[0], idx[1], idx[2], idx[3], idx[4]) = (0, 15, 16, 255, 3)
        let s = try call(h, "swizzle", SIMD16<UInt8>.self, v(a &+ 100), v(idx))
        XCTAssertEqual([s[0], s[1], s[2], s[3], s[4], s[5]], [100, 115, 0, 0, 103, 101])  // out of range: 0
    }

    func testMemory() throws {
        let h = try harness()
        let x = SIMD4<UInt32>(0x0403_0201, 0x0807_0605, 0x8C0B_0A09, 0x100F_0E0D)
        // `store`/`load` add offset=1: the last in-bounds address is 65536 - 16 - 1.
        _ = try h.call("store", .i32(65519), v(x))
        XCTAssertEqual(try call(h, "load", SIMD4<UInt32>.self, .i32(65519)), x)
        assertTrap(.memoryOutOfBounds) { try h.call("load", .i32(65520)) }
        assertTrap(.memoryOutOfBounds) { try h.call("store", .i32(65520), self.v(x)) }
        assertTrap(.memoryOutOfBounds) { try h.call("load", .i32(UInt32.max)) }
        _ = try h.call("store", .i32(99), v(x))  // bytes 1...16 at 100
        XCTAssertEqual(try call(h, "load8x8_s", SIMD8<Int16>.self, .i32(108)), SIMD8(9, 10, 11, -116, 13, 14, 15, 16))
        XCTAssertEqual(try call(h, "load16_splat", SIMD8<UInt16>.self, .i32(100)), SIMD8(repeating: 0x0201))
        XCTAssertEqual(try call(h, "load32_zero", SIMD4<UInt32>.self, .i32(104)), SIMD4(0x0807_0605, 0, 0, 0))
        XCTAssertEqual(try call(h, "load64_lane", SIMD2<UInt64>.self, .i32(100), v(SIMD2<UInt64>(7, 7))),
                       SIMD2(7, 0x0807_0605_0403_0201))
        _ = try h.call("store8_lane", .i32(200), v(SIMD16<UInt8>(0, 1, 2, 3, 4, 0xEE, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)))
        XCTAssertEqual(h.instance.memory?.read(offset: 199, count: 3), [0, 0xEE, 0])
        assertTrap(.memoryOutOfBounds) { try h.call("store8_lane", .i32(65536), self.v(x)) }
    }

    /// Relaxed SIMD follows the deterministic profile: the same bits on every host.
    func testRelaxedDeterministic() throws {
        let h = try harness()
        var idx = SIMD16<UInt8>(repeating: 0)
        (idx[0], idx[1], idx[2]) = (16, 200, 2)
        let s = try call(h, "relaxed_swizzle", SIMD16<UInt8>.self, v(SIMD16<UInt8>(repeating: 9)), v(idx))
        XCTAssertEqual([s[0], s[1], s[2]], [0, 0, 9])  // as i8x16.swizzle
        XCTAssertEqual(try call(h, "relaxed_trunc_u", SIMD4<UInt32>.self, v(SIMD4<Float>(.nan, -1, 5e9, 7.9))), SIMD4(0, 0, .max, 7))
        // Unfused: a * b rounds to 1 before the add (a fused madd would give -2^-104).
        let e = Double.ulpOfOne
        XCTAssertEqual(try call(h, "relaxed_madd", SIMD2<Double>.self, v(SIMD2<Double>(1 + e, 2)), v(SIMD2<Double>(1 - e, 3)), v(SIMD2<Double>(-1, 1))), SIMD2(0, 7))
        let f = Float.ulpOfOne
        XCTAssertEqual(try call(h, "relaxed_nmadd", SIMD4<Float>.self, v(SIMD4(1 + f, 2, 0, 0)), v(SIMD4(1 - f, 3, 0, 0)),
                                v(SIMD4<Float>(1, 10, 0, 0))), SIMD4(0, 4, 0, 0))
        XCTAssertEqual(try call(h, "relaxed_laneselect", SIMD4<UInt32>.self, v(SIMD4<UInt32>(repeating: 0x1111_1111)),
                                v(SIMD4<UInt32>(repeating: 0x2222_2222)), v(SIMD4<UInt32>(0xFFFF_0000, 0, .max, 0x0F0F_0F0F))),
                       SIMD4(0x1111_2222, 0x2222_2222, 0x1111_1111, 0x2121_2121))  // bitwise, as v128.bitselect
        let min = try call(h, "relaxed_min", SIMD4<UInt32>.self, v(SIMD4<Float>(.nan, -0.0, 0, 3)), v(SIMD4<Float>(1, 0, -0.0, 2)))
        XCTAssertEqual(min[0] & 0x7FFF_FFFF, 0x7FC0_0000)
        XCTAssertEqual(SIMD3(min[1], min[2], min[3]), SIMD3(0x8000_0000, 0x8000_0000, Float(2).bitPattern))
        XCTAssertEqual(try call(h, "relaxed_q15mulr", SIMD8<Int16>.self, v(SIMD8<Int16>(repeating: -32768)), v(SIMD8<Int16>(repeating: -32768))),
                       SIMD8(repeating: 32767))
        // In the 7-bit range every choice agrees; beyond it the deterministic profile treats
        // both operands as signed and saturates the pair sums.
        var a = SIMD16<Int8>(repeating: 3), b = SIMD16<Int8>(repeating: 5)
        (a[0], a[1], b[0], b[1]) = (-128, -128, -128, -128)
        let dot = try call(h, "relaxed_dot", SIMD8<Int16>.self, v(a), v(b))
        XCTAssertEqual(dot, SIMD8(32767, 30, 30, 30, 30, 30, 30, 30))
        let dotAdd = try call(h, "relaxed_dot_add", SIMD4<Int32>.self, v(SIMD16<Int8>(repeating: 2)), v(SIMD16<Int8>(repeating: -3)),
                              v(SIMD4<Int32>(1, 2, 3, .max)))
        XCTAssertEqual(dotAdd, SIMD4(-23, -22, -21, Int32.max &- 24))
    }

    /// v128 through globals, select, locals, block parameters, br_table, calls, host
    /// functions and exception payloads; a v128 takes two cells between scalars.
    func testVectorsThroughTheLanguage() throws {
        let h = try harness()
        XCTAssertEqual(try call(h, "global_add", SIMD4<UInt32>.self, v(SIMD4<UInt32>(repeating: 10))), SIMD4(11, 12, 13, 14))
        XCTAssertEqual(try call(h, "global_add", SIMD4<UInt32>.self, v(SIMD4<UInt32>(repeating: 10))), SIMD4(21, 22, 23, 24))
        XCTAssertEqual(h.instance.global("g")?.value, v(SIMD4<UInt32>(21, 22, 23, 24)))
        XCTAssertEqual(try call(h, "const_global", SIMD2<Int64>.self), SIMD2(-1, 7))
        let x = v(SIMD4<UInt32>(1, 2, 3, 4)), y = v(SIMD4<UInt32>(5, 6, 7, 8))
        XCTAssertEqual(try h.value("select", x, y, .i32(1)), x)
        XCTAssertEqual(try h.value("select", x, y, .i32(0)), y)
        XCTAssertEqual(try h.value("fresh_local"), v(SIMD4<UInt32>(0, 0, 0, 0)))
        XCTAssertEqual(try h.call("blocks", .i32(5), x, .i64(9), .i32(0)), [.i64(9), x, .i32(5)])
        XCTAssertEqual(try h.call("blocks", .i32(5), x, .i64(9), .i32(1)), [.i64(0), v(SIMD4<UInt32>(0, 0, 0, 0)), .i32(0)])
        XCTAssertEqual(try h.call("host", x), [v(SIMD4<UInt32>(8, 9, 10, 11)), .i32(1)])
        XCTAssertEqual(try h.call("throw_catch", y), [.i32(3), y, .i64(UInt64(bitPattern: -9))])
        do {
            _ = try h.call("throw", y)
            XCTFail("returned")
        } catch let e as ExecutionError {
            XCTAssertEqual(try XCTUnwrap(e.exception, "\(e)").payload, [.i32(1), y, .i64(2)])
        }
        // Arguments are type-checked like any other.
        XCTAssertThrowsError(try h.call("select", .i64(1), y, .i32(0)))
    }

    /// A vector loop gives the same result however often it is restarted.
    func testTortureRestarts() throws {
        let n: UInt32 = 2000
        let sum = n * (n - 1) / 2
        let expected = SIMD4<UInt32>(sum, sum + n, sum + 2 * n, sum + 3 * n)
        for interval in [0, 1, 7] {
            var c = Configuration()
            c.tortureRestartInterval = interval
            let h = try harness(c)
            XCTAssertEqual(try call(h, "loop", SIMD4<UInt32>.self, .i32(n)), expected, "interval \(interval)")
            XCTAssertEqual(try call(h, "global_add", SIMD4<UInt32>.self, v(SIMD4<UInt32>(repeating: 1))), SIMD4(2, 3, 4, 5))
            if interval > 0 { XCTAssertGreaterThan(h.context.statistics.restarts["torture", default: 0], 100) }
        }
    }

    /// v128 constants of a loop live in frame slots (two cells each), shared when equal,
    /// never shared with a scalar constant equal to one of their halves.
    func testLoopConstants() throws {
        for interval in [0, 7] {
            var c = Configuration()
            c.tortureRestartInterval = interval
            let h = try harness(c)
            let n: UInt32 = 101  // 51 odd counts (2 each), 50 even (3 each)
            XCTAssertEqual(try h.call("loop_consts", .i32(n)), [v(SIMD4<UInt32>(2 * n, 0, 0, 7 * n)), .i32(51 * 2 + 50 * 3)])
        }
    }

    /// SIMD is part of WebAssembly 2.0; relaxed SIMD only of 3.0; both can be turned off.
    func testFeatures() throws {
        let bytes = try Fixture.bytes("wasm3_simd")
        XCTAssertNoThrow(try Module(bytes: bytes))
        XCTAssertTrue(Features.wasm2.contains(.simd))
        XCTAssertFalse(Features.wasm2.contains(.relaxedSimd))
        XCTAssertThrowsError(try Module(bytes: bytes, features: .wasm2))  // relaxed SIMD inside
        XCTAssertThrowsError(try Module(bytes: bytes, features: Features(parsing: "wasm3,-simd")!))
        XCTAssertEqual(Features(parsing: "wasm3,-relaxed-simd"), Features.wasm3.subtracting(.relaxedSimd))
    }

    func testV128Value() {
        let x = V128(SIMD4<UInt32>(1, 2, 3, 0xFFFF_FFFF))
        XCTAssertEqual(x.lo, 0x0000_0002_0000_0001)
        XCTAssertEqual(x.hi, 0xFFFF_FFFF_0000_0003)
        XCTAssertEqual(x.bytes.count, 16)
        XCTAssertEqual(V128(bytes: x.bytes), x)
        XCTAssertNil(V128(bytes: [1, 2, 3]))
        XCTAssertEqual("\(x)", "0xffffffff000000030000000200000001")
        XCTAssertEqual(x.lanes(SIMD2<UInt64>.self), SIMD2(x.lo, x.hi))
        XCTAssertEqual(Value.v128(x).type, .v128)
    }
}
