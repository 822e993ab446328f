#!/usr/bin/env bash
# The two commands of the README:
#   deploy/dev.sh run [loket options]   build and start the kiosk in a window, embedded defaults
#   deploy/dev.sh test                  build with sanitizers and run every test
# Both install the Debian packages they need first (as root with apt-get; otherwise they print
# the exact apt-get line and stop).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

# Build and run: compiler, build system, libraries, fonts, translations tool.
RUN_PACKAGES=(build-essential cmake pkg-config gettext
  libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libfontconfig-dev fonts-noto-core libfribidi-dev
  libyaml-dev libinih-dev libqrencode-dev libsqlite3-dev libssl-dev libjansson-dev
  libcurl4-openssl-dev libespeak-ng-dev espeak-ng-data libnfc-dev
  libmicrohttpd-dev libgnutls28-dev)
# Tests: unit tests, a display for the real window, fuzzing, benchmarks.
TEST_PACKAGES=(libcmocka-dev xvfb xauth clang libclang-rt-14-dev valgrind zbar-tools
  python3-jsonschema python3-yaml openssl)

# fuzz TARGET CORPUS_DIR SECONDS MAX_LEN: a brief libFuzzer run; stops the script on a finding.
fuzz() {
  echo "$1: $3 s"
  if ! "build-fuzz/tests/fuzz/$1" -max_total_time="$3" -max_len="$4" -print_final_stats=1 \
    "$2" >"$2.log" 2>&1; then
    tail -n 60 "$2.log"
    echo "$1 found a problem: the input is in the crash-* file above" >&2
    exit 1
  fi
  grep -E "^stat::number_of_executed_units|^Done" "$2.log" || true
  rm -rf "$2" "$2.log"
}

need_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Loket needs these Debian packages. Install them with:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

jobs=$(nproc 2>/dev/null || echo 2)

case "${1:-}" in
run)
  shift
  need_packages "${RUN_PACKAGES[@]}"
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLOKET_TESTS=OFF -DLOKET_BENCH=ON >/dev/null
  cmake --build build -j "$jobs" >/dev/null
  if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "No display found (DISPLAY/WAYLAND_DISPLAY unset). Start it from a desktop session," >&2
    echo "or on a console with a kiosk compositor, e.g.: cage -- build/loket" >&2
    exit 1
  fi
  # The whole loop on one machine (README: "The two commands"): the reference case service on
  # localhost (certificates and tokens made on first run), the desk console in a window of its
  # own, and the kiosk. Local stores only, all under loket-data/.
  demo="$here/loket-data/demo"
  svc="$demo/casesvc"
  mkdir -p "$demo"
  build/app/casesvc/loket-casesvc init-site --data-dir "$svc" \
    --site "Informatiepunt Digitale Overheid" --kiosk zuil-1 --desk balie-1 >"$demo/site.txt"
  team=$(awk '$1 == "actor" { print $2; exit }' "$demo/site.txt")
  rm -f "$demo/port"
  build/app/casesvc/loket-casesvc serve --data-dir "$svc" --port 0 --ready "$demo/port" \
    --openapi assets/casesvc/openapi.yaml 2>>"$demo/casesvc.log" &
  svc_pid=$!
  desk_pid=
  trap 'kill $svc_pid $desk_pid 2>/dev/null || true' EXIT
  for _ in $(seq 100); do [ -s "$demo/port" ] && break; sleep 0.1; done
  if [ ! -s "$demo/port" ]; then
    echo "The case service did not start; see $demo/casesvc.log" >&2
    exit 1
  fi
  port=$(cat "$demo/port")
  printf '%s\n' "[uplink]" "url = https://localhost:$port/klantinteracties/api/v1" \
    "ca = $svc/certs/ca.pem" "cert = $svc/certs/client-zuil-1.pem" \
    "key = $svc/certs/client-zuil-1.key" "token_file = $svc/token-zuil-1" "" \
    "[handoff]" "backend = casesvc" "team = $team" "place = zuil 1 (de demo)" >"$demo/loket.ini"
  printf '%s\n' "[desk]" "url = https://localhost:$port/klantinteracties/api/v1" \
    "ca = $svc/certs/ca.pem" "cert = $svc/certs/client-balie-1.pem" \
    "key = $svc/certs/client-balie-1.key" "token_file = $svc/token-balie-1" \
    "team_actor = $team" >"$demo/desk.ini"
  # the simulated staff badge (F10 on the kiosk) gets the PIN 1234 for the demo
  [ -e loket-data/staff-pins ] || echo 1234 | build/loket --staff-pin sim >/dev/null
  build/app/desk/loket-desk --config "$demo/desk.ini" 2>>"$demo/desk.log" &
  desk_pid=$!
  echo "Case service: https://localhost:$port (log: $demo/casesvc.log); desk console: the second window."
  echo "Kiosk keys for the simulated reader: F9 ID card (CAN 123456), F10 staff badge (PIN 1234), F11 library pass."
  build/loket --windowed --config "$demo/loket.ini" "$@"
  ;;
