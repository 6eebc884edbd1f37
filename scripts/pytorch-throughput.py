#!/usr/bin/env python3
"""PyTorch CPU training throughput on the shapes of Recur's TrainingBenchmarks.

The reference the trainer is measured against (docs/TRAINING.md, "Training throughput"):

  classifier  LSTM(9 -> 64) + Linear(64 -> 6), batch 64, sequence 128, cross-entropy on the
              last step: samples per second.
  charlm      Embedding(65, 64) -> LSTM(64 -> 256) -> Linear(256 -> 65), batch 32, 100 steps of
              truncated BPTT (state carried, detached), cross-entropy at every step:
              characters per second.

Every step is what Recur's training loop does: zero the gradients, forward, loss, backward,
global-norm clipping at 5, Adam. Inputs are seeded random data of the same shapes (speed does
not depend on the values). Threads are fixed with torch.set_num_threads (default 2).

Usage: python3 scripts/pytorch-throughput.py [--threads 2] [--seconds 10] [--workload all]
Install: pip install torch   (a CPU build is enough; CUDA is never used)
"""
import argparse
import time

import torch
import torch.nn as nn


class Classifier(nn.Module):
    def __init__(self, features=9, hidden=64, classes=6):
        super().__init__()
        self.lstm = nn.LSTM(features, hidden, batch_first=True)
        self.head = nn.Linear(hidden, classes)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1, :])


class CharLM(nn.Module):
    def __init__(self, vocabulary=65, embedding=64, hidden=256):
        super().__init__()
        self.embed = nn.Embedding(vocabulary, embedding)
        self.lstm = nn.LSTM(embedding, hidden, batch_first=True)
        self.head = nn.Linear(hidden, vocabulary)

    def forward(self, tokens, state):
        out, state = self.lstm(self.embed(tokens), state)
        return self.head(out), state


def timed(step, seconds, warmup=3):
    """Runs `step` warmup times, then for at least `seconds` and 5 steps.

    Returns (steps, wall seconds, process CPU seconds). On a shared machine the CPU time shows
    how much work a step is, the wall time what a user waits."""
    for _ in range(warmup):
        step()
    count, start, cpu = 0, time.perf_counter(), time.process_time()
    while True:
        step()
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds and count >= 5:
            return count, elapsed, time.process_time() - cpu


def classifier(seconds):
    batch, steps, features, classes = 64, 128, 9, 6
    g = torch.Generator().manual_seed(1)
    model = Classifier()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(batch, steps, features, generator=g)
    y = torch.randint(0, classes, (batch,), generator=g)

    def step():
        optimizer.zero_grad(set_to_none=False)
        loss = loss_fn(model(x), y)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()

    return report(batch, *timed(step, seconds))


def report(items_per_step, count, elapsed, cpu):
    return items_per_step * count / elapsed, items_per_step * count / cpu, count, elapsed, cpu


def charlm(seconds):
    batch, steps, vocabulary, hidden = 32, 100, 65, 256
    g = torch.Generator().manual_seed(2)
    model = CharLM()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    tokens = torch.randint(0, vocabulary, (batch, steps), generator=g)
    targets = torch.randint(0, vocabulary, (batch, steps), generator=g)
    state = [None]

    def step():
        optimizer.zero_grad(set_to_none=False)
        carried = None if state[0] is None else tuple(s.detach() for s in state[0])
        logits, new_state = model(tokens, carried)
        loss = loss_fn(logits.reshape(-1, vocabulary), targets.reshape(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()
        state[0] = new_state

    return report(batch * steps, *timed(step, seconds))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time per workload")
    parser.add_argument("--workload", choices=["all", "classifier", "charlm"], default="all")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    if args.workload in ("all", "classifier"):
        rate, per_cpu, count, elapsed, cpu = classifier(args.seconds)
        print(f"classifier LSTM(9->64)+Dense(6) b64 T128: {rate:.0f} samples/s, {per_cpu:.0f} per CPU-second "
              f"({count} steps in {elapsed:.2f} s, {cpu:.2f} CPU-s)")
    if args.workload in ("all", "charlm"):
        rate, per_cpu, count, elapsed, cpu = charlm(args.seconds)
        print(f"charlm E64 LSTM(256) V65 b32 T100: {rate:.0f} chars/s, {per_cpu:.0f} per CPU-second "
              f"({count} steps in {elapsed:.2f} s, {cpu:.2f} CPU-s)")


if __name__ == "__main__":
    main()
