"""`python -m bot.cli`: the `tachawor` command without its installed script."""

import sys

from bot.cli import main

sys.exit(main())
