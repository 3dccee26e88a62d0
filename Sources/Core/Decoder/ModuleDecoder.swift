// Binary format of modules (spec §5.5): https://webassembly.github.io/spec/core/binary/modules.html

/// Decodes a WebAssembly 2.0 binary module (spec §5) into a `ModuleInfo`.
///
/// Everything but the instructions of function bodies is decoded: a body is read only
/// as far as its local declarations and `FunctionBody.code` is left for the translator.
/// Module-level validation is `validateModule`.
///
/// - Throws: `LoadError.malformed` when the bytes are not a module, with the wording of
///   the spec test suite where it has one. A constant expression that uses a known but
///   non-constant instruction throws `LoadError.invalid("constant expression required")`,
///   since it is well-formed but cannot validate.
public func decodeModule(_ bytes: [UInt8], features: Features = .default) throws(LoadError) -> ModuleInfo {
    var decoder = ModuleDecoder(bytes: bytes, features: features)
    try decoder.decode()
    return decoder.module
}

private struct ModuleDecoder {
    let bytes: [UInt8]
    var module = ModuleInfo()
    let features: Features

    init(bytes: [UInt8], features: Features) {
        self.bytes = bytes
        self.features = features
        module.bytes = bytes
        module.features = features
    }

    mutating func decode() throws(LoadError) {
        var r = ByteReader(bytes: bytes)
        guard try r.readFixed32() == 0x6D73_6100 else {
            throw .malformed("magic header not detected", at: 0)
        }
        guard try r.readFixed32() == 1 else { throw .malformed("unknown binary version", at: 4) }

        var lastRank = 0
        while !r.isAtEnd {
            let idAt = r.offset
            let id = try r.readByte()
            guard let rank = sectionRank(id), id != 13 || features.contains(.exceptions) else { throw .malformed("malformed section id", at: idAt) }
            if id != 0 {
                guard rank > lastRank else {
                    throw .malformed("unexpected content after last section", at: idAt)
                }
                lastRank = rank
            }
            let size = try r.readCount()
            var s = ByteReader(bytes: bytes, offset: r.offset, end: r.offset + size)
            switch id {
            case 0: try decodeCustomSection(&s)
            case 1: try decodeTypeSection(&s)
            case 2: try decodeImportSection(&s)
            case 3: module.functions = try readVector(&s) { (s) throws(LoadError) in try s.readU32() }
            case 4:
                let f = features
                module.tables = try readVector(&s) { (s) throws(LoadError) in try readTableType(&s, f) }
            case 5:
                let f = features
                module.memories = try readVector(&s) { (s) throws(LoadError) in try readMemoryType(&s, f) }
            case 6:
                let f = features
                module.globals = try readVector(&s) { (s) throws(LoadError) in try readGlobal(&s, f) }
            case 7: try decodeExportSection(&s)
            case 8: module.start = try s.readU32()
            case 9:
                let f = features
                module.elements = try readVector(&s) { (s) throws(LoadError) in try readElementSegment(&s, f) }
            case 10: try decodeCodeSection(&s)
            case 11:
                let f = features
                module.datas = try readVector(&s) { (s) throws(LoadError) in try readDataSegment(&s, f) }
            case 13: module.tags = try readVector(&s, readTag)
            default: module.dataCount = try s.readU32()  // 12; `sectionRank` rejected the rest
            }
            guard s.offset == s.end else { throw .malformed("section size mismatch", at: s.offset) }
            r.skip(to: s.end)
        }

        // Absent sections count as empty vectors, so these checks wait for the end of the module.
        guard module.functions.count == module.codes.count else {
            throw .malformed("function and code section have inconsistent lengths", at: bytes.count)
        }
        if let dataCount = module.dataCount, Int(dataCount) != module.datas.count {
            throw .malformed("data count and data section have inconsistent lengths", at: bytes.count)
        }
    }

    /// Position of a section id in the required order (the tag section sits between
    /// memory and global, the data count section between element and code); custom
    /// sections may appear anywhere.
    private func sectionRank(_ id: UInt8) -> Int? {
        switch id {
        case 0...5: Int(id)
        case 13: 6
        case 6...9: Int(id) + 1
        case 12: 11
        case 10, 11: Int(id) + 2
        default: nil
        }
    }

    // MARK: Sections

    private mutating func decodeCustomSection(_ s: inout ByteReader) throws(LoadError) {
        let name = try s.readName()
        let payload = s.offset..<s.end
        s.skip(to: s.end)
        module.customSections.append(CustomSection(name: name, payload: payload))
        if name == "name" {
            // The spec lets custom sections be malformed without failing the module.
            var p = ByteReader(bytes: bytes, offset: payload.lowerBound, end: payload.upperBound)
            do { try decodeNameSection(&p) } catch {}
        }
    }

