#!/usr/bin/env python3
"""Static cycle estimates (llvm-mca) of the C core's hot loops, per step of the HAR-sized
int8 model (9 → LSTM 64 → dense 6), for this tree's Sources/CRuntime and optionally an older
one (--old DIR, e.g. after `git archive <commit> Sources/CRuntime | tar -x -C DIR`).

Each kernel file is compiled with clang -O2 for the target CPU; the innermost loop of each
named function (the block from clang's "Inner Loop Header" label to the branch back to it; compiled
with -fno-unroll-loops so that an iteration is one source iteration)
goes through `llvm-mca -mcpu=CPU`, which reports cycles per iteration in steady state
(operands in L1, perfect branch prediction). Figures per har step: the recurrent product W_hh (256 × 64: whole blocks on both
layouts, so old and new are compared on equal terms), the gate update of the 64 units (old:
the sigmoid and tanh loops over 192 and 128 values; new: the one-pass LSTM loop), and for
the packed trees the whole step's product and gate loops (W_ih 256 × 9, W_hh, head 6 × 64).
The old row-major code's 9-column product and every row tail are scalar or tail code
outside any loop and are not estimated; neither are quantization, the reductions and the
scalar gate loops of the old code, which all favour the old figures. A loop-level
estimate (operands in L1, perfect prediction), not a measurement: it compares layouts on
CPUs this machine does not have. The icx "gates" line of an old tree is the AVX2 loops
(the old avx512-vnni table used them).

usage: scripts/kernel-cycles.py [--old DIR] [--cpu a72|a76|skx|icx ...]
"""
import argparse
import math
import os
import re
import subprocess
import sys
import tempfile

CPUS = {
    "a72": ("aarch64-linux-gnu", "cortex-a72", ["-march=armv8-a"]),
    "a76": ("aarch64-linux-gnu", "cortex-a76", ["-march=armv8.2-a+dotprod"]),
    "skx": ("x86_64-linux-gnu", "skylake-avx512", []),
    "icx": ("x86_64-linux-gnu", "icelake-server", []),
}

H, IN, OUT = 64, 9, 6
ROWS = 4 * H


def compile_asm(tree, source, triple, mcpu, extra):
    clang = os.environ.get("CLANG", "clang")
    with tempfile.NamedTemporaryFile(suffix=".s", delete=False) as out:
        path = out.name
    # -fno-unroll-loops: one loop iteration is one source iteration, so that the
    # iteration counts below hold for every compiler version.
    cmd = [clang, "--target=" + triple, "-mcpu=" + mcpu, *extra, "-std=c11", "-O2", "-fno-unroll-loops", "-S",
           "-I" + os.path.join(tree, "include"), "-I" + tree, os.path.join(tree, source), "-o", path]
    if triple.startswith("x86_64"):
        cmd.remove("-mcpu=" + mcpu)
        cmd.insert(2, "-mtune=" + mcpu)
    subprocess.run(cmd, check=True)
    with open(path) as f:
        text = f.read()
    os.unlink(path)
    return text


def inner_loops(asm, function, comment):
    """The innermost loops of `function` as lists of instruction lines, deepest and longest first."""
    lines = asm.splitlines()
    start = next((i for i, l in enumerate(lines) if re.match(r"^" + re.escape(function) + r":", l)), None)
    if start is None:
        return []
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"^\.Lfunc_end|^\s*\.size\s+" + re.escape(function), lines[i])), len(lines))
    body = lines[start:end]
    loops = []
    for i, l in enumerate(body):
        m = re.search(r"Inner Loop Header: Depth=(\d+)", l)
        if not m:
            continue
        # The header's label: the nearest label line at or above the comment.
        label = None
        for j in range(i, max(i - 6, 0), -1):
            found = re.match(r"^(\.?\w+):", body[j])
            if found:
                label = found.group(1)
                break
        if label is None:
            continue
        block = []
        target = re.compile(r"(?<![\w.])" + re.escape(label) + r"(?!\w)")
        for j in range(i + 1, len(body)):
            ins = body[j].split(comment)[0].rstrip()
            if not ins.strip() or ins.strip().startswith(".") or re.match(r"^\.?\w+:", ins):
                continue
            block.append(ins)
            if target.search(ins):
                break
        loops.append((int(m.group(1)), block))
    # Deepest first, then longest: the row-blocked main loop rather than a one-row tail loop.
    loops.sort(key=lambda t: (-t[0], -len(t[1])))
    return [b for _, b in loops]


def mca_cycles(block, triple, mcpu):
    iterations = 1000
    result = subprocess.run(["llvm-mca", "-mtriple=" + triple, "-mcpu=" + mcpu, "-iterations=%d" % iterations],
                            input="\n".join(block) + "\n", capture_output=True, text=True, check=True)
    total = int(re.search(r"Total Cycles:\s+(\d+)", result.stdout).group(1))
    return total / iterations


