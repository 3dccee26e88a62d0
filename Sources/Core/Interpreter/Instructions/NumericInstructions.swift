// Numeric instructions: https://webassembly.github.io/spec/core/exec/numerics.html
// Integers live in cells zero-extended, floats as their bit patterns.

typealias Code = UnsafePointer<UInt32>
typealias Frame = UnsafeMutablePointer<UInt64>

extension Interpreter {
    @inline(__always) static func i32(_ fp: Frame, _ s: UInt32) -> UInt32 { UInt32(truncatingIfNeeded: fp[Int(s)]) }
    @inline(__always) static func i64(_ fp: Frame, _ s: UInt32) -> UInt64 { fp[Int(s)] }
    @inline(__always) static func f32(_ fp: Frame, _ s: UInt32) -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: fp[Int(s)])) }
    @inline(__always) static func f64(_ fp: Frame, _ s: UInt32) -> Double { Double(bitPattern: fp[Int(s)]) }

    // `dst a b` / `dst a` forms.
    @inline(__always) static func binary32(_ pc: Code, _ fp: Frame, _ f: (UInt32, UInt32) -> UInt32) {
        fp[Int(pc[1])] = UInt64(f(i32(fp, pc[2]), i32(fp, pc[3])))
    }
    @inline(__always) static func binary64(_ pc: Code, _ fp: Frame, _ f: (UInt64, UInt64) -> UInt64) {
        fp[Int(pc[1])] = f(fp[Int(pc[2])], fp[Int(pc[3])])
    }
    @inline(__always) static func compare32(_ pc: Code, _ fp: Frame, _ f: (UInt32, UInt32) -> Bool) {
        fp[Int(pc[1])] = f(i32(fp, pc[2]), i32(fp, pc[3])) ? 1 : 0
    }
    @inline(__always) static func compare64(_ pc: Code, _ fp: Frame, _ f: (UInt64, UInt64) -> Bool) {
        fp[Int(pc[1])] = f(fp[Int(pc[2])], fp[Int(pc[3])]) ? 1 : 0
    }
    @inline(__always) static func unary32(_ pc: Code, _ fp: Frame, _ f: (UInt32) -> UInt32) {
        fp[Int(pc[1])] = UInt64(f(i32(fp, pc[2])))
    }
    @inline(__always) static func unary64(_ pc: Code, _ fp: Frame, _ f: (UInt64) -> UInt64) {
        fp[Int(pc[1])] = f(fp[Int(pc[2])])
    }
    @inline(__always) static func binaryF32(_ pc: Code, _ fp: Frame, _ f: (Float, Float) -> Float) {
        fp[Int(pc[1])] = UInt64(f(f32(fp, pc[2]), f32(fp, pc[3])).bitPattern)
    }
    @inline(__always) static func binaryF64(_ pc: Code, _ fp: Frame, _ f: (Double, Double) -> Double) {
        fp[Int(pc[1])] = f(f64(fp, pc[2]), f64(fp, pc[3])).bitPattern
    }
    @inline(__always) static func compareF32(_ pc: Code, _ fp: Frame, _ f: (Float, Float) -> Bool) {
        fp[Int(pc[1])] = f(f32(fp, pc[2]), f32(fp, pc[3])) ? 1 : 0
    }
    @inline(__always) static func compareF64(_ pc: Code, _ fp: Frame, _ f: (Double, Double) -> Bool) {
        fp[Int(pc[1])] = f(f64(fp, pc[2]), f64(fp, pc[3])) ? 1 : 0
    }
    @inline(__always) static func unaryF32(_ pc: Code, _ fp: Frame, _ f: (Float) -> Float) {
        fp[Int(pc[1])] = UInt64(f(f32(fp, pc[2])).bitPattern)
    }
    @inline(__always) static func unaryF64(_ pc: Code, _ fp: Frame, _ f: (Double) -> Double) {
        fp[Int(pc[1])] = f(f64(fp, pc[2])).bitPattern
    }

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

    @inline(__always) static func copysign32(_ a: UInt32, _ b: UInt32) -> UInt32 { a & 0x7FFF_FFFF | b & 0x8000_0000 }
    @inline(__always) static func copysign64(_ a: UInt64, _ b: UInt64) -> UInt64 {
        a & 0x7FFF_FFFF_FFFF_FFFF | b & 0x8000_0000_0000_0000
    }

    /// Trapping float-to-int truncation: nil for NaN (invalid conversion) is told
    /// apart from out of range (overflow) by the caller checking `isNaN` first.
    /// `lower` and `upper` are exclusive bounds of the truncatable range.
    @inline(__always) static func inRange(_ x: Double, _ lower: Double, _ upper: Double) -> Bool {
        x > lower && x < upper
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
}
