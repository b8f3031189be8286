"""The docs keep up with the code. Each check is a function that returns the problems it finds in a
text; it runs on the real file (no problem allowed) and on a fake one (problems expected), so
every check is seen to fail when the docs lag:

- docs/cli.md names every option of every subcommand of the real parser (and its arguments and
  choices) under that command's heading, and names no option the command does not have: both
  ways, command by command;
- docs/rules.md holds every verdict, domain and rule row of the grading rules, the citation-status
  rows and the audit rules (overreach, claim kinds); docs/quality.md the risk-of-bias tools, MISEV
  items and effect rules; docs/screening.md the stages, decisions, reasons, formats and
  de-duplication rules; and each table generated from the code is exactly what the code prints;
- each JSON example in docs/json.md has the keys of the real command's JSON on the shipped
  evidence (objects recursively, list elements merged), both ways;
- docs/evidence-format.md names every field of evidence/schema.yaml; docs/architecture.md every
  module of the package;
- no link in README.md, docs/*.md, benchmarks/README.md or evidence/*/README.md leaves the
  repository or points at a missing file; every repository path and ``exoreview.*`` name in
  backticks in the README and docs exists;
- the README stays a front door (at most 220 lines; names make report, make test, make check).

``python tests/test_docs.py write`` prints the generated tables (between ``<!-- begin: NAME -->``
and ``<!-- end: NAME -->``) and the JSON examples into the docs, from the code; run it when a test
here says the generated text lags, and read the diff.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EVIDENCE, ROOT

from exoreview import cli
from exoreview.appraisal import audit_rules, claim_rules, effects, grading_rules, misev, rob, scope_rules
from exoreview.core import levels, rob_tools
from exoreview.screening import dedupe, readers
from exoreview.screening import rules as screening_rules

DOCS = ROOT / "docs"
README_MAX_LINES = 220


def read(rel: str) -> str:
    return (ROOT / rel).read_text(encoding="utf-8")


def without_code_blocks(text: str) -> str:
    return re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)


def normalised(text: str) -> str:
    """Markdown as plain text for "is this phrase in it": table pipes unescaped, spaces collapsed."""
    return " ".join(text.replace("\\|", "|").split())


def missing_phrases(text: str, phrases: dict[str, str]) -> list[str]:
    """The phrases (label → phrase) that the text does not contain."""
    plain = normalised(text)
    return [
        f"{label}: {phrase!r} is not in the doc"
        for label, phrase in phrases.items()
        if normalised(phrase) not in plain
    ]


# ==================================================================================================
# docs/cli.md: every option of every command, per command, both ways
# ==================================================================================================
def parsers() -> dict[str, argparse.ArgumentParser]:
    """'list' → its parser, 'screen' → screen's, 'screen decide' → the sub-subparser, ..."""
    out: dict[str, argparse.ArgumentParser] = {}

    def walk(parser: argparse.ArgumentParser, prefix: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    out[f"{prefix} {name}".strip()] = sub
                    walk(sub, f"{prefix} {name}".strip())

    walk(cli.build_parser(), "")
    return out


def options(parser: argparse.ArgumentParser) -> set[str]:
    return {s for a in parser._actions for s in a.option_strings if s.startswith("--") and s != "--help"}


def positionals(parser: argparse.ArgumentParser) -> list[str]:
    return [
        a.metavar if isinstance(a.metavar, str) else a.dest.upper()
        for a in parser._actions
        if not a.option_strings and not isinstance(a, argparse._SubParsersAction)
    ]


def choices(parser: argparse.ArgumentParser) -> dict[str, list[str]]:
    return {
        a.option_strings[-1]: [str(c) for c in a.choices]
        for a in parser._actions
        if a.option_strings and a.choices and not isinstance(a, argparse._SubParsersAction)
    }


HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
MENTION = re.compile(r"\bexoreview((?:\s+[a-z][a-z-]*){1,2})")
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


def _command(words: str, known: set[str]) -> str | None:
    parts = words.split()
    for n in (2, 1):
        if " ".join(parts[:n]) in known:
            return " ".join(parts[:n])
    return None


def cli_doc(text: str, known: set[str]) -> tuple[dict[str | None, set[str]], dict[str, str]]:
    """(command → options named for it, command → its section's text). A heading naming
    `exoreview CMD` opens CMD's section until a heading as high or higher; on a line, the options
    after another `exoreview CMD` belong to that command. Options outside any section → None."""
    named: dict[str | None, set[str]] = {}
    sections: dict[str, str] = {}
    current: str | None = None
    level = 0
    fence = False
    for line in text.splitlines():
        if line.startswith("```"):
            fence = not fence
        m = None if fence else HEADING.match(line)
        if m:
            mention = MENTION.search(m.group(2))
            cmd = _command(mention.group(1), known) if mention else None
            if cmd or len(m.group(1)) <= level or current is None:
                current, level = cmd, (len(m.group(1)) if cmd else 0)
            continue
        if current:
            sections[current] = sections.get(current, "") + line + "\n"
        owner, start = current, 0
        for mention in MENTION.finditer(line):
            cmd = _command(mention.group(1), known)
            if cmd is None:
                continue
            named.setdefault(owner, set()).update(OPTION.findall(line[start : mention.start()]))
            owner, start = cmd, mention.end()
        named.setdefault(owner, set()).update(OPTION.findall(line[start:]))
    return named, sections


def cli_problems(text: str) -> list[str]:
    found = parsers()
    named, sections = cli_doc(text, set(found))
    every = set().union({"--help"}, *(options(p) for p in found.values()))
    problems = [
        f"{opt}: named in docs/cli.md outside any command's section, and no command has it"
        for opt in sorted(named.get(None, set()) - every)
    ]
    for cmd, parser in found.items():
        if cmd not in sections:
            problems.append(f"exoreview {cmd}: no section (a heading naming `exoreview {cmd}`)")
            continue
        doc, real = named.get(cmd, set()), options(parser)
        problems += [f"exoreview {cmd}: {o} is not documented in its section" for o in sorted(real - doc)]
        problems += [
            f"exoreview {cmd}: the doc names {o}, which the command does not have"
            for o in sorted(doc - real - {"--help"})
        ]
        words = set(re.findall(r"[\w-]+", sections[cmd]))
        problems += [
            f"exoreview {cmd}: argument {p} is not documented" for p in positionals(parser) if p not in words
        ]
        plain = normalised(sections[cmd])
        problems += [
            f"exoreview {cmd}: {opt} {c!r} is not documented"
            for opt, cs in choices(parser).items()
            for c in cs
            if c not in plain
        ]
    return problems


def test_cli_doc_names_every_option_of_every_command():
    assert cli_problems(read("docs/cli.md")) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda t: t.replace("--no-reviews", ""), "exoreview list: --no-reviews is not documented"),
        (
            lambda t: t + "\n## `exoreview list`\n\n`--colour NAME` colours the table.\n",
            "exoreview list: the doc names --colour",
        ),
        (
            lambda t: t + "\n## `exoreview grade`\n\n`--tool` as in `exoreview quality --tool SYRCLE`.\n",
            "exoreview grade: the doc names --tool",
        ),  # per command: quality has --tool, grade does not
        (
            lambda t: t + "\nAlso `exoreview audit --out report.html`.\n",
            "exoreview audit: the doc names --out",
        ),
        (lambda t: t.replace("SYRCLE", "SYRCL"), "exoreview quality: --tool 'SYRCLE' is not documented"),
    ],
    ids=[
        "option-missing",
        "option-invented",
        "option-of-another-command",
        "option-after-mention",
        "choice-missing",
    ],
)
def test_cli_check_fails_on_a_lagging_doc(change, expected):
    problems = cli_problems(change(read("docs/cli.md")))
    assert any(p.startswith(expected) for p in problems), problems


