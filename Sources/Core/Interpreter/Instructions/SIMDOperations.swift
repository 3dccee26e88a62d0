// Vector instructions: https://webassembly.github.io/spec/core/exec/numerics.html#vector-operations
// and, for relaxed SIMD, https://webassembly.github.io/spec/core/exec/numerics.html#relaxed-operations
// (the deterministic profile's choice; see the comment above the relaxed section of
// Utilities/simd.txt).
//
// The SIMD handlers are generated from their expression in Utilities/simd.txt; here are the
// helpers those expressions call for the instructions whose semantics do not fit one line.
//
// Everything here is written so that Swift 6.3 at -O emits straight-line vector code on x86_64
// (SSE2 only) and arm64. What that takes (checked with `swiftc -O -emit-assembly`):
// - Compare a vector with a vector, and only on concrete types. `v .< 0` (a scalar operand) and
//   any comparison in generic code use the generic `SIMD` implementation, a per-lane loop that
//   goes through memory; the concrete `.==`, `.<`, `&+`, `&-`, `&*` are single instructions.
// - Avoid the SIMD `init(clamping:)`, `pointwiseMin`/`pointwiseMax`, `SIMD.squareRoot()`,
//   `SIMD.rounded(_:)`, and all float-to-integer initializers: they are out-of-line calls,
//   per-lane libm calls, or per-lane range checks that stay in the code as traps even when the
//   value was clamped first.
// - Narrow by joining the two clamped halves into a 32-byte vector and truncating that
//   (`packsswb`); joining `.evenHalf`s, or halves that were narrowed first, becomes shuffles.
// Lanes are in memory order, so this (like all of rewasm) assumes a little-endian host.

import CInterpreter

enum SIMDOps {
    // MARK: Lanes and masks

    /// A wasm comparison result: all ones in the lanes where `m` holds, zeros elsewhere.
    @inline(__always)
    static func mask<S: SIMD>(_ m: SIMDMask<S>) -> S where S.Scalar: FixedWidthInteger, S.MaskStorage == S {
        S().replacing(with: S(repeating: ~0), where: m)
    }

    /// Lane `i` of `v`. The translator has validated `i`; masking it only lets the compiler
    /// drop the subscript's bounds check.
    @inline(__always)
    static func lane<V: SIMD>(_ v: V, _ i: Int) -> V.Scalar {
        v[i & (v.scalarCount &- 1)]
    }

    // `v` with lane `i` (validated, as in `lane`) set to `x`: the C target's helpers, which
    // select the lane by comparing lane numbers, in registers. Setting `v[i]` writes the lane
    // into a stack copy and reloads all 16 bytes, which defeats store forwarding (about a dozen cycles on
    // x86_64): it was the hottest handler of CoreMark's SIMD build (`v128.load16_lane`).

    @inline(__always)
    static func replacing(_ v: SIMD16<UInt8>, _ i: Int, _ x: UInt8) -> SIMD16<UInt8> { rw_replace_u8x16(v, i, x) }

    @inline(__always)
    static func replacing(_ v: SIMD8<UInt16>, _ i: Int, _ x: UInt16) -> SIMD8<UInt16> { rw_replace_u16x8(v, i, x) }

    @inline(__always)
    static func replacing(_ v: SIMD4<UInt32>, _ i: Int, _ x: UInt32) -> SIMD4<UInt32> { rw_replace_u32x4(v, i, x) }

    @inline(__always)
    static func replacing(_ v: SIMD2<UInt64>, _ i: Int, _ x: UInt64) -> SIMD2<UInt64> { rw_replace_u64x2(v, i, x) }

    /// `m ? x : y` per lane, spelled out in bit operations: through `replacing(with:where:)`,
    /// LLVM turned the second of two chained double clamps into scalar branches.
    @inline(__always)
    private static func select(_ m: SIMDMask<SIMD2<Int64>>, _ x: SIMD2<Double>, _ y: SIMD2<Double>) -> SIMD2<Double> {
        let k = unsafeBitCast(mask(m), to: SIMD2<UInt64>.self)
        let xb = unsafeBitCast(x, to: SIMD2<UInt64>.self), yb = unsafeBitCast(y, to: SIMD2<UInt64>.self)
        return unsafeBitCast((xb & k) | (yb & ~k), to: SIMD2<Double>.self)
    }

