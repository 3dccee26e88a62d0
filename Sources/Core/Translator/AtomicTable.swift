// The threads proposal's 0xFE instructions, each defined once
// (https://github.com/WebAssembly/threads/blob/main/proposals/threads/Overview.md).
// The raw value is the binary sub-opcode; `shape` tells the translator how to
// validate it and the interpreter how to execute it. Both switch exhaustively over
// `AtomicOp`, so a new case does not compile until each of them handles it.

#if Threads
/// An atomic instruction (0xFE prefix).
enum AtomicOp: UInt8, CaseIterable {
    case notify = 0x00, wait32 = 0x01, wait64 = 0x02, fence = 0x03
    case i32Load = 0x10, i64Load, i32Load8U, i32Load16U, i64Load8U, i64Load16U, i64Load32U
    case i32Store = 0x17, i64Store, i32Store8, i32Store16, i64Store8, i64Store16, i64Store32
    case i32RmwAdd = 0x1E, i64RmwAdd, i32Rmw8AddU, i32Rmw16AddU, i64Rmw8AddU, i64Rmw16AddU, i64Rmw32AddU
    case i32RmwSub = 0x25, i64RmwSub, i32Rmw8SubU, i32Rmw16SubU, i64Rmw8SubU, i64Rmw16SubU, i64Rmw32SubU
    case i32RmwAnd = 0x2C, i64RmwAnd, i32Rmw8AndU, i32Rmw16AndU, i64Rmw8AndU, i64Rmw16AndU, i64Rmw32AndU
    case i32RmwOr = 0x33, i64RmwOr, i32Rmw8OrU, i32Rmw16OrU, i64Rmw8OrU, i64Rmw16OrU, i64Rmw32OrU
    case i32RmwXor = 0x3A, i64RmwXor, i32Rmw8XorU, i32Rmw16XorU, i64Rmw8XorU, i64Rmw16XorU, i64Rmw32XorU
    case i32RmwXchg = 0x41, i64RmwXchg, i32Rmw8XchgU, i32Rmw16XchgU, i64Rmw8XchgU, i64Rmw16XchgU, i64Rmw32XchgU
    case i32RmwCmpxchg = 0x48, i64RmwCmpxchg, i32Rmw8CmpxchgU, i32Rmw16CmpxchgU, i64Rmw8CmpxchgU, i64Rmw16CmpxchgU, i64Rmw32CmpxchgU
}

/// Read-modify-write operators.
enum AtomicRMW { case add, sub, and, or, xor, xchg }

/// How an atomic instruction uses the stack and memory.
enum AtomicShape {
    /// `[i32 addr] -> [type]`
    case load
    /// `[i32 addr, type value] -> []`
    case store
    /// `[i32 addr, type value] -> [type]` (returns the old value)
    case rmw(AtomicRMW)
    /// `[i32 addr, type expected, type replacement] -> [type]`
    case cmpxchg
    /// `[i32 addr, type expected, i64 timeout] -> [i32]`
    case wait
    /// `[i32 addr, i32 count] -> [i32]`
    case notify
    /// `[] -> []`
    case fence
}

extension AtomicOp {
    var shape: AtomicShape {
        switch self {
        case .notify: .notify
        case .wait32, .wait64: .wait
        case .fence: .fence
        case .i32Load, .i64Load, .i32Load8U, .i32Load16U, .i64Load8U, .i64Load16U, .i64Load32U: .load
        case .i32Store, .i64Store, .i32Store8, .i32Store16, .i64Store8, .i64Store16, .i64Store32: .store
        case .i32RmwAdd, .i64RmwAdd, .i32Rmw8AddU, .i32Rmw16AddU, .i64Rmw8AddU, .i64Rmw16AddU, .i64Rmw32AddU: .rmw(.add)
        case .i32RmwSub, .i64RmwSub, .i32Rmw8SubU, .i32Rmw16SubU, .i64Rmw8SubU, .i64Rmw16SubU, .i64Rmw32SubU: .rmw(.sub)
        case .i32RmwAnd, .i64RmwAnd, .i32Rmw8AndU, .i32Rmw16AndU, .i64Rmw8AndU, .i64Rmw16AndU, .i64Rmw32AndU: .rmw(.and)
        case .i32RmwOr, .i64RmwOr, .i32Rmw8OrU, .i32Rmw16OrU, .i64Rmw8OrU, .i64Rmw16OrU, .i64Rmw32OrU: .rmw(.or)
        case .i32RmwXor, .i64RmwXor, .i32Rmw8XorU, .i32Rmw16XorU, .i64Rmw8XorU, .i64Rmw16XorU, .i64Rmw32XorU: .rmw(.xor)
        case .i32RmwXchg, .i64RmwXchg, .i32Rmw8XchgU, .i32Rmw16XchgU, .i64Rmw8XchgU, .i64Rmw16XchgU, .i64Rmw32XchgU: .rmw(.xchg)
        case .i32RmwCmpxchg, .i64RmwCmpxchg, .i32Rmw8CmpxchgU, .i32Rmw16CmpxchgU, .i64Rmw8CmpxchgU, .i64Rmw16CmpxchgU,
             .i64Rmw32CmpxchgU:
            .cmpxchg
        }
    }