# ==================================================================================================
# docs/rules.md, docs/quality.md, docs/screening.md: the rule tables that run
# ==================================================================================================
def rules_phrases() -> dict[str, str]:
    out = {f"verdict {v}": v for v in grading_rules.VERDICT_NAMES}
    out |= {f"domain {d}": d for d in grading_rules.DOMAINS}
    for i, row in grading_rules.rules_table().iterrows():
        out[f"grading row {i} ({row['rule']}) result"] = row["rating / verdict"]
        out[f"grading row {i} ({row['rule']}) when"] = row["when"]
    for rule in levels.CITATION_RULES:
        out[f"citation status {rule.status}"] = rule.status
        out[f"citation status {rule.status} when"] = rule.when
    for i, row in audit_rules.rules_table().iterrows():
        if row["rule"] == "claim kind":
            continue  # the claim kinds that run are scope_rules.CLAIM_KINDS
        out[f"audit row {i} ({row['rule']}) value"] = row["value"]
        out[f"audit row {i} ({row['rule']}) meaning"] = row["meaning"]
    out |= {f"overreach {o.name}": o.name for o in audit_rules.OVERREACH}
    out |= {f"claim kind {k}": f"{k} | `{_cell(p.pattern)}`" for k, p in scope_rules.CLAIM_KINDS}
    out |= {f"not a claim: {k}": k for k, _ in claim_rules.NOT_CLAIMS}
    out |= {f"assertion {k}": k for k, _ in claim_rules.ASSERTIONS}
    out |= {w: w for w in ("exoreview grade", "exoreview audit", "notebooks/04_claims.ipynb")}
    return out


