#!/bin/bash -e
# Start from the root file system of the previous stage (stage2, Raspberry Pi OS Lite).
if [ ! -d "${ROOTFS_DIR}" ]; then
	copy_previous
fi
