#!/bin/sh
# The hub image's files other than the binary, assembled under $1 (the Dockerfile's build stage
# runs this; so does .ci/image-check, which tries them without Docker):
# - CA certificates: notifications use rustls with the system's roots (Slack, ntfy);
# - /etc/passwd and /etc/group naming uid/gid 65532, the user the hub runs as;
# - /etc/gitconfig trusting /fleet: the mounted repository belongs to a user of the host, and
#   libgit2, like git, refuses a repository of another user unless it is a safe.directory. The
#   hub only reads it (the mount is read-only) and libgit2 runs no hooks or filters of it;
# - /data owned by 65532 (a new named volume takes its owner from it), /config for the age
#   identity, /tmp for SQLite's temporary files.
set -eu
root="$1"
mkdir -p "$root/etc/ssl/certs" "$root/data" "$root/fleet" "$root/config" "$root/tmp"
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/data:/sbin/nologin\n' \
    > "$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$root/etc/group"
printf '[safe]\n\tdirectory = /fleet\n' > "$root/etc/gitconfig"
chown 65532:65532 "$root/data"
chmod 1777 "$root/tmp"