    /// Bytes accessed (also the required alignment); 0 for fence.
    var size: Int {
        switch self {
        case .fence: 0
        case .i32Load8U, .i64Load8U, .i32Store8, .i64Store8, .i32Rmw8AddU, .i64Rmw8AddU, .i32Rmw8SubU, .i64Rmw8SubU,
             .i32Rmw8AndU, .i64Rmw8AndU, .i32Rmw8OrU, .i64Rmw8OrU, .i32Rmw8XorU, .i64Rmw8XorU, .i32Rmw8XchgU,
             .i64Rmw8XchgU, .i32Rmw8CmpxchgU, .i64Rmw8CmpxchgU:
            1
        case .i32Load16U, .i64Load16U, .i32Store16, .i64Store16, .i32Rmw16AddU, .i64Rmw16AddU, .i32Rmw16SubU,
             .i64Rmw16SubU, .i32Rmw16AndU, .i64Rmw16AndU, .i32Rmw16OrU, .i64Rmw16OrU, .i32Rmw16XorU, .i64Rmw16XorU,
             .i32Rmw16XchgU, .i64Rmw16XchgU, .i32Rmw16CmpxchgU, .i64Rmw16CmpxchgU:
            2
        case .notify, .wait32, .i32Load, .i64Load32U, .i32Store, .i64Store32, .i32RmwAdd, .i64Rmw32AddU, .i32RmwSub,
             .i64Rmw32SubU, .i32RmwAnd, .i64Rmw32AndU, .i32RmwOr, .i64Rmw32OrU, .i32RmwXor, .i64Rmw32XorU,
             .i32RmwXchg, .i64Rmw32XchgU, .i32RmwCmpxchg, .i64Rmw32CmpxchgU:
            4
        case .wait64, .i64Load, .i64Store, .i64RmwAdd, .i64RmwSub, .i64RmwAnd, .i64RmwOr, .i64RmwXor, .i64RmwXchg,
             .i64RmwCmpxchg:
            8
        }
    }

    /// The value type loaded, stored or compared (i32 for notify, unused for fence).
    var valueType: ValueType {
        switch self {
        case .notify, .wait32, .fence, .i32Load, .i32Load8U, .i32Load16U, .i32Store, .i32Store8, .i32Store16,
             .i32RmwAdd, .i32Rmw8AddU, .i32Rmw16AddU, .i32RmwSub, .i32Rmw8SubU, .i32Rmw16SubU,
             .i32RmwAnd, .i32Rmw8AndU, .i32Rmw16AndU, .i32RmwOr, .i32Rmw8OrU, .i32Rmw16OrU,
             .i32RmwXor, .i32Rmw8XorU, .i32Rmw16XorU, .i32RmwXchg, .i32Rmw8XchgU, .i32Rmw16XchgU,
             .i32RmwCmpxchg, .i32Rmw8CmpxchgU, .i32Rmw16CmpxchgU:
            .i32
        case .wait64, .i64Load, .i64Load8U, .i64Load16U, .i64Load32U, .i64Store, .i64Store8, .i64Store16, .i64Store32,
             .i64RmwAdd, .i64Rmw8AddU, .i64Rmw16AddU, .i64Rmw32AddU, .i64RmwSub, .i64Rmw8SubU, .i64Rmw16SubU, .i64Rmw32SubU,
             .i64RmwAnd, .i64Rmw8AndU, .i64Rmw16AndU, .i64Rmw32AndU, .i64RmwOr, .i64Rmw8OrU, .i64Rmw16OrU, .i64Rmw32OrU,
             .i64RmwXor, .i64Rmw8XorU, .i64Rmw16XorU, .i64Rmw32XorU, .i64RmwXchg, .i64Rmw8XchgU, .i64Rmw16XchgU,
             .i64Rmw32XchgU, .i64RmwCmpxchg, .i64Rmw8CmpxchgU, .i64Rmw16CmpxchgU, .i64Rmw32CmpxchgU:
            .i64
        }
    }
}
#endif
