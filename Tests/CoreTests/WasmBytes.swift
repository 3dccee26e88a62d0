import RewasmCore

/// Builds binary modules byte by byte, for the malformed and invalid modules that
/// `wat2wasm` refuses to produce. Section ids and encodings follow spec §5.
enum Wasm {
    static let header: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]

    static func uleb(_ value: UInt64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        repeat {
            var b = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { b |= 0x80 }
            out.append(b)
        } while v != 0
        return out
    }

    static func uleb<T: BinaryInteger>(_ value: T) -> [UInt8] { uleb(UInt64(value)) }

    static func sleb(_ value: Int64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        while true {
            let b = UInt8(v & 0x7F)
            v >>= 7
            let done = (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0)
            out.append(done ? b : b | 0x80)
            if done { return out }
        }
    }

    static func name(_ s: String) -> [UInt8] { uleb(s.utf8.count) + Array(s.utf8) }

    static func vector(_ items: [[UInt8]]) -> [UInt8] { uleb(items.count) + items.flatMap { $0 } }

    static func section(_ id: UInt8, _ payload: [UInt8]) -> [UInt8] { [id] + uleb(payload.count) + payload }

    static func module(_ sections: [UInt8]...) -> [UInt8] { header + sections.flatMap { $0 } }

    // MARK: Sections

    static func types(_ types: [FuncType]) -> [UInt8] {
        section(1, vector(types.map { [0x60] + vector($0.params.map { [$0.rawValue] }) + vector($0.results.map { [$0.rawValue] }) }))
    }

    static func imports(_ entries: [(module: String, name: String, descriptor: [UInt8])]) -> [UInt8] {
        section(2, vector(entries.map { name($0.module) + name($0.name) + $0.descriptor }))
    }

    static func functions(_ typeIndices: [UInt32]) -> [UInt8] { section(3, vector(typeIndices.map { uleb($0) })) }

    static func tables(_ entries: [(ValueType, UInt32, UInt32?)]) -> [UInt8] {
        section(4, vector(entries.map { [$0.0.rawValue] + limits($0.1, $0.2) }))
    }

    static func memories(_ entries: [(UInt32, UInt32?)]) -> [UInt8] { section(5, vector(entries.map { limits($0.0, $0.1) })) }

    static func globals(_ entries: [(ValueType, mutable: Bool, initializer: [UInt8])]) -> [UInt8] {
        section(6, vector(entries.map { [$0.0.rawValue, $0.mutable ? 1 : 0] + $0.initializer + [0x0B] }))
    }

    static func exports(_ entries: [(String, ExternalKind, UInt32)]) -> [UInt8] {
        section(7, vector(entries.map { name($0.0) + [$0.1.rawValue] + uleb($0.2) }))
    }

    static func start(_ index: UInt32) -> [UInt8] { section(8, uleb(index)) }

    /// Raw element segments (each already encoded).
    static func elements(_ segments: [[UInt8]]) -> [UInt8] { section(9, vector(segments)) }

    static func dataCount(_ n: UInt32) -> [UInt8] { section(12, uleb(n)) }

    /// Function bodies made with `body`.
    static func code(_ bodies: [[UInt8]]) -> [UInt8] { section(10, vector(bodies.map { uleb($0.count) + $0 })) }

    /// Raw data segments (each already encoded).
    static func datas(_ segments: [[UInt8]]) -> [UInt8] { section(11, vector(segments)) }

    static func limits(_ min: UInt32, _ max: UInt32?) -> [UInt8] {
        if let max { return [1] + uleb(min) + uleb(max) }
        return [0] + uleb(min)
    }

    /// A function body: local declarations, then `instructions` and the final `end`.
    static func body(locals: [(UInt32, ValueType)] = [], _ instructions: [UInt8]) -> [UInt8] {
        vector(locals.map { uleb($0.0) + [$0.1.rawValue] }) + instructions + [0x0B]
    }

    /// A module with one function of type `params -> results` whose body is `instructions`,
    /// exported as "f". `imports` is an import section (of non-function imports: the
    /// function is index 0), `middle` sections go between the function and export
    /// sections (tables, memories, globals), `tail` ones after the code section (data).
    static func function(
        params: [ValueType] = [], results: [ValueType] = [], locals: [(UInt32, ValueType)] = [],
        imports importSection: [UInt8] = [], middle: [UInt8] = [], tail: [UInt8] = [], _ instructions: [UInt8]
    ) -> [UInt8] {
        module(
            types([FuncType(params: params, results: results)]),
            importSection,
            functions([0]),
            middle,
            exports([("f", .function, 0)]),
            code([body(locals: locals, instructions)]),
            tail
        )
    }
}

/// Opcodes used in the byte-built modules, named as in the text format.
enum OpCode {
    static let unreachable: UInt8 = 0x00
    static let nop: UInt8 = 0x01
    static let block: UInt8 = 0x02
    static let loop: UInt8 = 0x03
    static let `if`: UInt8 = 0x04
    static let `else`: UInt8 = 0x05
    static let end: UInt8 = 0x0B
    static let br: UInt8 = 0x0C
    static let brIf: UInt8 = 0x0D
    static let brTable: UInt8 = 0x0E
    static let `return`: UInt8 = 0x0F
    static let call: UInt8 = 0x10
    static let callIndirect: UInt8 = 0x11
    static let drop: UInt8 = 0x1A
    static let select: UInt8 = 0x1B
    static let localGet: UInt8 = 0x20
    static let localSet: UInt8 = 0x21
    static let globalGet: UInt8 = 0x23
    static let globalSet: UInt8 = 0x24
    static let i32Load: UInt8 = 0x28
    static let i64Load: UInt8 = 0x29
    static let i32Store: UInt8 = 0x36
    static let i32Const: UInt8 = 0x41
    static let i64Const: UInt8 = 0x42
    static let f32Const: UInt8 = 0x43
    static let i32Add: UInt8 = 0x6A
    static let i64Add: UInt8 = 0x7C
    static let refFunc: UInt8 = 0xD2
    static let prefixFC: UInt8 = 0xFC
    static let emptyBlock: UInt8 = 0x40
}
