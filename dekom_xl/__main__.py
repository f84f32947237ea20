"""``python -m dekom_xl`` runs the command line."""

import sys

from dekom_xl.cli import main

sys.exit(main())
