#!/usr/bin/env bash
# Smoke checks of a frozen build, run as on a terminal: no venv and no Python on PATH, a throw-away
# data folder, Qt drawing off screen. Prints PASS/FAIL per check; exits 1 if any check fails.
#   packaging/check_build.sh [--out DIR] [--full] [BUILD_DIR]     (default BUILD_DIR: dist/hongtu)
#     --out DIR   keep what the checks made (tour PNGs, narration wavs, kiosk log, logs/CHECK.log) in DIR
#     --full      tour every screen (one size, zh) instead of the home screens: after changing what
#                 the spec strips, this shows every screen's QML still loads (a few minutes)
# Needs only bash, coreutils, grep, awk (mawk is fine), find, iconv and ldd (libc-bin): a Debian minbase root.
# Checks: the build's libraries all resolve (ldd), every QML module the kiosk imports is bundled,
# `hongtu --help`/`--version`, `pack validate` of the bundled sample pack, `narrate` in zh and en,
# the bundled fontconfig finds the bundled Chinese fonts and a glyph for every symbol the QML uses,
# the UI fonts (ui-fonts/: Hongtu Sans/Serif with every hanzi of the QML and the sample pack),
# `doctor`, `tour --only home` (no QML errors), and the kiosk (`run --windowed`) reaching its ready
# state with Hongtu Sans loaded and stopping cleanly on SIGTERM. docs/packaging.md shows a run.
set -uo pipefail

OUT=""
FULL=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="${2:?--out needs a folder}"; shift 2 ;;
    --full) FULL=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
    -*) echo "check_build.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
BUILD_ARG="${1:-$(dirname "$0")/../dist/hongtu}"
[ -x "$BUILD_ARG/hongtu" ] || { echo "check_build.sh: no build at $BUILD_ARG (no executable hongtu in it)" >&2; exit 2; }
BUILD="$(cd "$BUILD_ARG" && pwd)"
EXE="$BUILD/hongtu"
INT="$BUILD/_internal"
SAMPLE="$INT/exhibits/fujian-red-map"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/hongtu-check.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
if [ -n "$OUT" ]; then mkdir -p "$OUT" && OUT="$(cd "$OUT" && pwd)"; else OUT="$WORK/out"; mkdir -p "$OUT"; fi
mkdir -p "$WORK/home" "$WORK/data" "$OUT/logs"

# A terminal's environment: nothing inherited (no VIRTUAL_ENV, PYTHONPATH, PYTHONHOME, venv on PATH).
CLEAN_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
hongtu() {
  env -i HOME="$WORK/home" PATH="$CLEAN_PATH" LANG=C.UTF-8 TMPDIR="$WORK" \
    QT_QPA_PLATFORM=offscreen QT_QUICK_BACKEND=software HONGTU_DATA_DIR="$WORK/data" "$EXE" "$@"
}

FAILED=0
DETAIL=""
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
check() {  # check NAME FUNCTION: runs FUNCTION, which returns 0/1 and sets DETAIL
  local name="$1" fn="$2" t0 t1 status
  DETAIL=""
  t0=$(now_ms)
  if "$fn" >"$OUT/logs/$name.log" 2>&1; then status=PASS; else status=FAIL; FAILED=$((FAILED + 1)); fi
  t1=$(now_ms)
  printf '%-4s  %-16s %6.1fs  %s\n' "$status" "$name" "$(awk "BEGIN{print ($t1-$t0)/1000}")" "$DETAIL"
  if [ "$status" = FAIL ]; then tail -n 15 "$OUT/logs/$name.log" | sed 's/^/      | /'; fi
}

# --- the checks -----------------------------------------------------------------------------------

c_libraries() {
  local n=0 missing
  : >"$WORK/ldd-missing"
  while IFS= read -r -d '' f; do
    n=$((n + 1))
    LD_LIBRARY_PATH="$INT" ldd "$f" 2>/dev/null | awk -v f="${f#"$INT"/}" '/not found/ {print $1 " (needed by " f ")"}' >>"$WORK/ldd-missing"
  done < <(find "$EXE" "$INT" -type f \( -name hongtu -o -name '*.so' -o -name '*.so.*' -o -name fc-match \) -print0)
  missing=$(sort -u "$WORK/ldd-missing")
  if [ -n "$missing" ]; then
    DETAIL="$(echo "$missing" | awk '{print $1}' | sort -u | tr '\n' ' ')missing (install packaging/linux/install.sh's packages)"
    echo "$missing"
    return 1
  fi
  DETAIL="$n executables and libraries, every dependency found"
}

