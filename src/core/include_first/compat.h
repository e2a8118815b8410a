/* Feature macros for the whole project, included first by every .c file under src/
 * (src/core/include_first is on every module's include path, and holds nothing else). */
#ifndef FZ_CORE_COMPAT_H
#define FZ_CORE_COMPAT_H
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE 1
#endif
