#!/bin/sh
# Deploys the Noctis stand-in by hand on a fresh Debian 12 host, then asks it for /health, /metrics and the study
# list: the steps the roles will automate (see README.md). Run as root from a copy of this directory:
#   tar -C apps -czf - noctis-standin | ssh root@HOST 'rm -rf /root/noctis-standin && tar -xzf - -C /root &&
#       sh /root/noctis-standin/prove-on-host.sh'
# A second run changes nothing and says so (each step prints what it did). Secrets are generated on the host into
# /root/noctis-secrets/ (0700) and only ever travel through files and standard input, never a command line.
set -eu
cd /  # runuser -u postgres would complain that it cannot enter root's home

APP_DIR=/opt/noctis
SECRETS=/root/noctis-secrets
PACKAGES="postgresql redis-server python3-django python3-psycopg2 python3-django-redis python3-pydicom
python3-django-prometheus gunicorn curl"

step() { printf '\n== %s\n' "$*"; }

step "Debian packages"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -q $PACKAGES >/dev/null
dpkg-query -W -f '${Package} ${Version}\n' $PACKAGES python3-prometheus-client python3-redis

step "secrets (generated once, root only)"
umask 077
mkdir -p "$SECRETS"
for name in postgres redis admin secret_key; do
  [ -s "$SECRETS/$name" ] || python3 -c 'import secrets; print(secrets.token_hex(32))' >"$SECRETS/$name"
done
umask 022
pg_password=$(cat "$SECRETS/postgres")
redis_password=$(cat "$SECRETS/redis")

step "app user and code in $APP_DIR"
id noctis >/dev/null 2>&1 || useradd --system --home-dir "$APP_DIR" --shell /usr/sbin/nologin noctis
mkdir -p "$APP_DIR"
# Timestamps kept, so that collectstatic of a second run sees unchanged files and copies none.
cp -r --preserve=timestamps "$(dirname "$0")"/. "$APP_DIR"/
# The code is root's; the app writes only instance/ (media, metrics files) and static/ (collectstatic).
install -d -o noctis -g noctis -m 0750 "$APP_DIR/instance" "$APP_DIR/instance/media" "$APP_DIR/instance/prometheus"
install -d -o noctis -g noctis -m 0755 "$APP_DIR/static"

step "PostgreSQL: role and database noctis, password from $SECRETS/postgres"
# The SQL goes on psql's standard input (printf is a shell builtin: no process shows the password).
if runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'noctis'" | grep -q 1; then
  printf "ALTER ROLE noctis PASSWORD '%s';\n" "$pg_password" | runuser -u postgres -- psql -q -v ON_ERROR_STOP=1
  echo "role noctis: password set"
else
  printf "CREATE ROLE noctis LOGIN PASSWORD '%s';\n" "$pg_password" | runuser -u postgres -- psql -q -v ON_ERROR_STOP=1
  echo "role noctis: created"
fi
if runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'noctis'" | grep -q 1; then
  echo "database noctis: present"
else
  runuser -u postgres -- createdb --owner noctis noctis
  echo "database noctis: created"
fi

step "Redis: requirepass from $SECRETS/redis"
if grep -q '^requirepass ' /etc/redis/redis.conf; then
  echo "requirepass: present"
else
  printf 'requirepass %s\n' "$redis_password" >>/etc/redis/redis.conf
  systemctl restart redis-server
  echo "requirepass: added, redis-server restarted"
fi

step "environment file $APP_DIR/.env (root 0600, read by systemd)"
umask 077
{
  printf 'SECRET_KEY=%s\n' "$(cat "$SECRETS/secret_key")"
  printf 'ALLOWED_HOSTS=%s\n' "$(hostname),localhost,127.0.0.1"
  printf 'PGHOST=127.0.0.1\nPGPORT=5432\nPGDATABASE=noctis\nPGUSER=noctis\nPGPASSWORD=%s\n' "$pg_password"
  printf 'REDIS_URL=redis://:%s@127.0.0.1:6379/0\n' "$redis_password"
  printf 'MEDIA_ROOT=%s\nSTATIC_ROOT=%s\n' "$APP_DIR/instance/media" "$APP_DIR/static"
  printf 'PROMETHEUS_MULTIPROC_DIR=%s\n' "$APP_DIR/instance/prometheus"
} >"$APP_DIR/.env"
umask 022

# manage.py as the app user with the service's own environment: systemd-run reads the env file as systemd does for
# the service, so no secret is on a command line and the file's syntax is checked the same way.
manage() {
  systemd-run --quiet --wait --pipe --collect --uid=noctis --gid=noctis --working-directory="$APP_DIR" \
    --property=EnvironmentFile="$APP_DIR/.env" /usr/bin/python3 manage.py "$@"
}

step "migrate, collectstatic, sample files, import, superuser, deploy checks"
manage migrate --no-input
manage collectstatic --no-input
manage sample_dicom
manage import_studies
manage ensure_superuser --password-stdin --username admin --email admin@noctis.lab.internal <"$SECRETS/admin"
manage check --deploy --fail-level WARNING

step "gunicorn under systemd (noctis.service)"
cat >/etc/systemd/system/noctis.service <<EOF
[Unit]
Description=Noctis stand-in
After=network.target postgresql.service redis-server.service

[Service]
Type=notify
NotifyAccess=main
User=noctis
Group=noctis
WorkingDirectory=$APP_DIR
EnvironmentFile=$APP_DIR/.env
ExecStart=/usr/bin/gunicorn --bind 127.0.0.1:8000 --workers 4 --timeout 120 noctis.wsgi:application
ExecReload=/bin/kill -s HUP \$MAINPID
Restart=always
KillMode=mixed
UMask=0027
NoNewPrivileges=true

[Install]
WantedBy=multi-user.target
EOF
systemctl daemon-reload
systemctl enable --quiet noctis.service
systemctl restart noctis.service
systemctl is-active noctis.service

step "GET /health"
curl -fsS http://127.0.0.1:8000/health
echo
step "GET / (study list)"
curl -fsS http://127.0.0.1:8000/ | grep -E 'DOE|ROE|MUSTERMANN'
step "GET /static/studies/style.css (collected into $APP_DIR/static for nginx)"
head -1 "$APP_DIR/static/studies/style.css"
step "GET /metrics after 20 more requests to /health (4 workers, added up)"
for _ in $(seq 20); do curl -fsS -o /dev/null http://127.0.0.1:8000/health; done
health_200=$(curl -fsS http://127.0.0.1:8000/metrics |
  grep '^django_http_responses_total_by_status_view_method_total{method="GET",status="200",view="health"}')
echo "$health_200"
# gunicorn was restarted above, so exactly 21: one worker's share would be about 5.
[ "${health_200##* }" = 21.0 ] || { echo "expected 21.0: the workers' counts are not added up" >&2; exit 1; }

step "PostgreSQL and Redis restarted: /health is 200 at once, in every worker"
systemctl restart postgresql redis-server
for _ in $(seq 8); do curl -fsS -o /dev/null -w '%{http_code} ' http://127.0.0.1:8000/health; done
echo
