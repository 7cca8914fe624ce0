# The hub image: `homelabcmd serve` alone on an empty (scratch) base — one static binary, CA
# certificates, a passwd naming uid 65532 — reading the fleet repository mounted read-only at
# /fleet and keeping its SQLite database and key in the /data volume. About 19 MB (see
# BENCHMARKS.md, "Image size"; `.ci/image-check` builds and tries the same files without Docker).
#   docker build -t homelabcmd .
#   docker run -v ~/fleet:/fleet:ro -v homelab-data:/data -p 8080:8080 homelabcmd
# The age identity that decrypts secrets.yaml: -e HOMELABCMD_ENCRYPTION_KEY=… (an env file), or
# mount it read-only at /config/homelabcmd/identity.txt (readable by uid 65532).
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
# A static binary: glibc with crt-static. rusqlite's bundled SQLite, the vendored libgit2 and
# ring link in; glibc >= 2.34 has the files and dns resolvers built in, so no NSS modules are
# needed at run time. The build machine's own target, so that arm64 builds arm64.
RUN target="$(rustc -vV | sed -n 's/^host: //p')" \
 && RUSTFLAGS="-C target-feature=+crt-static" \
    cargo build --release --locked -p homelabcmd --target "$target" \
 && cp "target/$target/release/homelabcmd" /homelabcmd \
 && /homelabcmd --version
# The final image's other files (CA certificates, passwd, gitconfig, /data): see the script.
RUN sh dist/docker/rootfs.sh /rootfs

FROM scratch
COPY --from=build /rootfs/ /
COPY --from=build /homelabcmd /homelabcmd
USER 65532:65532
ENV HOMELABCMD_REPO=/fleet \
    HOMELAB_CMD_DATABASE_URL=/data/homelab.db \
    HOMELAB_CMD_HOST=0.0.0.0 \
    HOMELAB_CMD_PORT=8080 \
    HOME=/data \
    XDG_CONFIG_HOME=/config \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
VOLUME ["/data"]
EXPOSE 8080
# GET /healthz answers "ok" while the hub runs; `healthcheck` needs no shell or curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/homelabcmd", "healthcheck"]
ENTRYPOINT ["/homelabcmd", "serve"]
