"""The ``exoreview`` command line: one subcommand a module in ``exoreview/commands/``.

Exit status: 0 done, 1 invalid input (every problem printed, one a line), 2 usage error (a bad
option, or an evidence folder, input file or output path that is missing, of the wrong kind or
cannot be read or written). A user's mistake never shows a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import keyword
import sys
from collections.abc import Sequence
from typing import NoReturn

from .core.paths import require_folder
from .core.yamlio import os_error_line
from .errors import EvidenceError, ExoreviewError, UsageError

# subcommand → module in exoreview.commands (each has HELP, add_arguments(parser), run(args))
COMMANDS: tuple[str, ...] = (
    "validate",
    "list",
    "quality",
    "effects",
    "report",
    "import",
    "screen",
    "prisma",
    "grade",
    "audit",
    "changes",
)

# commands that do not need a readable evidence folder up front: `validate` reports a missing
# folder as a problem (exit 1); `screen reasons` prints a fixed list
NO_EVIDENCE_CHECK: frozenset[str] = frozenset({"validate", "screen reasons"})


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors: exit 2 with one clear line
        self.exit(2, f"{self.prog}: error: {message}; see `{self.prog} --help`\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="exoreview", description="Evidence review of exosomes / EVs for hair loss.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        module = name.replace("-", "_")
        module += "_" if keyword.iskeyword(module) else ""  # `import` → commands/import_.py
        mod = importlib.import_module(f".commands.{module}", __package__)
        p = sub.add_parser(name, help=mod.HELP, description=mod.HELP)
        p.add_argument(
            "--evidence", metavar="DIR", default="evidence", help="evidence folder (default: ./evidence)"
        )
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run, _parser=p)
        for action in p._actions:  # subcommands of a subcommand (`screen decide`) name themselves
            if isinstance(action, argparse._SubParsersAction):
                for a in action.choices.values():
                    a.set_defaults(_parser=a)
    return parser


def _name(args: argparse.Namespace) -> str:
    """'list', or 'screen decide' for a subcommand with an action."""
    action = getattr(args, "action", None)
    return f"{args.command} {action}" if action else str(args.command)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # name the subcommand whose options were wrong, not the top-level parser
        getattr(args, "_parser", parser).error(f"unrecognized arguments: {' '.join(extra)}")
    if not getattr(args, "_run", None):
        print(
            f"exoreview: error: no command given; choose one of {', '.join(COMMANDS)}; "
            "see `exoreview --help`",
            file=sys.stderr,
        )
        return 2
    name = _name(args)
    try:
        if name not in NO_EVIDENCE_CHECK:
            require_folder(args.evidence)  # missing, a file, unreadable, not an evidence folder
        return int(args._run(args) or 0)
    except EvidenceError as err:
        for problem in err.problems:
            print(str(problem).lstrip(": "), file=sys.stderr)
        n = len(err.problems)
        print(f"{n} problem{'s' if n != 1 else ''}; nothing was written.", file=sys.stderr)
        return 1
    except UsageError as err:  # one line a problem, each naming the command
        for line in str(err).splitlines() or [""]:
            print(f"exoreview {name}: {line}", file=sys.stderr)
        return 2
    except ExoreviewError as err:
        print(f"exoreview {name}: {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except OSError as err:  # a path of the user's that cannot be read or written: one line, exit 2
        print(f"exoreview {name}: {os_error_line(err)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; nothing half-written was kept.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
