"""Make the real parts that some tests need available, where this machine allows it.

Browser journeys need Debian's Chromium (/usr/bin/chromium); the catalogue-completeness test needs
GNU gettext (xgettext). As root on Debian/Ubuntu this installs them with apt-get; elsewhere it says
what will be skipped and how to enable it. It never fails the run by itself: the tests decide (and
with IVCS_REQUIRE_REAL_PARTS=1, as in CI, a missing part fails them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

NEEDS = {"chromium": "/usr/bin/chromium", "gettext": "xgettext"}


def missing() -> list[str]:
    return [package for package, probe in NEEDS.items() if not (os.path.exists(probe) or shutil.which(probe))]


def main() -> int:
    lacking = missing()
    if not lacking:
        return 0
    can_apt = shutil.which("apt-get") is not None and hasattr(os, "geteuid") and os.geteuid() == 0
    if can_apt and os.environ.get("IVCS_NO_APT") != "1":
        print(f"installing test tools with apt-get: {' '.join(lacking)}", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        apt = shutil.which("apt-get") or "apt-get"
        subprocess.run([apt, "update", "-qq"], check=False, env=env)  # noqa: S603
        subprocess.run([apt, "install", "-y", "-qq", "--no-install-recommends", *lacking], check=False, env=env)  # noqa: S603
        lacking = missing()
    for package in lacking:
        print(
            f"note: {package} is not installed; the tests that need it will be skipped. "
            f"Install it (Debian: apt-get install {package}) to run them.",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
