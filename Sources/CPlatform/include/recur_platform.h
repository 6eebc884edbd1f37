/*
 * recur_platform.h — the few operating-system calls the Runtime and the board
 * binary need, as plain C functions, so that the Swift above them needs neither
 * Foundation nor Glibc (and builds as Embedded Swift).
 */
#ifndef RECUR_PLATFORM_H
#define RECUR_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#endif /* RECUR_PLATFORM_H */
