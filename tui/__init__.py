"""newsdeck: a terminal news reader over a directory of articles."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsdeck")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+checkout"
