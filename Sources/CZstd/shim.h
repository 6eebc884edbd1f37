#ifndef RECUR_CZSTD_SHIM_H
#define RECUR_CZSTD_SHIM_H
#include <zstd.h>
#include <zstd_errors.h>
#endif
