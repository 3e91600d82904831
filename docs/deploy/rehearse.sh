#!/usr/bin/env bash
# Rehearse docs/deploy.md on this machine, on loopback only, under a temporary folder:
#   1. one machine: gunicorn + SQLite behind nginx (TLS), `flask db-backup` while serving, and a restore;
#   2. several app servers: two gunicorn instances sharing PostgreSQL and Redis behind nginx, pg_dump, pg_restore.
# The configuration files are the ones in deploy/, with paths and ports rewritten for the rehearsal.
# Needs: nginx, redis-server, openssl, curl, PostgreSQL server binaries, and the project's .venv (`make install`).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
base=${REHEARSAL_PORT_BASE:-18000}
prefix=$(mktemp -d /tmp/quizapp-rehearsal.XXXXXX)
chmod 711 "$prefix"  # PostgreSQL runs as its own user and must reach its data folder in here
flask=(.venv/bin/flask --app quizapp)
pids=()

say() { printf '\n== %s\n' "$*"; }
check() { if [ "$2" != "$3" ]; then echo "FAILED: $1: expected $3, got $2" >&2; exit 1; fi; echo "ok: $1 ($2)"; }

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for conf in "$prefix"/nginx-*/nginx.conf; do
    [ -f "$conf" ] && nginx -p "$(dirname "$conf")" -c "$conf" -e "$(dirname "$conf")/error.log" -s quit 2>/dev/null || true
  done
  [ -f "$prefix/redis.pid" ] && REDISCLI_AUTH=${redis_password:-} redis-cli -p $((base + 379)) shutdown nosave >/dev/null 2>&1 || true
  [ -d "$prefix/pg" ] && .ci/postgres stop "$prefix/pg" || true
  echo "logs in $prefix"
}
trap cleanup EXIT

start_app() {  # NAME PORT: gunicorn with quizapp/gunicorn_conf.py in the background, settings from the environment
  GUNICORN_BIND=127.0.0.1:$2 WEB_CONCURRENCY=2 GUNICORN_ACCESSLOG="$prefix/$1-access.log" GUNICORN_CONTROL_SOCKET=off \
    .venv/bin/gunicorn --config python:quizapp.gunicorn_conf >"$prefix/$1.log" 2>&1 &
  pids+=($!)
  eval "pid_$1=$!"
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$2/healthz" >/dev/null && return; sleep 0.2; done
  echo "gunicorn $1 did not come up; see $prefix/$1.log" >&2
  exit 1
}

stop_app() { local var="pid_$1"; kill "${!var}"; wait "${!var}" 2>/dev/null || true; }

start_nginx() {  # NAME SITE-CONF HTTPS-PORT HTTP-PORT BACKEND-PORT...: the site file, rewritten for loopback
  local dir="$prefix/nginx-$1" site=$2 https=$3 http=$4
  shift 4
  mkdir -p "$dir/tmp"
  local upstream="" port
  for port in "$@"; do upstream+="    server 127.0.0.1:$port;\n"; done
  # The upstream block's servers become the rehearsal's gunicorns; listen, certificate and static paths follow.
  sed -e '/^upstream quizapp {/,/^}/{/^    server /d}' -e "s|^upstream quizapp {|&\n$upstream|" \
      -e "s|listen 443 ssl http2;|listen 127.0.0.1:$https ssl http2;|" -e "s|listen 80;|listen 127.0.0.1:$http;|" \
      -e "s|/etc/letsencrypt/live/quiz.example.org/fullchain.pem|$prefix/cert.pem|" \
      -e "s|/etc/letsencrypt/live/quiz.example.org/privkey.pem|$prefix/key.pem|" \
      -e "s|/srv/quizapp/|$root/|" "$site" >"$dir/quizapp.conf"
  cat >"$dir/nginx.conf" <<EOF
# Rehearsal wrapper (what /etc/nginx/nginx.conf is on a server); root because the folder is root's only.
user root;
worker_processes 1;
pid $dir/nginx.pid;
events { worker_connections 512; }
http {
    include /etc/nginx/mime.types;
    access_log $dir/access.log;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    include $dir/quizapp.conf;
}
EOF
  nginx -t -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
}

