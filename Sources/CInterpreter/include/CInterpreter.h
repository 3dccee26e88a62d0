// Threaded dispatch for rewasm's interpreter.
//
// Every op has a handler: a C function that runs the op's Swift body and then
// tail-calls the next instruction's handler, whose address the body returns
// (translated code stores handler addresses). Swift cannot guarantee tail calls;
// clang's `musttail` can, so this glue is C. The handlers are `static inline`
// in this header, which Swift imports: ClangImporter emits them into the Swift
// module's LLVM code next to the bodies, and `always_inline` at the call site
// folds each body into its handler. An instruction then costs no call and no
// return: its handler ends in an indirect jump to the next one. The interpreter's
// registers (RWRegs) travel between handlers as arguments, in machine registers
// (`preserve_none` makes them all argument registers on x86_64 and arm64).

#ifndef REWASM_CDISPATCH_H
#define REWASM_CDISPATCH_H

#include <stdint.h>

#if !defined(__clang__) || !__has_attribute(musttail)
#error "rewasm's interpreter needs clang's musttail (guaranteed tail calls)"
#endif

#if __has_attribute(preserve_none) && (defined(__x86_64__) || defined(__aarch64__))
#define RW_CC __attribute__((preserve_none))
#elif __has_attribute(swiftasynccall)
#define RW_CC __attribute__((swiftasynccall))
#else
#error "rewasm's interpreter needs clang's preserve_none or swiftasynccall calling convention"
#endif

typedef struct RWState RWState;

/// The interpreter's machine state, passed from handler to handler in registers.
typedef struct RWRegs {
    /// The current instruction.
    const uint32_t *_Nonnull pc;
    /// The frame: the function's parameters, locals and operand slots.
    uint64_t *_Nonnull fp;
    /// Base of memory 0 of `inst`.
    uint8_t *_Nonnull md;
    /// Size in bytes of memory 0 as last read (a shared memory may since have grown).
    uint64_t ms;
    /// Taken branches and calls left until the next interrupt check.
    intptr_t cd;
    /// The next free call frame.
    void *_Nonnull cs;
    /// The running function's instance (InstanceData).
    void *_Nonnull inst;
    RWState *_Nonnull st;
} RWRegs;

/// What handlers share through memory: limits, counters, the registers saved when
/// execution stops, and the addresses of the cold-path handlers.
struct RWState {
    RWRegs saved;
    /// End of the value stack.
    const uint64_t *_Nonnull stackEnd;
    /// End of the call-frame stack (the frame-depth limit).
    const void *_Nonnull csEnd;
    intptr_t interval;
    /// Interrupt checks since the last stop (countdown expiries).
    uint64_t periods;
    uint64_t calls;
    /// Fuel left (metered modules only; see `ExecutionContext.fuel`).
    uint64_t fuel;
    uintptr_t stop, check, hostCall;
    /// A host call in progress: the callee (FunctionEntity), its arguments, and the
    /// instruction after the call.
    void *_Nullable hostCallee;
    uint64_t *_Nullable hostArgs;
    const uint32_t *_Nullable hostReturn;
    /// A trap code (TrapCode) set by the handler that stopped, or 0.
    int32_t trap;
    /// The ExecutionContext (unretained).
    void *_Nonnull context;
};

typedef RW_CC void (*rw_handler_t)(const uint32_t *_Nonnull pc, uint64_t *_Nonnull fp, uint8_t *_Nonnull md,
                                   uint64_t ms, intptr_t cd, void *_Nonnull cs, void *_Nonnull inst,
                                   RWState *_Nonnull st);

#define RW_PARAMS const uint32_t *_Nonnull pc, uint64_t *_Nonnull fp, uint8_t *_Nonnull md, uint64_t ms, \
    intptr_t cd, void *_Nonnull cs, void *_Nonnull inst, RWState *_Nonnull st

#ifdef RW_PROFILE_OPS
/// Developer aid: counts executed ops and op pairs (build with `-Xcc -DRW_PROFILE_OPS`;
/// glue.c prints the counts at exit).
void rw_profile(int32_t op);
#define RW_COUNT(index) rw_profile(index);
#else
#define RW_COUNT(index)
#endif

