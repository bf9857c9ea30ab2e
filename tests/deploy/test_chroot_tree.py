"""scripts/chroot-tree.sh: a chroot tree left with this machine's directories bind-mounted in it
(a check killed before its EXIT trap) is removed without deleting what those mounts show.

The stand-in for this machine's /dev is a directory of our own, bind-mounted (rbind, as the checks
do) into a tree, with a file in it; remove_tree must leave that file and the tree must be gone.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LIB = REPO / "scripts/chroot-tree.sh"


def bash(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", f'set -euo pipefail; . "{LIB}"; {script}', "bash", *args],
                          capture_output=True, text=True, timeout=120)


def mounted_under(path: Path) -> list[str]:
    return [line.split()[1] for line in Path("/proc/self/mounts").read_text().splitlines()
            if line.split()[1] == str(path) or line.split()[1].startswith(f"{path}/")]


def test_remove_tree_unmounts_before_removing(tmp_path):
    host_dev = tmp_path / "host-dev"
    (host_dev / "pts").mkdir(parents=True)
    (host_dev / "null").write_text("this machine's own device node\n")
    tree = tmp_path / "tree"
    (tree / "dev").mkdir(parents=True)
    (tree / "etc").mkdir()
    (tree / "etc/hostname").write_text("chroot\n")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "kept").write_text("a mount inside the bind mount\n")
    try:
        subprocess.run(["mount", "--bind", str(inner), str(host_dev / "pts")], check=True)
        subprocess.run(["mount", "--rbind", str(host_dev), str(tree / "dev")], check=True)
        assert len(mounted_under(tree)) == 2
        done = bash('remove_tree "$1"', str(tree))
        assert done.returncode == 0, done.stderr
        assert not tree.exists()
        assert mounted_under(tree) == []
        assert (host_dev / "null").read_text() == "this machine's own device node\n"
        assert (inner / "kept").exists()
    finally:
        for m in sorted(mounted_under(tmp_path), reverse=True):
            subprocess.run(["umount", "-l", m], capture_output=True)


def test_remove_tree_of_nothing_and_of_a_plain_tree(tmp_path):
    assert bash('remove_tree "$1"', str(tmp_path / "absent")).returncode == 0
    plain = tmp_path / "plain"
    (plain / "a/b").mkdir(parents=True)
    (plain / "a/b/c").write_text("x")
    assert bash('remove_tree "$1"', str(plain)).returncode == 0
    assert not plain.exists()


def test_mounts_under_does_not_take_a_sibling_with_the_same_prefix(tmp_path):
    run, other = tmp_path / "run", tmp_path / "run2"
    for d in (run, other, tmp_path / "src"):
        d.mkdir()
    try:
        subprocess.run(["mount", "--bind", str(tmp_path / "src"), str(other)], check=True)
        listed = bash('mounts_under "$1"', str(run))
        assert listed.returncode == 0 and listed.stdout == ""
        assert bash('remove_tree "$1"', str(run)).returncode == 0
        assert mounted_under(other) == [str(other)]
    finally:
        subprocess.run(["umount", "-l", str(other)], capture_output=True)