    /// i8x16.swizzle (and relaxed_swizzle): lane k is a[s[k]], or 0 where s[k] >= 16.
    /// SSE2 has no variable byte shuffle; 16 indexed loads from the spilled vector are
    /// straight-line, where the obvious `s[k] < 16 ? ... : 0` loop stays a branchy loop.
    @inline(__always)
    static func swizzle(_ a: SIMD16<UInt8>, _ s: SIMD16<UInt8>) -> SIMD16<UInt8> {
        let i = s & SIMD16<UInt8>(repeating: 15)
        var r = SIMD16<UInt8>()
        for k in 0..<16 { r[k] = a[Int(i[k])] }
        return r.replacing(with: SIMD16<UInt8>(), where: s .>= SIMD16<UInt8>(repeating: 16))
    }

    // MARK: Lane tests

    /// LLVM recognizes the per-lane count as a vector popcount (`cnt` on arm64, a bit-slicing
    /// sequence on SSE2).
    @inline(__always)
    static func popcnt(_ a: SIMD16<UInt8>) -> SIMD16<UInt8> {
        var r = SIMD16<UInt8>()
        for i in 0..<16 { r[i] = UInt8(truncatingIfNeeded: a[i].nonzeroBitCount) }
        return r
    }

    /// Whether a 16-byte value is all zeros, as two 64-bit words.
    @inline(__always)
    private static func isZero<V: SIMD>(_ v: V) -> Bool {
        let w = unsafeBitCast(v, to: SIMD2<UInt64>.self)
        return w[0] | w[1] == 0
    }

    @inline(__always) static func allTrue(_ a: SIMD16<UInt8>) -> Bool { isZero(mask(a .== SIMD16<UInt8>())) }
    @inline(__always) static func allTrue(_ a: SIMD8<UInt16>) -> Bool { isZero(mask(a .== SIMD8<UInt16>())) }
    @inline(__always) static func allTrue(_ a: SIMD4<UInt32>) -> Bool { isZero(mask(a .== SIMD4<UInt32>())) }
    @inline(__always) static func allTrue(_ a: SIMD2<UInt64>) -> Bool { isZero(mask(a .== SIMD2<UInt64>())) }

