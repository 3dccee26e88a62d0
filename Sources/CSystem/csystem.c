#ifdef __linux__
#define _GNU_SOURCE
#include <sys/mman.h>
#endif
#include <pthread.h>
#include <stdint.h>
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

size_t rewasm_stack_remaining(void) {
    // The lowest address of this thread's stack, found once per thread (for the main
    // thread, glibc reads /proc/self/maps: too slow to repeat).
    static __thread char *low = NULL;
    static __thread int known = 0;
    char here;
    if (!known) {
        known = 1;
#if defined(__linux__)
        pthread_attr_t attr;
        void *addr = NULL;
        size_t size = 0;
        if (pthread_getattr_np(pthread_self(), &attr) == 0) {
            if (pthread_attr_getstack(&attr, &addr, &size) == 0) low = (char *)addr;
            pthread_attr_destroy(&attr);
        }
#elif defined(__APPLE__)
        char *top = (char *)pthread_get_stackaddr_np(pthread_self());
        low = top - pthread_get_stacksize_np(pthread_self());
#endif
    }
    if (low == NULL || &here < low) return SIZE_MAX;
    return (size_t)(&here - low);
}

static __thread unsigned runs = 0;

unsigned rewasm_run_enter(void) { return runs++; }

void rewasm_run_leave(void) { runs--; }
