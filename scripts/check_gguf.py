#!/usr/bin/env python3
"""Independent reader check of .rnnz files (run by scripts/check-gguf).

usage: check_gguf.py DIR

DIR holds .rnnz files written by Recur's RnnzWriter and manifest.json, which records what
the writer was given: keys in order with their GGUF types and values, tensors in order with
their ggml type, GGUF dims and values (floats as IEEE bit patterns). For every file this:

  1. checks the zstd frame by hand (RFC 8878): magic, no dictionary, content size recorded,
     content checksum flag set, exactly one frame and nothing after it;
  2. decompresses it with the reference libzstd (through ctypes; the checksum is verified
     there) and, when the `zstd` command is installed, with it too, and compares the two;
  3. reads the GGUF with the `gguf` package's GGUFReader and compares every key (name,
     order, type, value), every tensor (name, order, type, dims, data offset alignment) and
     every tensor value with the manifest. F16 tensors are compared with numpy's own
     float32 -> float16 rounding of the values the writer was given.

Then, unless --no-canaries is given, it proves that it can fail: it corrupts expected
values in a copy of the manifest (an F32 ulp, an F16 source value, an I8 sign, a key value,
dims, a tensor name) and one byte of a file, and requires every one to be reported.

Exits 1 listing every difference (or an unnoticed canary), 0 when all files agree.
Uses nothing of Recur's reader.
"""
import ctypes
import ctypes.util
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

try:
    import gguf
    from gguf import GGUFReader, GGUFValueType
except ImportError as error:  # .ci/run installs it with pip
    sys.exit(f"check_gguf: the Python package 'gguf' is not installed ({error}); pip install gguf")

ZSTD_MAGIC = bytes([0x28, 0xB5, 0x2F, 0xFD])


def load_zstd():
    """The system libzstd (installed with libzstd-dev, which the build needs anyway)."""
    name = ctypes.util.find_library("zstd") or "libzstd.so.1"
    lib = ctypes.CDLL(name)
    lib.ZSTD_isError.restype = ctypes.c_uint
    lib.ZSTD_isError.argtypes = [ctypes.c_size_t]
    lib.ZSTD_getErrorName.restype = ctypes.c_char_p
    lib.ZSTD_getErrorName.argtypes = [ctypes.c_size_t]
    lib.ZSTD_findFrameCompressedSize.restype = ctypes.c_size_t
    lib.ZSTD_findFrameCompressedSize.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
    lib.ZSTD_decompress.restype = ctypes.c_size_t
    lib.ZSTD_decompress.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t]
    return lib


class Check:
    """Collects differences for one file, each prefixed with the file name."""

    def __init__(self, name):
        self.name = name
        self.problems = []

    def fail(self, message):
        self.problems.append(f"{self.name}: {message}")

    def equal(self, what, found, expected):
        if found != expected:
            self.fail(f"{what}: found {found!r}, expected {expected!r}")
            return False
        return True

    def same_list(self, what, found, expected):
        """Compares two lists, reporting the first differing index rather than both lists."""
        if len(found) != len(expected):
            self.fail(f"{what}: {len(found)} values, expected {len(expected)}")
            return
        for index, (a, b) in enumerate(zip(found, expected)):
            if a != b:
                self.fail(f"{what}: element {index} is {a!r}, expected {b!r}")
                return


def frame_content_size(check, data):
    """Parses the zstd frame header (RFC 8878, 3.1.1.1); returns the recorded content size."""
    if data[:4] != ZSTD_MAGIC:
        check.fail(f"not a zstd frame: starts with {data[:4].hex()}")
        return None
    if len(data) < 6:
        check.fail("zstd frame header cut short")
        return None
    descriptor = data[4]
    size_flag, single_segment = descriptor >> 6, (descriptor >> 5) & 1
    checksum_flag, reserved, dictionary_flag = (descriptor >> 2) & 1, (descriptor >> 3) & 1, descriptor & 3
    check.equal("frame descriptor reserved bit", reserved, 0)
    check.equal("frame dictionary id flag (no dictionary)", dictionary_flag, 0)
    check.equal("frame content checksum flag", checksum_flag, 1)
    field_size = {0: 1 if single_segment else 0, 1: 2, 2: 4, 3: 8}[size_flag]
    if field_size == 0:
        check.fail("the frame does not record its content size")
        return None
    start = 5 + (0 if single_segment else 1)
    size = int.from_bytes(data[start:start + field_size], "little")
    return size + 256 if field_size == 2 else size


