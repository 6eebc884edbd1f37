/*
 * recur_platform.h — the few operating-system calls the Runtime and the board
 * binary need, as plain C functions, so that the Swift above them needs neither
 * Foundation nor Glibc (and builds as Embedded Swift).
 *
 * Conventions:
 *   - Every function that can fail returns an errno-style status: 0 on success,
 *     otherwise the errno value (ENOENT, EISDIR, EFBIG, EPIPE, ...). Byte counts
 *     come back through out-parameters or as a non-negative return value with a
 *     negative errno on failure (rp_read).
 *   - Interrupted system calls (EINTR) are retried here; callers never see EINTR.
 *   - Nothing here allocates except rp_read_file (which hands the buffer to the
 *     caller; free it with rp_free). The stream functions are the hot path.
 */
#ifndef RECUR_PLATFORM_H
#define RECUR_PLATFORM_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

/* errno values the Swift side tests for, under names Swift can see without Glibc. */
enum { RP_EINVAL = EINVAL, RP_ERANGE = ERANGE, RP_EPIPE = EPIPE, RP_EISDIR = EISDIR, RP_EFBIG = EFBIG };

/* MARK: Files */

/*
 * Reads the whole file at `path` into a new buffer of `*len` bytes.
 *
 * Opens with O_CLOEXEC, refuses directories (EISDIR) and files larger than
 * `limit` bytes (EFBIG, checked against the size before reading and again while
 * reading, so a growing file or a pipe cannot exceed it). Never allocates more
 * than `limit` + 1 bytes. On success `*out` is a malloc'd buffer (non-NULL even
 * for an empty file) that the caller frees with rp_free; on failure `*out` is
 * NULL and `*len` is 0.
 *
 * Returns 0 or an errno value (ENOENT, EACCES, EISDIR, EFBIG, ENOMEM, EIO, ...).
 */
int rp_read_file(const char *path, uint8_t **out, size_t *len, size_t limit);

/* Frees a buffer returned by rp_read_file (NULL is fine). */
void rp_free(void *buffer);

/* MARK: Streams */

/* The standard file descriptors, for Swift callers without Glibc. */
enum { RP_STDIN = 0, RP_STDOUT = 1, RP_STDERR = 2 };

/*
 * Reads up to `capacity` bytes from `fd` into `buffer`, retrying on EINTR.
 * Returns the byte count (> 0), 0 at end of input, or -errno on failure.
 */
ptrdiff_t rp_read(int fd, void *buffer, size_t capacity);

/*
 * Writes all `len` bytes to `fd`, retrying on EINTR and short writes.
 * Returns 0, or the errno of the failed write: EPIPE when the reader has gone
 * (only after rp_ignore_sigpipe; otherwise SIGPIPE kills the process first).
 */
int rp_write_all(int fd, const void *buffer, size_t len);

/*
 * Ignores SIGPIPE for the whole process, so that a write to a closed pipe fails
 * with EPIPE (which the board binary turns into a quiet exit 0) instead of
 * killing the process. Returns 0 or errno.
 */
int rp_ignore_sigpipe(void);

/* 1 if `fd` is a terminal, else 0. */
static inline int rp_isatty(int fd) {
    return isatty(fd) ? 1 : 0;
}

/*
 * The index of the first byte equal to `value` in bytes[0..<len], or -1.
 * memchr under a name Swift can call without Glibc.
 */
static inline ptrdiff_t rp_find_byte(const void *bytes, size_t len, uint8_t value) {
    const void *hit = len ? memchr(bytes, value, len) : NULL;
    return hit ? (ptrdiff_t)((const uint8_t *)hit - (const uint8_t *)bytes) : -1;
}

/* MARK: Numbers */

/*
 * Parses a float from bytes[0..<len] with strtof (C locale: the process never
 * calls setlocale). The bytes are copied into `scratch` (capacity `scratch_cap`,
 * caller-owned, so nothing is allocated) and NUL-terminated first, because the
 * input is a slice of a line buffer, not a C string.
 *
 * `*consumed` receives how many bytes strtof used (0 when nothing parsed).
 * Returns 0 on success, EINVAL when nothing parsed or len >= scratch_cap,
 * ERANGE when the value overflows float (then *out is ±HUGE_VALF). Underflow to
 * zero or a subnormal is a success: the nearest float is the right answer.
 *
 * The grammar (which strings are numbers at all) is the Swift caller's to
 * check: strtof also accepts hex floats, "nan", "inf" and leading whitespace.
 */
int rp_parse_float(const uint8_t *bytes, size_t len, char *scratch, size_t scratch_cap,
                   float *out, size_t *consumed);

/* MARK: Time and process */

/* A monotonic clock in nanoseconds (CLOCK_MONOTONIC); for timing output only. */
uint64_t rp_monotonic_ns(void);

/*
 * The process's command line: rp_argc() arguments, rp_argv(i) the i-th (0 = the
 * program), NULL past the end. Captured before main by an ELF constructor (glibc
 * passes argc/argv to them), so that Embedded Swift, which has no CommandLine,
 * can read the arguments too. rp_argc() is 0 when the C library passed nothing.
 */
int rp_argc(void);
const char *rp_argv(int index);

/*
 * The process's peak resident set size in KiB (getrusage RUSAGE_SELF, ru_maxrss),
 * or 0 when the system does not report it.
 */
uint64_t rp_peak_rss_kib(void);

/* Exits the process with `code` (exit(3): atexit handlers run, stdio flushed). */
_Noreturn void rp_exit(int code);

#ifdef __cplusplus
}
#endif

#endif /* RECUR_PLATFORM_H */
