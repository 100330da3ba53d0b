// libFuzzer's driver entry point (compiler-rt, FuzzerInterface.h; LLVM 12 and later). The symbol comes
// from the fuzzer runtime that `-sanitize=fuzzer` links; nothing else is linked for this module.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
