"""Shell completion scripts (``tqcheck completion bash|zsh|fish``), written from the parser itself
so that a new subcommand or flag completes without anyone editing a script.

Install: ``eval "$(tqcheck completion bash)"`` in ~/.bashrc, the same with ``zsh`` in ~/.zshrc,
``tqcheck completion fish > ~/.config/fish/completions/tqcheck.fish``.
"""
from __future__ import annotations

import argparse


def _commands(parser: argparse.ArgumentParser) -> dict[str, list[str]]:
    """Subcommand → its flags (nested subcommands such as ``model info`` listed as words)."""
    out: dict[str, list[str]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                words = [o for a in sub._actions for o in a.option_strings if o.startswith("--")]
                words += [n for a in sub._actions if isinstance(a, argparse._SubParsersAction) for n in a.choices]
                words += [c for a in sub._actions if not a.option_strings and a.choices
                          and not isinstance(a, argparse._SubParsersAction) for c in a.choices]
                out[name] = sorted(set(words))
    return out


def _bash(commands: dict[str, list[str]]) -> str:
    cases = "\n".join(f'        {name}) words="{" ".join(flags)}" ;;' for name, flags in commands.items())
    return f"""# tqcheck completion for bash: eval "$(tqcheck completion bash)"
_tqcheck() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} words
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "{" ".join(commands)} --help --version" -- "$cur"))
        return
    fi
    case "${{COMP_WORDS[1]}}" in
{cases}
        *) words="" ;;
    esac
    if [[ "$cur" == -* || -n "$words" && "$words" != --* ]]; then
        COMPREPLY=($(compgen -W "$words --help" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}}
complete -o default -F _tqcheck tqcheck
"""


def _fish(commands: dict[str, list[str]]) -> str:
    lines = ["# tqcheck completion for fish: tqcheck completion fish > ~/.config/fish/completions/tqcheck.fish"]
    lines += [f"complete -c tqcheck -n __fish_use_subcommand -a {name}" for name in commands]
    for name, flags in commands.items():
        for flag in flags:
            condition = f"-n '__fish_seen_subcommand_from {name}'"
            lines.append(f"complete -c tqcheck {condition} -l {flag[2:]}" if flag.startswith("--")
                         else f"complete -c tqcheck {condition} -a {flag}")
    return "\n".join(lines) + "\n"


def script(shell: str, parser: argparse.ArgumentParser) -> str:
    """The completion script for ``shell``; zsh runs the bash one through ``bashcompinit``."""
    commands = _commands(parser)
    if shell == "fish":
        return _fish(commands)
    bash = _bash(commands)
    if shell == "zsh":
        return "# tqcheck completion for zsh: eval \"$(tqcheck completion zsh)\"\n" \
               "autoload -Uz bashcompinit && bashcompinit\n" + bash
    return bash
