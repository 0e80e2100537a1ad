"""The message catalogs: extract `_()`/`ngettext()` strings from src, update the .pot/.po, compile .po -> .mo.

Pure Python (ast + the GNU .mo format), so no gettext tools or Babel are needed on the build machine.

    python scripts/i18n.py update     # src -> locale/notedesk.pot and new (empty) entries in each .po
    python scripts/i18n.py compile    # every .po -> .mo next to it
    python scripts/i18n.py check      # untranslated, stale, placeholder mismatches, .mo out of date (exit 1)

A message is the literal first argument of a call to `_` / `i18n._` (and the first two of `ngettext`);
a call with anything else (an f-string, a variable) cannot be translated and is reported by `check`.
Decisions: obsolete entries are kept as `#~` comments (a string that comes back keeps its
translation); the .mo is written deterministically (sorted, no timestamps) so a test can compare it
byte for byte with a fresh compile of the .po.
"""

from __future__ import annotations

import ast
import re
import string
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "notedesk"
LOCALE = SRC / "locale"
DOMAIN = "notedesk"
LANGUAGES = {"zh": ("Chinese (Simplified)", "nplurals=1; plural=0;")}
SINGULAR_FUNCS = {"_", "gettext"}
PLURAL_FUNCS = {"ngettext"}


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=lambda: [""])
    locations: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str, str | None]:
        return self.msgid, self.msgid_plural

    @property
    def translated(self) -> bool:
        return all(s for s in self.msgstr) and "fuzzy" not in self.flags


# --- extraction ----------------------------------------------------------------------------------

