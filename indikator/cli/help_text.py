"""Everything the command line says about itself, in Swedish: help, version, usage errors.

typer writes its help and its parse errors in English ("Usage", "Invalid value
for '--year': Input should be a valid integer…") and its wording changes between
releases. The help is therefore written here from the commands' own parameters,
and typer's usage errors are caught and said again in Swedish, with the nearest
valid choice where there is one.
"""

from __future__ import annotations

import difflib
import textwrap
from importlib.metadata import PackageNotFoundError, version

PROGRAM = "indikator"
WIDTH = 88
INTRO = ("NNS-indikatorer för samordningsförbund: från enkätexport till diagram och tabeller "
         "för årsredovisningen.")
EXAMPLES = [
    ("indikator app", "öppna sidan i webbläsaren: välj filerna, bygg paketet, ladda ner det"),
    ("indikator pack", "bygg paketet av svaren i mappen responses/ (exemplet i en ny "
                       "installation)"),
    ("indikator validate svar/*.xlsx", "kontrollera filerna; skriver inget"),
    ("indikator pack svar/ --out paket-2025", "bygg paketet av alla exportfiler i mappen svar/"),
    ("indikator pack --help", "alla val för pack"),
]
TYPES = {"int": "HELTAL", "path": "SÖKVÄG", "str": "TEXT"}


def program_version() -> str:
    try:
        from indikator import DISTRIBUTION

        return version(DISTRIBUTION)
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "okänd version"


def _wrap(text: str, indent: int) -> list[str]:
    return textwrap.wrap(text, WIDTH - indent) or [""]


def _type_name(param) -> str:
    name = type(param.default).__name__ if param.default is not None else "str"
    hint = str(getattr(param, "type_descriptor", "") or "").lower()
    if "int" in hint or name == "int":
        return TYPES["int"]
    if "path" in hint or name in ("PosixPath", "WindowsPath", "Path"):
        return TYPES["path"]
    return TYPES["str"]


def _default(param) -> str:
    default = param.default
    if default is None or default is False or default == () or getattr(param, "is_flag", False):
        return ""
    return f" [standard: {default}]"


def _options(command) -> list[str]:
    lines = []
    for param in command.params:
        if getattr(param, "hidden", False):
            continue
        if param.__class__.__name__.endswith("Argument"):
            continue
        flag = param.opts[0]
        head = flag if getattr(param, "is_flag", False) else f"{flag} {_type_name(param)}"
        text = (param.help or "") + _default(param)
        lines.append(f"  {head}")
        lines += [f"      {line}" for line in _wrap(text, 6)]
    lines.append("  --help")
    lines.append("      Visa den här hjälpen och avsluta.")
    return lines


def _arguments(command) -> list[tuple[str, str]]:
    return [((getattr(param, "metavar", None) or param.name.upper())
             + ("..." if getattr(param, "nargs", 1) == -1 else ""),
             param.help or "") for param in command.params
            if param.__class__.__name__.endswith("Argument")]


def help_text(group, name: str | None = None) -> str:
    """Help for the program (name None) or for one of its commands."""
    if name is None or name not in group.commands:
        lines = [INTRO, "", f"Användning: {PROGRAM} KOMMANDO [VAL] [FILER]...", "",
                 "Kommandon:"]
        for cmd_name, command in group.commands.items():
            summary = " ".join((command.help or "").split()).split(". ")[0].rstrip(".") + "."
            lines.append(f"  {cmd_name:<16}{summary}")
        lines += ["", "Val:", "  --version       Visa versionen och avsluta.",
                  "  --help          Visa den här hjälpen och avsluta.", "", "Exempel:"]
        lines += [f"  {cmd:<40}{what}" for cmd, what in EXAMPLES]
        lines += ["", f"Mer om ett kommando: {PROGRAM} KOMMANDO --help"]
        return "\n".join(lines) + "\n"
    command = group.commands[name]
    arguments = _arguments(command)
    usage = f"Användning: {PROGRAM} {name} [VAL]" + "".join(f" [{a}]" for a, _ in arguments)
    lines = [usage, "", *_wrap(command.help or "", 0)]
    if arguments:
        lines += ["", "Argument:"]
        for arg, text in arguments:
            lines.append(f"  {arg}")
            lines += [f"      {line}" for line in _wrap(text, 6)]
    lines += ["", "Val:", *_options(command)]
    return "\n".join(lines) + "\n"


def _value_after(argv: list[str], option: str) -> str | None:
    for i, token in enumerate(argv):
        if token == option and i + 1 < len(argv):
            return argv[i + 1]
        if token.startswith(option + "="):
            return token.split("=", 1)[1]
    return None


def _param_flag(exc) -> str:
    param = getattr(exc, "param", None)
    if param is None:
        return getattr(exc, "param_hint", None) or ""
    opts = getattr(param, "opts", None) or [param.name]
    return opts[0] if opts[0].startswith("-") else param.name.upper()


def suggest(word: str, choices) -> str:
    """' (menade du --year?)' for a near miss, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (menade du {close[0]}?)" if close else ""


def usage_error(exc, group, argv: list[str], command: str | None) -> str:
    """A typer/click usage error said in Swedish; what it says is taken from the exception."""
    kind = type(exc).__name__
    where = f"{PROGRAM} {command}" if command else PROGRAM
    more = f"Se {where} --help."
    message = str(getattr(exc, "message", "") or exc)
    if kind == "NoSuchOption":
        option = getattr(exc, "option_name", "") or message.rsplit(" ", 1)[-1]
        known = [o for p in group.commands[command].params for o in getattr(p, "opts", [])
                 if o.startswith("-")] if command in group.commands else ["--help"]
        return f"Fel: okänt val {option}{suggest(option, [*known, '--help'])}. {more}"
    if kind == "MissingParameter":
        param = getattr(exc, "param", None)
        name = getattr(param, "metavar", None) or _param_flag(exc)
        return f"Fel: {name} saknas. {more}"
    if kind == "BadOptionUsage":
        option = getattr(exc, "option_name", "") or ""
        if "requires an argument" in message or "requires" in message:
            return f"Fel: {option} behöver ett värde. {more}"
        return f"Fel: fel användning av {option}. {more}"
    if kind == "BadParameter":
        flag = _param_flag(exc)
        value = _value_after(argv, flag) if flag.startswith("-") else None
        shown = f" '{value}'" if value is not None else ""
        if "greater" in message or "less" in message:
            bound = "".join(ch for ch in message if ch.isdigit())
            what = f"ett heltal som är minst {bound}" if "greater" in message else (
                f"ett heltal som är högst {bound}")
        elif "integer" in message:
            what = "ett heltal"
        else:
            what = "ett giltigt värde"
        return f"Fel: ogiltigt värde{shown} för {flag}; {what} väntas. {more}"
    if "No such command" in message:
        word = message.split("'")[1] if "'" in message else ""
        return (f"Fel: okänt kommando '{word}'{suggest(word, group.commands)}. "
                f"Kommandon: {', '.join(group.commands)}. Se {PROGRAM} --help.")
    if "Got unexpected extra argument" in message:
        return f"Fel: för många argument. {more}"
    return f"Fel: kommandot kunde inte tolkas. {more}"
