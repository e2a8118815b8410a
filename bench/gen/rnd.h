/*
 * rnd: the generators' random numbers, splitmix64 (tiny, and the same sequence on every
 * machine, so a seed always gives the same corpus). One stream per program.
 */
#ifndef FZ_BENCH_RND_H
#define FZ_BENCH_RND_H

#include <stdint.h>

static uint64_t rnd_state;

/* Starts the stream again from seed. */
static inline void rnd_seed(uint64_t seed) { rnd_state = seed; }

static inline uint32_t rnd(void)
{
    uint64_t z = (rnd_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}

#endif
