#!/usr/bin/env bash
# Builds the orders example and runs it against the local PostgreSQL, in WildFly (default) or Payara Micro:
#   examples/orders/run.sh            # WildFly
#   examples/orders/run.sh payara     # Payara Micro
# Ctrl-C stops the server; TaskQ then stops its worker gracefully.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
server=${1:-wildfly}
case "$server" in wildfly|payara) ;; *) echo "usage: $0 [wildfly|payara]" >&2; exit 2 ;; esac

# The example's database on 127.0.0.1:5432 (user postgres); the schema comes from Liquibase below.
if ! psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname = 'taskq_orders'" | grep -q 1; then
  createdb -h 127.0.0.1 -U postgres taskq_orders
fi

echo "Building TaskQ and the example..."
"$root/mvnw" -q -B -f "$root/pom.xml" install -DskipTests -DskipITs -Dmdep.skip
"$root/mvnw" -q -B -f "$here/pom.xml" -P"$server" package liquibase:update

echo
echo "Starting $server with the shop. Once it is up, place an order:"
echo "  curl -i -H 'Content-Type: application/json' -d '{\"email\": \"ada@example.com\", \"item\": \"teapot\", \"quantity\": 2}' http://localhost:8080/shop/orders"
echo "and look at it at the address in its Location header (the tasks fill in confirmationSentAt and stockReservedAt):"
echo "  curl http://localhost:8080/shop/orders/ID"
echo "An order of more than the warehouse holds fails; restock, then retry it on TaskQ's admin page:"
echo "  curl -X PUT -H 'Content-Type: application/json' -d '{\"quantity\": 1000}' http://localhost:8080/shop/stock/teapot"
echo "  http://localhost:8080/shop/taskq/   (user ops, password Ops#2026pass)"
echo
if [ "$server" = wildfly ]; then
  # A server base directory of its own, so the unpacked server stays clean for the example's ITs.
  wildfly=$(ls -d "$here"/target/wildfly-*/)
  base="$here/target/run-wildfly"
  rm -rf "$base" && cp -r "$wildfly/standalone" "$base"
  cp "$here/target/shop.war" "$base/deployments/"
  exec "$wildfly/bin/standalone.sh" -Djboss.server.base.dir="$base"
else
  exec java -jar "$here/target/payara-micro.jar" --deploy "$here/target/shop.war" --port 8080 --nocluster \
    --postbootcommandfile "$here/target/payara/postboot.txt"
fi
