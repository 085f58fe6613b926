"""The HS engine stays framework-free."""

from __future__ import annotations

import subprocess
import sys


def test_hs_engine_imports_without_django() -> None:
    code = (
        "import sys; import ivcs.engines.hs.search, ivcs.engines.hs.calibration; "
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
