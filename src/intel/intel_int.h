/*
 * intel internals shared by kinds.c, normalize.c, index.c and score.c. Not API:
 * include/fangzha/intel.h is. Nothing outside src/intel and its unit tests includes this file.
 */
#ifndef FZ_INTEL_INT_H
#define FZ_INTEL_INT_H

#include "fangzha/intel.h"

/* The longest input fz_ind_normalize accepts, and the longest canonical value the index
 * takes (FZ_ETOOBIG / FZ_EINVAL past it). */
#define FZ__IND_VALUE_MAX 2048

#endif
