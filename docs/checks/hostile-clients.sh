#!/usr/bin/env bash
# Re-runs the hostile-client checks of issue 11 against a real stack on 127.0.0.1 with real clients (kcat, curl):
# broker, trainer and scorer as separate processes, a MovieLens replay, then each kind of abuse, printing what the
# system answered. Needs kcat and curl (Debian: apt-get install kcat curl). Usage: docs/checks/hostile-clients.sh [DATASET]
# Everything it starts is stopped at exit; its data lives in a temporary directory.
set -uo pipefail
cd "$(dirname "$0")/../.."
DATASET="${1:-../shared/datasets/ml-100k}"
WORK="$(mktemp -d /tmp/streamrec-hostile.XXXXXX)"
KPORT=$((20000 + RANDOM % 10000)); HPORT=$((KPORT + 1))
B="127.0.0.1:$KPORT"; H="http://127.0.0.1:$HPORT"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT
say() { printf '\n== %s\n' "$*"; }
wait_for() { # wait_for SECONDS CMD...: true once CMD succeeds
  local until=$((SECONDS + $1)); shift
  while ((SECONDS < until)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done; return 1
}
healthy() { curl -sf "$H/health" | grep -q '"UP"'; }
trained() { # committed trained count from the last metrics records
  kcat -C -b "$B" -t metrics -e -q -X isolation.level=read_committed -f '%k %s\n' 2>/dev/null \
    | awk '{k=$1; sub(/^[^ ]* /,""); last[k]=$0} END {for (k in last) print last[k]}' \
    | grep -o '"count":[0-9]*' | cut -d: -f2 | paste -sd+ | bc
}

./streamrec --version >/dev/null || exit 1
say "stack: broker $B, scorer $H, data $WORK"
./streamrec broker --port "$KPORT" --data-dir "$WORK/kafka" > "$WORK/broker.log" 2>&1 & PIDS+=($!)
wait_for 60 grep -q bootstrap.servers "$WORK/broker.log" || { echo "broker did not start"; exit 1; }
./streamrec train -b "$B" --parallelism 1 --checkpoint-dir "$WORK/chk" --set data.dir="$WORK" > "$WORK/train.log" 2>&1 & PIDS+=($!)
./streamrec score -b "$B" --http "127.0.0.1:$HPORT" --set data.dir="$WORK" > "$WORK/score.log" 2>&1 & SCORER=$!; PIDS+=($SCORER)
./streamrec ingest -b "$B" --dataset "$DATASET" > "$WORK/ingest.log" 2>&1
wait_for 180 healthy || { echo "scorer not healthy"; tail "$WORK/score.log"; exit 1; }
wait_for 180 bash -c "[ \"\$(kcat -C -b $B -t metrics -e -q 2>/dev/null | wc -l)\" -gt 0 ]"
sleep 5
BEFORE=$(trained); echo "trained so far: $BEFORE"

say "1. a rating in microseconds, one 4 days ahead, one 12 h ahead (accepted, learned), then good ones"
NOW=$(date +%s%3N)
printf '%s\n' "{\"user\":900001,\"item\":1,\"rating\":4,\"ts\":${NOW}000}" \
  "{\"user\":900002,\"item\":1,\"rating\":4,\"ts\":$((NOW + 4*86400000))}" \
  "{\"user\":900003,\"item\":1,\"rating\":4,\"ts\":$((NOW + 12*3600000))}" \
  "{\"user\":900004,\"item\":2,\"rating\":3.5,\"ts\":$NOW}" | kcat -P -b "$B" -t ratings
sleep 6
echo "trainer alive: $(kill -0 "${PIDS[1]}" 2>/dev/null && echo yes || echo NO); trained now: $(trained) (was $BEFORE, +2 expected)"
kcat -C -b "$B" -t ratings-dlq -e -q -X isolation.level=read_committed -f '%s\n' | grep -o '"reason":"[A-Z_]*","detail":"[^"]*"' | tail -2
echo "user 900003 (12 h ahead): $(curl -s "$H/users/900003/ratings")"

say "5a. duplicate keys, both ts and timestamp, trailing text"
printf '%s\n' '{"user":46,"user":47,"item":2,"rating":3,"ts":4}' '{"user":48,"item":2,"rating":3,"ts":4,"timestamp":5}' \
  '{"user":49,"item":2,"rating":3,"ts":4} {"user":50}' | kcat -P -b "$B" -t ratings
sleep 4
kcat -C -b "$B" -t ratings-dlq -e -q -X isolation.level=read_committed -f '%s\n' | grep -o '"reason":"[A-Z_]*","detail":"[^"]*"' | tail -3

say "3. 2,000 garbage ratings: scorer log lines before/after"
L0=$(wc -l < "$WORK/score.log")
for i in $(seq 2000); do echo "garbage-$i"; done | kcat -P -b "$B" -t ratings
sleep 6
echo "scorer log grew by $(( $(wc -l < "$WORK/score.log") - L0 )) lines; RecordDeserializer lines: $(grep -c RecordDeserializer "$WORK/score.log")"
curl -s "$H/prometheus" | grep -i -E "poison|skipped|rejected|dead" | head -5

say "4. errors are JSON"
printf '100 KB query:    '; curl -s -o /dev/stdout -w '  [%{http_code} %{content_type}]\n' "$H/users/1/recommendations?k=10&x=$(head -c 100000 /dev/zero | tr '\0' a)" | head -c 200; echo
printf '20 KB header:    '; curl -s -w '  [%{http_code} %{content_type}]\n' -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' a)" "$H/health" | head -c 200; echo
printf '%%ZZ in path:     '; curl -s -w '  [%{http_code} %{content_type}]\n' "$H/users/%ZZ/recommendations" | head -c 200; echo
for m in POST PUT DELETE; do printf '%-7s         ' "$m"; curl -s -X $m -D - -o /dev/null "$H/users/1/recommendations" | grep -i -E '^HTTP|^allow|^content-type' | tr -d '\r' | paste -sd' '; done

say "5b. lenient path ids"
for id in '%EF%BC%91' '+1' '-1' '01' '99999999999999999999'; do printf '%-22s' "/users/$id:"; curl -s -w '  [%{http_code}]\n' "$H/users/$id/recommendations"; done

say "5c. served scores stay on the rating scale"
curl -s "$H/users/1/recommendations?k=50" | grep -o '"score":[-0-9.eE]*' | cut -d: -f2 | sort -g | sed -n '1p;$p' | paste -sd' ' | sed 's/^/min max: /'

say "2. scorer restart to healthy"
kill -TERM "$SCORER"; wait "$SCORER" 2>/dev/null
T0=$SECONDS; ./streamrec score -b "$B" --http "127.0.0.1:$HPORT" --set data.dir="$WORK" >> "$WORK/score.log" 2>&1 & SCORER=$!; PIDS+=($SCORER)
wait_for 90 healthy && echo "after SIGTERM: healthy in $((SECONDS - T0)) s (including JVM start)"
# The launcher runs the scorer in a child JVM: kill -9 both (the child would also notice its parent is gone).
kill -9 $(pgrep -P "$SCORER") "$SCORER"; wait "$SCORER" 2>/dev/null
wait_for 10 bash -c "! curl -sf $H/health"  # the killed JVM's socket is gone before the clock starts
T0=$SECONDS; ./streamrec score -b "$B" --http "127.0.0.1:$HPORT" --set data.dir="$WORK" >> "$WORK/score.log" 2>&1 & SCORER=$!; PIDS+=($SCORER)
wait_for 90 healthy && echo "after kill -9: healthy in $((SECONDS - T0)) s (including JVM start)"
say "logs in $WORK"
