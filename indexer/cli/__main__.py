"""``python -m indexer.cli``: the same as the ``vanban`` console script."""

import sys

from indexer.cli import main

sys.exit(main())
