"""`Context`: the pure inputs of a resolution (directories, environment mapping, flags), so that
every caller, tests included, states exactly which world it resolves.

Apart from `stconfig.resolve`, and as cheap to import as `locate`: the probe starts Streamlit from
a `Context` before it loads the read side, which then runs while the server starts.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from stconfig.environment import StreamlitInstall, find_streamlit
from stconfig.locate import (
    Target,
    TargetChoice,
    choose_target,
    config_file_in,
    home_dir,
    project_dir_from,
)
from stconfig.model import Scope

if TYPE_CHECKING:
    from stconfig.catalog import Catalog


@dataclass(frozen=True)
class Context:
    """What `streamlit run` would see: where it starts, its main script, env and flags."""

    project_dir: Path
    home: Path
    env: Mapping[str, str]
    script: Path | None = None
    use_env: bool = True
    flags: Sequence[str] = ()
    python: Path | None = None  # the interpreter whose Streamlit counts, when given

    @classmethod
    def create(
        cls,
        *,
        project_dir: Path | None = None,
        script: Path | None = None,
        use_env: bool = True,
        flags: Sequence[str] | None = (),
        env: Mapping[str, str] | None = None,
        python: Path | None = None,
    ) -> Context:
        environ = dict(os.environ if env is None else env)
        return cls(
            project_dir=project_dir_from(project_dir),
            home=home_dir(environ),
            env=environ,
            script=script,
            use_env=use_env,
            flags=tuple(flags or ()),
            python=python,
        )

    @cached_property
    def streamlit(self) -> StreamlitInstall | None:
        """The Streamlit `streamlit run` would use here."""
        return find_streamlit(self.project_dir, self.env, self.python)

    def target(self, choice: TargetChoice) -> Target | None:
        """The file named by --project/--global/--script-dir/--file, if any."""
        return choose_target(self.home, self.project_dir, self.script, choice)

    def write_target(self, choice: TargetChoice) -> Target:
        """The file a write goes to: the one chosen, else the project file."""
        return self.target(choice) or Target(Scope.PROJECT, config_file_in(self.project_dir))

    def catalog(self) -> Catalog:
        from stconfig.catalog.store import load_catalog

        return load_catalog(self.streamlit)
