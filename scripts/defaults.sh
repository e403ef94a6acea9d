# with_defaults DEFAULT... -- ARG...: prints (NUL-separated) each default whose --name the user did
# not give, so user arguments replace the defaults they name. Used by run-local.sh and run-flink.sh.
with_defaults() {
  local defaults=() d a name given
  while [[ $# -gt 0 && $1 != -- ]]; do defaults+=("$1"); shift; done
  shift
  for d in "${defaults[@]}"; do
    name=${d%%=*}
    given=false
    for a in "$@"; do [[ $a == "$name="* || $a == "$name" ]] && given=true; done
    $given || printf '%s\0' "$d"
  done
}

# masked: copies stdin to stdout with the value of any password= URL parameter (e.g. in --jdbcUrl)
# replaced by ***, so the command line the scripts echo never shows a secret.
masked() {
  sed -E 's/([?&;][A-Za-z]*password=)[^&; ]*/\1***/gI'
}
