"""The Python module against recur-run on the shipped models (scripts/check-capi runs this).

RECUR_RUN names the recur-run binary (default: .build/release/recur-run, else .build/debug).
"""
import itertools
import json
import math
import os
import subprocess
import sys
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "python"))
import recur  # noqa: E402

MODELS = os.path.join(ROOT, "models")
SAMPLE = os.path.join(MODELS, "samples", "hapt-exp04-user02.txt")
FRAMES = 3000  # of the sample's 16565: 45 HAR windows


def recur_run():
    for path in (os.environ.get("RECUR_RUN"), os.path.join(ROOT, ".build", "release", "recur-run"),
                 os.path.join(ROOT, ".build", "debug", "recur-run")):
        if path and os.path.exists(path):
            return path
    raise unittest.SkipTest("no recur-run binary: swift build first")


def run(*arguments, stdin=""):
    return subprocess.run([recur_run(), *arguments], input=stdin, capture_output=True, text=True, check=True).stdout


def sample_lines():
    with open(SAMPLE) as f:
        return list(itertools.islice(f, FRAMES))


class VersionTests(unittest.TestCase):
    def test_the_library_and_recur_run_agree(self):
        self.assertEqual(recur.version(), run("--version").strip())


class FrameModelTests(unittest.TestCase):
    def check_against_recur_run(self, name):
        lines = sample_lines()
        expected = [json.loads(line) for line in run(os.path.join(MODELS, name), "--json", stdin="".join(lines)).splitlines()]
        model = recur.Model(os.path.join(MODELS, name))
        session = model.session()
        results = [r for r in (session.step([float(v) for v in line.split()]) for line in lines) if r is not None]
        self.assertEqual(len(results), len(expected))
        self.assertGreater(len(results), 10)
        for result, line in zip(results, expected):
            self.assertEqual(result.sample_index, line["t"])
            self.assertEqual(model.labels[result.label], line["label"])
            for label, p in zip(model.labels, result.outputs):
                # recur-run prints 6 decimals.
                self.assertAlmostEqual(float(p), line["probs"][label], delta=5.1e-7)

    def test_har_matches_recur_run(self):
        self.check_against_recur_run("har.rnnz")

    def test_har_f32_matches_recur_run(self):
        self.check_against_recur_run("har.f32.rnnz")

    def test_describes_the_model_like_info(self):
        model = recur.Model(os.path.join(MODELS, "har.rnnz"))
        info = run(os.path.join(MODELS, "har.rnnz"), "--info")
        self.assertEqual(model.task, "classifier")
        self.assertIn("task: classifier", info)
        for kind, inputs, outputs in model.layers:
            self.assertIn("%s %d -> %d" % (kind, inputs, outputs), info)
        self.assertIn("bit-identical", model.verify())

    def test_reset_starts_the_stream_again(self):
        model = recur.Model(os.path.join(MODELS, "har.rnnz"))
        session = model.session(window=16, hop=16)
        frames = [[float(v) for v in line.split()] for line in sample_lines()[:32]]
        first = [session.step(f) for f in frames]
        session.reset()
        again = [session.step(f) for f in frames]
        self.assertEqual([r.sample_index for r in first if r], [15, 31])
        self.assertEqual([list(r.outputs) for r in first if r], [list(r.outputs) for r in again if r])

    def test_bytes_open_like_paths(self):
        with open(os.path.join(MODELS, "har.rnnz"), "rb") as f:
            model = recur.Model(data=f.read())
        self.assertEqual(model.frame_size, 6)

    def test_errors_carry_status_and_message(self):
        with self.assertRaises(recur.RecurError) as caught:
            recur.Model("/nonexistent.rnnz")
        self.assertEqual(caught.exception.kind, "file error")
        self.assertIn("/nonexistent.rnnz", str(caught.exception))
        with self.assertRaises(recur.RecurError) as caught:
            recur.Model(data=b"not a model")
        self.assertEqual(caught.exception.kind, "bad model")
        session = recur.Model(os.path.join(MODELS, "har.rnnz")).session()
        with self.assertRaises(recur.RecurError) as caught:
            session.step([1.0, 2.0])
        self.assertEqual(caught.exception.kind, "bad input")
        with self.assertRaises(recur.RecurError) as caught:
            session.feed(3)
        self.assertEqual(caught.exception.kind, "wrong task")


class LanguageModelTests(unittest.TestCase):
    def setUp(self):
        self.path = os.path.join(MODELS, "anna.rnnz")
        self.model = recur.Model(self.path)

    def test_greedy_generation_matches_recur_run(self):
        prime, count = "The ", 60
        expected = run(self.path, "--generate", str(count), "--prime", prime, "--temperature", "0")
        session = self.model.session()
        for token in self.model.encode(prime):
            session.feed(token)
        text = prime
        for _ in range(count):
            token = session.greedy()
            text += self.model.vocabulary[token]
            session.feed(token)
        self.assertEqual(text, expected.rstrip("\n"))

    def test_score_matches_recur_run(self):
        line = "She had not been there for a long time, and the house was quiet."
        expected = json.loads(run(self.path, "--score", "--json", stdin=line + "\n"))
        tokens = self.model.encode(line + "\n")
        session = self.model.session()
        bits = 0.0
        session.feed(tokens[0])
        for token in tokens[1:]:
            p = max(float(session.probabilities()[token]), 1.1754944e-38)
            bits -= math.log2(p)
            session.feed(token)
        self.assertEqual(expected["characters"], len(tokens) - 1)
        self.assertAlmostEqual(bits / (len(tokens) - 1), expected["bits_per_character"], delta=1e-5)

    def test_probabilities_sum_to_one(self):
        session = self.model.session()
        session.feed(self.model.encode("a")[0])
        self.assertAlmostEqual(sum(float(p) for p in session.probabilities()), 1.0, delta=1e-4)
        self.assertEqual(len(session.probabilities()), len(self.model.vocabulary))


class LoadOnlyTests(unittest.TestCase):
    """Tasks without a C session: they open, name their task, verify, and refuse a session."""

    def test_text_classifier_and_memory_network(self):
        for name, task in (("news-zh.rnnz", "text_classifier"), ("babi-qa1.rnnz", "memory_qa")):
            model = recur.Model(os.path.join(MODELS, name))
            self.assertEqual(model.task, task)
            self.assertIn("bit-identical", model.verify())
            with self.assertRaises(recur.RecurError) as caught:
                model.session()
            self.assertEqual(caught.exception.kind, "wrong task")


if __name__ == "__main__":
    unittest.main()
