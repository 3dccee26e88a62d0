// A readable listing of translated code, for `rewasm dump` (developer aid).

extension Module {
    /// The translated code of defined function `index` (0 = first defined), one instruction per line.
    public func disassemble(function index: Int) -> String {
        guard index >= 0, index < functions.count else { return "" }
        let start = functions[index].offset
        let end = index + 1 < functions.count ? functions[index + 1].offset : codeCount
        var out = "func \(index) frame=\(functions[index].frameCells) locals=\(functions[index].localCells)\n"
        var i = start
        while i + 1 < end {
            let address = UInt(code[i]) | UInt(code[i + 1]) << 32
            guard let op = Handlers.ops[address] else {
                out += "  \(i - start): ??? \(address)\n"
                break
            }
            var width = op.width
            if let c = op.countWord, i + c < end { width += op.tailWords(code[i + c]) }
            var operands: [String] = []
            for (k, operand) in op.operands.enumerated() where i + 2 + k < end {
                let w = code[i + 2 + k]
                switch operand.kind {
                case .slot, .base: operands.append("\(operand.name)=s\(w)")
                case .imm: operands.append("\(operand.name)=\(Int32(bitPattern: w))")
                case .target: operands.append("-> \(i - start + Int(Int32(bitPattern: w)))")
                case .targets:
                    let targets = (i + 2 + k..<min(i + width, end)).map { String(i - start + Int(Int32(bitPattern: code[$0]))) }
                    operands.append("-> [\(targets.joined(separator: " "))]")
                case .imms:
                    let values = stride(from: i + 2 + k, to: min(i + width, end) - 1, by: 2).map {
                        String(UInt64(code[$0]) | UInt64(code[$0 + 1]) << 32)
                    }
                    operands.append("[\(values.joined(separator: " "))]")
                }
            }
            out += "  \(i - start): \(op) \(operands.joined(separator: " "))\n"
            i += width
        }
        return out
    }
}