served() { if grep -q '"GET / ' "$prefix/$1-access.log"; then echo yes; else echo no; fi; }

csrf() { sed -n 's/.*name="csrf_token" type="hidden" value="\([^"]*\)".*/\1/p' | head -n 1; }

add_student() {  # EMAIL NAME: an account made on the command line, as an administrator does where mail is not set up
  QUIZAPP_NEW_PASSWORD="a long enough password" "${flask[@]}" users create "$1" --name "$2" >/dev/null && echo created
}

log_in() {  # URL EMAIL: the login form through nginx with a fresh cookie jar; prints the HTTP status
  local jar="$prefix/login-$2" token
  rm -f "$jar"
  token=$(curl -sk -c "$jar" -b "$jar" "$1/auth/login" | csrf)
  curl -sk -c "$jar" -b "$jar" -e "$1/auth/login" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$token" \
    --data-urlencode "email=$2" --data-urlencode "password=a long enough password" "$1/auth/login"
}

say "TLS certificate for 127.0.0.1 (a server uses its real one, e.g. from Let's Encrypt)"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
  -keyout "$prefix/key.pem" -out "$prefix/cert.pem" 2>/dev/null

say "The systemd unit, with /srv/quizapp pointing at this checkout so that its programs exist"
sed "s|/srv/quizapp|$root|g" docs/deploy/quizapp.service >"$prefix/quizapp.service"
systemd-analyze verify "$prefix/quizapp.service"
echo "ok: systemd-analyze verify"

say "1. One machine: gunicorn + SQLite behind nginx"
# The environment file of deploy/, with a real key and the rehearsal's folder in place of /srv/quizapp.
secret=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
sed -e "s|^SECRET_KEY=.*|SECRET_KEY=$secret|" -e "s|/srv/quizapp/instance|$prefix/instance|" \
  docs/deploy/quizapp.env.example >"$prefix/quizapp.env"
set -a; . "$prefix/quizapp.env"; set +a
mkdir -p "$prefix/instance" "$prefix/backups"
"${flask[@]}" db upgrade
"${flask[@]}" questions load
start_app single $((base + 1))
start_nginx single docs/deploy/nginx/quizapp.conf $((base + 443)) $((base + 80)) $((base + 1))
site=https://127.0.0.1:$((base + 443))
check "healthz through nginx" "$(curl -sk "$site/healthz")" \
  "$(curl -s "http://127.0.0.1:$((base + 1))/healthz")"
check "plain HTTP is redirected" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((base + 80))/")" 301
check "HTTPS answers carry HSTS" "$(curl -skI "$site/auth/login" | grep -i '^strict-transport-security' | tr -d '\r' | tr 'A-Z' 'a-z')" \
  "strict-transport-security: max-age=31536000"
check "nginx serves /static/ itself" \
  "$(curl -skI "$site/static/app.css" | grep -ci '^cache-control: max-age=3600')" 1
check "without mail, the sign-up page says how accounts are made" \
  "$(curl -sk "$site/auth/register" | grep -c 'users create EMAIL --role admin')" 1
check "make the first administrator" "$(QUIZAPP_NEW_PASSWORD="a long enough password" "${flask[@]}" users create \
  admin@example.org --name Admin --role admin >/dev/null && echo created)" created
check "the administrator logs in through nginx" "$(log_in "$site" admin@example.org)" 302
check "the Users page answers the administrator" \
  "$(curl -sk -b "$prefix/login-admin@example.org" -o /dev/null -w '%{http_code}' "$site/admin/users")" 200
check "create ada" "$(add_student ada@example.org Ada)" created
check "ada logs in through nginx" "$(log_in "$site" ada@example.org)" 302
check "ada's session works" "$(curl -sk -b "$prefix/login-ada@example.org" "$site/" | grep -c 'API tokens">Ada</a>')" 1