qml_imports() {  # the modules a QML file imports (the import block at its top; comments skipped)
  awk '
    inc { if (index($0, "*/")) { inc = 0 } ; next }
    { line = $0; sub(/^[ \t]+/, "", line) }
    line ~ /^\/\*/ { if (!index(line, "*/")) inc = 1; next }
    line == "" || line ~ /^\/\// || line ~ /^pragma[ \t]/ { next }
    line ~ /^import[ \t]/ { split(line, a, /[ \t;]+/); if (a[2] !~ /^"/) print a[2]; next }
    { exit }
  ' "$1"
}
module_dir() {
  case "$1" in
    Hongtu) echo "$INT/app/ui/qml/Hongtu" ;;
    *) echo "$INT/PySide6/Qt/qml/${1//.//}" ;;
  esac
}
module_files() {  # the .qml files of module folder $1 (not those of modules nested in it)
  local d="$1" f dir
  find "$d" -name '*.qml' | while IFS= read -r f; do
    dir="$(dirname "$f")"
    while [ "$dir" != "$d" ] && [ ! -f "$dir/qmldir" ]; do dir="$(dirname "$dir")"; done
    [ "$dir" = "$d" ] && echo "$f"
  done
}
c_qml() {
  # Breadth-first from the kiosk's module: every import of its QML files and every qmldir `import`
  # must be a bundled module folder. `optional import` (other Controls styles) may be absent, and
  # qmldir `depends` lines are only hints for tools (QtGraphs names QtGraphs2D.impl, which has no folder).
  local queue=("Hongtu") seen=" Hongtu " missing="" mod d dep f
  while [ ${#queue[@]} -gt 0 ]; do
    mod="${queue[0]}"; queue=("${queue[@]:1}")
    d="$(module_dir "$mod")"
    if [ ! -f "$d/qmldir" ]; then missing+="$mod "; echo "missing QML module $mod ($d)"; continue; fi
    while IFS= read -r dep; do
      case "$dep" in QML|Hongtu.Models|"") continue ;; esac   # built into the engine / registered from Python
      case "$seen" in *" $dep "*) continue ;; esac
      seen+="$dep "; queue+=("$dep")
    done < <(
      awk '$1 == "import" || ($1 == "default" && $2 == "import") {print ($1 == "default") ? $3 : $2}' "$d/qmldir"
      module_files "$d" | while IFS= read -r f; do qml_imports "$f"; done | sort -u
    )
  done
  if [ -n "$missing" ]; then DETAIL="not bundled: $missing"; return 1; fi
  DETAIL="$(echo "$seen" | wc -w) QML modules reachable from Hongtu, all bundled"
}

c_help() {
  local out ver
  out=$(hongtu --help) || return 1
  echo "$out"
  echo "$out" | grep -q "Commands:" || return 1
  ver=$(hongtu --version) || return 1
  DETAIL="$ver; $(echo "$out" | awk '/^Commands:/ {c = 1; next} c && NF {n++} END {print n}') commands"
}

c_pack() {
  local out
  out=$(hongtu pack validate "$SAMPLE") || { echo "$out"; return 1; }
  echo "$out"
  DETAIL="$(echo "$out" | tail -n 1)"
  echo "$out" | grep -q "^OK" || return 1
}

narrate_to() {  # narrate_to LANG TEXT: a wav of real speech in $OUT/narration-LANG.wav
  local lang="$1" text="$2" wav="$OUT/narration-$1.wav" out size
  out=$(hongtu narrate "$text" --lang "$lang" --out "$wav") || { echo "$out"; return 1; }
  echo "$out"
  [ -f "$wav" ] || { echo "no $wav"; return 1; }
  [ "$(head -c 4 "$wav")" = RIFF ] || { echo "$wav is not a wav file"; return 1; }
  size=$(wc -c <"$wav")
  [ "$size" -gt 20000 ] || { echo "$wav is only $size bytes"; return 1; }
  DETAIL="$out"
}
c_narrate_zh() { narrate_to zh "古田会议于1929年12月召开。"; }
c_narrate_en() { narrate_to en "The Gutian Conference met in December 1929."; }

