#!/bin/sh
# Once per install, beside the services' first start (k8s/README.md, "Least privilege"):
#  1. waits until a service's migration has created its outbox tables and publication (as the service's role);
#  2. as that role, the owner: lets only the owner and the relay connect, and grants the relay read access to
#     the outbox tables (and the heartbeat update that keeps an idle slot moving);
#  3. as the relay, the one role with REPLICATION: creates the slot outbox_<database> (with failover on PG 17
#     when SLOT_FAILOVER=true), after the publication, so decoding never meets WAL older than the publication.
# The service's own migration would create the slot too, but its role has no REPLICATION: it fails once,
# the pod restarts, and then finds the slot made here. Safe to run again: every step checks first.
set -eu
deadline=$(( $(date +%s) + ${WAIT_SECONDS:-1200} ))

sql() { # role password database statement
  PGPASSWORD="$2" psql -X -q -t -A -v ON_ERROR_STOP=1 "host=$DB_HOST port=$DB_PORT dbname=$3 user=$1" -c "$4"
}

for db in orders inventory coupons; do
  up=$(echo "$db" | tr a-z A-Z)
  eval "owner=\${${up}_USER} owner_password=\${${up}_PASSWORD}"
  until [ "$(sql "$owner" "$owner_password" "$db" "SELECT count(*) FROM pg_publication WHERE pubname = 'outbox_publication'" 2>/dev/null)" = "1" ]; do
    if [ "$(date +%s)" -gt "$deadline" ]; then
      echo "no publication outbox_publication in $db yet: has the service started and run its migrations?" >&2
      exit 1
    fi
    sleep 2
  done
  sql "$owner" "$owner_password" "$db" "
    REVOKE CONNECT, TEMPORARY ON DATABASE \"$db\" FROM PUBLIC;
    GRANT CONNECT ON DATABASE \"$db\" TO \"$RELAY_USER\";
    GRANT SELECT ON outbox, outbox_heartbeat TO \"$RELAY_USER\";
    GRANT UPDATE ON outbox_heartbeat TO \"$RELAY_USER\";"
  sql "$RELAY_USER" "$RELAY_PASSWORD" "$db" "
    SELECT pg_create_logical_replication_slot('outbox_$db', 'pgoutput', false, false, ${SLOT_FAILOVER:-false})
    WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = 'outbox_$db');" >/dev/null
  echo "$db: relay granted, slot outbox_$db present"
done
