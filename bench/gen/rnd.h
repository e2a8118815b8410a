/*
 * rnd: the generators' random numbers, splitmix64 (tiny, and the same sequence on every
 * machine, so a seed always gives the same corpus). One stream per program (rnd), or one per
 * object that carries its own state (rnd_next, for libraries such as cdrsim).
 */
#ifndef FZ_BENCH_RND_H
#define FZ_BENCH_RND_H

#include <stdint.h>

/* The next 64 bits of the stream whose state is *state. */
static inline uint64_t rnd_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* The program-wide stream; a file that carries its own state defines RND_STREAM_ONLY first. */
#ifndef RND_STREAM_ONLY
static uint64_t rnd_state;

/* Starts the stream again from seed. */
static inline void rnd_seed(uint64_t seed) { rnd_state = seed; }

static inline uint32_t rnd(void) { return (uint32_t)(rnd_next(&rnd_state) >> 32); }
#endif

#endif
