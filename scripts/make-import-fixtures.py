#!/usr/bin/env python3
"""Makes the PyTorch parity fixtures of `recur import` (Tests/TrainerTests/Fixtures/import).

Run once, by hand, with PyTorch and safetensors installed (pip install torch safetensors);
the outputs are committed and CI never needs PyTorch. For each model it writes
  NAME.safetensors   the state dict, as safetensors.torch.save_file writes it
  NAME.json          the import options, the inputs and PyTorch's outputs for them
Outputs follow Recur's result rules (docs/RUNTIME.md): a classifier gives softmax(fc(h_last))
for every window of `window` frames starting every `hop` frames, each window run from a zero
state; a continuous regressor (window 0, hop 1) gives fc(h_t) after every frame of one
stream; an lm gives softmax(logits) after every token.

Usage: scripts/make-import-fixtures.py [OUTPUT_DIR]
"""
import json
import os
import sys

import torch
from safetensors.torch import save_file

torch.manual_seed(20261205)
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), "..", "Tests", "TrainerTests", "Fixtures", "import")
os.makedirs(out, exist_ok=True)


def floats(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def write(name, module, info):
    save_file({k: v.contiguous() for k, v in module.state_dict().items()}, os.path.join(out, name + ".safetensors"))
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(info, f, indent=1)
        f.write("\n")


class Classifier(torch.nn.Module):
    """nn.LSTM + nn.Linear, classifying the last hidden state of each window."""

    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(3, 8, batch_first=True)
        self.fc = torch.nn.Linear(8, 4)

    def forward(self, x):
        h, _ = self.lstm(x)
        return torch.softmax(self.fc(h[:, -1]), dim=-1)


class Regressor(torch.nn.Module):
    """A 2-layer nn.GRU + nn.Linear, one output vector per frame."""

    def __init__(self):
        super().__init__()
        self.gru = torch.nn.GRU(2, 6, num_layers=2, batch_first=True)
        self.head = torch.nn.Linear(6, 2)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.head(h)


class LanguageModel(torch.nn.Module):
    """nn.Embedding + nn.LSTM + nn.Linear over a character vocabulary."""

    def __init__(self, vocabulary):
        super().__init__()
        self.embed = torch.nn.Embedding(vocabulary, 5)
        self.lstm = torch.nn.LSTM(5, 10, batch_first=True)
        self.out = torch.nn.Linear(10, vocabulary)

    def forward(self, tokens):
        h, _ = self.lstm(self.embed(tokens))
        return torch.softmax(self.out(h), dim=-1)


with torch.no_grad():
    # LSTM classifier: normalized input, window 8, hop 4 over 20 frames → 4 results.
    model = Classifier()
    mean = torch.tensor([0.5, -1.0, 2.0])
    std = torch.tensor([2.0, 0.5, 1.5])
    frames = mean + std * torch.randn(20, 3)
    window, hop = 8, 4
    results = []
    for start in range(0, 20 - window + 1, hop):
        x = ((frames[start:start + window] - mean) / std).unsqueeze(0)
        results.append(model(x)[0])
    write("lstm-classifier", model, {
        "task": "classifier", "labels": ["a", "b", "c", "d"], "window": window, "hop": hop,
        "mean": floats(mean), "std": floats(std),
        "inputs": floats(frames), "outputs": floats(torch.stack(results)),
    })

    # 2-layer GRU regressor: one continuous stream of 15 frames, a result after each.
    model = Regressor()
    frames = torch.randn(15, 2)
    write("gru-regressor", model, {
        "task": "regressor", "window": 0, "hop": 1,
        "inputs": floats(frames), "outputs": floats(model(frames.unsqueeze(0))[0]),
    })

    # Embedding + LSTM lm: 16 tokens, the next-token distribution after each.
    vocabulary = ["\n", " ", "a", "b", "c", "d", "e", "h", "l", "o", "r", "t"]
    model = LanguageModel(len(vocabulary))
    tokens = torch.randint(0, len(vocabulary), (16,))
    write("embedding-lstm-lm", model, {
        "task": "lm", "vocab": vocabulary,
        "tokens": [int(t) for t in tokens.tolist()], "outputs": floats(model(tokens.unsqueeze(0))[0]),
    })
print("wrote the fixtures in", os.path.abspath(out))
