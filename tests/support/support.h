/* Test support: a failing allocator for fault injection, temporary files, and table-driven
 * test data (the .tsv tables under tests/data/<module>). Includes cmocka. */
#ifndef FZ_TEST_SUPPORT_H
#define FZ_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fangzha/core.h"

/* Installs an allocator that fails the nth allocation from now (1-based) and every one
 * after it when sticky; n = 0 never fails. Counts live allocations to catch leaks. */
void fzt_fail_alloc_after(unsigned long n, bool sticky);
/* Restores the plain allocator. Returns the number of allocations still live. */
long fzt_alloc_restore(void);
/* Allocations made since fzt_fail_alloc_after. */
unsigned long fzt_alloc_count(void);

/* One row of a test table: fields split on tabs (unescaped as the canonical layout). Lines
 * starting with '#' and blank lines are skipped. */
struct fzt_row {
    size_t line;
    int nfields;
    char *field[16];
};

/* Loads tests/data/<rel> (rel like "phone/normalize.tsv"); fails the test if it is missing.
 * Free with fzt_rows_free. */
struct fzt_row *fzt_rows_load(const char *rel, size_t *count);
void fzt_rows_free(struct fzt_row *rows, size_t count);

/* A fresh temporary directory (removed by fzt_tmpdir_remove). */
char *fzt_tmpdir(void);
void fzt_tmpdir_remove(char *dir);

#endif
