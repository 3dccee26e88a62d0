/* Tiny check helpers shared by the WASI test programs. Each failed check prints
   "FAIL <line>: <expr>" to stdout; main returns the number of failures. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int failures = 0;
static int checks = 0;

#define CHECK(e) do { checks++; if (!(e)) { failures++; \
    printf("FAIL %d: %s (errno %d)\n", __LINE__, #e, errno); } } while (0)
/* A raw __wasi_* call must return this errno. */
#define CHECK_ERR(call, want) do { checks++; int got_ = (int)(call); if (got_ != (want)) { \
    failures++; printf("FAIL %d: %s = %d, want %d\n", __LINE__, #call, got_, (int)(want)); } } while (0)

static int done(void) {
    printf("%s: %d checks, %d failures\n", failures ? "FAILED" : "ok", checks, failures);
    fflush(stdout);
    return failures;
}
