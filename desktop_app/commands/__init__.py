"""CLI subcommands, each imported only when used (see desktop_app/cli.py)."""
