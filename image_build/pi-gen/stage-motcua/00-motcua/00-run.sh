#!/bin/bash -e
# Install the motcua .deb (copied into files/ by image_build/build.sh) with its dependencies.
# MOTCUA_DEFER_INIT=1: no database, no admin password in the image; motcua-firstboot.service
# creates them on the device.
shopt -s nullglob
debs=(files/motcua_*_arm64.deb)
if [ "${#debs[@]}" -ne 1 ]; then
	echo "expected exactly one files/motcua_*_arm64.deb, found ${#debs[@]}" >&2
	exit 1
fi
install -m 0644 "${debs[0]}" "${ROOTFS_DIR}/tmp/motcua.deb"
on_chroot <<-'CHROOT'
	apt-get update
	MOTCUA_DEFER_INIT=1 DEBIAN_FRONTEND=noninteractive apt-get install -y /tmp/motcua.deb python3-lgpio
	rm -f /tmp/motcua.deb
	systemctl enable motcua.service motcua-sync.service motcua-firstboot.service motcua-backup.timer
CHROOT
