#ifdef __linux__
#define _GNU_SOURCE
#include <sys/mman.h>
#endif
#include "csystem.h"

void *rewasm_mremap(void *old, size_t old_size, size_t new_size) {
#ifdef __linux__
    void *p = mremap(old, old_size, new_size, MREMAP_MAYMOVE);
    return p == MAP_FAILED ? NULL : p;
#else
    (void)old; (void)old_size; (void)new_size;
    return NULL;
#endif
}