    /// The "name" section (spec §7.4.1): module name and function names; other
    /// subsections are skipped.
    private mutating func decodeNameSection(_ s: inout ByteReader) throws(LoadError) {
        while !s.isAtEnd {
            let id = try s.readByte()
            let size = try s.readCount()
            var sub = ByteReader(bytes: bytes, offset: s.offset, end: s.offset + size)
            s.skip(to: sub.end)
            switch id {
            case 0:
                module.moduleName = try sub.readName()
            case 1:
                let n = try sub.readCount()
                for _ in 0..<n {
                    let index = try sub.readU32()
                    module.functionNames[index] = try sub.readName()
                }
            default:
                break
            }
        }
    }

    private mutating func decodeTypeSection(_ s: inout ByteReader) throws(LoadError) {
        let features = self.features
        module.types = try readVector(&s) { (s) throws(LoadError) in
            let at = s.offset
            // -0x20 is 0x60 as a one-byte signed LEB128; reading it as one gives the reference
            // interpreter's errors for longer encodings.
            guard try s.readSigned(bits: 7) == -0x20 else { throw .malformed("malformed function type", at: at) }
            let params = try readVector(&s) { (s) throws(LoadError) in try s.readValueType(features) }
            let results = try readVector(&s) { (s) throws(LoadError) in try s.readValueType(features) }
            return FuncType(params: params, results: results)
        }
    }

    private mutating func decodeImportSection(_ s: inout ByteReader) throws(LoadError) {
        let features = self.features
        module.imports = try readVector(&s) { (s) throws(LoadError) in
            let moduleName = try s.readName()
            let name = try s.readName()
            let kindAt = s.offset
            let descriptor: ImportDescriptor
            switch try s.readByte() {
            case 0x00: descriptor = .function(typeIndex: try s.readU32())
            case 0x01: descriptor = .table(try readTableType(&s, features))
            case 0x02: descriptor = .memory(try readMemoryType(&s, features))
            case 0x03: descriptor = .global(try readGlobalType(&s, features))
            case 0x04 where features.contains(.exceptions): descriptor = .tag(typeIndex: try readTag(&s))
            default: throw .malformed("malformed import kind", at: kindAt)
            }
            return Import(module: moduleName, name: name, descriptor: descriptor)
        }
    }

    private mutating func decodeExportSection(_ s: inout ByteReader) throws(LoadError) {
        let features = self.features
        module.exports = try readVector(&s) { (s) throws(LoadError) in
            let name = try s.readName()
            let kindAt = s.offset
            guard let kind = ExternalKind(rawValue: try s.readByte()), kind != .tag || features.contains(.exceptions) else {
                throw .malformed("malformed export kind", at: kindAt)
            }
            return Export(name: name, kind: kind, index: try s.readU32())
        }
    }

    private mutating func decodeCodeSection(_ s: inout ByteReader) throws(LoadError) {
        let bytes = self.bytes
        let features = self.features
        module.codes = try readVector(&s) { (s) throws(LoadError) in
            let size = try s.readCount()
            var body = ByteReader(bytes: bytes, offset: s.offset, end: s.offset + size)
            s.skip(to: body.end)
            var localCount: UInt64 = 0
            let locals = try readVector(&body) { (body) throws(LoadError) in
                let at = body.offset
                let count = try body.readU32()
                let type = try body.readValueType(features)
                // Checked per declaration, so the sum never gets near overflowing.
                localCount += UInt64(count)
                guard localCount <= UInt64(UInt32.max) else { throw .malformed("too many locals", at: at) }
                return LocalDecl(count: count, type: type)
            }
            let code = body.offset..<body.end
            // The translator decodes the instructions; a body that cannot end with `end` is
            // rejected here so that `code` always holds its final `end`.
            guard let last = code.last else { throw .malformed("unexpected end", at: body.end) }
            guard bytes[last] == 0x0B else { throw .malformed("END opcode expected", at: last) }
            return FunctionBody(locals: locals, localCount: localCount, code: code)
        }
    }
}

// MARK: - Shared readers

/// A vector (spec §5.1.3). Every element takes at least one byte, so a count beyond the
/// bytes left is an error before anything is reserved: the reservation is bounded by the
/// input, however hostile the count. ("unexpected end" rather than `readCount`'s "length
/// out of bounds", which the spec tests reserve for byte lengths.)
private func readVector<T>(
    _ s: inout ByteReader, _ element: (inout ByteReader) throws(LoadError) -> T
) throws(LoadError) -> [T] {
    let at = s.offset
    let n = Int(try s.readU32())
    guard n <= s.remaining else { throw .malformed("unexpected end", at: at) }
    var result: [T] = []
    result.reserveCapacity(n)
    for _ in 0..<n { result.append(try element(&s)) }
    return result
}

