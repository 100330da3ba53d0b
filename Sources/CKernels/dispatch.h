// Which variant of the kernels this CPU runs, decided once.
#ifndef CKERNELS_DISPATCH_H
#define CKERNELS_DISPATCH_H

/// `codebook_packed_sgemm_available()`, cached: 1 when the AVX-512 variants run here.
int codebook_avx512(void);

#endif
