"""Reading and writing YAML safely, with the line of every value kept for error messages.

Only safe loading (libyaml's CSafeLoader when present); no tags that build Python objects.
Writing is atomic: a temporary file in the same folder, then a rename (or, for a new file, a hard
link, which never replaces a file another process wrote meanwhile).
"""

from __future__ import annotations

import errno
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem

_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader]
try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

Path_ = tuple  # a location inside a document: ("outcomes", 2, "direction")


def display_path(path: str | os.PathLike) -> str:
    """Path as the user would type it: relative to the working folder when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


# errno → (what is wrong, what to do), for one-line messages about the user's paths
_OS_ERRORS: dict[int, tuple[str, str]] = {
    errno.ENOENT: ("no such file or folder", "check the path"),
    errno.EACCES: ("permission denied", "check its permissions (ls -l) or use another path"),
    errno.EPERM: ("operation not permitted", "check its permissions (ls -l) or use another path"),
    errno.EISDIR: ("is a folder, not a file", "give a file here, or rename the folder"),
    errno.EEXIST: ("exists already", "choose another name"),
    errno.ENOSPC: ("no space left on the device", "free some space or write elsewhere"),
    errno.EROFS: ("read-only file system", "write elsewhere"),
    errno.ENAMETOOLONG: ("name too long", "use a shorter path"),
    errno.ELOOP: ("too many levels of symbolic links", "check the links in the path"),
}


def describe_os_error(err: OSError) -> tuple[str, str]:
    """(what is wrong, what to do) for an OSError about a user's path, in plain words."""
    if err.errno == errno.ENOTDIR:
        name = err.filename if isinstance(err.filename, (str, os.PathLike)) else None
        for part in [Path(name), *Path(name).parents] if name else []:
            try:
                if part.exists() and not part.is_dir():
                    return (
                        f"{display_path(part)} is a file, not a folder",
                        "check the path (a folder is needed there)",
                    )
            except OSError:
                break
        return "a part of the path is a file, not a folder", "check the path"
    if err.errno in _OS_ERRORS:
        return _OS_ERRORS[err.errno]
    return (str(err.strerror or err).rstrip(".") or type(err).__name__), "check the path"


def os_error_line(err: OSError) -> str:
    """One line for an OSError: the path (when known), what is wrong and what to do."""
    if err.errno is None and err.filename is None:  # an OSError raised with a message of ours
        return str(err)
    what, fix = describe_os_error(err)
    where = f"{display_path(err.filename)}: " if isinstance(err.filename, (str, os.PathLike)) else ""
    return f"{where}{what}; {fix}"


def list_folder(folder: str | os.PathLike, problems: list, *, must_be: str) -> list[str] | None:
    """The names in `folder`: [] when it does not exist; None, with a problem added, when it is a
    file (`must_be` says what it must be) or cannot be read. Never silently empty."""
    try:
        return os.listdir(folder)
    except FileNotFoundError:
        return []
    except NotADirectoryError:
        problems.append(
            Problem(
                display_path(folder),
                None,
                "",
                f"is a file; {must_be}: rename or remove the file",
                "not-a-folder",
            )
        )
    except OSError as err:
        what, fix = describe_os_error(err)
        problems.append(
            Problem(display_path(folder), None, "", f"cannot read the folder: {what}; {fix}", "unreadable")
        )
    return None


