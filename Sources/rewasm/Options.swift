import RewasmCore

/// A command-line usage error: printed with a hint, exit status 2.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Options shared by `run` and `spectest`.
struct RunOptions {
    var invoke: String?
    var timeout: Double?
    var stats = false
    var configuration = Configuration()
    var dirs: [(host: String, guest: String)] = []
    var env: [(String, String)] = []
    var envInherit = false
    /// wasi-threads: spawned threads alive at once.
    var maxThreads = 256
    var module: String?
    var args: [String] = []
}

enum Parse {
    /// "500ms", "2s", "1.5m", "3" (seconds) -> seconds.
    static func duration(_ s: String) throws(UsageError) -> Double {
        let units: [(String, Double)] = [("ms", 0.001), ("us", 0.000001), ("ns", 1e-9), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where s.hasSuffix(suffix) {
            if let v = Double(s.dropLast(suffix.count)), v >= 0, v.isFinite { return v * scale }
            throw UsageError("invalid duration '\(s)' (examples: 500ms, 2s, 1m)")
        }
        if let v = Double(s), v >= 0, v.isFinite { return v }
        throw UsageError("invalid duration '\(s)' (examples: 500ms, 2s, 1m)")
    }

    /// "65536", "64K", "16M", "4G" -> bytes.
    static func size(_ s: String) throws(UsageError) -> UInt64 {
        let units: [(String, UInt64)] = [("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30), ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30)]
        for (suffix, scale) in units.reversed() where s.hasSuffix(suffix) {
            if let v = UInt64(s.dropLast(suffix.count)), v <= UInt64.max / scale { return v * scale }
            throw UsageError("invalid size '\(s)'")
        }
        if let v = UInt64(s) { return v }
        throw UsageError("invalid size '\(s)' (examples: 65536, 64K, 16M, 4G)")
    }

    /// "wasm3", "wasm2", "wasm3,-memory64", "multi-memory,tail-call".
    static func features(_ s: String) throws(UsageError) -> Features {
        guard let f = Features(parsing: s) else {
            let names = Features.named.map(\.0).joined(separator: ", ")
            throw UsageError("invalid --features '\(s)' (wasm2, wasm3, or a comma-separated list of: \(names); '-NAME' removes one)")
        }
        return f
    }

    static func count(_ s: String, option: String) throws(UsageError) -> Int {
        guard let v = Int(s), v > 0 else { throw UsageError("\(option) needs a positive integer, got '\(s)'") }
        return v
    }

    /// Parses a command-line argument as a wasm value of type `t`.
    static func value(_ s: String, _ t: ValueType) throws(UsageError) -> Value {
        switch t {
        case .i32:
            if let v = Int32(s) { return .i32(UInt32(bitPattern: v)) }
            if let v = UInt32(s) { return .i32(v) }
            if s.hasPrefix("0x"), let v = UInt32(s.dropFirst(2), radix: 16) { return .i32(v) }
        case .i64:
            if let v = Int64(s) { return .i64(UInt64(bitPattern: v)) }
            if let v = UInt64(s) { return .i64(v) }
            if s.hasPrefix("0x"), let v = UInt64(s.dropFirst(2), radix: 16) { return .i64(v) }
        case .f32:
            if let v = Float(s) { return .float(v) }
        case .f64:
            if let v = Double(s) { return .double(v) }
        case .externref:
            if s == "null" { return .externref(nil) }
            if let v = UInt64(s), v < UInt64.max { return .externref(v) }
        case .funcref:
            if s == "null" { return .funcref(nil) }
        case .exnref:
            if s == "null" { return .exnref(nil) }
        case .v128:
            if let v = vector(s) { return .v128(v) }
        }
        throw UsageError("cannot pass '\(s)' as \(t)")
    }

    /// A v128 argument: `0x` and up to 32 hex digits (the 128-bit little-endian number, as
    /// wasmtime prints it), a decimal number, or lanes `SHAPE:l0,l1,...` (`i8x16`, `i16x8`,
    /// `i32x4`, `i64x2`, `f32x4`, `f64x2`; integers signed or unsigned).
    static func vector(_ s: String) -> V128? {
        if s.hasPrefix("0x") {
            let digits = s.dropFirst(2)
            guard !digits.isEmpty, digits.count <= 32 else { return nil }
            let split = digits.index(digits.endIndex, offsetBy: -min(16, digits.count))
            guard let lo = UInt64(digits[split...], radix: 16) else { return nil }
            let hiDigits = digits[..<split]
            guard let hi = hiDigits.isEmpty ? 0 : UInt64(hiDigits, radix: 16) else { return nil }
            return V128(lo: lo, hi: hi)
        }
        if let n = UInt128(s) { return V128(lo: UInt64(truncatingIfNeeded: n), hi: UInt64(truncatingIfNeeded: n >> 64)) }
        let parts = s.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let lanes = parts[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        func ints<T: FixedWidthInteger>(_: T.Type, _ count: Int) -> [UInt64]? {
            guard lanes.count == count else { return nil }
            var out: [UInt64] = []
            for l in lanes {
                if let v = T(l) {
                    out.append(UInt64(truncatingIfNeeded: v) & (T.bitWidth == 64 ? ~0 : (1 << T.bitWidth) - 1))
                } else if let v = T.Magnitude(l) {
                    out.append(UInt64(truncatingIfNeeded: v))
                } else {
                    return nil
                }
            }
            return out
        }
        let bits: Int
        let words: [UInt64]?
        switch parts[0] {
        case "i8x16": (bits, words) = (8, ints(Int8.self, 16))
        case "i16x8": (bits, words) = (16, ints(Int16.self, 8))
        case "i32x4": (bits, words) = (32, ints(Int32.self, 4))
        case "i64x2": (bits, words) = (64, ints(Int64.self, 2))
        case "f32x4": (bits, words) = (32, lanes.count == 4 ? lanes.compactMap { Float($0).map { UInt64($0.bitPattern) } } : nil)
        case "f64x2": (bits, words) = (64, lanes.count == 2 ? lanes.compactMap { Double($0)?.bitPattern } : nil)
        default: return nil
        }
        guard let words, words.count == 128 / bits else { return nil }
        var lo: UInt64 = 0, hi: UInt64 = 0
        for (i, w) in words.enumerated() {
            let shift = UInt64((i * bits) % 64)
            if i * bits < 64 { lo |= w << shift } else { hi |= w << shift }
        }
        return V128(lo: lo, hi: hi)
    }

    /// Formats a result like wasmtime: integers signed, floats as decimals.
    static func format(_ v: Value) -> String {
        switch v {
        case .i32(let x): "\(Int32(bitPattern: x))"
        case .i64(let x): "\(Int64(bitPattern: x))"
        case .f32(let x): "\(Float(bitPattern: x))"
        case .f64(let x): "\(Double(bitPattern: x))"
        case .funcref(let f): f == nil ? "null" : "funcref"
        case .externref(let r): r.map { "\($0)" } ?? "null"
        case .exnref(let e): e.map { "\($0)" } ?? "null"
        case .v128(let x): "\(x)"
        }
    }
}
