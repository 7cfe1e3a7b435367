"""The command line: `cli` parses and dispatches; `check`, `serve` and `progress`
are the commands (and the progress bar) too long to live in it."""
