# The hub image: `homelabcmd serve` reading a fleet repository mounted at /fleet, keeping its
# SQLite database and key in the /data volume.
#   docker build -t homelabcmd .
#   docker run -v ~/fleet:/fleet:ro -v homelab-data:/data -p 8080:8080 homelabcmd
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p homelabcmd

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates git openssh-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /data homelabcmd \
 && mkdir -p /data /fleet && chown homelabcmd /data \
 # The mounted fleet repository is owned by a user of the host.
 && git config --system --add safe.directory /fleet
COPY --from=build /src/target/release/homelabcmd /usr/local/bin/homelabcmd
USER homelabcmd
ENV HOMELABCMD_REPO=/fleet \
    HOMELAB_CMD_DATABASE_URL=/data/homelab.db \
    HOMELAB_CMD_HOST=0.0.0.0 \
    HOMELAB_CMD_PORT=8080
VOLUME ["/data"]
EXPOSE 8080
# GET /healthz answers "ok" while the hub runs.
ENTRYPOINT ["homelabcmd"]
CMD ["serve"]