def quality_phrases() -> dict[str, str]:
    out: dict[str, str] = {}
    for tool in rob_tools.TOOLS.values():
        out[f"tool {tool.name}"] = tool.name
        out |= {f"{tool.name} item {i}": f"{i}" for i in tool.item_ids}
        out |= {f"{tool.name} judgement {j}": j for j in tool.scale}
        for rule in tool.overall_rules:
            out[f"{tool.name} overall {rule.result}"] = f"{rule.result} {rule.when}"
    out |= {f"no tool: {k}": why for k, why in rob_tools.NO_TOOL.items()}
    out |= {f"MISEV item {i}": f"`{i}` | {label}" for i, label in misev.EV_ITEMS}
    out |= {f"isolation {m}": f"{m} | {s}" for m, s in misev.ISOLATION_SPECIFICITY.items()}
    out |= {f"not computable: {k}": why for k, why in effects.NOT_COMPUTABLE.items()}
    return out


def screening_phrases() -> dict[str, str]:
    out = {f"stage {s}": s for s in screening_rules.STAGES}
    out |= {f"{s} decision {d}": d for s, ds in screening_rules.DECISIONS.items() for d in ds}
    out |= {f"reason {code}": f"`{code}` | {label}" for code, (label, _s) in screening_rules.REASONS.items()}
    out |= {f"dedupe rule {code}": f"`{code}`" for code, _t, _v in dedupe.RULES}
    out |= {f"format {f}": f for f in readers.FORMATS}
    out |= {f"suffix {s}": s for s in readers.SUFFIXES}
    return out


RULE_DOCS = {
    "docs/rules.md": rules_phrases,
    "docs/quality.md": quality_phrases,
    "docs/screening.md": screening_phrases,
}


@pytest.mark.parametrize("doc", list(RULE_DOCS))
def test_rule_docs_print_the_rules_that_run(doc):
    assert missing_phrases(read(doc), RULE_DOCS[doc]()) == []


@pytest.mark.parametrize(
    "doc, change, expected",
    [
        ("docs/rules.md", lambda t: t.replace("preclinical-only", "preclinical"), "verdict preclinical-only"),
        ("docs/rules.md", lambda t: t.replace("publication_bias", "pub_bias"), "domain publication_bias"),
        (
            "docs/rules.md",
            lambda t: t.replace("regrows dead follicles", "regrows"),
            "overreach regrows dead follicles",
        ),
        ("docs/quality.md", lambda t: t.replace("random_housing", "housing"), "SYRCLE item random_housing"),
        ("docs/screening.md", lambda t: t.replace("no-vesicles", "no-evs"), "reason no-vesicles"),
    ],
)
def test_rule_check_fails_on_a_lagging_doc(doc, change, expected):
    problems = missing_phrases(change(read(doc)), RULE_DOCS[doc]())
    assert any(p.startswith(expected) for p in problems), problems


def test_rules_doc_names_grading_and_audit(shipped):
    """(Moved from tests/appraisal/test_grade.py, which read a README section.)"""
    from exoreview.appraisal.grade import assess

    text = read("docs/rules.md")
    for word in (
        *grading_rules.VERDICT_NAMES,
        *grading_rules.DOMAINS,
        "exoreview grade",
        "exoreview audit",
        "metadata-mismatch",
        "off-topic",
        "not-found",
        "verified",
    ):
        assert word in text, word
    json_doc = read("docs/json.md")
    for key in assess("exosomes-beat-prp", shipped).to_dict():
        assert f'"{key}"' in json_doc, key


def schema_fields() -> dict[str, str]:
    """Every field of evidence/schema.yaml: 'study.outcomes.effect.arms.mean' → 'mean'."""
    out: dict[str, str] = {}

    def walk(fields: dict, prefix: str) -> None:
        for name, spec in fields.items():
            out[f"{prefix}.{name}"] = name
            spec = spec or {}
            nested = spec.get("fields") or (spec.get("items") or {}).get("fields")
            if nested:
                walk(nested, f"{prefix}.{name}")

    schema = yaml.safe_load((EVIDENCE / "schema.yaml").read_text(encoding="utf-8"))
    for kind, section in schema.items():
        walk(section["fields"], kind)
    return out


def schema_problems(text: str) -> list[str]:
    named = set(re.findall(r"`([\w.]+)`", text))
    return [
        f"docs/evidence-format.md does not name the field {path}"
        for path, name in schema_fields().items()
        if name not in named
    ]


def test_evidence_format_names_every_schema_field():
    assert schema_problems(read("docs/evidence-format.md")) == []


def test_schema_check_fails_on_a_lagging_doc():
    text = read("docs/evidence-format.md").replace("`registry_id`", "registry_id")
    assert schema_problems(text) == ["docs/evidence-format.md does not name the field study.registry_id"]


