#!/bin/sh
# Make this host the hot standby of the primary: run as root on the (empty) standby host, Debian's postgresql-15.
#   PRIMARY=10.0.2.10 SLOT=standby1 sh make-standby.sh
# Once on the primary first (psql as postgres):
#   CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '...';
# The replicator's password goes into /var/lib/postgresql/.pgpass on the standby:
#   10.0.2.10:5432:replication:replicator:...   (and the same line for 10.0.2.11 for after a failover)
set -eu
: "${PRIMARY:?the primary's address}"
SLOT="${SLOT:-standby1}"
VERSION="${VERSION:-15}"
DATA="/var/lib/postgresql/$VERSION/main"

pg_ctlcluster "$VERSION" main stop || true
rm -rf "$DATA"
# -X stream: WAL streamed during the copy; -R: standby.signal + primary_conninfo; -C -S: create the replication slot
# on the primary, so it keeps the WAL this standby has not received yet (also while the standby is down).
runuser -u postgres -- pg_basebackup -h "$PRIMARY" -U replicator -D "$DATA" -X stream -R -C -S "$SLOT" \
    --checkpoint=fast --progress
pg_ctlcluster "$VERSION" main start
runuser -u postgres -- psql -c "SELECT status, sender_host FROM pg_stat_wal_receiver"
