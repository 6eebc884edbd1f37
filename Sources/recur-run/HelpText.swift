/// The text of `recur-run --help`.
enum HelpText {
    static let text: StaticString = """
    recur-run — run a Recur model (.rnnz) on a stream: stdin in, one line per result out.

    USAGE
      recur-run MODEL.rnnz [--window N] [--hop N] [--json] [--strict] [--kernels PATH]
      recur-run MODEL.rnnz --verify | --info
      recur-run LM.rnnz --generate N [--prime TEXT] [--temperature T] [--top-k K] [--seed S]
      recur-run LM.rnnz --score
      recur-run LM.rnnz [--max-tokens N] [--temperature T]     (one continuation per line)

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

      A malformed line (wrong number of values, not a number, NaN/inf, over 1 MiB,
      invalid UTF-8) is reported on stderr with its line number and skipped; results
      keep their indices.

    LANGUAGE MODELS (lm)
      --generate N    print --prime TEXT and N generated tokens; does not read stdin
      --prime TEXT    the text to start from (default: the model's begin token)
      --temperature T sampling temperature (default 1 for --generate, 0 = greedy otherwise)
      --top-k K       sample among the K most probable tokens (default 0: all)
      --seed S        the sampling seed (default 0): same seed, same text, on every machine
      --score         read text on stdin, print the model's bits per character
      --max-tokens N  line mode: at most N tokens per continuation (default 256)
      Without --generate or --score: each stdin line is a prompt, and the output line
      is the model's continuation up to a newline or the end token (greedy).

    CHECKS
      --verify        recompute the self-test vectors inside the file, compare bit for bit
      --info          task, layers, sizes, labels, windowing and the kernel path in use
      --kernels PATH  best (default), scalar, avx2, avx512-vnni, neon, neon-dotprod,
                      armv7-neon
      -h, --help      this text

    EXIT CODES
      0 ok (also when the reader of stdout goes away)   64 usage
      65 malformed input under --strict   66 model unreadable, invalid or failing --verify
      70 internal error, or reading stdin / writing stdout failed

    EXAMPLES
      imu-reader | recur-run har.rnnz
      recur-run har.rnnz --window 128 --hop 32 --json < walk.csv
      recur-run har.rnnz --verify
      recur-run lm.rnnz --generate 300 --prime "The " --temperature 0.8 --top-k 20 --seed 7
      recur-run lm.rnnz --score < held-out.txt
      echo "24+654" | recur-run add.rnnz

    """
}
