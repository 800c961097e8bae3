#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the seed corpus of one fuzz target from the shared playlist corpus.
#
#   fuzz/seed_corpus.sh TARGET SOURCE_CORPUS_DIR OUT_DIR [MAX_BYTES]
#
# TARGET: parse | variables | diff | attributes | rebase | merge.
# Only reads SOURCE_CORPUS_DIR (e.g. ../shared/corpus); writes OUT_DIR (created,
# and files already there are kept, so a grown corpus is reused). Seeds larger
# than MAX_BYTES (default 16384, the fuzz runs' -max_len) are skipped.
#   parse, variables: each playlist as is;
#   diff:             "A\n#--DIFF\nB" for consecutive media playlists and self-pairs;
#   attributes:       every distinct attribute-list tag line ("#EXT-X-...:LIST");
#   rebase:           "BASE\nPLAYLIST" with a few different base URLs;
#   merge:            "A\n#--MERGE[s|p]\nB" for each master with itself and its neighbour.
set -euo pipefail

if (($# < 3)); then
    echo "usage: $0 TARGET SOURCE_CORPUS_DIR OUT_DIR [MAX_BYTES]" >&2
    exit 2
fi
target="$1"
src="$2"
out="$3"
max_bytes="${4:-16384}"

if [[ ! -d "$src" ]]; then
    echo "seed_corpus.sh: no corpus directory '$src'" >&2
    exit 2
fi
mkdir -p "$out"

# Playlists of the source corpus, sorted, at most max_bytes each.
mapfile -t files < <(find "$src" -type f \( -name '*.m3u8' -o -name '*.m3u' \) -size -"$((max_bytes + 1))"c | LC_ALL=C sort)

# write_seed <content-file>: stores it under its checksum (as libFuzzer names inputs).
write_seed() {
    local sum
    sum="$(sha1sum "$1" | cut -c1-40)"
    mv -f "$1" "$out/$sum"
}

tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT

is_master() { grep -q '^#EXT-X-STREAM-INF' "$1"; }
is_media() { grep -q '^#EXTINF' "$1"; }

count=0
case "$target" in
parse | variables)
    for f in "${files[@]}"; do
        cp "$f" "$tmp" && write_seed "$tmp"
        count=$((count + 1))
    done
    ;;
rebase)
    bases=("https://cdn.example/live/a/b/master.m3u8" "http://origin.example:8080/x/index.m3u8?token=abc"
        "https://h.example" "s3://bucket/key/playlist.m3u8")
    i=0
    for f in "${files[@]}"; do
        { printf '%s\n' "${bases[$((i % ${#bases[@]}))]}"; cat "$f"; } >"$tmp"
        write_seed "$tmp"
        i=$((i + 1))
        count=$((count + 1))
    done
    ;;
merge)
    masters=()
    for f in "${files[@]}"; do
        if is_master "$f"; then masters+=("$f"); fi
    done
    flags=("" "s" "p" "sp")
    for ((i = 0; i < ${#masters[@]}; i++)); do
        a="${masters[$i]}"
        b="${masters[$(((i + 1) % ${#masters[@]}))]}"
        { cat "$a"; printf '\n#--MERGE%s\n' "${flags[$((i % 4))]}"; cat "$a"; } >"$tmp"
        write_seed "$tmp"
        { cat "$a"; printf '\n#--MERGE%s\n' "${flags[$(((i + 1) % 4))]}"; cat "$b"; } >"$tmp"
        write_seed "$tmp"
        count=$((count + 2))
    done
    ;;
diff)
    medias=()
    for f in "${files[@]}"; do
        if is_media "$f"; then medias+=("$f"); fi
    done
    for ((i = 0; i < ${#medias[@]}; i++)); do
        a="${medias[$i]}"
        b="${medias[$(((i + 1) % ${#medias[@]}))]}"
        { cat "$a"; printf '\n#--DIFF\n'; cat "$a"; } >"$tmp"
        write_seed "$tmp"
        # The same playlist one segment later: drop the first EXTINF+URI pair.
        { cat "$a"; printf '\n#--DIFF\n'; awk 'BEGIN{s=0} /^#EXTINF/ && s==0 {s=1; next} s==1 && !/^#/ && NF {s=2; next} {print}' "$a"; } >"$tmp"
        write_seed "$tmp"
        { cat "$a"; printf '\n#--DIFF\n'; cat "$b"; } >"$tmp"
        write_seed "$tmp"
        count=$((count + 3))
    done
    ;;
attributes)
    # Every distinct "#EXT-X-...:LIST" line whose value holds an '=' (an attribute list).
    while IFS= read -r line; do
        printf '%s' "$line" >"$tmp"
        write_seed "$tmp"
        count=$((count + 1))
    done < <(cat "${files[@]}" | tr -d '\r' | grep -E '^#EXT[A-Z0-9-]*:.*=' | LC_ALL=C sort -u)
    ;;
*)
    echo "seed_corpus.sh: unknown target '$target'" >&2
    exit 2
    ;;
esac
echo "seed_corpus.sh: $target: $count seeds from $src -> $out ($(find "$out" -type f | wc -l) files)"
