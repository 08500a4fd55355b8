#!/bin/sh
# Writes a man page per drydock command into OUT_DIR (drydock.1 and
# drydock-COMMAND.1), built from the binary's own --help so the pages never
# drift from the options, plus the hand-written sections of
# packaging/man-sections.roff (exit status, files, environment).
# Usage: make-man-pages.sh DRYDOCK_BINARY SECTIONS_FILE OUT_DIR
set -eu
bin=$1 sections=$2 out=$3
mkdir -p "$out"
version=$("$bin" --version | sed 's/^drydock //')
date=$(date -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}" +%Y-%m-%d)

# Roff-safe text: backslashes doubled, a leading dot or quote escaped.
escape() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }
# The help text with the program's path as written shown as "drydock".
help_of() { "$bin" "$@" --help | sed "s|^Usage: [^ ]*|Usage: drydock|"; }
# The subcommands a help text lists ("  name   description" under "Subcommands:").
subcommands() { sed -n '/^Subcommands:/,/^$/p' | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p'; }

page() {  # page NAME TITLE SUMMARY COMMAND...
  name=$1 title=$2 summary=$3
  shift 3
  {
    printf '.TH %s 1 "%s" "drydock %s" "drydock manual"\n' "$title" "$date" "$version"
    printf '.SH NAME\n%s \\- %s\n' "$(echo "$name" | sed 's/-/\\-/g')" "$(echo "$summary" | escape)"
    printf '.SH SYNOPSIS\n.nf\n'
    help_of "$@" | sed -n 's/^Usage: //p' | escape
    printf '.fi\n.SH DESCRIPTION\n%s\n.SH OPTIONS\n.nf\n' "$(echo "$summary" | escape)"
    help_of "$@" | sed '1,/^Usage:/d' | escape
    printf '.fi\n'
    # Nested commands (report merge, rules check ...) on their parent's page.
    for sub in $(help_of "$@" | subcommands); do
      [ $# -eq 0 ] && break
      printf '.SS "drydock %s %s"\n.nf\n' "$*" "$sub"
      help_of "$@" "$sub" | escape
      printf '.fi\n'
    done
    cat "$sections"
    printf '.SH SEE ALSO\n'
    if [ $# -eq 0 ]; then
      for c in $(help_of | subcommands); do printf '.BR drydock\\-%s (1)\n' "$c"; done
    else
      printf '.BR drydock (1)\n'
    fi
    printf '.PP\nThe README shipped in /usr/share/doc/drydock describes the rule language and every JSON field.\n'
  } > "$out/$name.1"
}

page drydock DRYDOCK "finds risky containers in Linux memory dumps"
help_of | sed -n '/^Subcommands:/,/^$/p' | sed -n 's/^  \([a-z][a-z-]*\)  *\(.*\)$/\1 \2/p' |
  while read -r command summary; do
    page "drydock-$command" "DRYDOCK-$(echo "$command" | tr '[:lower:]' '[:upper:]')" "$summary" "$command"
  done
# Compressed, as Debian installs man pages (-n: no name or time stored, so
# the package is reproducible).
gzip -9nf "$out"/drydock.1 "$out"/drydock-*.1