def architecture_problems(text: str) -> list[str]:
    """docs/architecture.md names every module of the package (`core/paths.py`, `cli.py`), and every
    module it names exists."""
    package = ROOT / "exoreview"
    modules = {str(p.relative_to(package)) for p in package.rglob("*.py") if p.name != "__init__.py"}
    stages = "|".join(p.name for p in package.iterdir() if (p / "__init__.py").is_file())
    named = set(re.findall(rf"`((?:(?:{stages})/)?[a-z_]+\.py)`", text))
    named = {n for n in named if "/" in n or (package / n).is_file() or n in ("cli.py", "errors.py")}
    return [f"docs/architecture.md does not name exoreview/{m}" for m in sorted(modules - named)] + [
        f"docs/architecture.md names {n}, which is not a module of exoreview/"
        for n in sorted(named - modules)
    ]


def test_architecture_doc_names_every_module():
    assert architecture_problems(read("docs/architecture.md")) == []


def test_architecture_check_fails_on_a_lagging_doc():
    text = read("docs/architecture.md").replace("`core/paths.py`", "`core/layout.py`")
    assert architecture_problems(text) == [
        "docs/architecture.md does not name exoreview/core/paths.py",
        "docs/architecture.md names core/layout.py, which is not a module of exoreview/",
    ]


# ==================================================================================================
# docs/json.md: each example has the keys of the real output, both ways
# ==================================================================================================
EXAMPLE = re.compile(
    r"<!-- example: (?P<command>.+?)(?:; setup: (?P<setup>[\w-]+))? -->\s*```json\n"
    r"(?P<json>.*?)```",
    re.S,
)
# objects whose keys are data (study keys, item ids, database names): their values are compared
# like list elements; the number is how many levels of such keys there are
OPEN_MAPS = {
    "study_reasons": 1,
    "reading": 1,
    "rob_items": 1,
    "databases": 1,
    "screen_reasons": 1,
    "full_text_reasons": 1,
    "table": 2,
    "weights": 1,
}


def shape(value: Any, open_levels: int = 0) -> Any:
    """Keys of an object, recursively; a list (or an object keyed by data) → the keys of all its
    elements merged; anything else → None."""
    if isinstance(value, dict) and not open_levels:
        return {k: shape(v, OPEN_MAPS.get(k, 0)) for k, v in value.items()}
    if isinstance(value, (dict, list)):
        items = value.values() if isinstance(value, dict) else value
        merged = None
        for item in items:
            merged = merge(merged, shape(item, max(open_levels - 1, 0)))
        return merged
    return None


def merge(a: Any, b: Any) -> Any:
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: merge(a.get(k), b.get(k)) for k in {**a, **b}}
    return a if b is None else b


def compare(doc: Any, real: Any, where: str) -> list[str]:
    if not isinstance(real, dict):
        return []  # a scalar, null or empty list in the real output: nothing to compare
    if doc is None:
        return []  # the example shows an empty list or null here (no element to show): nothing claimed
    if not isinstance(doc, dict):
        return [f"{where}: the doc shows a value; the real output has the keys {sorted(real)}"]
    out = [f"{where}: key {k!r} of the real output is not in the doc" for k in sorted(set(real) - set(doc))]
    out += [f"{where}: the doc's key {k!r} is not in the real output" for k in sorted(set(doc) - set(real))]
    for k in sorted(set(doc) & set(real)):
        out += compare(doc[k], real[k], f"{where}.{k}")
    return out


def examples(text: str) -> list[tuple[str, str, Any]]:
    return [
        (m["command"].strip(), m["setup"] or "shipped", json.loads(m["json"])) for m in EXAMPLE.finditer(text)
    ]


@contextlib.contextmanager
def evidence_copy() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "evidence"
        shutil.copytree(EVIDENCE, root)
        yield root


