#!/usr/bin/env python3
"""The import layout of STYLE.md, checked where stable rustfmt cannot apply it.

rustfmt.toml asks for `imports_granularity = "Crate"` and `group_imports =
"StdExternalCrate"`, which only a nightly rustfmt applies. This check fails when a run of
`use` items breaks either rule:

- groups in the order std (`std`, `core`, `alloc`), external crates, this crate (`crate`,
  `self`, `super`), one blank line between groups and none inside one;
- one `use` per crate and visibility within a run (items under an attribute stand alone).

Stable rustfmt then sorts inside each group, so the layout is the one a nightly rustfmt gives.

    python3 scripts/check-imports.py [FILE_OR_DIR ...]   (default: server and bench)
    python3 scripts/check-imports.py --self-test        (the check catches what it should)
"""

import re
import sys
from pathlib import Path

USE = re.compile(r"^(\s*)((?:pub(?:\([^)]*\))?\s+)?)use\s+(::)?([A-Za-z_][A-Za-z0-9_]*)")
STD = {"std", "core", "alloc"}
LOCAL = {"crate", "self", "super"}


def group(root):
    if root in STD:
        return 0
    if root in LOCAL:
        return 2
    return 1


def statement_end(lines, start):
    """The index of the line that ends the `use` statement starting at `start`."""
    depth = 0
    for i in range(start, len(lines)):
        code = lines[i].split("//", 1)[0]
        depth += code.count("{") - code.count("}")
        if depth <= 0 and code.rstrip().endswith(";"):
            return i
    return len(lines) - 1


def runs(lines):
    """Runs of `use` items: lists of (line number, visibility, root, attributed, blank before)."""
    run, blank, attributed = [], False, False
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        match = USE.match(line)
        if match:
            visibility = match.group(2).strip()
            run.append((i + 1, visibility, match.group(4), attributed, blank))
            blank, attributed = False, False
            i = statement_end(lines, i) + 1
            continue
        if stripped == "":
            blank = True
        elif stripped.startswith("#[") and not stripped.startswith("#[cfg(test)]\nmod"):
            attributed = True
        elif stripped.startswith("//"):
            pass
        else:
            if run:
                yield run
            run, blank, attributed = [], False, False
        i += 1
    if run:
        yield run


def check(path):
    problems = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for run in runs(lines):
        # Re-exports (`pub use`) form a layout of their own beside the private imports.
        for public in (False, True):
            uses = [(i, *u) for i, u in enumerate(run) if bool(u[1]) == public]
            problems.extend(check_layout(path, uses))
    return problems


def check_layout(path, uses):
    problems, seen, previous, last_index = [], {}, None, None
    for index, number, visibility, root, attributed, blank in uses:
        rank = group(root)
        # Another item between two imports separates them as a blank line does.
        apart = blank or (last_index is not None and index != last_index + 1)
        if previous is not None:
            if rank < previous:
                problems.append(f"{path}:{number}: `{root}` belongs in an earlier group")
            elif rank > previous and not apart:
                problems.append(f"{path}:{number}: a blank line goes before the `{root}` group")
            elif rank == previous and blank and not attributed:
                problems.append(f"{path}:{number}: no blank line inside the group of `{root}`")
        previous = rank if previous is None else max(rank, previous)
        last_index = index
        if attributed:
            continue
        key = (visibility, root)
        if key in seen and root not in {"self", "super"}:
            problems.append(f"{path}:{number}: a second `use {root}` (merge it into line {seen[key]})")
        seen.setdefault(key, number)
    return problems


SELF_TEST = {
    "use std::sync::Arc;\n\nuse serde::Serialize;\nuse uuid::Uuid;\n\nuse crate::Domain;\n": 0,
    "use serde::Serialize;\nuse std::sync::Arc;\n": 1,
    "use std::sync::Arc;\nuse serde::Serialize;\n": 1,
    "use serde::Serialize;\n\nuse uuid::Uuid;\n": 1,
    "use wagent_domain::Bus;\nuse wagent_domain::Domain;\n": 1,
    "use a::B;\n\npub use crate::C;\n#[cfg(test)]\nuse a::D;\n": 0,
    "fn f() {\n    use serde::Serialize;\n    use std::io;\n}\n": 1,
}


def self_test():
    import tempfile

    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        for source, expected in SELF_TEST.items():
            path = Path(folder) / "case.rs"
            path.write_text(source, encoding="utf-8")
            found = len(check(path))
            if found != expected:
                failures += 1
                print(f"imports self-test: {expected} problem(s) expected, {found} found in:\n{source}",
                      file=sys.stderr)
    return 1 if failures else 0


def main(arguments):
    if arguments == ["--self-test"]:
        return self_test()
    roots = [Path(a) for a in arguments] or [Path("server"), Path("bench")]
    files = []
    for root in roots:
        files.extend(sorted(root.rglob("*.rs")) if root.is_dir() else [root])
    problems = [problem for file in files for problem in check(file)]
    for problem in problems:
        print(f"imports: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