/// A handler: runs the Swift body `rw_x_NAME` (Core/Interpreter/Handlers.swift) on the
/// registers and jumps to the handler it returns, with the updated registers.
#define RW_HANDLER(name, index) \
    static inline RW_CC void rw_h_##name(RW_PARAMS) { \
        __attribute__((swiftcall)) uintptr_t rw_x_##name(RWRegs *_Nonnull r); \
        RW_COUNT(index) \
        RWRegs r = {pc, fp, md, ms, cd, cs, inst, st}; \
        uintptr_t next; \
        [[clang::always_inline]] next = rw_x_##name(&r); \
        __attribute__((musttail)) return ((rw_handler_t)next)(r.pc, r.fp, r.md, r.ms, r.cd, r.cs, r.inst, r.st); \
    }

/// Ends a run: saves the registers for the Swift side and returns to `rw_run`'s caller.
static inline RW_CC void rw_h_stop(RW_PARAMS) {
    st->saved = (RWRegs){pc, fp, md, ms, cd, cs, inst, st};
}

/// Vector square roots for the SIMD handlers (Swift imports these vector types as
/// SIMD4<Float> and SIMD2<Double>). Swift's own `squareRoot()` keeps libm's errno
/// path: a branch and a call per negative lane. This is one `sqrtps`/`sqrtpd`.
typedef float rw_f32x4 __attribute__((ext_vector_type(4)));
typedef double rw_f64x2 __attribute__((ext_vector_type(2)));
static inline __attribute__((always_inline)) rw_f32x4 rw_sqrt_f32x4(rw_f32x4 v) { return __builtin_elementwise_sqrt(v); }
static inline __attribute__((always_inline)) rw_f64x2 rw_sqrt_f64x2(rw_f64x2 v) { return __builtin_elementwise_sqrt(v); }

/// `v` with lane `i` set to `x`, selected by comparing lane numbers in registers (Swift's
/// SIMD compare against a constant vector became a loop; a lane store into a stack copy
/// and a 16-byte reload defeats store forwarding).
typedef uint8_t rw_u8x16 __attribute__((ext_vector_type(16)));
typedef uint16_t rw_u16x8 __attribute__((ext_vector_type(8)));
typedef uint32_t rw_u32x4 __attribute__((ext_vector_type(4)));
typedef uint64_t rw_u64x2 __attribute__((ext_vector_type(2)));
static inline __attribute__((always_inline)) rw_u8x16 rw_replace_u8x16(rw_u8x16 v, intptr_t i, uint8_t x) {
    rw_u8x16 m = (rw_u8x16)((rw_u8x16){0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15} == (uint8_t)i);
    return (v & ~m) | ((rw_u8x16)x & m);
}
static inline __attribute__((always_inline)) rw_u16x8 rw_replace_u16x8(rw_u16x8 v, intptr_t i, uint16_t x) {
    rw_u16x8 m = (rw_u16x8)((rw_u16x8){0, 1, 2, 3, 4, 5, 6, 7} == (uint16_t)i);
    return (v & ~m) | ((rw_u16x8)x & m);
}
static inline __attribute__((always_inline)) rw_u32x4 rw_replace_u32x4(rw_u32x4 v, intptr_t i, uint32_t x) {
    rw_u32x4 m = (rw_u32x4)((rw_u32x4){0, 1, 2, 3} == (uint32_t)i);
    return (v & ~m) | ((rw_u32x4)x & m);
}
static inline __attribute__((always_inline)) rw_u64x2 rw_replace_u64x2(rw_u64x2 v, intptr_t i, uint64_t x) {
    rw_u64x2 m = (rw_u64x2)((rw_u64x2){0, 1} == (uint64_t)i);
    return (v & ~m) | ((rw_u64x2)x & m);
}

#include "handlers.inc"

/// The address of handler `index` (an `Op`, or RW_HANDLER_COUNT - 1 for stop).
static inline uintptr_t rw_handler(int32_t index) {
    return index >= 0 && index < RW_HANDLER_COUNT ? rw_handlers[index] : 0;
}

/// Runs from `st->saved` until a handler stops. A plain C function calls the first
/// handler: Swift must not call a handler with its special convention directly.
static inline void rw_run(RWState *_Nonnull st) {
    RWRegs r = st->saved;
    rw_handler_t h = *(const rw_handler_t *)(const void *)r.pc;
    h(r.pc, r.fp, r.md, r.ms, r.cd, r.cs, r.inst, st);
}

#endif
