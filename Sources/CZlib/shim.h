// zlib (Debian's zlib1g-dev, found through pkg-config "zlib"): the same library HDF5's deflate filter
// calls, so chunks compressed here are byte for byte what that filter writes.
#include <zlib.h>
