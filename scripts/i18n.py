"""Refresh the translation catalogues and fill in Chinese translations.

    .venv/bin/python scripts/i18n.py [TRANSLATIONS.json ...]

1. `makemessages` for zh_Hans and en over the whole project (one catalogue in locale/),
2. fills zh_Hans msgstr from each JSON file ({"English msgid": "中文", ...}; a plural msgid maps to one
   string, since Chinese has one plural form; a msgid with a context, pgettext's, is keyed
   "context\u0004msgid" as gettext itself keys it), 3. `compilemessages`, 4. lists msgids still untranslated.
Takes a lock, so several people (or helpers) running it at once cannot clobber each other's work.
"""

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
IGNORE = [".venv", "tests", "var", "static_collected", ".cache", "scripts"]


def manage(*args):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def main(paths):
    (ROOT / "locale").mkdir(exist_ok=True)
    (ROOT / "var").mkdir(exist_ok=True)
    with open(ROOT / "var" / "i18n.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ignores = [f"--ignore={name}" for name in IGNORE]
        manage("makemessages", "-l", "zh_Hans", "-l", "en", "--no-obsolete", *ignores)
        translations = {}
        for path in paths:
            translations.update(json.loads(Path(path).read_text(encoding="utf-8")))
        po = polib.pofile(str(PO))
        po.metadata.update(
            {
                "Language": "zh_Hans",
                "Plural-Forms": "nplurals=1; plural=0;",
                "Content-Type": "text/plain; charset=UTF-8",
            }
        )
        missing = []
        for entry in po:
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            if key in translations:
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: translations[key]}
                else:
                    entry.msgstr = translations[key]
            if "fuzzy" in entry.flags:
                # gettext's fuzzy guess is another message's translation (wrong placeholders included):
                # keep only what a translator supplied.
                entry.flags.remove("fuzzy")
                if key not in translations:
                    entry.msgstr = ""
                    entry.msgstr_plural = {0: ""} if entry.msgid_plural else {}
            if not (entry.msgstr or (entry.msgid_plural and entry.msgstr_plural.get(0))):
                missing.append(entry.msgid)
        po.save()
        manage("compilemessages", "--ignore=.venv")
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    print(f"{len(po)} messages, {len(missing)} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