    /// The top bits of eight bytes that are each 0 or 1, gathered into one byte: multiplying by
    /// 0x0102_0408_1020_4080 moves byte k's bit to bit 56 + k, and no two partial products
    /// overlap, so nothing carries into the top byte.
    @inline(__always)
    private static func gatherBits(_ bytes: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: (bytes &* 0x0102_0408_1020_4080) &>> 56)
    }

    @inline(__always)
    static func bitmask(_ a: SIMD16<Int8>) -> UInt32 {
        let b = unsafeBitCast(unsafeBitCast(a, to: SIMD16<UInt8>.self) &>> 7, to: SIMD2<UInt64>.self)
        return gatherBits(b[0]) | gatherBits(b[1]) &<< 8
    }

    @inline(__always)
    static func bitmask(_ a: SIMD8<Int16>) -> UInt32 {
        let b = unsafeBitCast(unsafeBitCast(a, to: SIMD8<UInt16>.self) &>> 15, to: SIMD16<UInt8>.self)
        return gatherBits(unsafeBitCast(b.evenHalf, to: UInt64.self))
    }

    @inline(__always)
    static func bitmask(_ a: SIMD4<Int32>) -> UInt32 {
        let b = unsafeBitCast(a, to: SIMD4<UInt32>.self) &>> 31
        return b[0] | b[1] &<< 1 | b[2] &<< 2 | b[3] &<< 3
    }

    @inline(__always)
    static func bitmask(_ a: SIMD2<Int64>) -> UInt32 {
        let b = unsafeBitCast(a, to: SIMD2<UInt64>.self) &>> 63
        return UInt32(truncatingIfNeeded: b[0] | b[1] &<< 1)
    }

    // MARK: Widening, narrowing, saturation

    @inline(__always) private static func widen(_ a: SIMD8<Int8>) -> SIMD8<Int16> { SIMD8<Int16>(truncatingIfNeeded: a) }
    @inline(__always) private static func widen(_ a: SIMD4<Int16>) -> SIMD4<Int32> { SIMD4<Int32>(truncatingIfNeeded: a) }

    @inline(__always)
    private static func clamp(_ x: SIMD8<Int16>, _ lo: Int16, _ hi: Int16) -> SIMD8<Int16> {
        let l = SIMD8<Int16>(repeating: lo), h = SIMD8<Int16>(repeating: hi)
        let y = x.replacing(with: l, where: x .< l)
        return y.replacing(with: h, where: y .> h)
    }

    @inline(__always)
    private static func clamp(_ x: SIMD4<Int32>, _ lo: Int32, _ hi: Int32) -> SIMD4<Int32> {
        let l = SIMD4<Int32>(repeating: lo), h = SIMD4<Int32>(repeating: hi)
        let y = x.replacing(with: l, where: x .< l)
        return y.replacing(with: h, where: y .> h)
    }

    /// i8x16.narrow_i16x8_s: `a`'s lanes then `b`'s, each saturated to Int8.
    @inline(__always)
    static func narrowS(_ a: SIMD8<Int16>, _ b: SIMD8<Int16>) -> SIMD16<Int8> {
        SIMD16<Int8>(truncatingIfNeeded: SIMD16<Int16>(lowHalf: clamp(a, -128, 127), highHalf: clamp(b, -128, 127)))
    }

    /// i8x16.narrow_i16x8_u: the signed lanes saturated to UInt8.
    @inline(__always)
    static func narrowU(_ a: SIMD8<Int16>, _ b: SIMD8<Int16>) -> SIMD16<UInt8> {
        SIMD16<UInt8>(truncatingIfNeeded: SIMD16<Int16>(lowHalf: clamp(a, 0, 255), highHalf: clamp(b, 0, 255)))
    }

    /// Here, unlike for bytes, the per-lane `Int16(clamping:)` is what becomes one packssdw:
    /// SSE2 has no 32-bit min/max, and a vector clamp made of compares hides the pattern.
    @inline(__always)
    static func narrowS(_ a: SIMD4<Int32>, _ b: SIMD4<Int32>) -> SIMD8<Int16> {
        var r = SIMD8<Int16>()
        for i in 0..<4 {
            r[i] = Int16(clamping: a[i])
            r[i + 4] = Int16(clamping: b[i])
        }
        return r
    }

    @inline(__always)
    static func narrowU(_ a: SIMD4<Int32>, _ b: SIMD4<Int32>) -> SIMD8<UInt16> {
        SIMD8<UInt16>(truncatingIfNeeded: SIMD8<Int32>(lowHalf: clamp(a, 0, 65535), highHalf: clamp(b, 0, 65535)))
    }

    // Saturating add and subtract; the lane type says signed or unsigned. LLVM matches the
    // signed forms (computed wide, then narrowed with saturation) to padds/psubs, and the
    // unsigned ones to paddus/psubus.

    @inline(__always)
    static func addSat(_ a: SIMD16<Int8>, _ b: SIMD16<Int8>) -> SIMD16<Int8> {
        narrowS(widen(a.lowHalf) &+ widen(b.lowHalf), widen(a.highHalf) &+ widen(b.highHalf))
    }

    @inline(__always)
    static func subSat(_ a: SIMD16<Int8>, _ b: SIMD16<Int8>) -> SIMD16<Int8> {
        narrowS(widen(a.lowHalf) &- widen(b.lowHalf), widen(a.highHalf) &- widen(b.highHalf))
    }

    @inline(__always)
    static func addSat(_ a: SIMD8<Int16>, _ b: SIMD8<Int16>) -> SIMD8<Int16> {
        narrowS(widen(a.lowHalf) &+ widen(b.lowHalf), widen(a.highHalf) &+ widen(b.highHalf))
    }

    @inline(__always)
    static func subSat(_ a: SIMD8<Int16>, _ b: SIMD8<Int16>) -> SIMD8<Int16> {
        narrowS(widen(a.lowHalf) &- widen(b.lowHalf), widen(a.highHalf) &- widen(b.highHalf))
    }

    @inline(__always)
    static func addSat(_ a: SIMD16<UInt8>, _ b: SIMD16<UInt8>) -> SIMD16<UInt8> {
        let r = a &+ b
        return r.replacing(with: SIMD16<UInt8>(repeating: .max), where: r .< a)
    }

    @inline(__always)
    static func subSat(_ a: SIMD16<UInt8>, _ b: SIMD16<UInt8>) -> SIMD16<UInt8> {
        a.replacing(with: b, where: a .< b) &- b
    }

    @inline(__always)
    static func addSat(_ a: SIMD8<UInt16>, _ b: SIMD8<UInt16>) -> SIMD8<UInt16> {
        let r = a &+ b
        return r.replacing(with: SIMD8<UInt16>(repeating: .max), where: r .< a)
    }

    @inline(__always)
    static func subSat(_ a: SIMD8<UInt16>, _ b: SIMD8<UInt16>) -> SIMD8<UInt16> {
        a.replacing(with: b, where: a .< b) &- b
    }

    /// avgr_u, (a + b + 1) >> 1 without the carry out of the lane: a + b = 2(a & b) + (a ^ b),
    /// so the rounded-up half is (a & b) + ceil((a ^ b) / 2) = (a | b) - ((a ^ b) >> 1).
    /// LLVM matches this to pavg (urhadd).
    @inline(__always)
    static func avgr(_ a: SIMD16<UInt8>, _ b: SIMD16<UInt8>) -> SIMD16<UInt8> { (a | b) &- ((a ^ b) &>> 1) }

    @inline(__always)
    static func avgr(_ a: SIMD8<UInt16>, _ b: SIMD8<UInt16>) -> SIMD8<UInt16> { (a | b) &- ((a ^ b) &>> 1) }

    /// i16x8.q15mulr_sat_s (and relaxed_q15mulr_s): sat((a * b + 2^14) >> 15). Only
    /// -32768 * -32768 leaves the Int16 range (as 32768), which the narrowing saturates.
    @inline(__always)
    static func q15mulrSat(_ a: SIMD8<Int16>, _ b: SIMD8<Int16>) -> SIMD8<Int16> {
        let round = SIMD4<Int32>(repeating: 0x4000)
        let lo = (widen(a.lowHalf) &* widen(b.lowHalf) &+ round) &>> 15
        let hi = (widen(a.highHalf) &* widen(b.highHalf) &+ round) &>> 15
        return narrowS(lo, hi)
    }

    /// i32x4.dot_i16x8_s: sums of adjacent products, wrapping (only -32768 * -32768 twice
    /// overflows). LLVM matches this to pmaddwd.
    @inline(__always)
    static func dot(_ a: SIMD8<Int16>, _ b: SIMD8<Int16>) -> SIMD4<Int32> {
        (widen(a.evenHalf) &* widen(b.evenHalf)) &+ (widen(a.oddHalf) &* widen(b.oddHalf))
    }

    /// i16x8.relaxed_dot_i8x16_i7x16_s, deterministic profile: both operands signed, the sum of
    /// each adjacent pair of products saturated to Int16 (the spec's ivdot_sat). The products
    /// lie in [-16256, 16384], so the sum leaves Int16 only as (-128 * -128) * 2 = 32768,
    /// which wraps to -32768, a sum no in-range lane has: flipping those lanes' bits gives
    /// 32767. (With `addSat`, LLVM merged the saturation into relaxedDotAdd's widening and
    /// produced 70 instructions instead of 20.)
    @inline(__always)
    static func relaxedDot(_ a: SIMD16<Int8>, _ b: SIMD16<Int8>) -> SIMD8<Int16> {
        let d = (widen(a.evenHalf) &* widen(b.evenHalf)) &+ (widen(a.oddHalf) &* widen(b.oddHalf))
        return d ^ mask(d .== SIMD8<Int16>(repeating: -32768))
    }

    /// i32x4.relaxed_dot_i8x16_i7x16_add_s: the (saturated) i16 dot products above, added in
    /// adjacent pairs into Int32 and then onto `c`, wrapping.
    @inline(__always)
    static func relaxedDotAdd(_ a: SIMD16<Int8>, _ b: SIMD16<Int8>, _ c: SIMD4<Int32>) -> SIMD4<Int32> {
        let d = relaxedDot(a, b)
        return widen(d.evenHalf) &+ widen(d.oddHalf) &+ c
    }

    // MARK: Float min and max

    // Wasm min/max: NaN if either operand is NaN, and -0 < +0. Each one-sided `x < y ? x : y` is
    // a single minps; the two orders differ only on NaN and on zeros of opposite sign, where
    // OR-ing (min) or AND-ing (max) their bits picks -0 (+0). NaN lanes become `a + b`, a quiet
    // NaN that keeps a payload (arithmetic NaN) and is canonical when the inputs are.

    @inline(__always)
    static func fmin(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
        let ab = unsafeBitCast(a.replacing(with: b, where: .!(a .< b)), to: SIMD4<UInt32>.self)
        let ba = unsafeBitCast(b.replacing(with: a, where: .!(b .< a)), to: SIMD4<UInt32>.self)
        return unsafeBitCast(ab | ba, to: SIMD4<Float>.self).replacing(with: a + b, where: (a .!= a) .| (b .!= b))
    }

    @inline(__always)
    static func fmax(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
        let ab = unsafeBitCast(a.replacing(with: b, where: .!(a .> b)), to: SIMD4<UInt32>.self)
        let ba = unsafeBitCast(b.replacing(with: a, where: .!(b .> a)), to: SIMD4<UInt32>.self)
        return unsafeBitCast(ab & ba, to: SIMD4<Float>.self).replacing(with: a + b, where: (a .!= a) .| (b .!= b))
    }

    @inline(__always)
    static func fmin(_ a: SIMD2<Double>, _ b: SIMD2<Double>) -> SIMD2<Double> {
        let ab = unsafeBitCast(a.replacing(with: b, where: .!(a .< b)), to: SIMD2<UInt64>.self)
        let ba = unsafeBitCast(b.replacing(with: a, where: .!(b .< a)), to: SIMD2<UInt64>.self)
        return unsafeBitCast(ab | ba, to: SIMD2<Double>.self).replacing(with: a + b, where: (a .!= a) .| (b .!= b))
    }

    @inline(__always)
    static func fmax(_ a: SIMD2<Double>, _ b: SIMD2<Double>) -> SIMD2<Double> {
        let ab = unsafeBitCast(a.replacing(with: b, where: .!(a .> b)), to: SIMD2<UInt64>.self)
        let ba = unsafeBitCast(b.replacing(with: a, where: .!(b .> a)), to: SIMD2<UInt64>.self)
        return unsafeBitCast(ab & ba, to: SIMD2<Double>.self).replacing(with: a + b, where: (a .!= a) .| (b .!= b))
    }

    // MARK: Rounding to an integer

    // On arm64 the per-lane `rounded(_:)` becomes one frint* for the whole vector. SSE2 has no
    // roundps, and there `rounded(_:)` costs a libm call per lane. Instead: for |x| < 2^23
    // (2^52 for doubles), (|x| + 2^23) - 2^23 is |x| rounded to an integer in the default
    // nearest-even mode, exactly; larger floats are integers already. All four results have
    // x's sign, also when they are zero, so it is OR-ed back in. Lanes that are large, ±inf or
    // NaN return `x + 0`: exact for those, and it quiets a signalling NaN as the spec requires.

    @inline(__always)
    static func nearest(_ x: SIMD4<Float>) -> SIMD4<Float> { round(x, ceil: false, floor: false, trunc: false) }
    @inline(__always)
    static func ceil(_ x: SIMD4<Float>) -> SIMD4<Float> { round(x, ceil: true, floor: false, trunc: false) }
    @inline(__always)
    static func floor(_ x: SIMD4<Float>) -> SIMD4<Float> { round(x, ceil: false, floor: true, trunc: false) }
    @inline(__always)
    static func trunc(_ x: SIMD4<Float>) -> SIMD4<Float> { round(x, ceil: false, floor: false, trunc: true) }

    @inline(__always)
    static func nearest(_ x: SIMD2<Double>) -> SIMD2<Double> { round(x, ceil: false, floor: false, trunc: false) }
    @inline(__always)
    static func ceil(_ x: SIMD2<Double>) -> SIMD2<Double> { round(x, ceil: true, floor: false, trunc: false) }
    @inline(__always)
    static func floor(_ x: SIMD2<Double>) -> SIMD2<Double> { round(x, ceil: false, floor: true, trunc: false) }
    @inline(__always)
    static func trunc(_ x: SIMD2<Double>) -> SIMD2<Double> { round(x, ceil: false, floor: false, trunc: true) }

    /// The flags are constants at every call, so each caller keeps only its own steps.
    @inline(__always)
    private static func round(_ x: SIMD4<Float>, ceil: Bool, floor: Bool, trunc: Bool) -> SIMD4<Float> {
        #if arch(arm64)
        let rule: FloatingPointRoundingRule = ceil ? .up : floor ? .down : trunc ? .towardZero : .toNearestOrEven
        var r = x
        for i in 0..<4 { r[i] = x[i].rounded(rule) }
        return r
        #else
        let bits = unsafeBitCast(x, to: SIMD4<UInt32>.self)
        let sign = bits & 0x8000_0000
        let mag = unsafeBitCast(bits & 0x7FFF_FFFF, to: SIMD4<Float>.self)
        let big = SIMD4<Float>(repeating: 0x1p23), one = SIMD4<Float>(repeating: 1)
        var r = (mag + big) - big
        // Rounding the magnitude to nearest may have gone up by one; trunc = floor(|x|).
        if trunc { r = r - SIMD4<Float>().replacing(with: one, where: r .> mag) }
        var t = unsafeBitCast(unsafeBitCast(r, to: SIMD4<UInt32>.self) | sign, to: SIMD4<Float>.self)
        if floor { t = t - SIMD4<Float>().replacing(with: one, where: t .> x) }
        // -0.7 rounds to -1, then up to +0: the sign OR below makes it -0.
        if ceil { t = t + SIMD4<Float>().replacing(with: one, where: t .< x) }
        if ceil { t = unsafeBitCast(unsafeBitCast(t, to: SIMD4<UInt32>.self) | sign, to: SIMD4<Float>.self) }
        return t.replacing(with: x + SIMD4<Float>(), where: .!(mag .< big))
        #endif
    }

    @inline(__always)
    private static func round(_ x: SIMD2<Double>, ceil: Bool, floor: Bool, trunc: Bool) -> SIMD2<Double> {
        #if arch(arm64)
        let rule: FloatingPointRoundingRule = ceil ? .up : floor ? .down : trunc ? .towardZero : .toNearestOrEven
        var r = x
        for i in 0..<2 { r[i] = x[i].rounded(rule) }
        return r
        #else
        let bits = unsafeBitCast(x, to: SIMD2<UInt64>.self)
        let sign = bits & 0x8000_0000_0000_0000
        let mag = unsafeBitCast(bits & 0x7FFF_FFFF_FFFF_FFFF, to: SIMD2<Double>.self)
        let big = SIMD2<Double>(repeating: 0x1p52), one = SIMD2<Double>(repeating: 1)
        var r = (mag + big) - big
        if trunc { r = r - SIMD2<Double>().replacing(with: one, where: r .> mag) }
        var t = unsafeBitCast(unsafeBitCast(r, to: SIMD2<UInt64>.self) | sign, to: SIMD2<Double>.self)
        if floor { t = t - SIMD2<Double>().replacing(with: one, where: t .> x) }
        if ceil { t = t + SIMD2<Double>().replacing(with: one, where: t .< x) }
        if ceil { t = unsafeBitCast(unsafeBitCast(t, to: SIMD2<UInt64>.self) | sign, to: SIMD2<Double>.self) }
        return t.replacing(with: x + SIMD2<Double>(), where: .!(mag .< big))
        #endif
    }

    // MARK: Square root

    // Per lane: the scalar square root is sqrtss (with a libm fallback for negative and NaN
    // lanes, for errno); `SIMD.squareRoot()` is four libm calls.

    @inline(__always)
    static func sqrt(_ a: SIMD4<Float>) -> SIMD4<Float> { rw_sqrt_f32x4(a) }

    @inline(__always)
    static func sqrt(_ a: SIMD2<Double>) -> SIMD2<Double> { rw_sqrt_f64x2(a) }

    // MARK: Float to integer

    // Swift's float-to-integer conversions check the range per lane and keep those traps even
    // after a clamp, so the integer is read out of the float's bits instead. For an integral
    // double 0 <= t < 2^52, t + 2^52 has t in its low bits.

    /// `d` truncated toward zero and saturated to [lo, hi] (integers, |lo|, |hi| <= 2^32), NaN
    /// to 0: trunc_sat's conversion, in a 64-bit lane.
    @inline(__always)
    private static func truncSat(_ d: SIMD2<Double>, _ lo: Double, _ hi: Double) -> SIMD2<Int64> {
        let l = SIMD2<Double>(repeating: lo), h = SIMD2<Double>(repeating: hi)
        var c = select(d .== d, d, SIMD2<Double>())
        c = select(c .> l, c, l)
        c = select(c .< h, c, h)
        let bits = unsafeBitCast(c, to: SIMD2<UInt64>.self)
        let mag = unsafeBitCast(bits & 0x7FFF_FFFF_FFFF_FFFF, to: SIMD2<Double>.self)
        let big = SIMD2<Double>(repeating: 0x1p52)
        let s = mag + big
        // s holds |c| rounded to nearest; where that went up, step back down to truncate.
        let t = unsafeBitCast(s, to: SIMD2<Int64>.self) &- unsafeBitCast(big, to: SIMD2<Int64>.self) &+ mask(s - big .> mag)
        let neg = unsafeBitCast(bits, to: SIMD2<Int64>.self) &>> 63
        return (t ^ neg) &- neg
    }

    @inline(__always)
    static func truncSatS(_ a: SIMD4<Float>) -> SIMD4<Int32> {
        let lo = truncSat(SIMD2<Double>(a.lowHalf), -0x1p31, 0x1p31 - 1)
        let hi = truncSat(SIMD2<Double>(a.highHalf), -0x1p31, 0x1p31 - 1)
        return SIMD4<Int32>(truncatingIfNeeded: SIMD4<Int64>(lowHalf: lo, highHalf: hi))
    }

    @inline(__always)
    static func truncSatU(_ a: SIMD4<Float>) -> SIMD4<UInt32> {
        let lo = truncSat(SIMD2<Double>(a.lowHalf), 0, 0x1p32 - 1)
        let hi = truncSat(SIMD2<Double>(a.highHalf), 0, 0x1p32 - 1)
        return SIMD4<UInt32>(truncatingIfNeeded: SIMD4<Int64>(lowHalf: lo, highHalf: hi))
    }

    /// i32x4.trunc_sat_f64x2_s_zero: two results, then two zero lanes.
    @inline(__always)
    static func truncSatSZero(_ a: SIMD2<Double>) -> SIMD4<Int32> {
        SIMD4<Int32>(lowHalf: SIMD2<Int32>(truncatingIfNeeded: truncSat(a, -0x1p31, 0x1p31 - 1)), highHalf: SIMD2<Int32>())
    }

    @inline(__always)
    static func truncSatUZero(_ a: SIMD2<Double>) -> SIMD4<UInt32> {
        SIMD4<UInt32>(lowHalf: SIMD2<UInt32>(truncatingIfNeeded: truncSat(a, 0, 0x1p32 - 1)), highHalf: SIMD2<UInt32>())
    }
}
