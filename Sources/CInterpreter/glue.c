// The dispatch glue lives in include/CInterpreter.h as static inline functions, which
// Swift's ClangImporter compiles into Core itself; this file only makes the target a
// C library, as SwiftPM requires a source file.
#include "CInterpreter.h"

int rw_dispatch_linked(void) { return RW_HANDLER_COUNT; }
