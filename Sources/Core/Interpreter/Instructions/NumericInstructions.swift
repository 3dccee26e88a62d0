// Numeric instructions: https://webassembly.github.io/spec/core/exec/numerics.html
// Most are generated from their expression in Utilities/ops.txt
// (Numeric+Generated.swift); here are the helpers those expressions use and the
// operators that can trap (division, remainder, float-to-integer truncation).

extension Interpreter {
    @inline(__always) static func s32(_ a: UInt32) -> Int32 { Int32(bitPattern: a) }
    @inline(__always) static func s64(_ a: UInt64) -> Int64 { Int64(bitPattern: a) }
    @inline(__always) static func u32(_ a: Int32) -> UInt32 { UInt32(bitPattern: a) }
    @inline(__always) static func u64(_ a: Int64) -> UInt64 { UInt64(bitPattern: a) }

    @inline(__always) static func rotl32(_ a: UInt32, _ b: UInt32) -> UInt32 { a &<< b | a &>> (32 &- b) }
    @inline(__always) static func rotr32(_ a: UInt32, _ b: UInt32) -> UInt32 { a &>> b | a &<< (32 &- b) }
    @inline(__always) static func rotl64(_ a: UInt64, _ b: UInt64) -> UInt64 { a &<< b | a &>> (64 &- b) }
    @inline(__always) static func rotr64(_ a: UInt64, _ b: UInt64) -> UInt64 { a &>> b | a &<< (64 &- b) }

    /// fmin (spec §4.3.3): NaN if either is NaN; -0 is less than +0.
    @inline(__always) static func fmin<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> T {
        if a.isNaN || b.isNaN { return a + b }
        if a == b { return a.sign == .minus ? a : b }
        return a < b ? a : b
    }

    @inline(__always) static func fmax<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> T {
        if a.isNaN || b.isNaN { return a + b }
        if a == b { return a.sign == .minus ? b : a }
        return a > b ? a : b
    }

    @inline(__always) static func satI32S(_ x: Double) -> UInt32 {
        if x.isNaN { return 0 }
        if x <= -2147483648.0 { return UInt32(bitPattern: Int32.min) }
        if x >= 2147483647.0 { return UInt32(bitPattern: Int32.max) }
        return UInt32(bitPattern: Int32(x))
    }
    @inline(__always) static func satI32U(_ x: Double) -> UInt32 {
        if x.isNaN || x <= 0 { return 0 }
        if x >= 4294967295.0 { return UInt32.max }
        return UInt32(x)
    }
    @inline(__always) static func satI64S(_ x: Double) -> UInt64 {
        if x.isNaN { return 0 }
        if x <= -9223372036854775808.0 { return UInt64(bitPattern: Int64.min) }
        if x >= 9223372036854775808.0 { return UInt64(bitPattern: Int64.max) }
        return UInt64(bitPattern: Int64(x))
    }
    @inline(__always) static func satI64U(_ x: Double) -> UInt64 {
        if x.isNaN || x <= 0 { return 0 }
        if x >= 18446744073709551616.0 { return UInt64.max }
        return UInt64(x)
    }

    // MARK: Division and remainder (`dst a b`)

    @inline(__always)
    static func i32DivS(_ r: R) -> Next {
        let a = s32(r.i32(3)), b = s32(r.i32(4))
        guard b != 0 else { return r.trap(.integerDivideByZero) }
        guard !(a == Int32.min && b == -1) else { return r.trap(.integerOverflow) }
        r.set(2, u32(a / b))
        return r.next(5)
    }

    @inline(__always)
    static func i32DivU(_ r: R) -> Next {
        let a = r.i32(3), b = r.i32(4)
        guard b != 0 else { return r.trap(.integerDivideByZero) }
        r.set(2, a / b)
        return r.next(5)
    }

    @inline(__always)
    static func i32RemS(_ r: R) -> Next {
        let a = s32(r.i32(3)), b = s32(r.i32(4))
        guard b != 0 else { return r.trap(.integerDivideByZero) }
        r.set(2, b == -1 ? 0 : u32(a % b))
        return r.next(5)
    }

