// Proposals that joined the standard with WebAssembly 3.0:
// https://webassembly.github.io/spec/core/appendix/changes.html#release-3-0

/// The WebAssembly proposals that the decoder and validator accept, chosen per module
/// load like wasmtime's `Config::wasm_*`. The default is `wasm3`: everything of
/// WebAssembly 3.0 that rewasm implements. `wasm2` is exactly WebAssembly 2.0, for
/// modules that must also run on 2.0 engines (and for the 2.0 spec suite, some of whose
/// assertions encode rules that 3.0 lifted, e.g. "multiple memories").
///
/// The threads proposal is not in this set: it is switched by the `Threads` trait at
/// build time.
public struct Features: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Several memories per module; a memory index on every memory instruction.
    public static let multiMemory = Features(rawValue: 1 << 0)
    /// Memories and tables with 64-bit addresses (`i64` limits and indices).
    public static let memory64 = Features(rawValue: 1 << 1)
    /// `i32/i64.add/sub/mul` in constant expressions.
    public static let extendedConst = Features(rawValue: 1 << 2)
    /// `return_call`, `return_call_indirect`.
    public static let tailCall = Features(rawValue: 1 << 3)
    /// Tags, `throw`, `throw_ref`, `try_table`, `exnref`.
    public static let exceptions = Features(rawValue: 1 << 4)
    /// Fixed-width SIMD: the `v128` type and the 0xFD instructions (part of 2.0).
    public static let simd = Features(rawValue: 1 << 5)
    /// Relaxed SIMD (3.0): 0xFD 0x100...0x113, with one deterministic behaviour each.
    public static let relaxedSimd = Features(rawValue: 1 << 6)

    /// WebAssembly 2.0 (with bulk memory, reference types, SIMD, multi-value, ...).
    public static let wasm2: Features = [.simd]
    /// The WebAssembly 3.0 proposals rewasm implements (typed function references and GC
    /// are not among them yet).
    public static let wasm3: Features = [
        .multiMemory, .memory64, .extendedConst, .tailCall, .exceptions, .simd, .relaxedSimd,
    ]
    /// What a module load uses unless told otherwise: `wasm3`.
    public static let `default` = wasm3

    /// Every named feature, in the order of `description` (the CLI spelling).
    public static let named: [(String, Features)] = [
        ("multi-memory", .multiMemory), ("memory64", .memory64), ("extended-const", .extendedConst),
        ("tail-call", .tailCall), ("exceptions", .exceptions), ("simd", .simd), ("relaxed-simd", .relaxedSimd),
    ]

    /// Parses `wasm2`, `wasm3`, or a comma-separated list of names, each optionally
    /// prefixed with `-` to remove it (`wasm3,-memory64`). nil for an unknown name.
    public init?(parsing text: String) {
        guard !text.isEmpty else { return nil }
        var f = Features()
        for part in text.split(separator: ",") {
            var name = Substring(part)
            let remove = name.hasPrefix("-")
            if remove { name = name.dropFirst() }
            let set: Features
            switch name {
            case "wasm2": set = .wasm2
            case "wasm3", "all": set = .wasm3
            default:
                guard let e = Features.named.first(where: { $0.0 == name }) else { return nil }
                set = e.1
            }
            if remove { f.subtract(set) } else { f.formUnion(set) }
        }
        self = f
    }

    /// The names of the features in the set, comma-separated ("none" for 2.0).
    public var description: String {
        let names = Features.named.filter { contains($0.1) }.map(\.0)
        return names.isEmpty ? "none" : names.joined(separator: ",")
    }
}
