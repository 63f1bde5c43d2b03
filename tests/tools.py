"""The external tools some tests need (Chromium, Java, node_modules/...): skip, or fail under CI, without them."""

import os
from pathlib import Path

import pytest

NODE_MODULES = Path(__file__).resolve().parents[1] / "node_modules"


def require_tool(available, reason):
    """Skip a test whose external tool (chromium, java, node_modules/...) is missing.

    Under CI (CI=true) a missing tool is a failure, never a skip.
    """
    if available:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: every test tool must be installed, see .ci/run)", pytrace=False)
    pytest.skip(reason)