def run_cli(args: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(ROOT), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(args)
    return code, out.getvalue()


def setup_invalid_study(root: Path) -> None:
    """A study file with an unknown term and a required field left out."""
    path = root / "studies" / "rajendran-2017-msc-evs.yaml"
    text = re.sub(
        r"^cell_source:\n- .*$",
        "cell_source:\n- adipose stem cell",
        path.read_text(encoding="utf-8"),
        count=1,
        flags=re.M,
    )
    path.write_text(re.sub(r"^journal:.*\n", "", text, count=1, flags=re.M), encoding="utf-8")


def setup_two_reviewers(root: Path) -> None:
    """Two more reviewers (AB, CD) screen six records at title/abstract: both exclude three, both
    include two, and they disagree on one (a conflict)."""
    lines = (root / "screening" / "decisions.csv").read_text(encoding="utf-8").splitlines()[1:]
    ids = list(dict.fromkeys(line.split(",")[0] for line in lines if ",title-abstract," in line))[:6]
    for reviewer, excluded in (("AB", ids[:4]), ("CD", ids[:3])):
        common = ["--stage", "ta", "--reviewer", reviewer, "--date", "2026-12-06", "--evidence", str(root)]
        run_cli(["screen", "decide", *excluded, "--exclude", "--reason", "no-data", *common])
        run_cli(["screen", "decide", *[i for i in ids if i not in excluded], "--include", *common])


SETUPS: dict[str, Callable[[Path], None]] = {
    "invalid-study": setup_invalid_study,
    "two-reviewers": setup_two_reviewers,
}


def pooled_synthesis() -> dict[str, Any]:
    """The JSON of one pooled group: two made-up two-arm estimates (the shipped evidence has no
    group of two comparable studies)."""
    import pandas as pd

    from exoreview.appraisal.pooling import pool_comparable

    rows = [
        {c: None for c in effects.EFFECT_COLUMNS}
        | {
            "study": key,
            "label": label,
            "outcome": "hair density",
            "kind": "Hedges' g",
            "design": "two arms",
            "evidence": "animals or cells",
            "estimate": g,
            "variance": var,
            "pooled": True,
        }
        for key, label, g, var in (("a-2020", "A 2020", 1.2, 0.20), ("b-2022", "B 2022", 0.7, 0.15))
    ]
    return pool_comparable(pd.DataFrame(rows))[0].to_dict()


def real_output(command: str, setup: str) -> tuple[Any, str]:
    """(JSON, the evidence folder shown in it) of a documented command, run on the shipped evidence
    (or on a copy changed by the named setup)."""
    if command == "python pooled-synthesis":
        return pooled_synthesis(), ""
    args = command.split()
    assert args[0] == "exoreview", command
    args = [a.strip("'\"") for a in args[1:]]
    if setup == "shipped":
        return json.loads(run_cli([*args, "--evidence", str(EVIDENCE)])[1]), str(EVIDENCE)
    with evidence_copy() as root:
        SETUPS[setup](root)
        return json.loads(run_cli([*args, "--evidence", str(root)])[1]), str(root)


def json_problems(text: str, outputs: Callable[[str, str], Any]) -> list[str]:
    found = examples(text)
    problems = [] if found else ["no examples (<!-- example: exoreview ... --> before a ```json block)"]
    for command, setup, doc in found:
        problems += compare(shape(doc), shape(outputs(command, setup)), command)
    return problems


JSON_COMMANDS = (
    "validate",
    "list",
    "quality",
    "effects",
    "grade",
    "audit",
    "import",
    "prisma",
    "screen list",
    "screen conflicts",
    "screen kappa",
)


@pytest.fixture(scope="module")
def real_outputs() -> Callable[[str, str], Any]:
    cache: dict[tuple[str, str], Any] = {}

    def get(command: str, setup: str) -> Any:
        if (command, setup) not in cache:
            cache[command, setup] = real_output(command, setup)[0]
        return cache[command, setup]

    return get


@pytest.mark.slow  # runs every command of docs/json.md for real (about 15 s): make test, not make check
def test_json_doc_has_the_keys_of_every_command(real_outputs):
    text = read("docs/json.md")
    shown = {_command(c.removeprefix("exoreview"), set(parsers())) for c, _s, _d in examples(text)}
    assert [c for c in JSON_COMMANDS if c not in shown] == []
    assert json_problems(text, real_outputs) == []


@pytest.mark.slow  # needs every command's real output, as the test above
@pytest.mark.parametrize(
    "change, expected",
    [
        (
            lambda t: t.replace('"certainty_of"', '"certainty_off"', 1),
            ["key 'certainty_of' of the real output is not in the doc", "the doc's key 'certainty_off'"],
        ),
        (
            lambda t: t.replace('"judgement"', '"verdict"'),
            ["rob_items: key 'judgement' of the real output", "rob_items: the doc's key 'verdict'"],
        ),
        (lambda t: t.replace('"ci95"', '"ci"', 1), ["key 'ci95' of the real output"]),
    ],
    ids=["grade-key-renamed", "nested-key-in-an-open-map", "kappa-key"],
)
def test_json_check_fails_on_a_lagging_doc(real_outputs, change, expected):
    problems = json_problems(change(read("docs/json.md")), real_outputs)
    for e in expected:
        assert any(e in p for p in problems), (e, problems)


# ==================================================================================================
# links and paths: nothing outside the repository, nothing missing
# ==================================================================================================
LINKED_DOCS = [
    "README.md",
    *sorted(str(p.relative_to(ROOT)) for p in DOCS.glob("*.md")),
    "benchmarks/README.md",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "evidence").glob("*/README.md")),
]
LINK = re.compile(r"!?\[[^\]]*\]\((?P<target><[^>]+>|[^)\s]+)(?:\s+\"[^\"]*\")?\)")
REF_LINK = re.compile(r"^\s*\[[^\]]+\]:\s*(?P<target>\S+)", re.M)
CODE = re.compile(r"`([^`\n]+)`")
REPO_PATH = re.compile(
    r"^(?:exoreview|docs|evidence|tests|benchmarks|notebooks|jupyter_config|\.ci)/[\w./-]*$"
    r"|^(?:Makefile|pyproject\.toml|environment\.yml|README\.md)$"
)
MODULE_NAME = re.compile(r"^exoreview(?:\.\w+)+$")


