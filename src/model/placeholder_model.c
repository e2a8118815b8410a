/* model module: being written. */
#include "fangzha/core.h"
