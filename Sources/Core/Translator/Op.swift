// The internal instruction set: what the translator emits and the interpreter
// dispatches. Code is a stream of 32-bit words: the op, then its operands.
// Operands named `dst`, `a`, `b`, `c`, `src`, `cond`, `addr`, `value` are frame slots
// (cell indexes relative to the frame pointer); `imm` words are immediates; branch
// targets are word offsets relative to the branch instruction's first word.
//
// The interpreter switches exhaustively over `Op`, so a new case does not compile
// until it is executed; the translator reaches the numeric cases through
// `NumericTable`, the single place where each wasm numeric opcode is defined.

/// An internal instruction. Layout comments list the words after the op.
enum Op: UInt16, CaseIterable {
    // Control
    case unreachable        // -
    case br                 // target
    case brIf               // cond target
    case brIfNot            // cond target
    case brTable            // index count target*(count+1)   (last target = default)
    case call               // funcIndex argBase
    case callIndirect       // table typeID argBase indexSlot
    case ret                // -
    case exit               // -   (end of the host entry trampoline)

    // Copies and constants
    case copy               // dst src
    case const32            // dst imm
    case const64            // dst lo hi
    case select             // dst a b cond

    // Variables
    case globalGet          // dst globalIndex
    case globalSet          // src globalIndex

    // Tables
    case tableGet           // dst table index
    case tableSet           // table index value
    case tableSize          // dst table
    case tableGrow          // dst table value delta
    case tableFill          // table start value count
    case tableCopy          // dstTable srcTable d s n
    case tableInit          // table elem d s n
    case elemDrop           // elem

    // References
    case refIsNull          // dst src
    case refFunc            // dst funcIndex

    // Memory: loads `dst addr offset`, stores `addr value offset`
    case i32Load, i64Load, f32Load, f64Load
    case i32Load8S, i32Load8U, i32Load16S, i32Load16U
    case i64Load8S, i64Load8U, i64Load16S, i64Load16U, i64Load32S, i64Load32U
    case i32Store, i64Store, f32Store, f64Store
    case i32Store8, i32Store16, i64Store8, i64Store16, i64Store32
    case memorySize         // dst
    case memoryGrow         // dst delta
    case memoryFill         // d value n
    case memoryCopy         // d s n
    case memoryInit         // segment d s n
    case dataDrop           // segment

    // Numeric, unary `dst a` / binary `dst a b` (see NumericTable)
    case i32Eqz, i32Eq, i32Ne, i32LtS, i32LtU, i32GtS, i32GtU, i32LeS, i32LeU, i32GeS, i32GeU
    case i64Eqz, i64Eq, i64Ne, i64LtS, i64LtU, i64GtS, i64GtU, i64LeS, i64LeU, i64GeS, i64GeU
    case f32Eq, f32Ne, f32Lt, f32Gt, f32Le, f32Ge
    case f64Eq, f64Ne, f64Lt, f64Gt, f64Le, f64Ge
    case i32Clz, i32Ctz, i32Popcnt, i32Add, i32Sub, i32Mul, i32DivS, i32DivU, i32RemS, i32RemU
    case i32And, i32Or, i32Xor, i32Shl, i32ShrS, i32ShrU, i32Rotl, i32Rotr
    case i64Clz, i64Ctz, i64Popcnt, i64Add, i64Sub, i64Mul, i64DivS, i64DivU, i64RemS, i64RemU
    case i64And, i64Or, i64Xor, i64Shl, i64ShrS, i64ShrU, i64Rotl, i64Rotr
    case f32Abs, f32Neg, f32Ceil, f32Floor, f32Trunc, f32Nearest, f32Sqrt
    case f32Add, f32Sub, f32Mul, f32Div, f32Min, f32Max, f32Copysign
    case f64Abs, f64Neg, f64Ceil, f64Floor, f64Trunc, f64Nearest, f64Sqrt
    case f64Add, f64Sub, f64Mul, f64Div, f64Min, f64Max, f64Copysign
    case i32WrapI64, i32TruncF32S, i32TruncF32U, i32TruncF64S, i32TruncF64U
    case i64ExtendI32S, i64ExtendI32U, i64TruncF32S, i64TruncF32U, i64TruncF64S, i64TruncF64U
    case f32ConvertI32S, f32ConvertI32U, f32ConvertI64S, f32ConvertI64U, f32DemoteF64
    case f64ConvertI32S, f64ConvertI32U, f64ConvertI64S, f64ConvertI64U, f64PromoteF32
    case i32Extend8S, i32Extend16S, i64Extend8S, i64Extend16S, i64Extend32S
    case i32TruncSatF32S, i32TruncSatF32U, i32TruncSatF64S, i32TruncSatF64U
    case i64TruncSatF32S, i64TruncSatF32U, i64TruncSatF64S, i64TruncSatF64U

