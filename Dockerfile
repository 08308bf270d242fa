# The Lanonasis Secrets server in a container, from the distribution archive (distribution/README.md,
# "Docker"). Build it from a checkout:
#
#   ./mvnw -B -ntp -DskipTests package -pl distribution -am && docker build -t lanonasis .
#
# The container binds 0.0.0.0:8080, which the server allows only with TLS (server/README.md: a
# non-loopback bind address needs TLS, and a protected master keyset). This image's default is TLS
# in the container, from /data/tls/cert.pem and /data/tls/key.pem; behind a TLS-terminating proxy on
# another host or container, run with
#   -e LANONASIS_TLS_CERT= -e LANONASIS_TLS_KEY= -e LANONASIS_INSECURE_NO_TLS=true
# and publish the port to that proxy only. The keyset /data/keyset.json must be passphrase-protected
# (lanonasis key init --passphrase), its passphrase given as LANONASIS_KEYSET_PASSPHRASE.
#
# Pinned: the Temurin 17 JRE on Ubuntu 24.04 (noble), which has curl for the health check.
FROM eclipse-temurin:17.0.20_8-jre-noble

# The archive's one top directory, lanonasis-VERSION/, unpacked under /opt (root-owned, read-only to
# the server's user), then linked to /opt/lanonasis and the launcher to /usr/local/bin/lanonasis.
ADD distribution/target/lanonasis-*.tar.gz /opt/
RUN set -eu; \
    set -- /opt/lanonasis-*/; \
    test "$#" -eq 1 || { echo "one lanonasis-VERSION.tar.gz in distribution/target, please" >&2; exit 1; }; \
    ln -s "${1%/}" /opt/lanonasis; \
    ln -s /opt/lanonasis/lanonasis /usr/local/bin/lanonasis; \
    groupadd --system --gid 10001 lanonasis; \
    useradd --system --uid 10001 --gid lanonasis --home-dir /home/lanonasis --create-home \
      --shell /usr/sbin/nologin lanonasis; \
    mkdir -m 0700 /data; \
    chown lanonasis:lanonasis /data

# The store, the keyset, the audit signing key and checkpoints, and the TLS files: all in /data.
ENV LANONASIS_BIND=0.0.0.0 \
    LANONASIS_PORT=8080 \
    LANONASIS_STORE=jdbc:sqlite:/data/secrets.db \
    LANONASIS_KEYSET_FILE=/data/keyset.json \
    LANONASIS_AUDIT_SIGNING_KEY=/data/audit-signing-key.pem \
    LANONASIS_AUDIT_CHECKPOINTS=/data/audit-checkpoints.jsonl \
    LANONASIS_TLS_CERT=/data/tls/cert.pem \
    LANONASIS_TLS_KEY=/data/tls/key.pem

USER lanonasis:lanonasis
WORKDIR /data
# The launcher's start-up archive (class-data sharing), made once here in the user's cache rather
# than at each container's first command.
RUN ["lanonasis", "--version"]

VOLUME ["/data"]
EXPOSE 8080

# /readyz over HTTPS when a TLS file is set, else plain HTTP, on loopback inside the container.
# --insecure: the certificate names the public host, not 127.0.0.1; the probe sends no key.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["sh", "-c", "if [ -n \"${LANONASIS_TLS_CERT}${LANONASIS_TLS_PKCS12:-}\" ]; then s=https; else s=http; fi; exec curl --fail --silent --show-error --insecure --max-time 4 --output /dev/null \"$s://127.0.0.1:${LANONASIS_PORT:-8080}/readyz\""]

# The launcher execs java, which handles SIGTERM (docker stop) with a graceful drain.
ENTRYPOINT ["lanonasis"]
CMD ["serve"]