def decompress(check, zstd, data, path):
    """The content of the single frame in `data`, or None."""
    declared = frame_content_size(check, data)
    if declared is None:
        return None
    frame_size = zstd.ZSTD_findFrameCompressedSize(data, len(data))
    if zstd.ZSTD_isError(frame_size):
        check.fail(f"zstd: {zstd.ZSTD_getErrorName(frame_size).decode()}")
        return None
    check.equal("bytes after the single zstd frame", len(data) - frame_size, 0)
    out = ctypes.create_string_buffer(max(declared, 1))
    written = zstd.ZSTD_decompress(out, declared, data, frame_size)
    if zstd.ZSTD_isError(written):
        check.fail(f"zstd: {zstd.ZSTD_getErrorName(written).decode()}")
        return None
    check.equal("decompressed size against the frame's content size", written, declared)
    content = out.raw[:written]
    cli = shutil.which("zstd")
    if cli:
        result = subprocess.run([cli, "-d", "-c", "-q", path], capture_output=True)
        check.equal("zstd command exit status", result.returncode, 0)
        check.equal("zstd command output equals libzstd's", result.stdout == content, True)
    return content


def scalar(field_type, part):
    """A manifest-comparable value from one GGUFReader data part (floats as bit patterns)."""
    if field_type == GGUFValueType.STRING:
        return bytes(part).decode("utf-8")
    if field_type == GGUFValueType.FLOAT32:
        return int(part.view(np.uint32)[0])
    if field_type == GGUFValueType.FLOAT64:
        return int(part.view(np.uint64)[0])
    if field_type == GGUFValueType.BOOL:
        return bool(part[0])
    return int(part[0])


def check_keys(check, reader, expected):
    fields = [(name, field) for name, field in reader.fields.items() if not name.startswith("GGUF.")]
    check.equal("GGUF version", int(reader.fields["GGUF.version"].parts[0][0]), 3)
    check.same_list("key order", [name for name, _ in fields], [entry["key"] for entry in expected])
    by_name = dict(fields)
    for entry in expected:
        key = entry["key"]
        field = by_name.get(key)
        if field is None:
            continue  # already reported by the key order
        main = field.types[0]
        if not check.equal(f"type of key {key}", main.name, entry["type"]):
            continue
        if main == GGUFValueType.ARRAY:
            # parts: key length, key bytes, value type, element type, count, elements...
            element = GGUFValueType(int(field.parts[3][0]))
            if not check.equal(f"element type of key {key}", element.name, entry["element_type"]):
                continue
            values = [scalar(element, field.parts[index]) for index in field.data]
            check.same_list(f"value of key {key}", values, entry["value"])
        else:
            check.equal(f"value of key {key}", scalar(main, field.parts[field.data[0]]), entry["value"])


def expected_tensor_values(entry):
    """(numpy view dtype, expected list) for comparing a tensor's data bit for bit."""
    kind = entry["type"]
    if kind == "F32":
        return np.uint32, entry["f32_bits"]
    if kind == "F16":
        with np.errstate(over="ignore"):  # 65520 rounds to infinity, as the writer must too
            halves = np.array(entry["source_f32_bits"], dtype=np.uint32).view(np.float32).astype(np.float16)
        return np.uint16, halves.view(np.uint16).tolist()
    return None, entry["values"]


def check_tensors(check, reader, expected, alignment):
    check.equal("general.alignment as the reader took it", reader.alignment, alignment)
    check.equal("data section offset modulo the alignment", reader.data_offset % alignment, 0)
    check.same_list("tensor order", [t.name for t in reader.tensors], [entry["name"] for entry in expected])
    by_name = {t.name: t for t in reader.tensors}
    for entry in expected:
        tensor = by_name.get(entry["name"])
        if tensor is None:
            continue
        name = entry["name"]
        check.equal(f"type of tensor {name}", tensor.tensor_type.name, entry["type"])
        check.equal(f"dims of tensor {name}", [int(d) for d in tensor.shape], entry["dims"])
        check.equal(f"numpy shape of tensor {name}", list(tensor.data.shape), entry["dims"][::-1])
        check.equal(f"data offset of tensor {name} modulo the alignment", tensor.data_offset % alignment, 0)
        view, values = expected_tensor_values(entry)
        flat = tensor.data.reshape(-1)
        found = (flat.view(view) if view else flat).tolist()
        check.same_list(f"values of tensor {name}", found, values)


def check_file(directory, entry, zstd, scratch):
    check = Check(entry["file"])
    path = os.path.join(directory, entry["file"])
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        check.fail(f"cannot read: {error}")
        return check, ""
    content = decompress(check, zstd, data, path)
    if content is None:
        return check, ""
    gguf_path = os.path.join(scratch, entry["file"] + ".gguf")
    with open(gguf_path, "wb") as handle:
        handle.write(content)
    try:
        reader = GGUFReader(gguf_path)
    except Exception as error:  # the independent reader refused the file
        check.fail(f"gguf.GGUFReader refused it: {error}")
        return check, ""
    check_keys(check, reader, entry["keys"])
    check_tensors(check, reader, entry["tensors"], entry["alignment"])
    types = sorted({t.tensor_type.name for t in reader.tensors})
    summary = (f"{len(entry['keys'])} keys, {len(reader.tensors)} tensors ({', '.join(types)}), "
               f"{len(data)} bytes -> {len(content)} bytes GGUF")
    return check, summary


