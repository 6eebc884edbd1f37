/*
 * recur.h — the C API of the Recur runtime: load a .rnnz model, step it one frame
 * (or one token) at a time, read the result. Built by scripts/build-capi as
 * build/capi/librecur.a and build/capi/librecur.so (Embedded Swift and C: they need
 * only libc, libm and libzstd). See README.md, "Use as a library", and docs/RUNTIME.md.
 *
 *   recur_model *model;
 *   char message[256];
 *   if (recur_model_open("har.rnnz", &model, message, sizeof message) != RECUR_OK) {
 *       fprintf(stderr, "%s\n", message);
 *       return 1;
 *   }
 *   recur_session *session;
 *   recur_session_create(model, -1, -1, &session, message, sizeof message);
 *   int has_result;
 *   recur_session_step(session, frame, recur_model_frame_size(model), &has_result, message, sizeof message);
 *   if (has_result) printf("%s\n", recur_model_label(model, recur_session_label(session)));
 *   recur_session_free(session);
 *   recur_model_free(model);
 *
 * Every fallible function returns a recur_status and, when `message` is not NULL,
 * writes a NUL-terminated one-line explanation into it (truncated to `message_size`
 * bytes). No function aborts on bad input. A model may be shared by any number of
 * sessions and threads; a session is used by one thread at a time. A session keeps its
 * model alive: freeing the model first is allowed.
 */
#ifndef RECUR_H
#define RECUR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum recur_status {
    RECUR_OK = 0,
    RECUR_INVALID_ARGUMENT = 1,  /* a NULL pointer or an out-of-range argument */
    RECUR_FILE_ERROR = 2,        /* the file cannot be read */
    RECUR_BAD_MODEL = 3,         /* the bytes are not a valid .rnnz model */
    RECUR_BAD_INPUT = 4,         /* wrong frame size, token out of range, bad window/hop */
    RECUR_WRONG_TASK = 5,        /* e.g. feeding a token to a classifier */
    RECUR_SELFTEST_FAILED = 6,   /* recur_model_verify: the outputs do not reproduce */
    RECUR_KERNEL_UNAVAILABLE = 7,
    RECUR_INTERNAL_ERROR = 8
} recur_status;

typedef enum recur_task {
    RECUR_TASK_CLASSIFIER = 0,
    RECUR_TASK_REGRESSOR = 1,
    RECUR_TASK_LM = 2,
    RECUR_TASK_SEQ2SEQ = 3,  /* loads and verifies; sessions are for the other tasks */
    RECUR_TASK_TEXT_CLASSIFIER = 4,  /* loads and verifies, like seq2seq */
    RECUR_TASK_MEMORY_QA = 5, /* loads and verifies, like seq2seq */
    RECUR_TASK_IMAGE_TO_TEXT = 6  /* loads and verifies, like seq2seq */
} recur_task;

typedef struct recur_model recur_model;
typedef struct recur_session recur_session;

/* The library's version, e.g. "0.4.0" (the same as recur --version). */
const char *recur_version(void);

/* Models ---------------------------------------------------------------------------- */

/* Reads, decompresses and validates a .rnnz file. On success *model must be freed with
 * recur_model_free; on failure *model is NULL. */
recur_status recur_model_open(const char *path, recur_model **model, char *message, size_t message_size);
/* The same from bytes in memory (copied: the caller may free them afterwards). */
recur_status recur_model_open_bytes(const void *bytes, size_t count, recur_model **model,
                                    char *message, size_t message_size);
void recur_model_free(recur_model *model);

recur_task recur_model_task(const recur_model *model);
/* general.name ("" when absent). Strings returned by the model live as long as it does. */
const char *recur_model_name(const recur_model *model);
/* Values per frame that recur_session_step takes (before any preprocessing); 0 for a model
 * that takes no frames (lm, seq2seq). */
size_t recur_model_frame_size(const recur_model *model);
/* Values per result: labels (classifier), outputs (regressor), vocabulary (lm), target
 * vocabulary (seq2seq). */
size_t recur_model_output_size(const recur_model *model);
/* The file's default windowing (frame tasks; 0 for the others): window 0 is one continuous stream. */
size_t recur_model_window(const recur_model *model);
size_t recur_model_hop(const recur_model *model);
/* Label `index` of a classifier, NULL when out of range. */
const char *recur_model_label(const recur_model *model, size_t index);
/* lm: the text of token `id`, NULL when out of range. */
const char *recur_model_token(const recur_model *model, size_t id);
/* lm: the token ids of UTF-8 `text` with the model's tokenizer, written to ids[0 .. capacity);
 * *count receives how many there are (also when over capacity: then RECUR_INVALID_ARGUMENT). */
recur_status recur_model_encode(const recur_model *model, const char *text, int32_t *ids, size_t capacity,
                                size_t *count, char *message, size_t message_size);
/* The stack: layer kind ("lstm", "gru", "rnn(tanh)", "dense(softmax)", "embedding", ...). */
size_t recur_model_layer_count(const recur_model *model);
const char *recur_model_layer_kind(const recur_model *model, size_t index);
size_t recur_model_layer_input(const recur_model *model, size_t index);
size_t recur_model_layer_output(const recur_model *model, size_t index);
/* Recomputes the self-tests inside the file and compares them bit for bit. */
recur_status recur_model_verify(const recur_model *model, char *message, size_t message_size);

/* Sessions -------------------------------------------------------------------------- */

/* A session with all its memory. window/hop < 0: the model's own (frame tasks). */
recur_status recur_session_create(const recur_model *model, long window, long hop, recur_session **session,
                                  char *message, size_t message_size);
void recur_session_free(recur_session *session);
/* Back to a fresh state. */
void recur_session_reset(recur_session *session);

/* Frame tasks: feeds one frame of recur_model_frame_size values (the model's preprocessing
 * and normalization are applied). *has_result is 1 when this frame completed a window (or
 * a hop of a continuous stream): then read it with recur_session_result. */
recur_status recur_session_step(recur_session *session, const float *frame, size_t count, int *has_result,
                                char *message, size_t message_size);
/* The last result's values (probabilities or outputs), valid until the next step or reset;
 * NULL before the first result. */
const float *recur_session_result(const recur_session *session, size_t *count);
/* The last result's label (classifier; -1 otherwise) and the index of its window's last frame. */
long recur_session_label(const recur_session *session);
long recur_session_sample_index(const recur_session *session);

/* lm: feeds one token; afterwards the next-token distribution is ready. */
recur_status recur_session_feed(recur_session *session, int32_t token, char *message, size_t message_size);
/* softmax(logits / temperature) into out[0 .. capacity) (capacity >= recur_model_output_size). */
recur_status recur_session_probabilities(recur_session *session, float temperature, float *out, size_t capacity,
                                         char *message, size_t message_size);
/* The most probable next token (lowest id on ties), -1 before any token. */
long recur_session_greedy(const recur_session *session);

#ifdef __cplusplus
}
#endif

#endif
