#!/bin/bash
# Build the motcua .deb from this repository with dpkg-deb (no debhelper needed).
#
# The package carries the project's wheel and a wheelhouse of every dependency; postinst builds
# the virtualenv /opt/motcua from them without network. Binary wheels (Pillow, MarkupSafe, …) make
# the .deb specific to one architecture: the wheelhouse holds them for every supported CPython
# (3.11 = Debian/Raspberry Pi OS bookworm, 3.12, 3.13 = trixie), so one .deb installs on either
# release, and pip in postinst picks the wheel of the Python it finds. Wheels are chosen for the
# target's glibc (manylinux_2_17 … manylinux_2_<TARGET_GLIBC minor>; musllinux never), whatever
# machine builds the package; the control file's libc6 dependency is the newest glibc any bundled
# wheel needs.
#
# Environment:
#   PYTHON   interpreter whose pip builds the wheels (default: python3)
#   ARCH     Debian architecture of the target (default: this machine's)
#   OUT_DIR  where the .deb is written (default: ./dist)
#   DEB_REVISION  Debian revision appended to the project version (default: 1)
#   PYTHON_VERSIONS  CPython versions the wheelhouse serves (default: "3.11 3.12 3.13")
#   TARGET_GLIBC     the target's glibc (default: 2.41, Debian/Raspberry Pi OS trixie)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
python=${PYTHON:-python3}
arch=${ARCH:-$(dpkg --print-architecture)}
out_dir=${OUT_DIR:-$repo/dist}
revision=${DEB_REVISION:-1}
python_versions=${PYTHON_VERSIONS:-3.11 3.12 3.13}
target_glibc=${TARGET_GLIBC:-2.41}

version=$("$python" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' \
    "$repo/pyproject.toml")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
wheelhouse=$root/usr/lib/motcua/wheelhouse
mkdir -p "$wheelhouse" "$out_dir"

echo "==> wheel of motcua $version"
# A copy of the tree, so that the build leaves no build/ or egg-info in the working tree.
mkdir -p "$work/src"
tar -C "$repo" --exclude=.git --exclude=.venv --exclude=var --exclude=dist --exclude=build \
    --exclude='*.egg-info' --exclude=__pycache__ --exclude=tests -cf - . | tar -C "$work/src" -xf -
"$python" -m pip wheel --quiet --no-deps --wheel-dir "$wheelhouse" "$work/src"

echo "==> wheelhouse for $arch"
case "$arch" in
    amd64) machine=x86_64 ;;
    arm64) machine=aarch64 ;;
    armhf) machine=armv7l ;;
    *) echo "unsupported architecture $arch" >&2; exit 2 ;;
esac
# Most specific tag first: pip prefers the earlier --platform when a release has several wheels.
glibc_minor=${target_glibc#2.}
platforms=()
for ((minor = glibc_minor; minor >= 17; minor--)); do
    platforms+=(--platform "manylinux_2_${minor}_$machine")
done
platforms+=(--platform "manylinux2014_$machine")
for py in $python_versions; do
    cp=cp${py/./}
    "$python" -m pip download --quiet --disable-pip-version-check --only-binary=:all: \
        --python-version "$py" --implementation cp --abi "$cp" --abi abi3 --abi none \
        "${platforms[@]}" --dest "$wheelhouse" "$wheelhouse"/motcua-"$version"-*.whl
done
# libc6 (>= the newest glibc a bundled wheel is built for): dpkg refuses an older system.
needed_glibc=$(find "$wheelhouse" -name '*.whl' -printf '%f\n' |
    grep -oE 'manylinux_2_[0-9]+|manylinux2014' | sed -e 's/manylinux2014/manylinux_2_17/' \
        -e 's/manylinux_2_/2./' | sort -t. -k2,2n | tail -n1)
needed_glibc=${needed_glibc:-2.17}

echo "==> file tree"
install -d "$root/DEBIAN" "$root/etc/motcua" "$root/usr/bin" "$root/usr/share/doc/motcua" \
    "$root/lib/systemd/system" "$root/lib/udev/rules.d" "$root/usr/lib/sysusers.d" \
    "$root/usr/lib/tmpfiles.d"
install -m 0755 "$here/deb/motcua-setup" "$root/usr/lib/motcua/motcua-setup"
for unit in motcua.service motcua-sync.service motcua-firstboot.service \
            motcua-backup.service motcua-backup.timer; do
    install -m 0644 "$repo/systemd/$unit" "$root/lib/systemd/system/$unit"
done
install -m 0644 "$repo/systemd/60-motcua.rules" "$root/lib/udev/rules.d/60-motcua.rules"
install -m 0644 "$repo/systemd/motcua.sysusers" "$root/usr/lib/sysusers.d/motcua.conf"
install -m 0644 "$repo/systemd/motcua.tmpfiles" "$root/usr/lib/tmpfiles.d/motcua.conf"
ln -s /opt/motcua/bin/motcua "$root/usr/bin/motcua"
{
    cat "$here/deb/config-header.toml"
    PYTHONPATH=$repo "$python" -c 'from appliance.config import describe; print(describe())'
} > "$root/etc/motcua/config.toml"
chmod 0640 "$root/etc/motcua/config.toml"
install -m 0644 "$here/deb/copyright" "$root/usr/share/doc/motcua/copyright"
for doc in deploy.md install-vi.md wiring.svg; do
    if [ -f "$repo/docs/$doc" ]; then
        install -m 0644 "$repo/docs/$doc" "$root/usr/share/doc/motcua/$doc"
    fi
done
for unit in motcua-hub.service motcua-hub-purge.service motcua-hub-purge.timer; do
    install -m 0644 "$repo/systemd/$unit" "$root/usr/share/doc/motcua/$unit.example"
done

for script in postinst prerm postrm; do
    install -m 0755 "$here/deb/$script" "$root/DEBIAN/$script"
done
echo /etc/motcua/config.toml > "$root/DEBIAN/conffiles"
installed_kb=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version-$revision/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$installed_kb/" \
    -e "s/@LIBC@/$needed_glibc/" \
    "$here/deb/control.in" > "$root/DEBIAN/control"

deb=$out_dir/motcua_${version}-${revision}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "==> $deb"
