"""Recur's runtime from Python: a ctypes module over the C API (include/recur.h).

    import recur
    m = recur.Model("har.rnnz")
    s = m.session()
    for frame in frames:
        result = s.step(frame)          # None until a window completes
        if result is not None:
            print(result.sample_index, m.labels[result.label], result.outputs)

The library is build/capi/librecur.so (scripts/build-capi), found through the
RECUR_LIBRARY environment variable, next to this package, or in the checkout's build/capi.
Results are lists, or numpy arrays when numpy is installed.
"""
import ctypes
import os

__all__ = ["Model", "Session", "FrameResult", "RecurError", "version"]

try:
    import numpy as _numpy
except ImportError:  # numpy is optional
    _numpy = None


def _find_library():
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [os.environ.get("RECUR_LIBRARY"),
                  os.path.join(here, "librecur.so"),
                  os.path.join(here, "..", "..", "build", "capi", "librecur.so")]
    for path in candidates:
        if path and os.path.exists(path):
            return path
    raise ImportError("librecur.so not found: run scripts/build-capi, or set RECUR_LIBRARY")


_lib = ctypes.CDLL(_find_library())
_P = ctypes.c_void_p
_MESSAGE = 1024


def _declare(name, restype, *argtypes):
    function = getattr(_lib, name)
    function.restype = restype
    function.argtypes = list(argtypes)
    return function


_c = ctypes
_version = _declare("recur_version", _c.c_char_p)
_model_open = _declare("recur_model_open", _c.c_int, _c.c_char_p, _c.POINTER(_P), _c.c_char_p, _c.c_size_t)
_model_open_bytes = _declare("recur_model_open_bytes", _c.c_int, _c.c_char_p, _c.c_size_t, _c.POINTER(_P),
                             _c.c_char_p, _c.c_size_t)
_model_free = _declare("recur_model_free", None, _P)
_model_task = _declare("recur_model_task", _c.c_int, _P)
_model_name = _declare("recur_model_name", _c.c_char_p, _P)
_model_frame_size = _declare("recur_model_frame_size", _c.c_size_t, _P)
_model_output_size = _declare("recur_model_output_size", _c.c_size_t, _P)
_model_window = _declare("recur_model_window", _c.c_size_t, _P)
_model_hop = _declare("recur_model_hop", _c.c_size_t, _P)
_model_label = _declare("recur_model_label", _c.c_char_p, _P, _c.c_size_t)
_model_token = _declare("recur_model_token", _c.c_char_p, _P, _c.c_size_t)
_model_encode = _declare("recur_model_encode", _c.c_int, _P, _c.c_char_p, _c.POINTER(_c.c_int32), _c.c_size_t,
                         _c.POINTER(_c.c_size_t), _c.c_char_p, _c.c_size_t)
_model_layer_count = _declare("recur_model_layer_count", _c.c_size_t, _P)
_model_layer_kind = _declare("recur_model_layer_kind", _c.c_char_p, _P, _c.c_size_t)
_model_layer_input = _declare("recur_model_layer_input", _c.c_size_t, _P, _c.c_size_t)
_model_layer_output = _declare("recur_model_layer_output", _c.c_size_t, _P, _c.c_size_t)
_model_verify = _declare("recur_model_verify", _c.c_int, _P, _c.c_char_p, _c.c_size_t)
_session_create = _declare("recur_session_create", _c.c_int, _P, _c.c_long, _c.c_long, _c.POINTER(_P),
                           _c.c_char_p, _c.c_size_t)
_session_free = _declare("recur_session_free", None, _P)
_session_reset = _declare("recur_session_reset", None, _P)
_session_step = _declare("recur_session_step", _c.c_int, _P, _c.POINTER(_c.c_float), _c.c_size_t,
                         _c.POINTER(_c.c_int), _c.c_char_p, _c.c_size_t)
_session_result = _declare("recur_session_result", _c.POINTER(_c.c_float), _P, _c.POINTER(_c.c_size_t))
_session_label = _declare("recur_session_label", _c.c_long, _P)
_session_sample_index = _declare("recur_session_sample_index", _c.c_long, _P)
_session_feed = _declare("recur_session_feed", _c.c_int, _P, _c.c_int32, _c.c_char_p, _c.c_size_t)
_session_probabilities = _declare("recur_session_probabilities", _c.c_int, _P, _c.c_float, _c.POINTER(_c.c_float),
                                  _c.c_size_t, _c.c_char_p, _c.c_size_t)
_session_greedy = _declare("recur_session_greedy", _c.c_long, _P)

TASKS = {0: "classifier", 1: "regressor", 2: "lm", 3: "seq2seq", 4: "text_classifier", 5: "memory_qa"}
STATUSES = {1: "invalid argument", 2: "file error", 3: "bad model", 4: "bad input", 5: "wrong task",
            6: "self-test failed", 7: "kernel unavailable", 8: "internal error"}


class RecurError(Exception):
    """A failed call: `status` is the recur_status code, the text says what was wrong."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.kind = STATUSES.get(status, "status %d" % status)


def _check(status, buffer):
    if status != 0:
        raise RecurError(status, buffer.value.decode("utf-8", "replace"))


def _values(pointer, count):
    values = pointer[:count]
    return _numpy.array(values, dtype=_numpy.float32) if _numpy is not None else values


def version():
    """The library's version (the same as recur --version)."""
    return _version().decode()


