"""The frozen executable's script: PyInstaller starts here (see tkconsole.frozen)."""

import sys

from tkconsole.frozen import main

sys.exit(main())
