#!/bin/sh
# `npm run build`: a fast path in front of scripts/build.mjs for a build with nothing to do.
#
# The last successful `node scripts/build.mjs` wrote node_modules/.cache/clickairtime-build/fast-path:
# a content digest, then the files and folders it covers (every input and output of build.mjs's
# STEPS, plus package.json and build.mjs itself). This script lists the files under them now,
# hashes each one's name and contents in the same way, and exits at once when the digest is the
# same: no file added, removed or changed since that build. Otherwise, and always with arguments
# (--force, say), it hands over to build.mjs, which decides step by step.
#
# Loading node costs more than this whole check. Any doubt (no manifest, a missing tool, a file
# vanishing mid-way) only makes the digests differ, so the real build runs.
case $0 in */*) cd "${0%/*}/.." || exit 1 ;; esac

manifest=node_modules/.cache/clickairtime-build/fast-path
if [ $# -eq 0 ] && [ -f "$manifest" ]; then
  {
    IFS= read -r want
    while IFS= read -r entry; do set -- "$@" "$entry"; done
  } <"$manifest"
  if [ $# -gt 0 ]; then
    # The digest build.mjs computes: sha256 of "<sha256 of contents>  <path>\n" per file, sorted by
    # path bytes, with node_modules/ and .git/ left out.
    have=$(find "$@" \( -name node_modules -o -name .git \) -prune -o -type f -print0 2>/dev/null |
      LC_ALL=C sort -z | xargs -0r sha256sum 2>/dev/null | sha256sum 2>/dev/null)
    if [ -n "$want" ] && [ "${have%% *}" = "$want" ]; then
      echo 'build: up to date (nothing changed since the last build)'
      exit 0
    fi
  fi
  set --
fi
exec node scripts/build.mjs "$@"