def link_problems(rel: str, text: str) -> list[str]:
    body = without_code_blocks(text)
    body_no_code = CODE.sub("", body)
    problems = []
    for m in [*LINK.finditer(body_no_code), *REF_LINK.finditer(body_no_code)]:
        target = m["target"].strip("<>")
        if re.match(r"^(https?|mailto):", target) or target.startswith("#"):
            continue
        if re.match(r"^[a-z][a-z+.-]*:", target):
            problems.append(f"{rel}: link {target} is neither http(s) nor a file of the repository")
            continue
        path = ((ROOT / rel).parent / target.split("#")[0]).resolve()
        if not path.is_relative_to(ROOT.resolve()):
            problems.append(f"{rel}: link {target} points outside the repository")
        elif not path.exists():
            problems.append(f"{rel}: link {target} points at a file that does not exist")
    return problems


def named_path_problems(rel: str, text: str) -> list[str]:
    """Paths (`exoreview/core/paths.py`) and module names (`exoreview.core.filters.Filter`) in
    backticks outside code blocks exist; placeholders (<key>, *) are skipped."""
    problems = []
    for token in CODE.findall(without_code_blocks(text)):
        token = token.strip()
        if "../" in token:
            problems.append(f"{rel}: `{token}` names a path outside the repository")
        elif REPO_PATH.match(token) and not (ROOT / token.rstrip("/")).exists():
            problems.append(f"{rel}: `{token}` does not exist")
        elif MODULE_NAME.match(token) and not resolves(token):
            problems.append(f"{rel}: `{token}` is not a module or name of the package")
    return problems


def resolves(name: str) -> bool:
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:n]))
        except ImportError:
            continue
        for attr in parts[n:]:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


@pytest.mark.parametrize("rel", LINKED_DOCS)
def test_links_stay_in_the_repository_and_exist(rel):
    assert link_problems(rel, read(rel)) == []


@pytest.mark.parametrize("rel", ["README.md", *sorted(str(p.relative_to(ROOT)) for p in DOCS.glob("*.md"))])
def test_named_paths_and_modules_exist(rel):
    assert named_path_problems(rel, read(rel)) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("See [the design](../shared/DESIGN.md).", "points outside the repository"),
        ("See [rules](docs/no-such-page.md).", "does not exist"),
        ("[ref]: ../../etc/passwd", "points outside the repository"),
        ("See [x](file:///etc/passwd).", "neither http(s)"),
    ],
)
def test_link_check_fails_on_a_bad_link(text, expected):
    problems = link_problems("README.md", text)
    assert any(expected in p for p in problems), problems
    assert link_problems("README.md", "See [docs](docs/README.md) and [x](https://example.org).") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Rules live in `exoreview/grade.py`.", "does not exist"),
        ("Import with `exoreview.importing.import_records`.", "is not a module"),
        ("Design notes: `../shared/DESIGN.md`.", "outside the repository"),
    ],
)
def test_path_check_fails_on_an_old_name(text, expected):
    problems = named_path_problems("README.md", text)
    assert any(expected in p for p in problems), problems


# ==================================================================================================
# README: a front door
# ==================================================================================================
def readme_problems(text: str) -> list[str]:
    problems = []
    if len(text.splitlines()) > README_MAX_LINES:
        problems.append(
            f"README.md has {len(text.splitlines())} lines; at most {README_MAX_LINES}: "
            "move reference text to docs/"
        )
    problems += [
        f"README.md does not name `{cmd}`"
        for cmd in ("make report", "make test", "make check")
        if cmd not in text
    ]
    if "docs/README.md" not in text:
        problems.append("README.md does not link the map of the docs (docs/README.md)")
    return problems


def test_readme_is_a_front_door():
    assert readme_problems(read("README.md")) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda t: t + "\nmore\n" * 300, "lines; at most"),
        (lambda t: t.replace("make check", "make lint"), "does not name `make check`"),
    ],
)
def test_readme_check_fails(change, expected):
    assert any(expected in p for p in readme_problems(change(read("README.md"))))


# ==================================================================================================
# printing what the docs hold, from the code
# ==================================================================================================
def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(header: tuple[str, ...], rows: list[tuple[Any, ...]], code: tuple[int, ...] = ()) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for row in rows:
        lines.append(
            "| " + " | ".join(f"`{_cell(v)}`" if i in code else _cell(v) for i, v in enumerate(row)) + " |"
        )
    return "\n".join(lines)


