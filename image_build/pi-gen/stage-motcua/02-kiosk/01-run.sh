#!/bin/bash -e
# The hall display: cage (a kiosk Wayland compositor) runs Chromium full-screen on the HDMI TV
# showing http://127.0.0.1:8080/display; sound to HDMI; no cursor; no blanking.
install -d "${ROOTFS_DIR}/usr/lib/motcua/kiosk"
install -m 0755 files/motcua-kiosk-browser "${ROOTFS_DIR}/usr/lib/motcua/kiosk/motcua-kiosk-browser"
install -m 0644 files/motcua-kiosk.service "${ROOTFS_DIR}/etc/systemd/system/motcua-kiosk.service"
install -m 0644 files/asound.conf "${ROOTFS_DIR}/etc/asound.conf"
install -m 0755 files/make-blank-cursor.py "${ROOTFS_DIR}/tmp/make-blank-cursor.py"

on_chroot <<-'CHROOT'
	if ! id motcua-kiosk >/dev/null 2>&1; then
		useradd --system --create-home --home-dir /var/lib/motcua-kiosk --shell /usr/sbin/nologin \
			--groups video,render,input,audio motcua-kiosk
	fi
	python3 /tmp/make-blank-cursor.py /usr/share/icons/motcua-blank
	rm -f /tmp/make-blank-cursor.py
	systemctl enable motcua-kiosk.service
	systemctl set-default graphical.target
CHROOT
