"""Sub-command module (being written)."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    """Add this module's sub-commands to ``subparsers``."""
    _ = (subparsers, argparse)
