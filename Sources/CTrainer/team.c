/* The spinning thread team of recur_team.h. */
#define _GNU_SOURCE
#include "recur_team.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define RT_PAUSE() _mm_pause()
#elif defined(__aarch64__) || defined(__arm__)
#define RT_PAUSE() __asm__ __volatile__("yield")
#else
#define RT_PAUSE() ((void)0)
#endif

/* A run's claims live in one word, so that a thread can only claim a part of the run it means:
 * bits 63..24 the run's number, 23..12 its part count, 11..0 the next part to claim. A thread
 * that finished a part of run g and comes back for another while run g + 1 is being set up sees
 * another number and stops (before, a counter of its own let such a thread claim an index of the
 * old run against the new run's count: a part could run twice and the count of finished parts
 * overshoot, leaving the caller waiting for ever). */
#define RT_CLAIM_BITS 12
#define RT_CLAIM_MASK ((1ULL << RT_CLAIM_BITS) - 1)
#define RT_RUN_SHIFT (2 * RT_CLAIM_BITS)

struct rt_team {
    pthread_t helpers[RT_TEAM_MAX_THREADS];
    size_t started;
    /* The current run: written by the caller before its claim word is published, read only by a
     * thread that holds a claim of that run (the run cannot end before that claim is done). */
    rt_team_task task;
    void *context;
    /* The caller's count of runs (the caller's thread only). */
    unsigned long long runs;
    _Atomic unsigned long long claim;
    /* Parts of the current run finished. */
    atomic_size_t done;
    atomic_int stop;
    atomic_int sleepers;
    pthread_mutex_t lock;
    pthread_cond_t wake;
};

static long rt_now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)t.tv_sec * 1000000000L + t.tv_nsec;
}

static unsigned long long rt_run_of(unsigned long long claim) { return claim >> RT_RUN_SHIFT; }

/* Claims and runs parts of run `run` until none is left (or another run has begun). */
static void rt_team_work(rt_team *team, unsigned long long run) {
    unsigned long long claim = atomic_load(&team->claim);
    for (;;) {
        if (rt_run_of(claim) != run) return;
        const unsigned long long parts = (claim >> RT_CLAIM_BITS) & RT_CLAIM_MASK;
        const unsigned long long part = claim & RT_CLAIM_MASK;
        if (part >= parts) return;
        if (!atomic_compare_exchange_weak(&team->claim, &claim, claim + 1)) continue;
        team->task(team->context, (size_t)part);
        atomic_fetch_add(&team->done, 1);
        claim = atomic_load(&team->claim);
    }
}

static void *rt_team_helper(void *argument) {
    rt_team *team = argument;
    unsigned long long seen = rt_run_of(atomic_load(&team->claim));
    for (;;) {
        /* Spin while work may come soon, then sleep until a run or stop wakes us. */
        long start = rt_now_ns();
        unsigned spins = 0;
        while (rt_run_of(atomic_load(&team->claim)) == seen && !atomic_load(&team->stop)) {
            RT_PAUSE();
            if (++spins % 1024 == 0 && rt_now_ns() - start > RT_TEAM_SPIN_NS) {
                pthread_mutex_lock(&team->lock);
                atomic_fetch_add(&team->sleepers, 1);
                while (rt_run_of(atomic_load(&team->claim)) == seen && !atomic_load(&team->stop))
                    pthread_cond_wait(&team->wake, &team->lock);
                atomic_fetch_sub(&team->sleepers, 1);
                pthread_mutex_unlock(&team->lock);
                start = rt_now_ns();
            }
        }
        if (atomic_load(&team->stop)) return NULL;
        seen = rt_run_of(atomic_load(&team->claim));
        rt_team_work(team, seen);
    }
}

rt_team *rt_team_create(size_t threads) {
    if (threads < 1 || threads > RT_TEAM_MAX_THREADS) return NULL;
    rt_team *team = calloc(1, sizeof *team);
    if (!team) return NULL;
    atomic_init(&team->claim, 0);
    atomic_init(&team->done, 0);
    atomic_init(&team->stop, 0);
    atomic_init(&team->sleepers, 0);
    pthread_mutex_init(&team->lock, NULL);
    pthread_cond_init(&team->wake, NULL);
    for (size_t i = 0; i + 1 < threads; i++) {
        if (pthread_create(&team->helpers[i], NULL, rt_team_helper, team) != 0) {
            rt_team_destroy(team);
            return NULL;
        }
        team->started++;
    }
    return team;
}

void rt_team_run(rt_team *team, rt_team_task task, void *context, size_t parts) {
    if (parts == 0) return;
    if (parts > RT_CLAIM_MASK) {
        /* More parts than a claim word counts: this thread runs them, in order. */
        for (size_t part = 0; part < parts; part++) task(context, part);
        return;
    }
    team->task = task;
    team->context = context;
    atomic_store(&team->done, 0);
    const unsigned long long run = ++team->runs;
    atomic_store(&team->claim, (run << RT_RUN_SHIFT) | ((unsigned long long)parts << RT_CLAIM_BITS));
    if (atomic_load(&team->sleepers) > 0) {
        pthread_mutex_lock(&team->lock);
        pthread_cond_broadcast(&team->wake);
        pthread_mutex_unlock(&team->lock);
    }
    rt_team_work(team, run);
    while (atomic_load(&team->done) != parts) RT_PAUSE();
}

void rt_team_destroy(rt_team *team) {
    if (!team) return;
    pthread_mutex_lock(&team->lock);
    atomic_store(&team->stop, 1);
    pthread_cond_broadcast(&team->wake);
    pthread_mutex_unlock(&team->lock);
    for (size_t i = 0; i < team->started; i++) pthread_join(team->helpers[i], NULL);
    pthread_mutex_destroy(&team->lock);
    pthread_cond_destroy(&team->wake);
    free(team);
}