def run_checks(directory, manifest, zstd, quiet=False):
    """Checks every file the manifest lists; returns the list of differences."""
    problems = []
    with tempfile.TemporaryDirectory() as scratch:
        for entry in manifest["files"]:
            check, summary = check_file(directory, entry, zstd, scratch)
            problems += check.problems
            if not quiet:
                print(f"FAIL {entry['file']}" if check.problems else f"ok   {entry['file']}: {summary}")
    return problems


def canaries(directory, manifest, zstd):
    """Proves the check can fail: each deliberate corruption must be reported.

    Returns the corruptions that went unnoticed (an empty list when the check works).
    """
    def first(m, kind):
        for entry in m["files"]:
            for tensor in entry["tensors"]:
                if tensor["type"] == kind:
                    return entry, tensor
        raise SystemExit(f"check_gguf: no {kind} tensor in the manifest for the canaries")

    def flip_f32_bit(m):
        _, tensor = first(m, "F32")
        tensor["f32_bits"][-1] ^= 1  # lowest mantissa bit of the last value
        return f"expected value of F32 tensor {tensor['name']} off by one ulp"

    def nudge_f16_source(m):
        _, tensor = first(m, "F16")
        value = np.array(tensor["source_f32_bits"][1:2], dtype=np.uint32).view(np.float32)
        tensor["source_f32_bits"][1] = int(np.float32(value[0] * 1.01 + 0.01).view(np.uint32))
        return f"expected value of F16 tensor {tensor['name']} changed by 1%"

    def change_i8(m):
        _, tensor = first(m, "I8")
        tensor["values"][0] = -tensor["values"][0] or 1
        return f"expected value of I8 tensor {tensor['name']} negated"

    def change_key(m):
        entry = m["files"][0]
        key = next(k for k in entry["keys"] if k["type"] == "UINT32")
        key["value"] += 1
        return f"expected value of key {key['key']} plus one"

    def swap_dims(m):
        entry, tensor = first(m, "I8")
        tensor["dims"] = tensor["dims"][::-1]
        return f"expected dims of {tensor['name']} transposed"

    def rename_tensor(m):
        entry = m["files"][-1]
        entry["tensors"][0]["name"] += "_"
        return f"expected name of tensor {entry['tensors'][0]['name'][:-1]} changed"

    unnoticed = []
    for corrupt in [flip_f32_bit, nudge_f16_source, change_i8, change_key, swap_dims, rename_tensor]:
        mutated = json.loads(json.dumps(manifest))
        what = corrupt(mutated)
        problems = run_checks(directory, mutated, zstd, quiet=True)
        if problems:
            print(f"canary ok: {what} -> {problems[0]}")
        else:
            unnoticed.append(what)
    # A damaged file (one byte of the compressed data) instead of a damaged expectation.
    with tempfile.TemporaryDirectory() as copy:
        for entry in manifest["files"]:
            shutil.copy(os.path.join(directory, entry["file"]), copy)
        victim = os.path.join(copy, manifest["files"][0]["file"])
        with open(victim, "r+b") as handle:
            data = bytearray(handle.read())
            data[len(data) // 2] ^= 0x20
            handle.seek(0)
            handle.write(data)
        problems = run_checks(copy, manifest, zstd, quiet=True)
        what = f"one byte flipped in the middle of {manifest['files'][0]['file']}"
        if problems:
            print(f"canary ok: {what} -> {problems[0]}")
        else:
            unnoticed.append(what)
    return unnoticed


def main():
    arguments = [a for a in sys.argv[1:] if a != "--no-canaries"]
    if len(arguments) != 1:
        sys.exit("usage: check_gguf.py [--no-canaries] DIR   (DIR holds .rnnz files and manifest.json)")
    directory = arguments[0]
    with open(os.path.join(directory, "manifest.json"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    if not manifest.get("files"):
        sys.exit("check_gguf: the manifest lists no files")
    zstd = load_zstd()
    if not shutil.which("zstd"):
        print("note: the zstd command is not installed; decompressing with libzstd only")
    problems = run_checks(directory, manifest, zstd)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    if problems:
        print(f"check_gguf: {len(problems)} difference(s) between the files and what the writer was given "
              f"(gguf {importlib.metadata.version('gguf')})", file=sys.stderr)
        return 1
    print(f"check_gguf: {len(manifest['files'])} files agree with the manifest, read by gguf.GGUFReader")
    if "--no-canaries" in sys.argv:
        return 0
    unnoticed = canaries(directory, manifest, zstd)
    for what in unnoticed:
        print(f"check_gguf: canary NOT detected: {what}", file=sys.stderr)
    return 1 if unnoticed else 0


if __name__ == "__main__":
    sys.exit(main())