c_fonts() {
  # Qt finds fonts through the bundled fontconfig and fonts.conf (hongtu_entry.py sets FONTCONFIG_FILE).
  local env=(env -i HOME="$WORK/home" LD_LIBRARY_PATH="$INT" FONTCONFIG_FILE="$INT/fonts.conf")
  local fc=("${env[@]}" "$INT/fc-match" -f '%{file}\n') fl=("${env[@]}" "$INT/fc-list")
  local sans serif zh ch hex n=0 missing=""
  [ -x "$INT/fc-match" ] && [ -x "$INT/fc-list" ] && [ -f "$INT/fonts.conf" ] || { echo "fc-match, fc-list or fonts.conf not in the build"; return 1; }
  sans=$("${fc[@]}" "Noto Sans CJK SC") || return 1
  serif=$("${fc[@]}" "Noto Serif CJK SC:bold") || return 1
  zh=$("${fc[@]}" ":lang=zh-cn") || return 1
  printf 'Noto Sans CJK SC -> %s\nNoto Serif CJK SC:bold -> %s\n:lang=zh-cn -> %s\n' "$sans" "$serif" "$zh"
  case "$sans" in "$INT/fonts/NotoSansCJK"*) ;; *) DETAIL="'Noto Sans CJK SC' resolves to $sans"; return 1 ;; esac
  case "$serif" in *NotoSerifCJK-Bold*) ;; *) DETAIL="'Noto Serif CJK SC' bold resolves to $serif"; return 1 ;; esac
  case "$zh" in *CJK*) ;; *) DETAIL="Chinese text would use $zh"; return 1 ;; esac
  # Every symbol the kiosk's QML writes (U+2000-U+2BFF: arrows, ⌕, ✕, ★ ...) must be in some font.
  while IFS= read -r ch; do
    hex=$(printf '%s' "$ch" | iconv -f UTF-8 -t UTF-32BE | od -An -tx1 | tr -d ' \n' | sed 's/^0*//')
    n=$((n + 1))
    if [ -z "$("${fl[@]}" ":charset=$hex" file)" ]; then missing+="$ch (U+$hex) "; fi
  done < <(LC_ALL=C.UTF-8 grep -rhoP '[\x{2000}-\x{2BFF}]' --include='*.qml' "$INT/app/ui/qml" | sort -u)
  echo "UI symbols checked: $n; without a font: ${missing:-none}"
  if [ -n "$missing" ]; then DETAIL="no font has $missing(they would show as boxes)"; return 1; fi
  DETAIL="Sans $(basename "$sans"), titles $(basename "$serif"), all $n UI symbols covered (bundled fonts)"
}