def filled(value: Any) -> int:
    """How many values of a JSON value are not empty (null, "", [] and {} are empty)."""
    if isinstance(value, dict):
        return sum(filled(v) for v in value.values())
    if isinstance(value, list):
        return sum(filled(v) for v in value)
    return 0 if value in (None, "") else 1


def trimmed(value: Any, key: str = "", open_levels: int = 0) -> Any:
    """A real output made short for the doc: lists of objects cut to their fullest element (two
    problems), other lists to three items, objects keyed by data to two entries, long strings cut."""
    if isinstance(value, dict) and not open_levels:
        return {k: trimmed(v, k, OPEN_MAPS.get(k, 0)) for k, v in value.items()}
    if isinstance(value, dict):
        return {k: trimmed(v, k, open_levels - 1) for k, v in list(value.items())[:2]}
    if isinstance(value, list):
        if key == "problems" or not all(isinstance(v, dict) for v in value):
            return [trimmed(v) for v in value[: 2 if key == "problems" else 3]]
        return [trimmed(max(value, key=lambda v: (len(json.dumps(shape(v))), filled(v))))] if value else []
    if isinstance(value, str) and len(value) > 110:
        return value[:100] + " …"
    if isinstance(value, float):
        return round(value, 3)
    return value


def json_examples_text(text: str) -> str:
    """docs/json.md with every example replaced by the real output, trimmed."""

    def example(m: re.Match) -> str:
        out, folder = real_output(m["command"].strip(), m["setup"] or "shipped")
        body = json.dumps(trimmed(out), indent=2, ensure_ascii=False)
        body = body.replace(folder, "evidence") if folder else body
        return m.group(0)[: m.start("json") - m.start()] + body + "\n```"

    return EXAMPLE.sub(example, text)


def grading_tables() -> str:
    t = grading_rules.rules_table()
    parts = []
    for rule, rows in t.groupby("rule", sort=False):
        code = (1,) if "co-intervention" in rule else ()
        parts.append(
            f"#### {rule}\n\n"
            + markdown_table(
                ("result", "when"), list(rows[["rating / verdict", "when"]].itertuples(index=False)), code
            )
        )
    return "\n\n".join(parts)


def citation_table() -> str:
    return markdown_table(
        ("status", "when (first row that fires)"), [(r.status, r.when) for r in levels.CITATION_RULES]
    )


def audit_tables() -> str:
    a = audit_rules.rules_table()
    parts = []
    for rule, rows in a.groupby("rule", sort=False):
        if rule in ("overreach", "claim kind"):
            continue  # overreach with its patterns below; the claim kinds that run are in claim_rules
        code = {"reference list heading": (0,), "claim kind": (1,)}.get(rule, ())
        parts.append(
            f"#### {rule}\n\n"
            + markdown_table(
                ("value", "meaning"), list(rows[["value", "meaning"]].itertuples(index=False)), code
            )
        )
    parts.append(
        "#### overreach\n\n"
        + markdown_table(
            ("overreach", "phrase (pattern)", "what the evidence would need", "shown beside it"),
            [(o.name, o.pattern.pattern, o.need, o.shows) for o in audit_rules.OVERREACH],
            (1,),
        )
    )
    return "\n\n".join(parts)


def claim_tables() -> str:
    def patterns(header: tuple[str, str], rows: Any) -> str:
        return markdown_table(header, [(name, p.pattern) for name, p in rows], code=(1,))

    weak = ", ".join(sorted(claim_rules.WEAK_ASSERTIONS))
    return "\n\n".join(
        [
            "#### not a claim (checked first)\n\n" + patterns(("kind", "pattern"), claim_rules.NOT_CLAIMS),
            f"#### asserts something (at least one; {weak} alone are weak)\n\n"
            + patterns(("construction", "pattern"), claim_rules.ASSERTIONS),
            "#### claim kind (first that matches; default benefit)\n\n"
            + patterns(("kind", "pattern"), scope_rules.CLAIM_KINDS),
            "#### comparators (superiority claims)\n\n"
            + patterns(("comparator", "pattern"), scope_rules.COMPARATORS),
            "#### regulators (approval claims)\n\n"
            + patterns(("regulator", "pattern"), scope_rules.REGULATORS),
            "#### populations\n\n" + patterns(("condition", "pattern"), scope_rules.POPULATIONS),
        ]
    )


def rob_tool_tables() -> str:
    parts = []
    for tool in rob_tools.TOOLS.values():
        parts.append(
            f"#### {tool.name}\n\n{tool.reference}.\n\n"
            + markdown_table(("item", "wording"), list(tool.items), code=(0,))
            + f"\n\nJudgements: {', '.join(tool.scale)}. Overall (first row that fires):\n\n"
            + markdown_table(
                ("overall", "rule"), [(r.result, f"{r.result} {r.when}") for r in tool.overall_rules]
            )
        )
    return "\n\n".join(parts)


