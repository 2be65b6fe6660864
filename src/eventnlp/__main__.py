"""``python -m eventnlp`` (and ``accelerate launch -m eventnlp tag ...``)."""

import sys

from .cli import main

sys.exit(main())
