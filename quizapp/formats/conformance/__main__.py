"""`python -m quizapp.formats.conformance [PATH]`."""

import sys

from quizapp.formats.conformance import main

sys.exit(main())
