# shellcheck shell=bash
# Shared by the corpus scripts (sourced, not run): which documents
# oas-corpus/MANIFEST.tsv stands for, and what `keel-gen check` must say of each.

# The documents a manifest row stands for, one per line, relative to the corpus folder.
documents_of_row() {
  local name=$1 row=$2
  local root
  root=$(grep -o 'root is [^ ;|]*' <<<"$row" | head -n1 | cut -d' ' -f3)
  if [ -n "$root" ]; then
    echo "$root"
  elif [ -f "$name" ]; then
    echo "$name"
  elif [[ "$name" == */\ * ]]; then
    local dir=${name%% *}
    find "$dir" -maxdepth 1 -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | sort
  fi
}

# Every included document of MANIFEST.tsv (run inside the corpus folder), one per line.
manifest_documents() {
  local name status rest
  while IFS=$'\t' read -r name status rest; do
    [ "$name" = name ] && continue
    case "$status" in
      included | "included (fallback)") ;;
      *) continue ;;  # skipped rows, the aux meta-schema, the TOTAL line
    esac
    documents_of_row "$name" "$name	$status	$rest"
  done <MANIFEST.tsv
}

# accepted or rejected: fail fixtures and the documents listed in KNOWN_REJECTIONS (a file).
expected_outcome() {
  local doc=$1 known_rejections=$2
  case "$doc" in
    oai-spec-tests-3.1/fail/*) echo rejected ;;
    *)
      if [ -f "$known_rejections" ] && grep -qxF "$doc" "$known_rejections"; then
        echo rejected
      else
        echo accepted
      fi
      ;;
  esac
}
