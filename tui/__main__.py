"""Allow `python -m tui`."""

from tui.cli import main

# Guarded: a process started fresh by multiprocessing (`stories_apart`) imports this module
# again under another name, and must not open a second reader.
if __name__ == "__main__":
    raise SystemExit(main())
