#!/usr/bin/env bash
# Fuzzes every parser of outside input: fuzz/run.sh SECONDS [TARGET...] runs each target
# (default: all) for that long (default 60), then prints the executions per target. A crash fails the script, and the
# input that caused it is kept in fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
targets=(certificate pkcs12 private_key crl config maskinporten_answers altinn_answers)
if [ $# -gt 1 ]; then targets=("${@:2}"); fi

command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked >/dev/null 2>&1
rustup toolchain list | grep -q '^nightly' || { echo "fuzz/run.sh: needs the nightly toolchain" >&2; exit 2; }

# Seeds: the project's fixtures and contract examples, and keys and PKCS#12 files made
# here with OpenSSL (password "pw"), legacy and modern.
seed() {
  local target=$1; shift
  mkdir -p "corpus/$target"
  for f in "$@"; do if [ -f "$f" ]; then cp "$f" "corpus/$target/"; fi; done
}
make_keys() {
  local out=corpus/.made
  [ -f "$out/done" ] && return
  mkdir -p "$out"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$out/key.pem" -out "$out/cert.pem" \
    -subj "/O=FUZZ AS/organizationIdentifier=NTRNO-310123455/CN=fuzz" -days 30 2>/dev/null
  openssl pkcs12 -export -in "$out/cert.pem" -inkey "$out/key.pem" -out "$out/modern.p12" -passout pass:pw
  openssl pkcs12 -export -legacy -in "$out/cert.pem" -inkey "$out/key.pem" -out "$out/legacy.p12" -passout pass:pw
  openssl pkcs12 -export -in "$out/cert.pem" -inkey "$out/key.pem" -out "$out/emoji.p12" -passout 'pass:pw😀'
  openssl rsa -in "$out/key.pem" -traditional -out "$out/pkcs1.pem" 2>/dev/null
  openssl pkcs8 -topk8 -in "$out/key.pem" -v2 aes-256-cbc -passout pass:pw -out "$out/enc.pem"
  openssl pkcs8 -topk8 -in "$out/key.pem" -nocrypt -outform DER -out "$out/key.der"
  openssl ecparam -name prime256v1 -genkey -noout -out "$out/ec.pem"
  openssl x509 -in "$out/cert.pem" -outform DER -out "$out/cert.der"
  cat "$out/cert.pem" "$out/key.pem" > "$out/bundle.pem"
  touch "$out/done"
}
make_keys
m=corpus/.made
seed certificate ../tests/fixtures/*.pem ../src/certificate/trust/*.pem $m/cert.der $m/bundle.pem
seed pkcs12 $m/modern.p12 $m/legacy.p12 $m/emoji.p12
seed private_key $m/key.pem $m/pkcs1.pem $m/enc.pem $m/key.der $m/ec.pem
seed crl ../tests/fixtures/crl/*.crl
seed config seeds/config/*.toml
seed maskinporten_answers ../tests/contracts/0*.json ../tests/contracts/1*.json ../tests/contracts/19-*.json
seed altinn_answers ../tests/contracts/19-*.json ../tests/contracts/2*.json ../tests/contracts/3*.json ../tests/contracts/6*.json ../tests/contracts/7*.json

cargo +nightly fuzz build -O >/dev/null 2>&1 || cargo +nightly fuzz build -O

failed=0
for t in "${targets[@]}"; do
  log=$(mktemp)
  max_len=16384
  [ "$t" = crl ] && max_len=262144
  if cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$seconds" -max_len="$max_len" \
      -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
    status=clean
  else
    status=CRASHED; failed=1
    grep -E "panicked|ERROR|SUMMARY|Test unit written" "$log" | head -20 >&2
  fi
  runs=$(grep -oE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' | tail -1)
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  speed=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  corpus=$(find "corpus/$t" -type f | wc -l)
  printf '%-22s %-8s runs %-10s executions %-10s (%s/s), corpus %s\n' "$t" "$status" "${runs:-?}" "${execs:-?}" "${speed:-?}" "$corpus"
  rm -f "$log"
done
exit $failed