test)
  need_packages "${RUN_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
  # 1. everything, with AddressSanitizer + UndefinedBehaviorSanitizer and -Werror
  cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DLOKET_SANITIZE=ON -DLOKET_WERROR=ON >/dev/null
  cmake --build build-test -j "$jobs" >/dev/null
  # 2. the fuzz targets with libFuzzer, briefly (long runs: see README, "Fuzzing")
  CC=clang cmake -S . -B build-fuzz -DLOKET_FUZZ=ON -DLOKET_TESTS=OFF -DLOKET_BENCH=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build-fuzz -j "$jobs" --target fuzz_content fuzz_uplink_answer fuzz_speak fuzz_sm_response fuzz_lds \
    fuzz_masterlist fuzz_casesvc_request fuzz_desk_answer >/dev/null
  # the content parser (editors' bytes); the real content as seeds: first byte 0 = an event
  # file, 1 = the organisations file
  corpus=$(mktemp -d)
  cp tests/fuzz/corpus/* "$corpus"/
  for f in assets/content/events/*.yaml; do
    [ -e "$f" ] && { printf '\0'; cat "$f"; } >"$corpus/real-$(basename "$f")"
  done
  [ -e assets/content/organisations.yaml ] &&
    { printf '\1'; cat assets/content/organisations.yaml; } >"$corpus/real-organisations"
  fuzz fuzz_content "$corpus" "${LOKET_FUZZ_SECONDS:-20}" 16384
  # the case service's answers (outside bytes)
  corpus=$(mktemp -d)
  cp tests/fuzz/corpus-answer/* "$corpus"/
  fuzz fuzz_uplink_answer "$corpus" "${LOKET_FUZZ_ANSWER_SECONDS:-10}" 8192
  # request bodies and queries sent to the reference case service (loket-casesvc)
  corpus=$(mktemp -d)
  cp tests/casesvc/corpus/* "$corpus"/
  fuzz fuzz_casesvc_request "$corpus" "${LOKET_FUZZ_CASESVC_SECONDS:-10}" 8192
  # the case service's answers to the desk console (task lists, cases, addresses)
  corpus=$(mktemp -d)
  cp tests/fuzz/corpus-desk-answer/* "$corpus"/
  fuzz fuzz_desk_answer "$corpus" "${LOKET_FUZZ_ANSWER_SECONDS:-10}" 16384
  # what the voice is given (content texts and translations)
  corpus=$(mktemp -d)
  cp tests/fuzz/corpus-speak/* "$corpus"/
  fuzz fuzz_speak "$corpus" "${LOKET_FUZZ_SPEAK_SECONDS:-10}" 4096
  # a card's answers: secure messaging, and the LDS (TLV, DG1, EF.SOD)
  corpus=$(mktemp -d)
  cp tests/fuzz/corpus-sm/* "$corpus"/
  fuzz fuzz_sm_response "$corpus" "${LOKET_FUZZ_CARD_SECONDS:-10}" 4096
  corpus=$(mktemp -d)
  cp tests/fuzz/corpus-lds/* "$corpus"/
  fuzz fuzz_lds "$corpus" "${LOKET_FUZZ_CARD_SECONDS:-10}" 16384
  # a CSCA master list file (.ml) in the CSCA directory
  corpus=$(mktemp -d)
  cp tests/fuzz/corpus-masterlist/* "$corpus"/
  fuzz fuzz_masterlist "$corpus" "${LOKET_FUZZ_CARD_SECONDS:-10}" 16384
  # 3. the benchmark, briefly, on an optimised build without sanitizers (valgrind cannot run
  #    sanitized programs); it must run and print its figures. Full run: README, "Benchmarks".
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLOKET_TESTS=OFF -DLOKET_BENCH=ON >/dev/null
  cmake --build build -j "$jobs" >/dev/null
  echo "benchmark (smoke, 2 s idle):"
  if ! xvfb-run -a -s "-screen 0 1920x1920x24" build/tests/bench/bench_kiosk build/loket \
    tests/bench 2 | sed 's/^/  /'; then
    echo "the benchmark failed" >&2
    exit 1
  fi
  echo "speech benchmark (smoke):"
  if ! SDL_AUDIODRIVER=dummy build/tests/bench/bench_speech | sed 's/^/  /'; then
    echo "the speech benchmark failed" >&2
    exit 1
  fi
  echo "slip benchmark (smoke, 3 rounds):"
  if ! build/tests/bench/bench_slip assets/content assets/icons build/locale 3 | sed 's/^/  /'; then
    echo "the slip benchmark failed" >&2
    exit 1
  fi
  echo "case service benchmark (smoke, 400 requests each over 4 connections):"
  if ! build/tests/bench/bench_casesvc build/app/casesvc/loket-casesvc 400 4 | sed 's/^/  /'; then
    echo "the case service benchmark failed" >&2
    exit 1
  fi
  # 4. unit, UI and integration tests (CTest)
  cd build-test
  exec ctest --output-on-failure -j "$jobs"
  ;;
*)
  echo "usage: deploy/dev.sh run [loket options] | deploy/dev.sh test" >&2
  exit 2
  ;;
esac
