/*
 * recur_team.h — a small team of threads for the recurrent layers' timesteps.
 *
 * A training step runs hundreds of timesteps of tens to hundreds of microseconds each, one
 * after another. Handing each of them to threads that sleep between steps costs a wake-up
 * (tens of microseconds) per step; this team's helpers spin while steps keep coming and
 * sleep only after a pause (RT_TEAM_SPIN_NS without work).
 *
 * rt_team_run(team, task, context, parts) runs task(context, part) for every part in
 * [0, parts): the caller and the helpers claim parts one at a time, so the call never waits
 * for a helper that has not started (a descheduled helper costs speed, not progress), and
 * returns when every part has finished. Parts must be independent; which thread runs which
 * part is not fixed, so a part's result must not depend on its thread. A claim names its run,
 * so a thread still in run g cannot take a part of run g + 1 by an index of run g. More than
 * 4095 parts run on the caller, in order.
 */
#ifndef RECUR_TEAM_H
#define RECUR_TEAM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How long an idle helper spins before it sleeps. */
#define RT_TEAM_SPIN_NS 2000000L
#define RT_TEAM_MAX_THREADS 64

typedef struct rt_team rt_team;
typedef void (*rt_team_task)(void *context, size_t part);

/* A team of `threads` (the caller plus threads - 1 helpers, at most RT_TEAM_MAX_THREADS);
 * NULL when threads cannot be started. */
rt_team *rt_team_create(size_t threads);

/* Runs parts [0, parts) of task and returns when all have finished. One run at a time
 * (the caller's thread only). */
void rt_team_run(rt_team *team, rt_team_task task, void *context, size_t parts);

/* Stops and joins the helpers. */
void rt_team_destroy(rt_team *team);

#ifdef __cplusplus
}
#endif

#endif
