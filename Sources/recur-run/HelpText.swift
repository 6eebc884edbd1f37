/// The text of `recur-run --help`.
enum HelpText {
    static let text: StaticString = """
    recur-run — run a Recur model (.rnnz) on a stream: stdin in, one line per result out.

    USAGE
      recur-run MODEL.rnnz [--window N] [--hop N] [--json] [--strict] [--kernels PATH]
      recur-run MODEL.rnnz --verify | --info
      recur-run MODEL.rnnz --bench [--steps N] [--json] [--seed S] [--kernels PATH]
      recur-run LM.rnnz --generate N [--prime TEXT] [--temperature T] [--top-k K] [--seed S]
                        [--max-tunes M]
      recur-run LM.rnnz --score
      recur-run LM.rnnz [--max-tokens N] [--temperature T]     (one continuation per line)
      recur-run S2S.rnnz [--beam K [--alpha A]] [--nbest N] [--truncate] [--json] [--strict]
      recur-run S2S.rnnz --temperature T [--top-k K] [--seed S]  (one translation per line)
      recur-run TEXT.rnnz [--truncate] [--json] [--strict]       (one label per line)
      recur-run IMG.rnnz [--render] [--beam K] [--nbest N] [--json] [--strict]
                                                          (one image path per line)

    FRAMES (classifier, regressor)
      One timestep per line: the model's number of values, separated by commas
      and/or spaces/tabs. Blank lines and lines starting with # are ignored; a first
      line of column names is accepted. Output, flushed per line:
        classifier:  <t> <label> <p>          e.g.  127 WALKING 0.9700
        regressor:   <t> <y0> <y1> ...
      where t is the index of the window's last frame, counted over valid frames from 0.
      --json          JSON lines: {"t": 127, "label": "WALKING", "p": 0.970000, "probs": {...}}
                      (regressor: {"t": 5, "outputs": [...]})
      --window N      frames per window (0: one continuous stream, a result every hop)
      --hop N         frames between results; both default to the model's own values
      --strict        stop at the first malformed line with exit code 65

      SEGMENT models (recur train frames --segments, e.g. mnist-rows.rnnz) classify a
      whole variable-length segment: a blank line ends it, its result is printed
      (t: the segment's last frame) and the state is reset for the next segment; the
      frames after the last blank line are a segment too. --window/--hop do not apply.

      A malformed line (wrong number of values, not a number, NaN/inf, over 1 MiB,
      invalid UTF-8) is reported on stderr with its line number and skipped; results
      keep their indices.

    LANGUAGE MODELS (lm)
      --generate N    print --prime TEXT and N generated tokens; does not read stdin
      --prime TEXT    the text to start from (default: the model's begin token); \\n, \\t
                      and \\\\ in TEXT are a newline, a tab and a backslash
      --max-tunes M   with --generate: stop after M tunes, a tune being text that ends
                      at a blank line (as tunes are separated in an ABC file); only
                      whole tunes are printed, each followed by its blank line, and a
                      tune still open when the N tokens run out is left out (stderr)
      --temperature T sampling temperature (default 1 for --generate, 0 = greedy otherwise)
      --top-k K       sample among the K most probable tokens (default 0: all)
      --seed S        the sampling seed (default 0): same seed, same text, on every machine
      --score         read text on stdin, print the model's bits per character
      --max-tokens N  line mode: at most N tokens per continuation (default 256)
      --allow-unk     let generation produce the unknown token (by default it is never
                      chosen; --score still counts its probability)
      Without --generate or --score: each stdin line is a prompt, and the output line
      is the model's continuation up to a newline or the end token (greedy).

    SEQUENCE TO SEQUENCE (seq2seq)
      One source per input line, one output line per input line, flushed at once
      (greedy decoding by default).
      --beam K        beam search keeping K hypotheses (at most 256)
      --alpha A       beam score = log P / length^A, length counting the end token
                      (default 1; 0 ranks by log P alone)
      --nbest N       print the N best (N ≤ K; a beam of N without --beam): N lines
                      "<score>\t<text>", best first, then an empty line
      --temperature T sample each token at temperature T (> 0) among --top-k K
                      (default all), seeded by --seed S (default 0)
      --truncate      keep the first max-length tokens of a longer line
                      (otherwise the line is reported and skipped)
      --json          {"line": 1, "text": "...", "score": -0.12, "log_prob": -0.48,
                      "finished": true}; with --nbest {"line": 1, "nbest": [{...}, ...]}
      --strict        stop at the first line that cannot be translated (exit 65)
      A line over 1 MiB, not UTF-8, without tokens or over the model's source length
      is reported on stderr with its line number and skipped: its output line is
      empty (--json: {"line": N, "error": "..."}), so outputs stay aligned with inputs.

    IMAGES TO TEXT (image_to_text)
      One image file path per input line, one output line per image, flushed at once,
      decoded as a seq2seq line is (greedy; --beam, --nbest, --alpha, --temperature,
      --top-k, --seed, --json and --strict as above). Images are binary PGM (P5, grey)
      or PPM (P6, RGB) of exactly the model's size and channels (--info); other formats:
      convert x.png -resize 64x64! x.ppm  (ImageMagick) or  pngtopnm x.png > x.ppm.
      --render        print the model's render table text (e.g. an HTML page) instead
                      of the tokens
      An image that cannot be read (missing, not PGM/PPM, cut short, another size) is
      reported on stderr with its line number and path and skipped (empty output line).

    TEXT CLASSIFIERS (text_classifier)
      One text per input line, one output line per input line, flushed at once:
        <label> <p>          e.g.  sports 0.9731
      The line loses its leading and trailing whitespace and is split into tokens by
      the model's tokenizer (char, word or char_bigram); text outside the vocabulary
      becomes the unknown token.
      --json          {"line": 1, "label": "sports", "p": 0.973100, "probs": {...}}
      --truncate      classify the first max-length tokens of a longer line
                      (otherwise the line is reported and skipped)
      --strict        stop at the first line that cannot be classified (exit 65)
      A line over 1 MiB, not UTF-8, without tokens, over the model's max length, or
      whose tokens are all unknown is reported on stderr with its line number and
      skipped: its output line is empty (--json: {"line": N, "error": "..."}), so
      outputs stay aligned with inputs.

    CHECKS
      --verify        recompute the self-test vectors inside the file, compare bit for bit
      --info          task, layers, sizes, labels, windowing (seq2seq: vocabularies,
                      limits, encoder, decoder, attention; text classifier:
                      vocabulary, tokenizer, max length, pooling) and the kernel path
      --bench         time the model on this machine: load, a warm-up, then N steps
                      (--steps, default 10000; seq2seq: 200 translations, image_to_text:
                      200 images; text
                      classifier: 1000 lines, each of 32 random token ids, fewer when
                      the model's max length is shorter) on seeded random
                      frames/tokens/sources, a result every step (window 0, hop 1);
                      prints p50/p90/p99 ns per step, steps/s, peak RSS and the
                      kernel path (--json: one JSON object)
      --kernels PATH  best (default), scalar, avx2, avx512-vnni, neon, neon-dotprod,
                      armv7-neon
      --version       the version of Recur
      -h, --help      this text

    EXIT CODES
      0 ok (also when the reader of stdout goes away)   64 usage
      65 malformed input under --strict   66 model unreadable, invalid or failing --verify
      70 internal error, or reading stdin / writing stdout failed

    EXAMPLES
      imu-reader | recur-run har.rnnz
      recur-run har.rnnz --window 128 --hop 32 --json < walk.csv
      recur-run har.rnnz --verify
      recur-run har.rnnz --bench --steps 100000
      recur-run lm.rnnz --generate 300 --prime "The " --temperature 0.8 --top-k 20 --seed 7
      recur-run lm.rnnz --score < held-out.txt
      recur-run folk.rnnz --generate 2000 --prime "X:1\\n" --max-tunes 1 --seed 4
      echo "24+654" | recur-run addition.rnnz
      recur-run en-es.rnnz --beam 5 --nbest 3 < sentences.txt
      recur-run news-zh.rnnz --json < headlines.txt
      ls shots/*.pgm | recur-run gui2html.rnnz --render

    """
}
