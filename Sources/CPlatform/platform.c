/*
 * platform.c — the operating-system calls behind recur_platform.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "recur_platform.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

/* MARK: Files */

/* Growth step when the size is unknown (pipes, /proc files): 64 KiB. */
#define RP_READ_STEP ((size_t)64 << 10)

int rp_read_file(const char *path, uint8_t **out, size_t *len, size_t limit) {
    if (!out || !len) return EINVAL;
    *out = NULL;
    *len = 0;
    if (!path) return EINVAL;

    int fd;
    do {
        fd = open(path, O_RDONLY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) return errno;

    struct stat info;
    if (fstat(fd, &info) != 0) {
        int status = errno;
        close(fd);
        return status;
    }
    if (S_ISDIR(info.st_mode)) {
        close(fd);
        return EISDIR;
    }
    /* A regular file states its size up front; anything else is read up to the limit. */
    size_t capacity;
    if (S_ISREG(info.st_mode)) {
        if (info.st_size < 0 || (uint64_t)info.st_size > (uint64_t)limit) {
            close(fd);
            return EFBIG;
        }
        /* One byte more than the size, so that growth since fstat is noticed. */
        capacity = (size_t)info.st_size + 1;
    } else {
        capacity = limit < RP_READ_STEP ? limit + 1 : RP_READ_STEP;
    }

    uint8_t *buffer = malloc(capacity);
    if (!buffer) {
        close(fd);
        return ENOMEM;
    }
    size_t filled = 0;
    for (;;) {
        if (filled == capacity) {
            if (filled > limit) break; /* read limit + 1 bytes: too large */
            size_t grown = capacity > limit / 2 ? limit + 1 : capacity * 2;
            if (grown <= capacity) grown = limit + 1;
            uint8_t *bigger = realloc(buffer, grown);
            if (!bigger) {
                free(buffer);
                close(fd);
                return ENOMEM;
            }
            buffer = bigger;
            capacity = grown;
        }
        ptrdiff_t got = rp_read(fd, buffer + filled, capacity - filled);
        if (got < 0) {
            free(buffer);
            close(fd);
            return (int)-got;
        }
        if (got == 0) break;
        filled += (size_t)got;
    }
    close(fd);
    if (filled > limit) {
        free(buffer);
        return EFBIG;
    }
    *out = buffer;
    *len = filled;
    return 0;
}

void rp_free(void *buffer) {
    free(buffer);
}

/* MARK: Streams */

ptrdiff_t rp_read(int fd, void *buffer, size_t capacity) {
    for (;;) {
        ssize_t got = read(fd, buffer, capacity);
        if (got >= 0) return (ptrdiff_t)got;
        if (errno != EINTR) return -(ptrdiff_t)errno;
    }
}

int rp_write_all(int fd, const void *buffer, size_t len) {
    const uint8_t *bytes = buffer;
    while (len > 0) {
        ssize_t wrote = write(fd, bytes, len);
        if (wrote < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        if (wrote == 0) return EIO; /* a regular write never returns 0 for len > 0 */
        bytes += wrote;
        len -= (size_t)wrote;
    }
    return 0;
}

int rp_ignore_sigpipe(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_IGN;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGPIPE, &action, NULL) == 0 ? 0 : errno;
}

/* MARK: Numbers */

int rp_parse_float(const uint8_t *bytes, size_t len, char *scratch, size_t scratch_cap,
                   float *out, size_t *consumed) {
    if (consumed) *consumed = 0;
    if (!bytes || !scratch || !out || len == 0 || len >= scratch_cap) return EINVAL;
    memcpy(scratch, bytes, len);
    scratch[len] = '\0';
    char *end = scratch;
    errno = 0;
    float value = strtof(scratch, &end);
    int status = errno;
    size_t used = (size_t)(end - scratch);
    if (consumed) *consumed = used;
    if (used == 0) return EINVAL;
    *out = value;
    /* ERANGE also reports underflow; only overflow (an infinite result) is an error. */
    if (status == ERANGE && (value == HUGE_VALF || value == -HUGE_VALF)) return ERANGE;
    return 0;
}

/* MARK: Time and process */

uint64_t rp_monotonic_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

static int captured_argc = 0;
static char **captured_argv = NULL;

/* glibc calls .init_array functions with (argc, argv, envp). */
__attribute__((constructor)) static void rp_capture_arguments(int argc, char **argv, char **envp) {
    (void)envp;
    if (argc > 0 && argv) {
        captured_argc = argc;
        captured_argv = argv;
    }
}

int rp_argc(void) {
    return captured_argc;
}

const char *rp_argv(int index) {
    if (index < 0 || index >= captured_argc) return NULL;
    return captured_argv[index];
}

uint64_t rp_peak_rss_kib(void) {
    struct rusage usage;
    if (getrusage(RUSAGE_SELF, &usage) != 0 || usage.ru_maxrss < 0) return 0;
    return (uint64_t)usage.ru_maxrss; /* Linux reports KiB */
}

void rp_exit(int code) {
    exit(code);
}
