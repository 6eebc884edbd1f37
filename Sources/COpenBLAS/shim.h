#ifndef RECUR_COPENBLAS_SHIM_H
#define RECUR_COPENBLAS_SHIM_H
#include <cblas.h>
/* OpenBLAS extension: the number of threads its kernels use. */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
#endif