/// funcref (-0x10), externref (-0x11) or exnref (-0x17, exception handling), a one-byte
/// signed LEB128 like `s7` in the spec.
private func readRefType(_ s: inout ByteReader, _ features: Features) throws(LoadError) -> ValueType {
    let at = s.offset
    switch try s.readSigned(bits: 7) {
    case -0x10: return .funcref
    case -0x11: return .externref
    case -0x17 where features.contains(.exceptions): return .exnref
    default: throw .malformed("malformed reference type", at: at)
    }
}

/// A tag (exception handling): attribute 0 (exception), then its type index.
private func readTag(_ s: inout ByteReader) throws(LoadError) -> UInt32 {
    let at = s.offset
    guard try s.readByte() == 0 else { throw .malformed("malformed tag attribute", at: at) }
    return try s.readU32()
}

/// Limits (spec §5.3.7). The flag is a 1-bit LEB128 in 2.0, so a stray bit or a
/// continuation is "integer too large" / "integer representation too long", as the
/// spec tests expect. The threads proposal adds bit 1 (shared) for memories; memory64
/// adds bit 2: i64 addresses (or table indices), with u64 limits, and makes the flags
/// a byte.
private func readLimits(_ s: inout ByteReader, memory: Bool, features: Features) throws(LoadError) -> Limits {
    var allowed: UInt64 = 1
    #if Threads
    if memory { allowed |= 2 }
    #endif
    if features.contains(.memory64) { allowed |= 4 }
    let at = s.offset
    let flags: UInt64
    switch allowed {
    case 1: flags = try s.readUnsigned(bits: 1)
    case 3: flags = try s.readUnsigned(bits: 2)
    default:
        // 3.0 makes the flags a byte.
        flags = UInt64(try s.readByte())
        guard flags & ~allowed == 0 else { throw .malformed("malformed limits flags", at: at) }
    }
    let is64 = flags & 4 != 0
    let min = is64 ? try s.readUnsigned(bits: 64) : UInt64(try s.readU32())
    let max: UInt64? = flags & 1 != 0 ? (is64 ? try s.readUnsigned(bits: 64) : UInt64(try s.readU32())) : nil
    return Limits(min: min, max: max, shared: flags & 2 != 0, is64: is64)
}

private func readTableType(_ s: inout ByteReader, _ features: Features) throws(LoadError) -> TableType {
    let elementType = try readRefType(&s, features)
    return TableType(elementType: elementType, limits: try readLimits(&s, memory: false, features: features))
}

private func readMemoryType(_ s: inout ByteReader, _ features: Features) throws(LoadError) -> MemoryType {
    MemoryType(limits: try readLimits(&s, memory: true, features: features))
}

private func readGlobal(_ s: inout ByteReader, _ features: Features) throws(LoadError) -> GlobalDecl {
    let type = try readGlobalType(&s, features)
    return GlobalDecl(type: type, initializer: try readConstExpr(&s, features))
}

private func readGlobalType(_ s: inout ByteReader, _ features: Features) throws(LoadError) -> GlobalType {
    let valueType = try s.readValueType(features)
    let at = s.offset
    switch try s.readByte() {
    case 0: return GlobalType(valueType: valueType, isMutable: false)
    case 1: return GlobalType(valueType: valueType, isMutable: true)
    default: throw .malformed("malformed mutability", at: at)
    }
}

/// Element segments (spec §5.5.12). Bit 0 of the flags: passive or declarative;
/// bit 1: explicit table index (active) or declarative; bit 2: expressions instead of
/// function indices.
private func readElementSegment(_ s: inout ByteReader, _ features: Features) throws(LoadError) -> ElementSegment {
    let flagsAt = s.offset
    let flags = try s.readU32()
    guard flags <= 7 else { throw .malformed("malformed elements segment kind", at: flagsAt) }
    let mode: ElementSegment.Mode
    if flags & 1 == 0 {
        let table = flags & 2 != 0 ? try s.readU32() : 0
        mode = .active(table: table, offset: try readConstExpr(&s, features))
    } else {
        mode = flags & 2 != 0 ? .declarative : .passive
    }
    let usesExpressions = flags & 4 != 0
    var type = ValueType.funcref
    if flags & 3 != 0 {
        if usesExpressions {
            type = try readRefType(&s, features)
        } else {
            let at = s.offset
            guard try s.readByte() == 0x00 else { throw .malformed("malformed element kind", at: at) }
        }
    }
    let initializers = try readVector(&s) { (s) throws(LoadError) in
        usesExpressions ? try readConstExpr(&s, features) : ConstExpr([.refFunc(try s.readU32())])
    }
    return ElementSegment(type: type, initializers: initializers, mode: mode)
}

