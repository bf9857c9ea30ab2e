# shellcheck shell=bash
# Sourced by the chroot checks (fresh-machine-check.sh, arm64-root-check.sh, suite-on-release.sh).
#
# A chroot tree has /dev and /sys bind-mounted from this machine while a check runs. If a run is
# killed before its EXIT trap (SIGKILL, a lost terminal, a script cut short), those mounts stay, and
# the next run's `rm -rf TREE` goes through them and deletes this machine's own /dev (every device
# node: /dev/null, /dev/urandom, /dev/pts/ptmx...). remove_tree unmounts whatever is mounted at or
# under TREE first, stops if something still is, and removes with --one-file-system as a last guard.

# Mount points at or under $1, deepest first (from /proc/self/mounts; octal escapes left as they are:
# our trees have no spaces in their paths).
mounts_under() {
  local dir
  dir=$(realpath -m "$1")
  awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}

unmount_tree() {
  local m
  while read -r m; do
    [ -n "$m" ] || continue
    umount -R "$m" 2>/dev/null || umount -lR "$m" 2>/dev/null || true
  done < <(mounts_under "$1")
}

remove_tree() {
  [ -e "$1" ] || return 0
  unmount_tree "$1"
  if [ -n "$(mounts_under "$1")" ]; then
    echo "Còn thư mục đang gắn trong $1, không xóa / still mounted under $1, not removed:" >&2
    mounts_under "$1" >&2
    return 1
  fi
  rm -rf --one-file-system "$1"
}
