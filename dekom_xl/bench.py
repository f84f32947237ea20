"""``python -m dekom_xl.bench --json``: the benchmark's stable entry point.

The harness lives in :mod:`dekom_xl.tools.bench`.
"""

import sys

from dekom_xl.tools.bench import main

if __name__ == "__main__":
    sys.exit(main())
