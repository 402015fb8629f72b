#!/usr/bin/env python3
"""Build and publish the disclosure site: see README.md, or run with --help."""
import sys

from gongshi.cli import main

if __name__ == "__main__":
    sys.exit(main())
