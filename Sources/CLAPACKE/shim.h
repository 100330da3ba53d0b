// LAPACK's C interface (Debian's liblapacke-dev, found through pkg-config "lapacke").
#include <lapacke.h>

// `lapack_int` is a macro (int32_t, or int64_t in an ILP64 build); a typedef lets Swift name it.
typedef lapack_int clapacke_int;
