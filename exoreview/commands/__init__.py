"""Subcommands of the ``exoreview`` CLI, one a module (see ``exoreview.cli.COMMANDS``)."""
