// OpenBLAS's CBLAS interface (Debian's libopenblas-dev, found through pkg-config "openblas").
#include <cblas.h>

// OpenBLAS extensions: the thread count and the kernel family it picked at load time.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_corename(void);