    @inline(__always)
    static func i32RemU(_ r: R) -> Next {
        let a = r.i32(3), b = r.i32(4)
        guard b != 0 else { return r.trap(.integerDivideByZero) }
        r.set(2, a % b)
        return r.next(5)
    }

    @inline(__always)
    static func i64DivS(_ r: R) -> Next {
        let a = s64(r.i64(3)), b = s64(r.i64(4))
        guard b != 0 else { return r.trap(.integerDivideByZero) }
        guard !(a == Int64.min && b == -1) else { return r.trap(.integerOverflow) }
        r.set(2, u64(a / b))
        return r.next(5)
    }

    @inline(__always)
    static func i64DivU(_ r: R) -> Next {
        let a = r.i64(3), b = r.i64(4)
        guard b != 0 else { return r.trap(.integerDivideByZero) }
        r.set(2, a / b)
        return r.next(5)
    }

    @inline(__always)
    static func i64RemS(_ r: R) -> Next {
        let a = s64(r.i64(3)), b = s64(r.i64(4))
        guard b != 0 else { return r.trap(.integerDivideByZero) }
        r.set(2, b == -1 ? 0 : u64(a % b))
        return r.next(5)
    }

    @inline(__always)
    static func i64RemU(_ r: R) -> Next {
        let a = r.i64(3), b = r.i64(4)
        guard b != 0 else { return r.trap(.integerDivideByZero) }
        r.set(2, a % b)
        return r.next(5)
    }

    // MARK: Trapping float-to-integer truncation (spec §4.3.2 trunc), `dst a`

    /// `x` truncated if `lower < x < upper` (exclusive bounds of the truncatable range),
    /// else the trap: NaN is an invalid conversion, anything else out of range overflows.
    @inline(__always)
    static func truncate(_ r: R, _ x: Double, _ lower: Double, _ upper: Double, _ store: (Double) -> Void) -> Next {
        guard !x.isNaN else { return r.trap(.invalidConversionToInteger) }
        guard x > lower && x < upper else { return r.trap(.integerOverflow) }
        store(x)
        return r.next(4)
    }

    @inline(__always)
    static func i32TruncF32S(_ r: R) -> Next {
        truncate(r, Double(r.f32(3)), -2147483649.0, 2147483648.0) { r.set(2, u32(Int32($0))) }
    }

    @inline(__always)
    static func i32TruncF32U(_ r: R) -> Next {
        truncate(r, Double(r.f32(3)), -1.0, 4294967296.0) { r.set(2, UInt32($0)) }
    }

    @inline(__always)
    static func i32TruncF64S(_ r: R) -> Next {
        truncate(r, r.f64(3), -2147483649.0, 2147483648.0) { r.set(2, u32(Int32($0))) }
    }

    @inline(__always)
    static func i32TruncF64U(_ r: R) -> Next {
        truncate(r, r.f64(3), -1.0, 4294967296.0) { r.set(2, UInt32($0)) }
    }

    // The i64 bounds: -2^63 itself converts (the next double below is out of range).
    @inline(__always)
    static func i64TruncF32S(_ r: R) -> Next {
        truncate(r, Double(r.f32(3)), -9223372036854777856.0, 9223372036854775808.0) { r.set(2, u64(Int64($0))) }
    }

    @inline(__always)
    static func i64TruncF32U(_ r: R) -> Next {
        truncate(r, Double(r.f32(3)), -1.0, 18446744073709551616.0) { r.set(2, UInt64($0)) }
    }

    @inline(__always)
    static func i64TruncF64S(_ r: R) -> Next {
        truncate(r, r.f64(3), -9223372036854777856.0, 9223372036854775808.0) { r.set(2, u64(Int64($0))) }
    }

    @inline(__always)
    static func i64TruncF64U(_ r: R) -> Next {
        truncate(r, r.f64(3), -1.0, 18446744073709551616.0) { r.set(2, UInt64($0)) }
    }
}