/// Data segments (spec §5.5.14): 0 active in memory 0, 1 passive, 2 active with a memory index.
private func readDataSegment(_ s: inout ByteReader, _ features: Features) throws(LoadError) -> DataSegment {
    let flagsAt = s.offset
    let mode: DataSegment.Mode
    switch try s.readU32() {
    case 0: mode = .active(memory: 0, offset: try readConstExpr(&s, features))
    case 1: mode = .passive
    case 2:
        let memory = try s.readU32()
        mode = .active(memory: memory, offset: try readConstExpr(&s, features))
    default: throw .malformed("malformed data segment kind", at: flagsAt)
    }
    // Not `readCount`: a length past the end is "unexpected end" in the spec tests.
    let length = Int(try s.readU32())
    return DataSegment(mode: mode, data: try s.readBytes(length))
}

// MARK: - Constant expressions

/// A constant expression up to and including its `end` (spec §5.4.9, §3.3.10).
/// Telling known from unknown opcodes keeps the spec's split: a well-formed but
/// non-constant instruction is a validation error, an unknown opcode a decoding error.
private func readConstExpr(_ s: inout ByteReader, _ features: Features) throws(LoadError) -> ConstExpr {
    var instructions: [ConstInstruction] = []
    while true {
        let at = s.offset
        let opcode = try s.readByte()
        switch opcode {
        case 0x0B: return ConstExpr(instructions)
        case 0x41: instructions.append(.i32Const(UInt32(bitPattern: try s.readS32())))
        case 0x42: instructions.append(.i64Const(UInt64(bitPattern: try s.readS64())))
        case 0x43: instructions.append(.f32Const(try s.readFixed32()))
        case 0x44: instructions.append(.f64Const(try s.readFixed64()))
        case 0xD0: instructions.append(.refNull(try readRefType(&s, features)))
        case 0xD2: instructions.append(.refFunc(try s.readU32()))
        case 0x23: instructions.append(.globalGet(try s.readU32()))
        case 0x6A: instructions.append(.i32Add)
        case 0x6B: instructions.append(.i32Sub)
        case 0x6C: instructions.append(.i32Mul)
        case 0x7C: instructions.append(.i64Add)
        case 0x7D: instructions.append(.i64Sub)
        case 0x7E: instructions.append(.i64Mul)
        // The reference decoder stops an instruction sequence at `else` and then wants `end`.
        case 0x05: throw .malformed("END opcode expected", at: at)
        case 0xFD:
            guard features.contains(.simd) else { throw .malformed("illegal opcode", at: at) }
            let sub = try s.readU32()
            guard sub == 12 else { throw nonConstant(opcode, sub, at: at) }
            let lo = try s.readFixed64()
            instructions.append(.v128Const(V128(lo: lo, hi: try s.readFixed64())))
        case 0xFC, 0xFE:
            throw nonConstant(opcode, try s.readU32(), at: at)
        default:
            guard isKnownOpcode(opcode) else { throw .malformed("illegal opcode", at: at) }
            throw .invalid("constant expression required", at: at)
        }
    }
}

/// The error for a prefixed opcode that is not a constant instruction.
private func nonConstant(_ prefix: UInt8, _ sub: UInt32, at: Int) -> LoadError {
    isKnownPrefixedOpcode(prefix, sub)
        ? .invalid("constant expression required", at: at) : .malformed("illegal opcode", at: at)
}

/// Single-byte opcodes of WebAssembly 2.0 (spec §5.4); prefixes are handled separately.
private func isKnownOpcode(_ op: UInt8) -> Bool {
    switch op {
    case 0x00...0x05, 0x0B...0x11, 0x1A...0x1C, 0x20...0x26, 0x28...0xC4, 0xD0...0xD2: true
    default: false
    }
}

private func isKnownPrefixedOpcode(_ prefix: UInt8, _ sub: UInt32) -> Bool {
    switch prefix {
    case 0xFC:
        return sub <= 17
    case 0xFD:
        // The gaps are opcodes the SIMD proposal dropped before standardisation.
        switch sub {
        case 0x100...0x113:
            return true  // relaxed SIMD
        case 154, 162, 165, 166, 175, 176, 178, 179, 180, 187, 194, 197, 198, 207, 208, 210, 211, 212,
            226, 238:
            return false
        default:
            return sub <= 255
        }
    case 0xFE:
        #if Threads
        return sub <= 3 || (0x10...0x4E).contains(sub)
        #else
        return false
        #endif
    default:
        return false
    }
}
