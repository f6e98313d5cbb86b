"""WebVTT in and out: captions, transcripts and chapters from an uploaded file (webvtt-py), and timecodes.

`parse(text)` checks the file block by block so that every malformed cue is reported with its line number
(webvtt-py stops at the first one and names no line), then lets webvtt-py read the whole file. Cues come
back as plain dicts {"start", "end", "text"} (seconds as floats, text without markup) ready for a JSONField.
`render(cues)` writes a clean WebVTT file from stored cues, so what reaches the player is always valid.
"""

import io
import re

import webvtt
from django.utils.translation import gettext as _
from webvtt.errors import MalformedCaptionError, MalformedFileError

MAX_BYTES = 2 * 1024 * 1024
_TIMECODE_RE = re.compile(r"^(?:(\d+):)?([0-5]?\d):([0-5]\d)(?:\.\d+)?$")


class VttError(Exception):
    """A WebVTT file that cannot be used; `messages` lists each problem ("line 7: ...")."""

    def __init__(self, messages):
        super().__init__("; ".join(messages))
        self.messages = messages


def _line_error(line, message):
    return _("line %(line)d: %(message)s") % {"line": line, "message": message}


def parse(text):
    """[{"start", "end", "text"}] of a WebVTT document, or VttError listing every bad line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or not lines[0].startswith("WEBVTT"):
        raise VttError([_line_error(1, _("a WebVTT file must start with the word WEBVTT."))])
    errors = []
    blocks, current, start_line = [], [], 0
    for number, line in enumerate(lines[1:], start=2):
        if line.strip():
            if not current:
                start_line = number
            current.append(line)
        elif current:
            blocks.append((start_line, current))
            current = []
    if current:
        blocks.append((start_line, current))
    for first_line, block in blocks:
        if block[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        timing_index = 0 if "-->" in block[0] else 1
        if timing_index >= len(block) or "-->" not in block[timing_index]:
            errors.append(_line_error(first_line, _("expected a cue timing such as 00:01:02.000 --> 00:01:05.000.")))
            continue
        line_no = first_line + timing_index
        try:
            cue = webvtt.from_string("WEBVTT\n\n" + "\n".join(block) + "\n", strict=True)
        except (MalformedCaptionError, MalformedFileError, ValueError):
            errors.append(
                _line_error(
                    line_no, _("the cue timing %(timing)s is not valid.") % {"timing": block[timing_index].strip()}
                )
            )
            continue
        if not cue.captions:
            errors.append(
                _line_error(
                    line_no, _("the cue timing %(timing)s is not valid.") % {"timing": block[timing_index].strip()}
                )
            )
            continue
        caption = cue.captions[0]
        if caption.end_in_seconds < caption.start_in_seconds:
            errors.append(_line_error(line_no, _("the cue ends before it starts.")))
        elif not caption.text.strip():
            errors.append(_line_error(line_no, _("the cue has no text.")))
    if errors:
        raise VttError(errors)
    document = webvtt.from_buffer(io.StringIO(text))
    return [
        {"start": _seconds(c.start), "end": _seconds(c.end), "text": " ".join(c.text.split())}
        for c in document.captions
    ]


def _seconds(timestamp):
    hours, minutes, rest = timestamp.split(":") if timestamp.count(":") == 2 else ("0", *timestamp.split(":"))
    return round(int(hours) * 3600 + int(minutes) * 60 + float(rest), 3)


def read_document(document):
    """Text of a Wagtail document that should be WebVTT; VttError when it is too big or not UTF-8."""
    with document.file.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise VttError([_("The WebVTT file is larger than 2 MB.")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise VttError([_("The WebVTT file must be UTF-8 text.")]) from None


def timestamp(seconds, *, precise=True):
    """00:01:02.500 for WebVTT (precise) or 1:02 / 1:02:03 for readers."""
    seconds = max(0.0, float(seconds))
    if precise:
        whole = int(seconds)
        millis = int(round((seconds - whole) * 1000))
        return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}.{millis:03d}"
    whole = int(seconds)
    hours, minutes, secs = whole // 3600, whole % 3600 // 60, whole % 60
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def parse_timecode(value):
    """Seconds of "12:34", "1:02:03" or "754"; ValueError otherwise."""
    value = (value or "").strip()
    if value.isdigit():
        return int(value)
    match = _TIMECODE_RE.match(value)
    if not match:
        raise ValueError(value)
    hours, minutes, secs = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(secs)


def render(cues):
    """A WebVTT document of stored cues (text is plain; "<" and "&" escaped as WebVTT requires)."""
    out = ["WEBVTT", ""]
    for cue in cues:
        text = cue["text"].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out += [f"{timestamp(cue['start'])} --> {timestamp(cue['end'])}", text, ""]
    return "\n".join(out)
