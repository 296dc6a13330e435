"""Fill the English catalog: `python locale/translate.py < translations.tsv`.

Each input line is `Indonesian msgid<TAB>English msgstr`. Matching entries get the
English text and lose any fuzzy flag. With `--check`, list what is untranslated or
fuzzy and exit 1 if anything is. Run `make messages` first to collect new strings.
"""

import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent / "en" / "LC_MESSAGES" / "django.po"


def main():
    po = polib.pofile(str(PO), wrapwidth=0)
    if "--check" in sys.argv:
        todo = [e.msgid for e in po if not e.obsolete and (e.fuzzy or not e.translated())]
        print("\n".join(todo) or "complete")
        sys.exit(1 if todo else 0)
    pairs = {}
    for line in sys.stdin:
        if "\t" in line:
            msgid, msgstr = line.rstrip("\n").split("\t", 1)
            pairs[msgid] = msgstr
    changed = 0
    for entry in po:
        if entry.msgid in pairs:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: pairs[entry.msgid], 1: pairs[entry.msgid]}
            else:
                entry.msgstr = pairs[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            changed += 1
    po.save()
    print(f"{changed} entries translated; {len(pairs) - changed} given but not in the catalog")


if __name__ == "__main__":
    main()
