# Bash completion for mig and every mig-* tool. Flags come from each tool's
# own --help (read once per shell), so they never drift from the binary.
# Installed as /usr/share/bash-completion/completions/<command> for each command.

_mig_flags() {  # _mig_flags TOOL: the tool's long flags, cached
  local tool=$1 var
  var="_mig_flags_cache_${tool//[^a-zA-Z0-9]/_}"
  if [ -z "${!var:-}" ]; then
    printf -v "$var" '%s' "$("$tool" --help 2>/dev/null | grep -oE -- '(^|[ ,])--[a-z][a-z0-9-]*' | sed 's/^[ ,]*//' | sort -u | tr '\n' ' ')"
  fi
  printf '%s' "${!var}"
}

_mig_tool() {  # completes for TOOL whose arguments start at word $2
  local tool=$1 cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local w
  for ((w = 1; w < COMP_CWORD; w++)); do
    if [ "${COMP_WORDS[w]}" = "--" ]; then  # a command after --: complete it as a command
      case "$tool" in
        mig-fleet) [ "$w" -eq $((COMP_CWORD - 1)) ] && COMPREPLY=($(compgen -c -- "$cur" | grep '^mig-' | sort -u)) && return ;;
      esac
      COMPREPLY=($(compgen -c -- "$cur")); return
    fi
  done
  case "$prev" in
    --format)
      local formats="text json"
      [ "$tool" = mig-lint ] && formats="text json github sarif"
      COMPREPLY=($(compgen -W "$formats" -- "$cur")); return ;;
    --dir|--backup-dir|--schema-dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --on-error) COMPREPLY=($(compgen -W "stop continue" -- "$cur")); return ;;
    --restart) COMPREPLY=($(compgen -W "no on-failure" -- "$cur")); return ;;
    --dump-format) COMPREPLY=($(compgen -W "custom directory" -- "$cur")); return ;;
    --from)
      if [ "$tool" = mig-import ]; then
        COMPREPLY=($(compgen -W "golang-migrate sqlx dbmate goose flyway diesel prisma drizzle sqitch" -- "$cur"))
      else
        COMPREPLY=($(compgen -f -- "$cur"))
      fi
      return ;;
    --source) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --config|--targets|--schema-file|--plan|--metrics-file|--verify|--restore|--schema-out|--compare|--dump)
      COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(_mig_flags "$tool")" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}

_mig_tools() { compgen -c mig- | sed 's/^mig-//' | sort -u; }

_mig() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "$(_mig_tools) help --help --version" -- "$cur"))
  elif [ "${COMP_WORDS[1]}" = help ]; then
    [ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W "$(_mig_tools)" -- "$cur"))
  else
    # Complete `mig TOOL ...` as `mig-TOOL ...`, one word shorter.
    local -a words=("mig-${COMP_WORDS[1]}" "${COMP_WORDS[@]:2}")
    COMP_WORDS=("${words[@]}")
    COMP_CWORD=$((COMP_CWORD - 1))
    _mig_tool "mig-${words[0]#mig-}"
  fi
}

_mig_command() { _mig_tool "${COMP_WORDS[0]##*/}"; }

complete -F _mig mig
for _mig_cmd in mig-new mig-lint mig-status mig-apply mig-dryrun mig-backup mig-seed mig-start-prod mig-fleet mig-diff mig-import; do
  complete -F _mig_command "$_mig_cmd"
done
unset _mig_cmd
