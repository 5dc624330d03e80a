"""Writers at once and writers killed: concurrent `stconfig set` runs lose no update, and a writer
SIGKILLed at any moment leaves the old file or the new one, never a mix."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

from conftest import write_config

WRITERS = 12


def test_a_dozen_concurrent_sets_lose_no_update(project: Path) -> None:
    path = write_config(project, "# shared by a dozen writers\n[server]\nport = 1\n")
    env = {**os.environ, "STCONFIG_DEBUG": "1"}
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "stconfig", "set", f"stress.key{i}", str(i), "--force", "-q"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in range(WRITERS)
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr.decode()
    data = tomllib.loads(path.read_text())
    assert data["stress"] == {f"key{i}": i for i in range(WRITERS)}
    assert data["server"] == {"port": 1}
    assert path.read_text().startswith("# shared by a dozen writers\n[server]\nport = 1\n")
    assert sorted(p.name for p in path.parent.iterdir()) == ["config.toml"]


# A writer that rewrites a large file as fast as it can, so a kill lands mid-write often. It says
# when its first write is done, so the kill's moment does not depend on how loaded the machine is.
_WRITER = """
import sys
from pathlib import Path
from stconfig.durable import edit_file
from stconfig.tomledit import set_in_text
path = Path(sys.argv[1])
i = 0
while True:
    i += 1
    edit_file(path, lambda text: set_in_text(text, ("server", "port"), i), timeout=30)
    if i == 1:
        print("wrote", flush=True)
"""


def test_writers_killed_at_random_moments_leave_a_whole_file(project: Path) -> None:
    filler = "".join(f"# comment line {n} to make each write take a while\n" for n in range(3000))
    path = write_config(project, f"[server]\n{filler}port = 0\n")
    lock = path.with_name("config.toml.lock")
    rng = random.Random(1234)
    ports: set[int] = set()
    locked = 0
    for _ in range(20):
        writer = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout is not None
        assert writer.stdout.readline() == "wrote\n"
        time.sleep(rng.random() * 0.2)  # somewhere in the write loop
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
        text = path.read_text()
        port = tomllib.loads(text)["server"]["port"]  # always parses
        assert text == f"[server]\n{filler}port = {port}\n"
        ports.add(port)
        # A killed writer may leave its lock (git's config.lock does the same); clear it.
        locked += lock.exists()
        lock.unlink(missing_ok=True)
    assert len(ports) > 1, "the writers never got to write: the test proves nothing"
    assert locked, "no kill landed while a writer held the lock"
