"""``python -m dekom_xl`` runs the command line (quiet if interrupted while starting)."""

import sys

from dekom_xl.entry import main

sys.exit(main())