@dataclass
class Parsed:
    """A parsed YAML document, the line (1-based) of each location, and what went wrong."""

    path: str
    data: Any = None
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line(self, loc: Path_) -> int | None:
        """Line of `loc`, or of its nearest enclosing location."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


def _walk(node: yaml.Node, loc: Path_, out: Parsed) -> None:
    out.lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                out.problems.append(
                    Problem(
                        out.path,
                        line,
                        ".".join(map(str, loc + (key,))),
                        f"'{key}' appears twice in this mapping (first on line {seen[key]}); keep one",
                        "duplicate-field",
                    )
                )
            seen[key] = line
            out.lines[loc + (key,)] = line
            _walk(value_node, loc + (key,), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out.lines[loc + (i,)] = item.start_mark.line + 1
            _walk(item, loc + (i,), out)


def parse_yaml(text: str, path: str) -> Parsed:
    """Parse one YAML document; syntax errors become problems, never exceptions."""
    out = Parsed(path)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _walk(node, (), out)
            out.data = loader.construct_document(node)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        what = err.problem or "not valid YAML"
        out.problems.append(
            Problem(
                path,
                line,
                "",
                f"YAML syntax error: {what}; check indentation "
                "and quoting (a value containing ': ' or '#' needs quotes)",
                "yaml-syntax",
            )
        )
        out.data = None
    except yaml.YAMLError as err:
        out.problems.append(Problem(path, None, "", f"YAML error: {err}", "yaml-syntax"))
        out.data = None
    finally:
        loader.dispose()
    return out


def read_yaml(path: str | os.PathLike, *, expect_mapping: bool = True) -> Parsed:
    """Read a file as UTF-8 YAML. Empty, non-UTF-8 and non-mapping files become problems."""
    shown = display_path(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as err:
        what, fix = describe_os_error(err)
        return Parsed(
            shown, problems=[Problem(shown, None, "", f"cannot read the file: {what}; {fix}", "unreadable")]
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return Parsed(
            shown,
            problems=[
                Problem(
                    shown,
                    line,
                    "",
                    f"not UTF-8 (byte 0x{raw[err.start]:02x}); save the file as UTF-8",
                    "not-utf8",
                )
            ],
        )
    if "\x00" in text:
        return Parsed(shown, problems=[Problem(shown, None, "", "binary file, not YAML text", "binary")])
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return Parsed(
            shown,
            problems=[
                Problem(shown, 1, "", "the file is empty; write the fields or delete the file", "empty-file")
            ],
        )
    parsed = parse_yaml(text, shown)
    if parsed.problems and parsed.data is None:
        return parsed
    if expect_mapping and not isinstance(parsed.data, dict):
        kind = type(parsed.data).__name__ if parsed.data is not None else "nothing"
        parsed.problems.append(
            Problem(shown, 1, "", f"expected a mapping of fields (key: value), found a {kind}", "not-mapping")
        )
        parsed.data = None
    return parsed


def atomic_write_text(path: str | os.PathLike, text: str, *, overwrite: bool = False) -> Path:
    """Write `text` to `path` via a temporary file and a rename; refuse to overwrite unless asked."""
    return atomic_write_bytes(path, text.encode("utf-8"), overwrite=overwrite)


def atomic_write_bytes(path: str | os.PathLike, data: bytes, *, overwrite: bool = False) -> Path:
    """Write `data` to `path` atomically. An OSError names `path` (or the folder that could not
    be made or written), never the temporary file."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"{display_path(path)} exists; not overwritten")
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where a folder of the path must be
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path)) from None
    except OSError as err:
        raise _about(err, err.filename or path.parent) from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise _about(err, path.parent) from None
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open() would
        # (or the mode of the file it replaces)
        os.fchmod(fd, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            # a hard link never replaces a file: of two writers of the same new file, the second
            # gets FileExistsError instead of silently replacing the first one's file
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise FileExistsError(f"{display_path(path)} exists; not overwritten") from None
            except OSError as err:
                if err.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
                    raise
                os.replace(tmp, path)  # a file system without hard links: the check above only
            else:
                os.unlink(tmp)
        _sync_folder(path.parent)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(err, OSError) and err.errno is not None:
            raise _about(err, path) from None
        raise
    return path


def _sync_folder(folder: Path) -> None:
    """Make a rename or link durable (the folder's entry reaches the disk); best effort."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _about(err: OSError, where: str | os.PathLike) -> OSError:
    """The same error (errno and subclass kept), naming `where` instead of a temporary file."""
    return OSError(err.errno, err.strerror, str(where))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump_yaml(data: Any) -> str:
    """YAML text for `data`, keys in the given order, unicode kept, wide lines."""
    return yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