class FrameResult:
    """A completed window: `outputs` (probabilities or regressor values), `label` (classifier,
    else None) and `sample_index` (the window's last frame, counted from 0)."""

    __slots__ = ("sample_index", "label", "outputs")

    def __init__(self, sample_index, label, outputs):
        self.sample_index = sample_index
        self.label = label
        self.outputs = outputs

    def __repr__(self):
        return "FrameResult(sample_index=%d, label=%r, outputs=%r)" % (self.sample_index, self.label, self.outputs)


class Model:
    """A .rnnz model, from a path or from bytes. Immutable; make one session per stream."""

    def __init__(self, path=None, data=None):
        handle = _P()
        message = ctypes.create_string_buffer(_MESSAGE)
        if data is not None:
            _check(_model_open_bytes(bytes(data), len(data), ctypes.byref(handle), message, _MESSAGE), message)
        elif path is not None:
            _check(_model_open(os.fsencode(path), ctypes.byref(handle), message, _MESSAGE), message)
        else:
            raise ValueError("give a path or data")
        self._handle = handle
        self.task = TASKS.get(_model_task(handle), "unknown")
        self.name = _model_name(handle).decode()
        self.frame_size = _model_frame_size(handle)
        self.output_size = _model_output_size(handle)
        self.window = _model_window(handle)
        self.hop = _model_hop(handle)
        self.labels = [_model_label(handle, i).decode() for i in range(self.output_size)] \
            if self.task == "classifier" else []
        self.vocabulary = [_model_token(handle, i).decode() for i in range(self.output_size)] \
            if self.task == "lm" else []
        self.layers = [(_model_layer_kind(handle, i).decode(), _model_layer_input(handle, i),
                        _model_layer_output(handle, i)) for i in range(_model_layer_count(handle))]

    def __del__(self):
        handle = getattr(self, "_handle", None)
        if handle:
            _model_free(handle)
            self._handle = None

    def verify(self):
        """Recomputes the file's self-tests bit for bit; returns the report, raises RecurError."""
        message = ctypes.create_string_buffer(_MESSAGE)
        _check(_model_verify(self._handle, message, _MESSAGE), message)
        return message.value.decode()

    def encode(self, text):
        """lm: the token ids of `text` with the model's tokenizer."""
        message = ctypes.create_string_buffer(_MESSAGE)
        count = ctypes.c_size_t(0)
        data = text.encode("utf-8")
        _model_encode(self._handle, data, None, 0, ctypes.byref(count), message, _MESSAGE)
        ids = (ctypes.c_int32 * max(count.value, 1))()
        _check(_model_encode(self._handle, data, ids, count.value, ctypes.byref(count), message, _MESSAGE), message)
        return list(ids[:count.value])

    def session(self, window=None, hop=None):
        """A new session (window/hop: the model's own unless given)."""
        return Session(self, window, hop)


class Session:
    """One stream through a model: `step` frames (classifier, regressor) or `feed` tokens (lm)."""

    def __init__(self, model, window=None, hop=None):
        handle = _P()
        message = ctypes.create_string_buffer(_MESSAGE)
        _check(_session_create(model._handle, -1 if window is None else window, -1 if hop is None else hop,
                               ctypes.byref(handle), message, _MESSAGE), message)
        self._handle = handle
        self.model = model  # the C session keeps the model alive too; this keeps its Python side
        self._message = message
        self._frame = (ctypes.c_float * max(model.frame_size, 1))()
        self._probabilities = (ctypes.c_float * max(model.output_size, 1))()
        self._has_result = ctypes.c_int(0)

    def __del__(self):
        handle = getattr(self, "_handle", None)
        if handle:
            _session_free(handle)
            self._handle = None

    def reset(self):
        _session_reset(self._handle)

    def step(self, frame):
        """Feeds one frame (a sequence of model.frame_size numbers); returns a FrameResult when it
        completes a window, else None."""
        values = list(frame)
        if len(values) > len(self._frame):
            buffer = (ctypes.c_float * len(values))(*values)
        else:
            buffer = self._frame
            for i, value in enumerate(values):
                buffer[i] = value
        _check(_session_step(self._handle, buffer, len(values), ctypes.byref(self._has_result),
                             self._message, _MESSAGE), self._message)
        if not self._has_result.value:
            return None
        count = ctypes.c_size_t(0)
        pointer = _session_result(self._handle, ctypes.byref(count))
        label = _session_label(self._handle)
        return FrameResult(_session_sample_index(self._handle), label if label >= 0 else None,
                           _values(pointer, count.value))

    def feed(self, token):
        """lm: feeds one token id."""
        _check(_session_feed(self._handle, int(token), self._message, _MESSAGE), self._message)

    def probabilities(self, temperature=1.0):
        """lm: the next-token distribution softmax(logits / temperature)."""
        _check(_session_probabilities(self._handle, temperature, self._probabilities, len(self._probabilities),
                                      self._message, _MESSAGE), self._message)
        return _values(self._probabilities, self.model.output_size)

    def greedy(self):
        """lm: the most probable next token id (-1 before any token)."""
        return _session_greedy(self._handle)