def tool_choice_table() -> str:
    designs = yaml.safe_load((EVIDENCE / "vocabulary.yaml").read_text(encoding="utf-8"))["design"]["terms"]
    rows = [
        (lv, ", ".join(k for k, t in designs.items() if (t or {}).get("level") == lv), tool)
        for lv, tool in rob_tools.TOOL_BY_LEVEL.items()
    ]
    return (
        markdown_table(("design level", "designs (vocabulary)", "tool"), rows)
        + "\n\n"
        + markdown_table(("no tool", "why"), list(rob_tools.NO_TOOL.items()))
    )


BLOCKS: dict[str, dict[str, Callable[[], str]]] = {
    "docs/rules.md": {
        "grading": grading_tables,
        "citation": citation_table,
        "claims": claim_tables,
        "audit": audit_tables,
    },
    "docs/quality.md": {
        "tool-choice": tool_choice_table,
        "rob-tools": rob_tool_tables,
        "cross-tool": lambda: markdown_table(
            ("tool", "overall", "for grading"), [(t, j, c) for (t, j), c in rob.CROSS_TOOL.items()]
        ),
        "misev-items": lambda: markdown_table(("item", "what counts"), list(misev.EV_ITEMS), code=(0,)),
        "isolation": lambda: markdown_table(
            ("isolation", "specificity"), list(misev.ISOLATION_SPECIFICITY.items())
        ),
        "not-computable": lambda: markdown_table(
            ("case", "why no effect size"), list(effects.NOT_COMPUTABLE.items())
        ),
    },
    "docs/screening.md": {
        "formats": lambda: (
            markdown_table(("suffix", "format"), list(readers.SUFFIXES.items()), code=(0,))
            + "\n\nCSV layouts, recognised by their signature columns (first that fits):\n\n"
            + markdown_table(
                ("layout", "signature columns"),
                [(name, ", ".join(lay["signature"])) for name, lay in readers.CSV_LAYOUTS.items()],
            )
        ),
        "stages": lambda: markdown_table(
            ("stage", "what", "decisions"),
            [
                (s, what, ", ".join(screening_rules.DECISIONS[s]))
                for s, what in screening_rules.STAGES.items()
            ],
        ),
        "reasons": lambda: markdown_table(
            ("code", "reason", "stages"),
            [(c, label, ", ".join(st)) for c, (label, st) in screening_rules.REASONS.items()],
            code=(0,),
        ),
        "dedupe": lambda: (
            markdown_table(
                ("value", "is"),
                [
                    (name, getattr(dedupe, name))
                    for name in (
                        "AUTO_SIMILARITY",
                        "CHECK_SIMILARITY",
                        "MIN_TITLE_LENGTH",
                        "YEAR_TOLERANCE",
                        "INDEX_WORDS",
                    )
                ],
                code=(0,),
            )
            + "\n\n"
            + markdown_table(("code", "reason written", "verdict"), list(dedupe.RULES), code=(0,))
        ),
    },
}
BLOCK = re.compile(r"(<!-- begin: (?P<name>[\w-]+) -->\n)(?P<body>.*?)\n?(<!-- end: (?P=name) -->)", re.S)


def with_blocks(rel: str, text: str) -> str:
    """The doc with each generated block (between begin/end markers) printed anew from the code."""
    return BLOCK.sub(lambda m: m.group(1) + BLOCKS[rel][m["name"]]() + "\n" + m.group(4), text)


def block_problems(rel: str, text: str) -> list[str]:
    found = {m["name"]: m["body"] for m in BLOCK.finditer(text)}
    problems = [f"{rel}: block {name} is missing" for name in BLOCKS[rel] if name not in found]
    problems += [
        f"{rel}: block {name} is not what the code prints; run `python tests/test_docs.py write`"
        for name, body in found.items()
        if name in BLOCKS[rel] and body != BLOCKS[rel][name]()
    ]
    return problems


@pytest.mark.parametrize("rel", list(BLOCKS))
def test_generated_tables_are_current(rel):
    assert block_problems(rel, read(rel)) == []


def test_generated_table_check_fails_on_a_stale_row():
    text = read("docs/rules.md").replace("| misattributed |", "| misattributed-or-worse |", 1)
    assert block_problems("docs/rules.md", text) == [
        "docs/rules.md: block grading is not what the code prints; run `python tests/test_docs.py write`"
    ]


def write_docs() -> None:
    """Print every generated block and JSON example into the docs, from the code."""
    for rel in BLOCKS:
        (ROOT / rel).write_text(with_blocks(rel, read(rel)), encoding="utf-8")
    (ROOT / "docs/json.md").write_text(json_examples_text(read("docs/json.md")), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["write"]:
        sys.exit(
            "usage: python tests/test_docs.py write   (prints the rule tables and JSON examples into docs/)"
        )
    write_docs()
