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

struct rt_team {
    pthread_t helpers[RT_TEAM_MAX_THREADS];
    size_t started;
    /* The current run: written by the caller before `generation` moves. */
    rt_team_task task;
    void *context;
    size_t parts;
    /* Next part to claim, and parts finished, of the current run. */
    atomic_size_t next;
    atomic_size_t done;
    atomic_ulong generation;
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

/* Claims and runs parts until none is left. */
static void rt_team_work(rt_team *team) {
    for (;;) {
        size_t part = atomic_fetch_add(&team->next, 1);
        if (part >= team->parts) return;
        team->task(team->context, part);
        atomic_fetch_add(&team->done, 1);
    }
}

static void *rt_team_helper(void *argument) {
    rt_team *team = argument;
    unsigned long seen = atomic_load(&team->generation);
    for (;;) {
        /* Spin while work may come soon, then sleep until a run or stop wakes us. */
        long start = rt_now_ns();
        unsigned spins = 0;
        while (atomic_load(&team->generation) == seen && !atomic_load(&team->stop)) {
            RT_PAUSE();
            if (++spins % 1024 == 0 && rt_now_ns() - start > RT_TEAM_SPIN_NS) {
                pthread_mutex_lock(&team->lock);
                atomic_fetch_add(&team->sleepers, 1);
                while (atomic_load(&team->generation) == seen && !atomic_load(&team->stop))
                    pthread_cond_wait(&team->wake, &team->lock);
                atomic_fetch_sub(&team->sleepers, 1);
                pthread_mutex_unlock(&team->lock);
                start = rt_now_ns();
            }
        }
        if (atomic_load(&team->stop)) return NULL;
        seen = atomic_load(&team->generation);
        rt_team_work(team);
    }
}

rt_team *rt_team_create(size_t threads) {
    if (threads < 1 || threads > RT_TEAM_MAX_THREADS) return NULL;
    rt_team *team = calloc(1, sizeof *team);
    if (!team) return NULL;
    atomic_init(&team->next, 0);
    atomic_init(&team->done, 0);
    atomic_init(&team->generation, 0);
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
    team->task = task;
    team->context = context;
    team->parts = parts;
    atomic_store(&team->done, 0);
    atomic_store(&team->next, 0);
    atomic_fetch_add(&team->generation, 1);
    if (atomic_load(&team->sleepers) > 0) {
        pthread_mutex_lock(&team->lock);
        pthread_cond_broadcast(&team->wake);
        pthread_mutex_unlock(&team->lock);
    }
    rt_team_work(team);
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
