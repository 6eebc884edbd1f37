/*
 * The C API's test program (scripts/check-capi): compiled by gcc against build/capi/librecur.a.
 *
 *   capi_test errors MODEL.rnnz           every error path returns its status and a message
 *   capi_test frames MODEL.rnnz < frames  streams frames like recur-run: "<t> <label> <p>" lines
 *                                         (classifier) or "<t> <y0> <y1> ..." (regressor)
 *   capi_test generate LM.rnnz N PRIME    prime + N greedy tokens, like recur-run --generate N
 *                                         --prime PRIME --temperature 0
 * Exit 0 on success; a failed check prints what failed and exits 1.
 */
#include "recur.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

#define CHECK(condition, ...)                                  \
    do {                                                       \
        if (!(condition)) {                                    \
            fprintf(stderr, "capi_test: FAILED %s: ", #condition); \
            fprintf(stderr, __VA_ARGS__);                      \
            fprintf(stderr, "\n");                             \
            failures++;                                        \
        }                                                      \
    } while (0)

static recur_model *open_or_exit(const char *path) {
    recur_model *model = NULL;
    char message[512];
    recur_status status = recur_model_open(path, &model, message, sizeof message);
    if (status != RECUR_OK) {
        fprintf(stderr, "capi_test: %s: %s (status %d)\n", path, message, status);
        exit(1);
    }
    return model;
}

static recur_session *session_or_exit(recur_model *model) {
    recur_session *session = NULL;
    char message[512];
    if (recur_session_create(model, -1, -1, &session, message, sizeof message) != RECUR_OK) {
        fprintf(stderr, "capi_test: %s\n", message);
        exit(1);
    }
    return session;
}

/* Every error path: a status other than RECUR_OK and a message that says what was wrong. */
static int errors(const char *path) {
    char message[512];
    recur_model *model = (recur_model *)1;
    recur_status status = recur_model_open("/nonexistent/model.rnnz", &model, message, sizeof message);
    CHECK(status == RECUR_FILE_ERROR, "status %d", status);
    CHECK(model == NULL, "a failed open left a model");
    CHECK(strstr(message, "/nonexistent/model.rnnz") != NULL, "message: %s", message);

    const unsigned char garbage[] = {1, 2, 3, 4, 5, 6, 7, 8};
    status = recur_model_open_bytes(garbage, sizeof garbage, &model, message, sizeof message);
    CHECK(status == RECUR_BAD_MODEL, "status %d (%s)", status, message);
    CHECK(strlen(message) > 0, "no message for garbage bytes");

    status = recur_model_open(NULL, &model, message, sizeof message);
    CHECK(status == RECUR_INVALID_ARGUMENT, "status %d", status);
    /* A message buffer of 4 bytes holds 3 bytes and the NUL; NULL buffers are allowed. */
    char tiny[4] = {'x', 'x', 'x', 'x'};
    status = recur_model_open("/nonexistent", &model, tiny, sizeof tiny);
    CHECK(status == RECUR_FILE_ERROR && tiny[3] == '\0' && strlen(tiny) == 3, "tiny message '%s'", tiny);
    CHECK(recur_model_open("/nonexistent", &model, NULL, 0) == RECUR_FILE_ERROR, "NULL message buffer");

    /* The same model from bytes as from the path. */
    FILE *file = fopen(path, "rb");
    CHECK(file != NULL, "cannot read %s", path);
    if (!file) return 1;
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    unsigned char *bytes = malloc((size_t)size);
    CHECK(fread(bytes, 1, (size_t)size, file) == (size_t)size, "short read");
    fclose(file);
    status = recur_model_open_bytes(bytes, (size_t)size, &model, message, sizeof message);
    free(bytes);
    CHECK(status == RECUR_OK, "open_bytes: %s", message);
    if (status != RECUR_OK) return 1;
    CHECK(recur_model_verify(model, message, sizeof message) == RECUR_OK, "verify: %s", message);
    printf("verify: %s\n", message);
    printf("version %s, model '%s', task %d, frame size %zu, outputs %zu, layers %zu\n", recur_version(),
           recur_model_name(model), recur_model_task(model), recur_model_frame_size(model),
           recur_model_output_size(model), recur_model_layer_count(model));
    for (size_t i = 0; i < recur_model_layer_count(model); i++) {
        printf("  layer %zu: %s %zu -> %zu\n", i, recur_model_layer_kind(model, i), recur_model_layer_input(model, i),
               recur_model_layer_output(model, i));
    }
    CHECK(recur_model_layer_kind(model, 999) == NULL, "layer 999 exists");
    CHECK(recur_model_label(model, 999) == NULL, "label 999 exists");

    recur_session *session = NULL;
    status = recur_session_create(model, 0, 0, &session, message, sizeof message);
    CHECK(status == RECUR_BAD_INPUT && session == NULL, "hop 0 accepted (status %d)", status);
    status = recur_session_create(model, -1, -1, &session, message, sizeof message);
    CHECK(status == RECUR_OK, "session: %s", message);
    /* Freeing the model first is allowed: the session keeps it. */
    recur_model_free(model);
    float frame[64] = {0};
    int has_result = 1;
    status = recur_session_step(session, frame, 1, &has_result, message, sizeof message);
    CHECK(status == RECUR_BAD_INPUT && has_result == 0, "a 1-value frame: status %d", status);
    CHECK(strstr(message, "1") != NULL, "message: %s", message);
    status = recur_session_feed(session, 0, message, sizeof message);
    CHECK(status == RECUR_WRONG_TASK, "feed on a frame model: status %d (%s)", status, message);
    CHECK(recur_session_probabilities(session, 1, frame, 64, message, sizeof message) == RECUR_WRONG_TASK, "%s", message);
    CHECK(recur_session_step(NULL, frame, 1, &has_result, message, sizeof message) == RECUR_INVALID_ARGUMENT, "NULL session");
    size_t count = 99;
    CHECK(recur_session_result(session, &count) == NULL && count == 0, "a result before any");
    recur_session_free(session);
    recur_session_free(NULL);
    recur_model_free(NULL);
    return failures ? 1 : 0;
}

/* Frames from stdin (values separated by spaces, commas or tabs), results as recur-run prints them. */
static int frames(const char *path) {
    recur_model *model = open_or_exit(path);
    recur_session *session = session_or_exit(model);
    char message[512];
    size_t width = recur_model_frame_size(model);
    float *frame = malloc(width * sizeof(float));
    char line[65536];
    while (fgets(line, sizeof line, stdin)) {
        char *cursor = line;
        size_t n = 0;
        while (n < width) {
            char *end;
            float value = strtof(cursor, &end);
            if (end == cursor) break;
            frame[n++] = value;
            cursor = end + strspn(end, " ,\t");
        }
        if (n == 0) continue;
        int has_result = 0;
        if (recur_session_step(session, frame, n, &has_result, message, sizeof message) != RECUR_OK) {
            fprintf(stderr, "capi_test: %s\n", message);
            return 1;
        }
        if (!has_result) continue;
        size_t count = 0;
        const float *values = recur_session_result(session, &count);
        if (recur_model_task(model) == RECUR_TASK_CLASSIFIER) {
            long label = recur_session_label(session);
            printf("%ld %s %.4f\n", recur_session_sample_index(session), recur_model_label(model, (size_t)label),
                   values[label]);
        } else {
            printf("%ld", recur_session_sample_index(session));
            for (size_t i = 0; i < count; i++) printf(" %.4f", values[i]);
            printf("\n");
        }
    }
    free(frame);
    recur_session_free(session);
    recur_model_free(model);
    return 0;
}

/* prime + N greedy tokens. */
static int generate(const char *path, long n, const char *prime) {
    recur_model *model = open_or_exit(path);
    recur_session *session = session_or_exit(model);
    char message[512];
    size_t count = 0;
    CHECK(recur_model_encode(model, prime, NULL, 0, &count, message, sizeof message) ==
              (strlen(prime) ? RECUR_INVALID_ARGUMENT : RECUR_OK), "encode into no room: %s", message);
    int32_t ids[4096];
    if (recur_model_encode(model, prime, ids, 4096, &count, message, sizeof message) != RECUR_OK || count == 0) {
        fprintf(stderr, "capi_test: cannot encode the prime: %s\n", message);
        return 1;
    }
    CHECK(recur_session_greedy(session) == -1, "greedy before any token");
    CHECK(recur_session_feed(session, (int32_t)recur_model_output_size(model), message, sizeof message) == RECUR_BAD_INPUT,
          "a token past the vocabulary");
    printf("%s", prime);
    for (size_t i = 0; i < count; i++) recur_session_feed(session, ids[i], NULL, 0);
    float *probabilities = malloc(recur_model_output_size(model) * sizeof(float));
    for (long i = 0; i < n; i++) {
        recur_session_probabilities(session, 1, probabilities, recur_model_output_size(model), NULL, 0);
        long next = recur_session_greedy(session);
        for (size_t j = 0; j < recur_model_output_size(model); j++) {
            CHECK(probabilities[j] <= probabilities[next], "greedy token %ld is not the most probable", next);
        }
        printf("%s", recur_model_token(model, (size_t)next));
        if (recur_session_feed(session, (int32_t)next, message, sizeof message) != RECUR_OK) {
            fprintf(stderr, "capi_test: %s\n", message);
            return 1;
        }
    }
    printf("\n");
    free(probabilities);
    recur_session_free(session);
    recur_model_free(model);
    return failures ? 1 : 0;
}

/* A model of a task without C sessions (seq2seq, text classifier, memory_qa): it opens, names its
   task, verifies its self-tests, and refuses a session with RECUR_WRONG_TASK. */
static int load_only(const char *path, int task) {
    recur_model *model = open_or_exit(path);
    char message[512];
    CHECK((int)recur_model_task(model) == task, "%s: task %d, expected %d", path, (int)recur_model_task(model), task);
    recur_status status = recur_model_verify(model, message, sizeof message);
    CHECK(status == RECUR_OK, "%s: verify status %d (%s)", path, status, message);
    recur_session *session = NULL;
    status = recur_session_create(model, -1, -1, &session, message, sizeof message);
    CHECK(status == RECUR_WRONG_TASK && session == NULL, "%s: session status %d (%s)", path, status, message);
    recur_model_free(model);
    return failures ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "errors") == 0) return errors(argv[2]);
    if (argc >= 3 && strcmp(argv[1], "frames") == 0) return frames(argv[2]);
    if (argc >= 5 && strcmp(argv[1], "generate") == 0) return generate(argv[2], atol(argv[3]), argv[4]);
    if (argc >= 4 && strcmp(argv[1], "load-only") == 0) return load_only(argv[2], atoi(argv[3]));
    fprintf(stderr, "usage: capi_test errors|frames MODEL | generate LM N PRIME | load-only MODEL TASK\n");
    return 64;
}