    // Fused forms chosen by the translator's peephole (`dst a imm`, `a b target`, `a target`)
    case i32AddImm, i32SubImm, i32AndImm, i32OrImm, i32XorImm, i32ShlImm, i32ShrSImm, i32ShrUImm
    case i64AddImm, i64SubImm, i64AndImm, i64OrImm, i64XorImm, i64ShlImm, i64ShrSImm, i64ShrUImm, i64RotlImm
    case i32MulImm, i32RotlImm
    case i64MulImm
    case i64EqImm, i64NeImm, i64LtSImm, i64LtUImm, i64GtSImm, i64GtUImm, i64LeSImm, i64LeUImm, i64GeSImm, i64GeUImm   // dst a imm (sign-extended)
    case brIfI64EqImm, brIfI64NeImm, brIfI64LtSImm, brIfI64LtUImm, brIfI64GtSImm, brIfI64GtUImm, brIfI64LeSImm, brIfI64LeUImm, brIfI64GeSImm, brIfI64GeUImm   // a imm target
    // Address = u32(a + b): loads `dst a b offset`, stores `a b value offset`
    case load32Add, load64Add, load8UAdd, load8SAdd, load16UAdd, store32Add, store64Add, store8Add
    // Address = u32(a + imm): loads `dst a imm offset`, stores `a imm value offset`
    case load32AddImm, load64AddImm, load8UAddImm, store32AddImm, store64AddImm, store8AddImm
    case i32EqImm, i32NeImm, i32LtSImm, i32LtUImm, i32GtSImm, i32GtUImm, i32LeSImm, i32LeUImm, i32GeSImm, i32GeUImm   // dst a imm
    case brIfI32EqImm, brIfI32NeImm, brIfI32LtSImm, brIfI32LtUImm, brIfI32GtSImm, brIfI32GtUImm, brIfI32LeSImm, brIfI32LeUImm, brIfI32GeSImm, brIfI32GeUImm   // a imm target
    case brIfI32Eqz, brIfI32Nez           // a target
    case brIfI32Eq, brIfI32Ne, brIfI32LtS, brIfI32LtU, brIfI32GtS, brIfI32GtU
    case brIfI32LeS, brIfI32LeU, brIfI32GeS, brIfI32GeU   // a b target
    case brIfI64Eqz, brIfI64Nez
    case brIfI64Eq, brIfI64Ne, brIfI64LtS, brIfI64LtU, brIfI64GtS, brIfI64GtU
    case brIfI64LeS, brIfI64LeU, brIfI64GeS, brIfI64GeU

    // Threads proposal: the translator emits it only with the Threads trait
    case atomic             // dst sub a b c offset   (sub: AtomicOp; see AtomicTable)
}

extension Op {
    /// Words taken by the instruction, including the op word; `brTable` is variable.
    var width: Int {
        switch self {
        case .unreachable, .ret, .exit: 1
        case .br, .elemDrop, .dataDrop, .memorySize: 2
        case .brIf, .brIfNot, .call, .copy, .const32, .globalGet, .globalSet, .tableSize, .refIsNull, .refFunc,
             .memoryGrow, .brIfI32Eqz, .brIfI32Nez, .brIfI64Eqz, .brIfI64Nez:
            3
        case .brTable: 3  // plus count+1 targets
        case .const64, .tableGet, .tableSet, .memoryFill, .memoryCopy: 4
        case .callIndirect, .select, .tableGrow, .tableFill, .memoryInit: 5
        case .tableCopy, .tableInit: 6
        case .atomic: 7
        case .load32Add, .load64Add, .load8UAdd, .load8SAdd, .load16UAdd, .store32Add, .store64Add, .store8Add,
             .load32AddImm, .load64AddImm, .load8UAddImm, .store32AddImm, .store64AddImm, .store8AddImm:
            5
        case .i32Load, .i64Load, .f32Load, .f64Load, .i32Load8S, .i32Load8U, .i32Load16S, .i32Load16U,
             .i64Load8S, .i64Load8U, .i64Load16S, .i64Load16U, .i64Load32S, .i64Load32U,
             .i32Store, .i64Store, .f32Store, .f64Store, .i32Store8, .i32Store16, .i64Store8, .i64Store16,
             .i64Store32:
            4
        case .i32AddImm, .i32SubImm, .i32AndImm, .i32OrImm, .i32XorImm, .i32ShlImm, .i32ShrSImm, .i32ShrUImm,
             .i64AddImm, .i64SubImm, .i64AndImm, .i64OrImm, .i64XorImm, .i64ShlImm, .i64ShrSImm, .i64ShrUImm,
             .i64RotlImm, .i32MulImm, .i32RotlImm, .i64MulImm,
             .i64EqImm, .i64NeImm, .i64LtSImm, .i64LtUImm, .i64GtSImm, .i64GtUImm, .i64LeSImm, .i64LeUImm, .i64GeSImm, .i64GeUImm,
             .brIfI64EqImm, .brIfI64NeImm, .brIfI64LtSImm, .brIfI64LtUImm, .brIfI64GtSImm, .brIfI64GtUImm, .brIfI64LeSImm, .brIfI64LeUImm, .brIfI64GeSImm, .brIfI64GeUImm,
             .i32EqImm, .i32NeImm, .i32LtSImm, .i32LtUImm, .i32GtSImm, .i32GtUImm, .i32LeSImm, .i32LeUImm, .i32GeSImm, .i32GeUImm,
             .brIfI32EqImm, .brIfI32NeImm, .brIfI32LtSImm, .brIfI32LtUImm, .brIfI32GtSImm, .brIfI32GtUImm, .brIfI32LeSImm, .brIfI32LeUImm, .brIfI32GeSImm, .brIfI32GeUImm:
            4
        case .brIfI32Eq, .brIfI32Ne, .brIfI32LtS, .brIfI32LtU, .brIfI32GtS, .brIfI32GtU,
             .brIfI32LeS, .brIfI32LeU, .brIfI32GeS, .brIfI32GeU,
             .brIfI64Eq, .brIfI64Ne, .brIfI64LtS, .brIfI64LtU, .brIfI64GtS, .brIfI64GtU,
             .brIfI64LeS, .brIfI64LeU, .brIfI64GeS, .brIfI64GeU:
            4
        default:
            // Numeric: unary `dst a` (3) or binary `dst a b` (4).
            NumericTable.isUnary(self) ? 3 : 4
        }
    }
}
