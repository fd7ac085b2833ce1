"""Command line: ``python -m cnnrnn.autocorrect [--model PATH] [--top K] [WORD ...]`` corrects
words, ``python -m cnnrnn.autocorrect train [--out PATH]`` trains a model.

With words, it writes one line per word. With none, it reads standard input line by line (a word
or a line of text) and writes one line per line read, in order: read from a terminal, each line is
answered at once; read from a pipe or a file, lines are corrected a block at a time. Errors (a
model file that is missing or unreadable, pyspellchecker not installed) are one line on standard
error and exit status 2, never a traceback. To correct the word "train" itself, put ``--`` first.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

BLOCK_LINES = 1000


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def correct_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cnnrnn.autocorrect",
        description="Correct misspelled English words. Known words, digits, punctuation and "
                    "capitalization are kept. 'python -m cnnrnn.autocorrect train --help' "
                    "trains a model.")
    parser.add_argument("--model", type=Path, default=None,
                        help="a model saved by 'train' (default: the one shipped with cnnrnn)")
    parser.add_argument("--top", type=_positive, default=1, metavar="K",
                        help="write the K best corrections of each changed word, joined by '|'")
    parser.add_argument("words", nargs="*", metavar="WORD",
                        help="words to correct (default: read lines from standard input)")
    args = parser.parse_args(argv)
    _quiet_keras()
    from cnnrnn.autocorrect.model import Corrector
    from cnnrnn.autocorrect.text import correct_lines
    corrector = Corrector.load(args.model)
    out = sys.stdout.buffer
    if args.words:
        for line in correct_lines(corrector, args.words, args.top):
            out.write(_encode(line) + b"\n")
        out.flush()
        return 0
    interactive = sys.stdin.isatty()
    block: list[bytes] = []
    for raw in sys.stdin.buffer:
        block.append(raw)
        if interactive or len(block) >= BLOCK_LINES:
            _write_block(corrector, block, args.top, out)
            block = []
    _write_block(corrector, block, args.top, out)
    return 0


def _quiet_keras() -> None:
    # TensorFlow's start-up lines on stderr are noise to a user of a command-line tool
    from cnnrnn.runtime import import_keras_quietly, quiet_tensorflow
    quiet_tensorflow()
    import_keras_quietly()


def _encode(text: str) -> bytes:
    # surrogateescape gives back the exact bytes of input that was not valid UTF-8
    return text.encode("utf-8", "surrogateescape")


def _write_block(corrector, block: list[bytes], top: int, out) -> None:
    from cnnrnn.autocorrect.text import correct_lines
    if not block:
        return
    bodies, endings = [], []
    for raw in block:
        body = raw.rstrip(b"\r\n")
        bodies.append(body.decode("utf-8", "surrogateescape"))
        endings.append(raw[len(body):] or b"\n")
    for line, ending in zip(correct_lines(corrector, bodies, top), endings):
        out.write(_encode(line) + ending)
    out.flush()


def train_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cnnrnn.autocorrect train",
        description="Train the corrector on synthetic misspellings of pyspellchecker's English "
                    "word list, report it on Norvig's real misspellings, and save it. The "
                    "defaults reproduce the model shipped with cnnrnn.")
    parser.add_argument("--out", type=Path, default=Path("autocorrect_model.npz"),
                        help="where to save the model (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fast", action="store_true",
                        help="a small run for tests (also when CNNRNN_FAST=1)")
    args = parser.parse_args(argv)
    _quiet_keras()
    from cnnrnn.autocorrect.model import evaluate, train, training_recipe
    from cnnrnn.data import DataError, load_misspellings
    fast = args.fast or os.environ.get("CNNRNN_FAST", "0") not in ("", "0")
    recipe = training_recipe(fast)
    print(f"training ({'fast' if fast else 'full'} recipe: {recipe})", flush=True)
    corrector, record = train(seed=args.seed, **recipe)
    print(f"trained on {record['train_lists']} synthetic misspellings in "
          f"{record['fit_seconds']:.0f} s; synthetic validation accuracy "
          f"{record['history']['val_accuracy'][-1]:.3f}", flush=True)
    path = corrector.save(args.out)   # first: a failed evaluation must not lose the model
    print(f"saved {path} ({path.stat().st_size / 1e6:.2f} MB); use it with "
          f"python -m cnnrnn.autocorrect --model {path} WORD ...", flush=True)
    for name in ("norvig1", "norvig2"):
        try:
            pairs = load_misspellings(name)
        except DataError as err:   # e.g. offline, away from a clone: the model is saved anyway
            print(f"not evaluated on {name}: {err}", file=sys.stderr)
            continue
        result = evaluate(corrector, pairs)
        print(f"{name}: top-1 {result['top1']:.3f}, top-3 {result['top3']:.3f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from cnnrnn.autocorrect.model import ModelFileError
    from cnnrnn.autocorrect.vocabulary import MissingDependencyError
    try:
        if argv[:1] == ["train"]:
            return train_main(argv[1:])
        return correct_main(argv)
    except (ModelFileError, MissingDependencyError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `| head`): stop quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
