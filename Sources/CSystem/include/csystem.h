// System calls that Swift's Glibc module does not export. Kept tiny on purpose.
#ifndef REWASM_CSYSTEM_H
#define REWASM_CSYSTEM_H

#include <stddef.h>

/// Resizes the mapping at `old` (may move it, keeping its pages: no copy, no page
/// faults). Returns the new address, or NULL on failure or where mremap does not exist.
void *rewasm_mremap(void *old, size_t old_size, size_t new_size);

#endif