def loop_cycles(tree, source, function, cpu, key):
    """Cycles per iteration of the innermost loop of `function` with the most `key` instructions."""
    triple, mcpu, extra = CPUS[cpu]
    comment = "#" if triple.startswith("x86_64") else "//"
    loops = inner_loops(compile_asm(tree, source, triple, mcpu, extra), function, comment)
    count = lambda block: sum(1 for ins in block if re.search(key, ins))
    loops = [b for b in loops if count(b) > 0]
    if not loops:
        raise SystemExit("kernel-cycles: no loop with %s in %s (%s)" % (key, function, source))
    best = max(loops, key=lambda b: (count(b), len(b)))
    return mca_cycles(best, triple, mcpu)


# Per CPU: lanes of a float vector; the row-major product's loop (old trees: file, function,
# key instruction, rows and bytes per iteration); the packed one's (rows and 4-column chunks
# per iteration); the gate loops.
KERNELS = {
    "a72": dict(lanes=4, old=("kernels_neon.c", "rc_neon_matvec_q8", "smull", 4, 16),
                new=("kernels_neon.c", "rc_neon_matvec_q8_packed", "smull", 16, 1),
                act=("kernels_neon.c", "rc_neon_sigmoid", "rc_neon_tanh", "fdiv"),
                lstm=("kernels_neon.c", "rc_neon_lstm_update", "fdiv")),
    "a76": dict(lanes=4, old=("kernels_neon_dotprod.c", "rc_dotprod_matvec_q8", "sdot", 4, 16),
                new=("kernels_neon_dotprod.c", "rc_dotprod_matvec_q8_packed", "sdot", 32, 1),
                act=("kernels_neon.c", "rc_neon_sigmoid", "rc_neon_tanh", "fdiv"),
                lstm=("kernels_neon.c", "rc_neon_lstm_update", "fdiv")),
    "skx": dict(lanes=8, old=("kernels_avx2.c", "rc_avx2_matvec_q8", "vpmaddubsw", 4, 32),
                new=("kernels_avx2.c", "rc_avx2_matvec_q8_packed", "vpmaddubsw", 32, 1),
                act=("kernels_avx2.c", "rc_avx2_sigmoid", "rc_avx2_tanh", "vdivps"),
                lstm=("kernels_avx2.c", "rc_avx2_lstm_update", "vdivps")),
    "icx": dict(lanes=8, old=("kernels_avx512.c", "rc_vnni_matvec_q8", "vpdpbusd", 8, 64),
                new=("kernels_avx512.c", "rc_vnni_matvec_q8_packed", "vpdpbusd", 64, 2),
                act=("kernels_avx2.c", "rc_avx2_sigmoid", "rc_avx2_tanh", "vdivps"),
                lstm=("kernels_avx512.c", "rc_avx512_lstm_update", "vdivps"), new_lanes=16),
}


def estimate(tree, cpu, packed):
    """Cycles of (the 256 × 64 recurrent product, the gate update of 64 units, the whole
    step's products and gates) for one har step; the last is None for row-major trees."""
    k = KERNELS[cpu]
    if not packed:
        source, function, key, rows, width = k["old"]
        c = loop_cycles(tree, source, function, cpu, key)
        product = c * (ROWS // rows) * (H // width)
        source, sig, tanh, key = k["act"]
        lanes = k["lanes"]
        gates = (loop_cycles(tree, source, sig, cpu, key) * 3 * H / lanes
                 + loop_cycles(tree, source, tanh, cpu, key) * 2 * H / lanes)
        return product, gates, None
    source, function, key, rows, per = k["new"]
    c = loop_cycles(tree, source, function, cpu, key)
    iterations = lambda r, cols: math.ceil(math.ceil(cols / 4) / per) * max(math.ceil(r / rows), 1)
    product = c * iterations(ROWS, H)
    source, function, key = k["lstm"]
    gates = loop_cycles(tree, source, function, cpu, key) * H / k.get("new_lanes", k["lanes"])
    step = c * (iterations(ROWS, IN) + iterations(ROWS, H) + iterations(OUT, H)) + gates
    return product, gates, step


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", help="an older Sources/CRuntime tree's parent directory, for before/after")
    parser.add_argument("--cpu", nargs="*", default=list(CPUS))
    args = parser.parse_args()
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    trees = [("now", os.path.join(root, "Sources/CRuntime"))]
    if args.old:
        trees.insert(0, ("old", os.path.join(args.old, "Sources/CRuntime")))
    print("llvm-mca cycles, one har step (9 → LSTM 64 → dense 6, int8); innermost loops only")
    print("%-4s %-5s %16s %16s %14s" % ("cpu", "tree", "W_hh 256×64", "gates (64 units)", "step (loops)"))
    for cpu in args.cpu:
        for name, tree in trees:
            packed = os.path.exists(os.path.join(tree, "pack.c"))
            product, gates, step = estimate(tree, cpu, packed)
            print("%-4s %-5s %16.0f %16.0f %14s" % (cpu, name, product, gates, "—" if step is None else "%.0f" % step))
    return 0


if __name__ == "__main__":
    sys.exit(main())
