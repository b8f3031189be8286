"""The ``exoreview`` command line: one subcommand a module in ``exoreview/commands/``.

Exit status: 0 done, 1 invalid input (every problem printed, one a line), 2 usage error.
A user's mistake never shows a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import keyword
import sys
from collections.abc import Sequence

from .errors import EvidenceError, ExoreviewError, UsageError

# subcommand → module in exoreview.commands (each has HELP, add_arguments(parser), run(args))
COMMANDS: tuple[str, ...] = ("validate", "list", "quality", "report", "import", "screen", "prisma", "grade", "audit")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors: exit 2 with one clear line
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="exoreview", description="Evidence review of exosomes / EVs for hair loss.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        module = name.replace('-', '_')
        module += "_" if keyword.iskeyword(module) else ""  # `import` → commands/import_.py
        mod = importlib.import_module(f".commands.{module}", __package__)
        p = sub.add_parser(name, help=mod.HELP, description=mod.HELP)
        p.add_argument("--evidence", metavar="DIR", default="evidence",
                       help="evidence folder (default: ./evidence)")
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args._run(args) or 0)
    except EvidenceError as err:
        for problem in err.problems:
            print(str(problem).lstrip(": "), file=sys.stderr)
        n = len(err.problems)
        print(f"{n} problem{'s' if n != 1 else ''}; nothing was written.", file=sys.stderr)
        return 1
    except UsageError as err:
        print(f"exoreview {args.command}: {err}", file=sys.stderr)
        return 2
    except ExoreviewError as err:
        print(f"exoreview {args.command}: {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("interrupted; nothing half-written was kept.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
