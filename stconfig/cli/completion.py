"""Shell completion: `stconfig completion SHELL` and the KEY/VALUE completers commands attach.

The scripts are Typer's: the shell runs `stconfig` again with `_STCONFIG_COMPLETE=complete_SHELL`
and the words typed so far, and click asks each argument's `autocompletion` callback. The
callbacks read the shipped option catalog (a JSON read), never Streamlit.
"""

from __future__ import annotations

from functools import cache

import typer

from stconfig.catalog import Catalog
from stconfig.cli.output import emit
from stconfig.cli.spec import SHELLS, Options
from stconfig.cli.typer_compat import completion_init, get_completion_script
from stconfig.errors import ExitCode
from stconfig.values import to_text

PROG_NAME = "stconfig"
COMPLETE_VAR = "_STCONFIG_COMPLETE"

# Typer registers its completion classes only when an app has add_completion=True; ours does not
# (that would add --install-completion to the root), so register them for the callback run.
completion_init()


# The names each shell's completion loader looks for (zsh: `_stconfig` in $fpath).
SCRIPT_FILES = dict(
    zip(SHELLS, ("stconfig.bash", "_stconfig", "stconfig.fish", "stconfig.ps1"), strict=True)
)

# Typer's zsh script only calls `compdef`, so autoloaded from $fpath the first Tab completes
# nothing; this one also completes when autoloaded (as click's own zsh script does).
_ZSH_SCRIPT = """\
#compdef {prog}

_{prog}_completion() {{
  eval $(env _TYPER_COMPLETE_ARGS="${{words[1,$CURRENT]}}" {var}=complete_zsh {prog})
}}

compdef _{prog}_completion {prog}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _{prog}_completion "$@"
fi"""


def completion_script(shell: str) -> str:
    """The script `stconfig completion SHELL` prints and `completions/` holds."""
    if shell == "zsh":
        body = _ZSH_SCRIPT.format(prog=PROG_NAME, var=COMPLETE_VAR)
        head, _, rest = body.partition("\n")
        return f"{head}\n{_header(shell)}{rest}\n"
    body = get_completion_script(prog_name=PROG_NAME, complete_var=COMPLETE_VAR, shell=shell)
    return f"{_header(shell)}\n{body}\n"


def _header(shell: str) -> str:
    return (
        f"# {shell} completion for stconfig: `stconfig completion {shell}` prints it;\n"
        "# it runs stconfig to complete commands, options, option keys and values.\n"
    )


@cache
def _catalog() -> Catalog:
    from stconfig.catalog.store import load_catalog

    # The shipped catalog: completing must not find, let alone start, the project's Streamlit.
    return load_catalog(None)


def _summary(description: str) -> str:
    first = " ".join(description.split("\n\n", 1)[0].split())
    sentence = first.split(". ", 1)[0].rstrip(".")
    return sentence if len(sentence) <= 70 else sentence[:67] + "..."


def complete_key(incomplete: str) -> list[tuple[str, str]]:
    """Option keys starting with what is typed (hidden ones only when no visible one fits)."""
    specs = [spec for spec in _catalog() if spec.key.startswith(incomplete)]
    visible = [spec for spec in specs if not spec.hidden] or specs
    return [(spec.key, f"{spec.type_label}: {_summary(spec.description)}") for spec in visible]


def complete_key_or_section(incomplete: str) -> list[tuple[str, str]]:
    """For `show`: section names, then option keys."""
    sections = [
        (name, f"section: {_summary(text)}" if text else "section")
        for name, text in _catalog().sections.items()
        if name.startswith(incomplete)
    ]
    return sections + complete_key(incomplete)


def complete_value(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """true/false for a bool option, the allowed values of an enum option, else nothing."""
    spec = _catalog().get(str(ctx.params.get("key") or ""))
    if spec is None:
        return []
    if spec.type == "bool":
        words = ["true", "false"]
    elif spec.allowed is not None:
        words = list(spec.allowed)
    else:
        return []
    default = None if spec.computed else to_text(spec.default)
    return [
        (word, "the default" if word == default else "")
        for word in words
        if word.startswith(incomplete)
    ]


def run_completion(options: Options) -> int:
    assert options.shell is not None  # a required argument
    emit(completion_script(options.shell).rstrip("\n"))
    return ExitCode.OK
