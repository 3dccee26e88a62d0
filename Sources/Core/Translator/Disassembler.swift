// A readable listing of translated code, for `rewasm dump` (developer aid).

extension Module {
    /// The translated code of defined function `index` (0 = first defined), one instruction per line.
    public func disassemble(function index: Int) -> String {
        guard index >= 0, index < functions.count else { return "" }
        let start = functions[index].offset
        let end = index + 1 < functions.count ? functions[index + 1].offset : codeCount
        var out = "func \(index) frame=\(functions[index].frameCells) locals=\(functions[index].localCells)\n"
        var i = start
        while i < end {
            guard let op = Op(rawValue: UInt16(truncatingIfNeeded: code[i])) else {
                out += "  \(i - start): ??? \(code[i])\n"
                break
            }
            var width = op.width
            if op == .brTable { width += Int(code[i + 2]) + 1 }
            let operands = (1..<width).map { k -> String in
                i + k < end ? String(Int32(bitPattern: code[i + k])) : "?"
            }
            out += "  \(i - start): \(op) \(operands.joined(separator: " "))\n"
            i += width
        }
        return out
    }
}