say "1. Backup while serving, then a restore"
backup="$prefix/backups/quizapp-$(date +%F).sqlite3"
"${flask[@]}" db-backup "$backup"
check "create bob after the backup" "$(add_student bob@example.org Bob)" created
stop_app single
rm -f "$prefix/instance/quizapp.sqlite3-wal" "$prefix/instance/quizapp.sqlite3-shm"
install -m 640 "$backup" "$prefix/instance/quizapp.sqlite3"
start_app single $((base + 1))
check "ada logs in after the restore" "$(log_in "$site" ada@example.org)" 302
check "bob, who came after the backup, is gone" "$(log_in "$site" bob@example.org)" 422
stop_app single

say "2. Several app servers: PostgreSQL and Redis shared by two gunicorn instances"
pgport=$((base + 432))
PGPORT_TEST=$pgport .ci/postgres start "$prefix/pg" >/dev/null
psql -h 127.0.0.1 -p $pgport -U postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE quizapp OWNER quizapp"
# With a password, as docs/deploy.md has it for a Redis that other machines reach.
redis_password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
redis-server --bind 127.0.0.1 --port $((base + 379)) --save '' --appendonly no --daemonize yes \
  --pidfile "$prefix/redis.pid" --logfile "$prefix/redis.log" --requirepass "$redis_password"
check "redis refuses a client without its password" "$(redis-cli -p $((base + 379)) ping 2>&1 | grep -c NOAUTH)" 1
check "redis answers" "$(REDISCLI_AUTH=$redis_password redis-cli -p $((base + 379)) ping)" PONG
sed -e "s|^DATABASE_URL=.*|DATABASE_URL=postgresql://quizapp:quizapp@127.0.0.1:$pgport/quizapp|" \
  -e "s|^#REDIS_URL=.*|REDIS_URL=redis://:$redis_password@127.0.0.1:$((base + 379))/0|" "$prefix/quizapp.env" \
  >"$prefix/quizapp-several.env"
set -a; . "$prefix/quizapp-several.env"; set +a
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[redis]'
"${flask[@]}" db upgrade
"${flask[@]}" questions load
.venv/bin/python -c 'from quizapp import create_app; from quizapp.extensions import limiter
with create_app().app_context(): print("rate-limit storage:", type(limiter.storage).__name__, limiter.storage.check())'
start_app app1 $((base + 101))
start_app app2 $((base + 102))
start_nginx several docs/deploy/nginx/quizapp-several.conf $((base + 444)) $((base + 81)) $((base + 101)) $((base + 102))
site=https://127.0.0.1:$((base + 444))
check "create carol" "$(add_student carol@example.org Carol)" created
check "carol logs in through nginx" "$(log_in "$site" carol@example.org)" 302
for _ in 1 2 3 4 5 6; do
  check "carol's session holds on whichever server answers" \
    "$(curl -sk -b "$prefix/login-carol@example.org" "$site/" | grep -c 'API tokens">Carol</a>')" 1
done
check "app1 served some of carol's pages" "$(served app1)" yes
check "app2 served some of carol's pages" "$(served app2)" yes

say "2. Reload one server (what systemctl reload does: HUP, new workers) while requests go on"
kill -HUP "$pid_app1"
for _ in 1 2 3 4 5 6; do
  check "pages keep coming during the reload" "$(curl -sk -o /dev/null -w '%{http_code}' -b "$prefix/login-carol@example.org" "$site/")" 200
done
sleep 2
check "app1 reloaded its workers" "$(grep -c 'Handling signal: hup' "$prefix/app1.log")" 1

say "2. pg_dump while serving, then pg_restore"
"${flask[@]}" db-backup "$prefix/backups/quizapp.dump" || true
PGPASSWORD=quizapp pg_dump --host 127.0.0.1 --port $pgport --username quizapp --format custom \
  --file "$prefix/backups/quizapp.dump" quizapp
check "create dave after the dump" "$(add_student dave@example.org Dave)" created
stop_app app1
stop_app app2
PGPASSWORD=quizapp pg_restore --host 127.0.0.1 --port $pgport --username quizapp --dbname quizapp --clean \
  --if-exists --no-owner "$prefix/backups/quizapp.dump"
start_app app1 $((base + 101))
start_app app2 $((base + 102))
check "carol logs in after the restore" "$(log_in "$site" carol@example.org)" 302
check "dave, who came after the dump, is gone" "$(log_in "$site" dave@example.org)" 422

say "every step passed"