UI_FONTS="$INT/ui-fonts"
UI_FONT_FILES=(HongtuSans-Regular.otf HongtuSans-Bold.otf HongtuSerif-Bold.otf)  # app/fonts.py FONTS
UI_FONT_WARNINGS='UI fonts not built|could not load this UI font'                 # app/ui/fonts.py
hanzi_hex() {  # the distinct hanzi (U+3400-U+9FFF) in the files given, one hex code point a line
  LC_ALL=C.UTF-8 grep -hoP '[\x{3400}-\x{9FFF}]' "$@" | sort -u | tr -d '\n' | iconv -f UTF-8 -t UTF-32BE \
    | od -An -v -tx1 | tr -s ' \n' '\n\n' | awk 'NF {w = w $1; if (++n % 4 == 0) {sub(/^0+/, "", w); print w; w = ""}}'
}
c_ui_fonts() {
  # The cut-down UI fonts (app/fonts.py) built by hongtu.spec: hongtu_entry.py points HONGTU_UI_FONTS
  # here and the kiosk registers them with Qt. Read through the bundled fontconfig with a set-up of
  # their own (the build's fonts.conf leaves them out on purpose).
  local f size want conf="$WORK/ui-fonts.conf" fl families cs n missing
  [ -f "$UI_FONTS/manifest.json" ] || { DETAIL="no $UI_FONTS/manifest.json (hongtu.spec did not bundle the UI fonts)"; return 1; }
  for f in "${UI_FONT_FILES[@]}"; do
    [ -f "$UI_FONTS/$f" ] || { DETAIL="no $UI_FONTS/$f"; return 1; }
    size=$(wc -c <"$UI_FONTS/$f")
    want=$(grep -o "\"$f\": *[0-9]*" "$UI_FONTS/manifest.json" | grep -o '[0-9]*$')
    echo "$f: $size bytes (manifest: ${want:-none})"
    [ "$size" = "$want" ] || { DETAIL="$f is $size bytes, manifest.json says ${want:-nothing}"; return 1; }
  done
  printf '<fontconfig><dir>%s</dir><cachedir>%s</cachedir></fontconfig>\n' "$UI_FONTS" "$WORK/fc-ui-cache" >"$conf"
  fl=(env -i HOME="$WORK/home" LD_LIBRARY_PATH="$INT" FONTCONFIG_FILE="$conf" "$INT/fc-list")
  families=$("${fl[@]}" : family style | sort)
  echo "$families"
  for want in "Hongtu Sans:style=Regular" "Hongtu Sans:style=Bold" "Hongtu Serif:style=Bold"; do
    [ -n "$("${fl[@]}" "$want" file)" ] || { DETAIL="no '$want' in $UI_FONTS"; return 1; }
  done
  # Every hanzi of the QML and the bundled sample pack is in the subset (no per-glyph fallback needed).
  cs=$("${fl[@]}" "Hongtu Sans:style=Regular" charset | sed 's/.*charset=//')
  [ -n "$cs" ] || { DETAIL="fontconfig reports no characters for Hongtu Sans"; return 1; }
  hanzi_hex $(find "$INT/app/ui/qml" "$SAMPLE" -type f \( -name '*.qml' -o -name '*.yaml' -o -name '*.json' -o -name '*.md' \)) >"$WORK/hanzi"
  n=$(wc -l <"$WORK/hanzi")
  missing=$(echo "$cs" | awk 'NR == FNR {for (i = 1; i <= NF; i++) {split($i, r, "-"); k++; lo[k] = r[1]; hi[k] = (2 in r) ? r[2] : r[1]} next}
    function num(h,  v, j) {v = 0; h = tolower(h); for (j = 1; j <= length(h); j++) v = v * 16 + index("0123456789abcdef", substr(h, j, 1)) - 1; return v}
    {c = num($1); ok = 0; for (i = 1; i <= k; i++) if (c >= num(lo[i]) && c <= num(hi[i])) {ok = 1; break} if (!ok) printf "U+%s ", toupper($1)}' - "$WORK/hanzi")
  echo "hanzi of the QML and the sample pack: $n; not in Hongtu Sans: ${missing:-none}"
  [ -z "$missing" ] || { DETAIL="Hongtu Sans lacks $missing(rebuild: the UI fonts are stale)"; return 1; }
  [ "$n" -gt 100 ] || { DETAIL="only $n hanzi found in the QML and sample pack (the scan is broken)"; return 1; }
  DETAIL="Hongtu Sans Regular/Bold, Hongtu Serif Bold ($(du -sm "$UI_FONTS" | cut -f1) MB), all $n hanzi of the QML and sample pack covered"
}

c_doctor() {
  local out rc
  out=$(hongtu doctor); rc=$?
  echo "$out"
  echo "$out" | grep -q "^OK *Chinese fonts" || { DETAIL="Chinese fonts not OK"; return 1; }
  echo "$out" | grep -q "^OK *speech voices" || { DETAIL="speech voices not OK"; return 1; }
  [ "$rc" -eq 0 ] || { DETAIL="exit code $rc: $(echo "$out" | tail -n 1)"; return 1; }
  DETAIL="exit 0; $(echo "$out" | grep -c '^OK') OK, $(echo "$out" | grep -c '^WARN') warnings ($(echo "$out" | awk '/^WARN/ {sub(":", "", $2); printf "%s%s", s, $2; s = ", "}'))"
}

QML_ERRORS='module "[^"]*" is not installed|plugin cannot be loaded|is not a type|Cannot assign to non-existent|failed to load component'
c_tour() {
  local n small what=(--only home)
  [ "$FULL" = 1 ] && what=(--size 1280x800 --lang zh)
  timeout 900 env -i HOME="$WORK/home" PATH="$CLEAN_PATH" LANG=C.UTF-8 TMPDIR="$WORK" \
    QT_QPA_PLATFORM=offscreen QT_QUICK_BACKEND=software HONGTU_DATA_DIR="$WORK/data-tour" \
    "$EXE" tour --out "$OUT/tour" "${what[@]}" >"$OUT/tour.log" 2>&1 || { tail -n 20 "$OUT/tour.log"; return 1; }
  tail -n 3 "$OUT/tour.log"
  if grep -E "$QML_ERRORS" "$OUT/tour.log"; then DETAIL="QML errors in $OUT/tour.log"; return 1; fi
  if grep -E "$UI_FONT_WARNINGS" "$OUT/tour.log"; then DETAIL="the tour drew without the UI fonts"; return 1; fi
  n=$(find "$OUT/tour" -name '*.png' | wc -l)
  small=$(find "$OUT/tour" -name '*.png' -size -5k | wc -l)
  DETAIL="$n screenshots ($([ "$FULL" = 1 ] && echo "every screen, 1280x800 zh" || echo "home screens, 2 sizes x zh/en")) in $OUT/tour, no QML errors"
  [ "$n" -ge 1 ] && [ "$small" -eq 0 ] || { DETAIL="$n screenshots, $small under 5 KB"; return 1; }
}

c_kiosk() {
  # The kiosk for ~12 s, then SIGTERM (what systemctl stop sends): it must have shown its first
  # frame (HONGTU_READY, the point where it tells systemd READY=1) and stop cleanly with exit 0.
  local log="$OUT/kiosk.log" pid t0 ready="" rc i fonts
  env -i HOME="$WORK/home" PATH="$CLEAN_PATH" LANG=C.UTF-8 TMPDIR="$WORK" \
    QT_QPA_PLATFORM=offscreen QT_QUICK_BACKEND=software HONGTU_DATA_DIR="$WORK/data-kiosk" \
    "$EXE" run --windowed >"$log" 2>&1 &
  pid=$!
  t0=$(now_ms)
  : >"$WORK/kiosk-maps"
  for i in $(seq 120); do
    if [ -z "$ready" ] && grep -q "^HONGTU_READY" "$log"; then ready=$(( $(now_ms) - t0 )); fi
    kill -0 "$pid" 2>/dev/null || break
    # The font files Qt has mapped once the first frame is drawn: Hongtu Sans must be among them.
    [ -n "$ready" ] && grep -E '\.(otf|ttc|ttf)$' "/proc/$pid/maps" >>"$WORK/kiosk-maps" 2>/dev/null
    sleep 0.1
  done
  kill -TERM "$pid" 2>/dev/null
  for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; DETAIL="still running 10 s after SIGTERM"; return 1; fi
  wait "$pid"; rc=$?
  grep -v "propertyCache" "$log" | tail -n 20
  [ -n "$ready" ] || { DETAIL="never reached its ready state (exit $rc, see $log)"; return 1; }
  if grep -E "$QML_ERRORS" "$log"; then DETAIL="QML errors in $log"; return 1; fi
  if grep -E "$UI_FONT_WARNINGS" "$log"; then DETAIL="the kiosk runs without the UI fonts (see $log)"; return 1; fi
  fonts=$(awk '$6 ~ /\.(otf|ttc|ttf)$/ {print $6}' "$WORK/kiosk-maps" | sort -u)
  echo "font files the kiosk mapped:"; echo "${fonts:-none}" | sed 's/^/  /'
  echo "$fonts" | grep -qx "$UI_FONTS/HongtuSans-Regular.otf" \
    || { DETAIL="ready, but Qt never opened $UI_FONTS/HongtuSans-Regular.otf (the UI draws in another font)"; return 1; }
  [ "$rc" -eq 0 ] && grep -q "kiosk stopped (exit code 0)" "$log" || { DETAIL="ready, but exit $rc after SIGTERM"; return 1; }
  [ -f "$WORK/data-kiosk/hongtu.db" ] || { DETAIL="ready, but made no database"; return 1; }
  DETAIL="HONGTU_READY after $(awk "BEGIN{printf \"%.1f\", $ready/1000}") s ($(grep -m1 "first frame shown" "$log" | sed 's/.*first frame shown (//; s/).*//')), drawing in $(echo "$fonts" | grep "/ui-fonts/" | xargs -n1 basename | sed 's/\.otf$//' | paste -sd+ -), exit 0 on SIGTERM"
}

# --- run ------------------------------------------------------------------------------------------
echo "Checking $BUILD ($(du -sh "$BUILD" | cut -f1)) on $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME" || uname -sr)"
py=$(PATH="$CLEAN_PATH" command -v python3 || true)
echo "INFO  python3 on the checks' PATH: ${py:-none} (the build never uses it)"
check libraries c_libraries
check qml-modules c_qml
check help c_help
check pack-validate c_pack
check narrate-zh c_narrate_zh
check narrate-en c_narrate_en
check fonts c_fonts
check ui-fonts c_ui_fonts
check doctor c_doctor
check "$([ "$FULL" = 1 ] && echo tour-all || echo tour-home)" c_tour
check kiosk-ready c_kiosk
if [ "$FAILED" -gt 0 ]; then echo "$FAILED check(s) FAILED"; exit 1; fi
echo "all checks passed"
