#!/bin/bash -e
# The image is the same for every commune: nothing device-specific or secret may be inside.
# Fail the build if the database or a password slipped in; reset per-device identities.
for secret in var/lib/motcua/motcua.db var/lib/motcua/admin-password.txt; do
	if [ -e "${ROOTFS_DIR}/${secret}" ]; then
		echo "image contains /${secret}: it must be created at first boot" >&2
		exit 1
	fi
done
if grep -rqs 'token *= *"[^"]' "${ROOTFS_DIR}/etc/motcua/"; then
	echo "image contains a sync token in /etc/motcua" >&2
	exit 1
fi
: > "${ROOTFS_DIR}/etc/machine-id"
rm -f "${ROOTFS_DIR}/var/lib/dbus/machine-id" "${ROOTFS_DIR}/var/lib/systemd/random-seed"
