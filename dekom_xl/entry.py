"""The ``dekom-xl`` program's entry point: Ctrl-C (or SIGTERM) while the program is still
starting up ends it quietly, in bokmål, before anything is read or written.

Kept tiny on purpose: it installs the handlers first, then imports the command line.
"""

import signal
import sys


def _starting(signum, frame):
    message = "Avbrutt før noe ble lest eller skrevet. Arbeidsboken er uendret."
    if "--json" in sys.argv[1:]:
        import json

        print(json.dumps({"problems": [{"code": "interrupted", "severity": "feil",
                                        "message": message, "network": None, "file": None,
                                        "sheet": None, "cell": None}], "summary": None},
                         ensure_ascii=False))
    print(f"feil [interrupted]: {message}", file=sys.stderr)
    raise SystemExit(2)


def main() -> int:
    """Run ``dekom-xl``: quiet interrupts while importing, then :func:`dekom_xl.cli.main`."""
    signal.signal(signal.SIGINT, _starting)
    signal.signal(signal.SIGTERM, _starting)
    from dekom_xl.cli import main as run

    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C is KeyboardInterrupt again
    return run()


if __name__ == "__main__":
    sys.exit(main())
