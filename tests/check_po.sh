#!/usr/bin/env bash
# Every screen text in the code (tr/trn/N_) has a translation in every assets/po/*.po.
set -euo pipefail
src=$1
pot=$(mktemp)
trap 'rm -f "$pot"' EXIT
xgettext --from-code=UTF-8 -kN_ -ktr:2 -ktrn:2,3 -ktrc:2c,3 -kNC_:1c,2 --add-comments=TRANSLATORS: \
  --package-name=loket -o "$pot" "$src"/app/core/*.c "$src"/app/kiosk/*.c "$src"/ui/*.c
status=0
for po in "$src"/assets/po/*.po; do
  if msgcmp "$po" "$pot" 2>/dev/null; then
    untranslated=$(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid ' || true)
    if [ "$untranslated" -gt 1 ]; then # the header counts once
      echo "$(basename "$po"): $((untranslated - 1)) untranslated text(s)"
      status=1
    else
      echo "$(basename "$po"): complete"
    fi
  else
    echo "$(basename "$po"): texts of the program are missing:"
    msgcmp "$po" "$pot" 2>&1 | sed 's/^/  /' | head -40
    status=1
  fi
done
exit $status
