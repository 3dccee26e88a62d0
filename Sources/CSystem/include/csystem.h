// System calls that Swift's Glibc module does not export. Kept tiny on purpose.
#ifndef REWASM_CSYSTEM_H
#define REWASM_CSYSTEM_H

#include <stddef.h>

/// Resizes the mapping at `old` (may move it, keeping its pages: no copy, no page
/// faults). Returns the new address, or NULL on failure or where mremap does not exist.
void *rewasm_mremap(void *old, size_t old_size, size_t new_size);

/// Bytes of the calling thread's native stack left below the caller's frame (SIZE_MAX
/// if the bounds are unknown). For host-to-wasm calls nested on the native stack.
size_t rewasm_stack_remaining(void);

/// Counts the wasm runs active on the calling thread (a host function may start
/// another): returns how many were active before this one.
unsigned rewasm_run_enter(void);
/// Ends the run that the last `rewasm_run_enter` of this thread began.
void rewasm_run_leave(void);

#endif