def _func_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def extract_file(path: Path, rel: str) -> tuple[list[Entry], list[str]]:
    """(messages, problems) of one source file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[Entry] = []
    problems: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _func_name(node.func)
        where = f"{rel}:{node.lineno}"
        if name in SINGULAR_FUNCS and len(node.args) == 1 and not node.keywords:
            text = _literal(node.args[0])
            if text is None:
                problems.append(f"{where}: {name}() of a non-literal cannot be translated")
            elif text:
                found.append(Entry(text, locations=[where]))
        elif name == "Binding":  # every key description is read by the clerk (footer, help, palette)
            texts = [*node.args[2:3], *(k.value for k in node.keywords if k.arg in ("description", "tooltip"))]
            if any(_literal(t) for t in texts):
                problems.append(f"{where}: Binding description or tooltip not wrapped in _()")
        elif name in PLURAL_FUNCS and len(node.args) == 3:
            one, many = _literal(node.args[0]), _literal(node.args[1])
            if one is None or many is None:
                problems.append(f"{where}: ngettext() of a non-literal cannot be translated")
            else:
                found.append(Entry(one, many, ["", ""], locations=[where]))
    return found, problems


def extract(src: Path = SRC) -> tuple[dict[tuple[str, str | None], Entry], list[str]]:
    """Every message in the package (sorted by first appearance in sorted file order), and problems."""
    entries: dict[tuple[str, str | None], Entry] = {}
    problems: list[str] = []
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src.parent).as_posix()
        if "/migrations/" in rel or rel == "notedesk/i18n.py":  # i18n.py is the wrapper itself
            continue
        found, bad = extract_file(path, rel)
        problems += bad
        for entry in found:
            if entry.key in entries:
                entries[entry.key].locations += entry.locations
            else:
                entries[entry.key] = entry
    return entries, problems


# --- .po reading and writing ---------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(s: str) -> str:
    s = s.strip()
    if not (s.startswith('"') and s.endswith('"')):
        raise ValueError(f"not a quoted string: {s!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], m[1]), s[1:-1])


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r") \
        .replace("\n", "\\n") + '"'


def read_po(path: Path) -> tuple[dict[str, str], dict[tuple[str, str | None], Entry]]:
    """(header fields, entries by (msgid, msgid_plural)) of a .po file; obsolete entries included."""
    entries: dict[tuple[str, str | None], Entry] = {}
    header: dict[str, str] = {}
    cur: Entry | None = None
    target: tuple[str, int] | None = None
    pending_flags: set[str] = set()
    pending_locs: list[str] = []

    def finish() -> None:
        nonlocal cur
        if cur is None:
            return
        if cur.msgid == "" and cur.msgid_plural is None:
            for raw in cur.msgstr[0].split("\n"):
                if ":" in raw:
                    k, v = raw.split(":", 1)
                    header[k.strip()] = v.strip()
        else:
            entries[cur.key] = cur
        cur = None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            finish()
            target = None
            continue
        if line.startswith("#,"):
            finish()
            pending_flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        if line.startswith("#:"):
            finish()
            pending_locs += line[2:].split()
            continue
        if line.startswith("#"):
            continue
        if line.startswith("msgid_plural "):
            assert cur is not None
            cur.msgid_plural = _unquote(line[len("msgid_plural "):])
            target = ("msgid_plural", 0)
        elif line.startswith("msgid "):
            finish()
            cur = Entry(_unquote(line[6:]), flags=pending_flags, locations=pending_locs, obsolete=obsolete)
            pending_flags, pending_locs = set(), []
            target = ("msgid", 0)
        elif line.startswith("msgstr["):
            assert cur is not None
            n = int(line[7:line.index("]")])
            while len(cur.msgstr) <= n:
                cur.msgstr.append("")
            cur.msgstr[n] = _unquote(line[line.index("]") + 1:])
            target = ("msgstr", n)
        elif line.startswith("msgstr "):
            assert cur is not None
            cur.msgstr[0] = _unquote(line[7:])
            target = ("msgstr", 0)
        elif line.startswith('"') and cur is not None and target is not None:
            part, n = target
            if part == "msgid":
                cur.msgid += _unquote(line)
            elif part == "msgid_plural":
                cur.msgid_plural = (cur.msgid_plural or "") + _unquote(line)
            else:
                cur.msgstr[n] += _unquote(line)
        else:
            raise ValueError(f"{path}: cannot read line {raw!r}")
    finish()
    return header, entries


def _po_lines(keyword: str, text: str, prefix: str = "") -> list[str]:
    if "\n" in text.rstrip("\n"):  # multi-line messages: one source line per line, like msgmerge
        parts = text.splitlines(keepends=True)
        return [f'{prefix}{keyword} ""'] + [prefix + _quote(p) for p in parts]
    return [f"{prefix}{keyword} {_quote(text)}"]


def format_po(header: dict[str, str], entries: list[Entry]) -> str:
    out = ['msgid ""', 'msgstr ""'] + [_quote(f"{k}: {v}\n") for k, v in header.items()]
    for e in entries:
        p = "#~ " if e.obsolete else ""
        out.append("")
        if e.locations and not e.obsolete:
            out.append("#: " + " ".join(e.locations))
        if e.flags:
            out.append("#, " + ", ".join(sorted(e.flags)))
        out += _po_lines("msgid", e.msgid, p)
        if e.msgid_plural is not None:
            out += _po_lines("msgid_plural", e.msgid_plural, p)
            for n, s in enumerate(e.msgstr):
                out += _po_lines(f"msgstr[{n}]", s, p)
        else:
            out += _po_lines("msgstr", e.msgstr[0], p)
    return "\n".join(out) + "\n"


def _header(lang: str | None) -> dict[str, str]:
    h = {"Project-Id-Version": DOMAIN, "MIME-Version": "1.0",
         "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}
    if lang:
        h["Language"] = lang
        h["Plural-Forms"] = LANGUAGES.get(lang, ("", "nplurals=2; plural=(n != 1);"))[1]
    return h


def merge(extracted: dict, existing: dict, lang: str) -> list[Entry]:
    """The catalog for `lang`: extracted messages in order with their translations, then obsolete ones."""
    nplurals = int(re.search(r"nplurals=(\d+)", _header(lang)["Plural-Forms"])[1])
    out = []
    for key, new in extracted.items():
        old = existing.get(key)  # an obsolete entry that came back keeps its translation too
        size = nplurals if new.msgid_plural is not None else 1
        msgstr = (list(old.msgstr) if old else []) + [""] * size
        out.append(Entry(new.msgid, new.msgid_plural, msgstr[:size], new.locations, set(old.flags) if old else set()))
    for key, old in existing.items():
        if key not in extracted and any(old.msgstr):
            out.append(Entry(old.msgid, old.msgid_plural, old.msgstr, [], old.flags, obsolete=True))
    return out


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def update() -> list[str]:
    extracted, problems = extract()
    LOCALE.mkdir(parents=True, exist_ok=True)
    (LOCALE / f"{DOMAIN}.pot").write_text(format_po(_header(None), list(extracted.values())), encoding="utf-8")
    for lang in LANGUAGES:
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        header, existing = read_po(path) if path.exists() else ({}, {})
        path.write_text(format_po({**_header(lang), **header}, merge(extracted, existing, lang)), encoding="utf-8")
    return problems


# --- .mo -----------------------------------------------------------------------------------------

def compile_po(path: Path) -> bytes:
    """The GNU .mo bytes of a .po: translated, non-fuzzy, non-obsolete entries plus the header."""
    header, entries = read_po(path)
    pairs = {"": "".join(f"{k}: {v}\n" for k, v in header.items())}
    for e in entries.values():
        if e.obsolete or not e.translated:
            continue
        if e.msgid_plural is not None:
            pairs[e.msgid + "\0" + e.msgid_plural] = "\0".join(e.msgstr)
        else:
            pairs[e.msgid] = e.msgstr[0]
    keys = sorted(pairs, key=lambda k: k.encode("utf-8"))
    ids = [k.encode("utf-8") for k in keys]
    strs = [pairs[k].encode("utf-8") for k in keys]
    n = len(keys)
    ids_start = 7 * 4
    strs_start = ids_start + n * 8
    data_start = strs_start + n * 8
    offsets, data = [], b""
    for blob in ids + strs:
        offsets.append((len(blob), data_start + len(data)))
        data += blob + b"\0"
    out = struct.pack("<7I", 0x950412DE, 0, n, ids_start, strs_start, 0, 0)
    for length, offset in offsets:
        out += struct.pack("<2I", length, offset)
    return out + data


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def compile_all() -> None:
    for lang in LANGUAGES:
        mo_path(lang).write_bytes(compile_po(po_path(lang)))


# --- checks --------------------------------------------------------------------------------------

def _fields(s: str) -> set[str]:
    try:
        return {f for _, f, _, _ in string.Formatter().parse(s) if f is not None}
    except ValueError:
        return {"<bad format>"}


def _percent(s: str) -> list[str]:
    return sorted(re.findall(r"%(?:\(\w+\))?[sdrif]", s))


def check() -> list[str]:
    """Everything wrong with the catalogs, one line each (empty when all is well)."""
    extracted, problems = extract()
    for lang in LANGUAGES:
        path = po_path(lang)
        if not path.exists():
            return problems + [f"{path}: missing (run: python scripts/i18n.py update)"]
        _, entries = read_po(path)
        for key, e in extracted.items():
            have = entries.get(key)
            if have is None or have.obsolete:
                problems.append(f"{lang}: not in the catalog: {e.msgid!r} ({e.locations[0]})")
            elif not have.translated:
                problems.append(f"{lang}: untranslated: {e.msgid!r} ({e.locations[0]})")
            else:
                for s in have.msgstr:
                    if _fields(s) != _fields(e.msgid) or _percent(s) != _percent(e.msgid):
                        problems.append(f"{lang}: placeholders differ: {e.msgid!r} -> {s!r}")
        if not mo_path(lang).exists() or mo_path(lang).read_bytes() != compile_po(path):
            problems.append(f"{lang}: {mo_path(lang)} is out of date (run: python scripts/i18n.py compile)")
    return problems


def untranslated(lang: str = "zh") -> list[Entry]:
    """The messages still to translate for `lang`, in source order."""
    extracted, _ = extract()
    _, entries = read_po(po_path(lang)) if po_path(lang).exists() else ({}, {})
    return [e for k, e in extracted.items() if k not in entries or not entries[k].translated]


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "update":
        for problem in update():
            print(problem, file=sys.stderr)
        print(f"{len(untranslated())} untranslated message(s)")
        return 0
    if command == "compile":
        compile_all()
        return 0
    if command == "check":
        problems = check()
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
