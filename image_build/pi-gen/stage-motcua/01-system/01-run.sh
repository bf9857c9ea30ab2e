#!/bin/bash -e
# System settings for a 24/7 appliance: hardware watchdog, capped journal, time sync, mDNS name
# (motcua.local, from TARGET_HOSTNAME), no console blanking, the GPIO UART freed for a pager,
# optional data drive.

# Hardware watchdog: the SoC's timer reboots the Pi if systemd itself stops answering.
install -d "${ROOTFS_DIR}/etc/systemd/system.conf.d"
install -m 0644 files/watchdog.conf "${ROOTFS_DIR}/etc/systemd/system.conf.d/60-motcua-watchdog.conf"
config_txt="${ROOTFS_DIR}/boot/firmware/config.txt"
if ! grep -q '^dtparam=watchdog=on' "${config_txt}"; then
	printf '\n# motcua: hardware watchdog\ndtparam=watchdog=on\n' >> "${config_txt}"
fi

# Journal on the SD card, capped; services log to journald only.
install -d "${ROOTFS_DIR}/etc/systemd/journald.conf.d"
install -m 0644 files/journald.conf "${ROOTFS_DIR}/etc/systemd/journald.conf.d/60-motcua.conf"

# Time: NTP servers in Vietnam first; fake-hwclock keeps the last time across reboots (no RTC).
# systemd-timesyncd touches /run/systemd/timesync/synchronized once synchronised; motcua reads
# it (and adjtimex) and records clock_synced with every event.
install -d "${ROOTFS_DIR}/etc/systemd/timesyncd.conf.d"
install -m 0644 files/timesyncd.conf "${ROOTFS_DIR}/etc/systemd/timesyncd.conf.d/60-motcua.conf"

# mDNS: advertise the panel as a web service on motcua.local.
install -d "${ROOTFS_DIR}/etc/avahi/services"
install -m 0644 files/avahi-motcua.service "${ROOTFS_DIR}/etc/avahi/services/motcua.service"

# Each device's own network name, motcua-XXXX.local (last 4 hex digits of the Pi's serial), set
# once at first boot so that two appliances on one network do not collide (docs/first-boot.md).
install -m 0644 files/motcua-hostname.service "${ROOTFS_DIR}/etc/systemd/system/motcua-hostname.service"

# The hall TV must never go blank.
cmdline="${ROOTFS_DIR}/boot/firmware/cmdline.txt"
if ! grep -q 'consoleblank=0' "${cmdline}"; then
	sed -i '1 s/$/ consoleblank=0/' "${cmdline}"
fi

# The Pi's own UART (GPIO 14/15, pins 8/10, /dev/serial0) is for a pager transmitter wired to the
# GPIO header: on, and no kernel console on it (Raspberry Pi OS puts console=serial0,115200 there,
# which would send boot messages to the transmitter). The console stays on the HDMI TV (tty1).
sed -i -E '1 s/console=(serial0|ttyAMA0|ttyS0),[0-9]+ ?//g' "${cmdline}"
if ! grep -q '^enable_uart=1' "${config_txt}"; then
	printf '\n# motcua: UART on GPIO 14/15 for a pager transmitter (/dev/serial0)\nenable_uart=1\n' >> "${config_txt}"
fi

# Optional: data on a separate partition or USB drive, mounted over /var/lib/motcua. motcua's
# units (StateDirectory=) require the mount: without the drive they do not start, rather than
# write to the SD card underneath.
if [ -n "${MOTCUA_DATA_LABEL:-}" ]; then
	if ! grep -q "LABEL=${MOTCUA_DATA_LABEL} " "${ROOTFS_DIR}/etc/fstab"; then
		printf 'LABEL=%s /var/lib/motcua ext4 defaults,noatime,nofail,x-systemd.device-timeout=20s 0 2\n' \
			"${MOTCUA_DATA_LABEL}" >> "${ROOTFS_DIR}/etc/fstab"
	fi
fi

on_chroot <<-'CHROOT'
	systemctl enable avahi-daemon.service systemd-timesyncd.service fake-hwclock.service motcua-hostname.service
CHROOT
