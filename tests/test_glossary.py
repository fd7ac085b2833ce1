"""The glossary as reference material: every entry gives its Chinese term, no term is defined twice,
and every term is linked from at least one chapter page or notebook (a term nobody links to is
either unused or used without its link). Sphinx's -W -n build already fails on a link to a term
that does not exist, so that direction needs no test here."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "book" / "glossary.md"
CJK = re.compile(r"[\u4e00-\u9fff]")
# {term}`text <Target>` or {term}`Target`
TERM_LINK = re.compile(r"\{term\}`(?:[^`<]*<([^`>]+)>|([^`<>]+))`")


def glossary_entries() -> dict[str, str]:
    """Map each term (its first line, as Sphinx indexes it) to its definition text."""
    entries: dict[str, str] = {}
    for block in re.findall(r"```\{glossary\}\n(.*?)```", GLOSSARY.read_text(encoding="utf-8"), re.S):
        for entry in re.split(r"\n(?=\S)", block.strip()):
            term, _, definition = entry.partition("\n")
            assert term.strip() not in entries, f"glossary defines {term.strip()!r} twice"
            entries[term.strip()] = definition
    return entries


def linked_terms() -> set[str]:
    sources = [p for p in (ROOT / "book").glob("*.md") if p != GLOSSARY]
    sources += list((ROOT / "notebooks").glob("*.ipynb"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in sources)
    return {(target or plain).strip().lower() for target, plain in TERM_LINK.findall(text)}


def test_the_glossary_has_entries():
    assert len(glossary_entries()) >= 50


def test_every_entry_gives_its_chinese_term():
    missing = [term for term, definition in glossary_entries().items() if not CJK.search(definition)]
    assert not missing, f"glossary entries without a Chinese term: {missing}"


def test_every_term_is_linked_from_a_chapter():
    linked = linked_terms()
    unlinked = [term for term in glossary_entries() if term.lower() not in linked]
    assert not unlinked, (
        f"glossary terms no page or notebook links to with {{term}}: {unlinked}; "
        "link each at its first use in a chapter")
