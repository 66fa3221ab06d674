"""What every command shares: a subcommand's parser, and the refusal to write into data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["command", "writes_into_data"]


def command(sub, name: str, help: str, description: str, epilog: str):
    """Add the subcommand ``name`` to ``sub``, its description and examples as written."""
    return sub.add_parser(name, help=help, description=description, epilog=epilog,
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def writes_into_data(out: Path, data_dir: Path | None = None) -> bool:
    """Print an error and return True when ``out`` is inside a data folder: no command
    rewrites the data."""
    from coopstats.dataset._atomic import refuse_data_dir
    from coopstats.dataset.locations import data_dir as default_data
    from coopstats.dataset.locations import shipped_data_dir

    reason = refuse_data_dir(out, shipped_data_dir(), default_data(), data_dir)
    if reason:
        print(f"coopstats: {reason}", file=sys.stderr)
    return reason is not None
