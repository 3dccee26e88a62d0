// The dispatch glue lives in include/CInterpreter.h as static inline functions, which
// Swift's ClangImporter compiles into Core itself; this file only makes the target a
// C library, as SwiftPM requires a source file, and holds the op profiler.
#include "CInterpreter.h"

int rw_dispatch_linked(void) { return RW_HANDLER_COUNT; }

#ifdef RW_PROFILE_OPS
#include <stdio.h>
#include <stdlib.h>

static uint64_t counts[RW_HANDLER_COUNT];
static uint64_t pairs[RW_HANDLER_COUNT][RW_HANDLER_COUNT];
static int32_t previous = RW_HANDLER_COUNT - 1;

void rw_profile(int32_t op) {
    counts[op]++;
    pairs[previous][op]++;
    previous = op;
}

typedef struct { uint64_t n; int32_t a, b; } Row;

static int descending(const void *x, const void *y) {
    uint64_t a = ((const Row *)x)->n, b = ((const Row *)y)->n;
    return a < b ? 1 : a > b ? -1 : 0;
}

__attribute__((destructor)) static void report(void) {
    static Row rows[RW_HANDLER_COUNT * RW_HANDLER_COUNT];
    uint64_t total = 0;
    int n = 0;
    for (int i = 0; i < RW_HANDLER_COUNT; i++) {
        total += counts[i];
        if (counts[i]) rows[n++] = (Row){counts[i], i, -1};
    }
    if (!total) return;
    qsort(rows, n, sizeof(Row), descending);
    fprintf(stderr, "ops executed: %llu\n", (unsigned long long)total);
    for (int i = 0; i < n && i < 40; i++)
        fprintf(stderr, "%6.2f%%  %s\n", 100.0 * rows[i].n / total, rw_op_names[rows[i].a]);
    n = 0;
    for (int i = 0; i < RW_HANDLER_COUNT; i++)
        for (int j = 0; j < RW_HANDLER_COUNT; j++)
            if (pairs[i][j]) rows[n++] = (Row){pairs[i][j], i, j};
    qsort(rows, n, sizeof(Row), descending);
    fprintf(stderr, "op pairs:\n");
    for (int i = 0; i < n && i < 60; i++)
        fprintf(stderr, "%6.2f%%  %s -> %s\n", 100.0 * rows[i].n / total, rw_op_names[rows[i].a], rw_op_names[rows[i].b]);
}
#endif
