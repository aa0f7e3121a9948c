# bash completion for validate_attestation.
# Commands and options are read from the installed binary's own --help, so
# the completion always matches the binary it completes.

_validate_attestation_commands() {
  validate_attestation --help 2>/dev/null | sed -n '/^Commands/,$p' | awk 'NR > 1 && /^  [a-z]/ {print $1}'
}

_validate_attestation() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local prev=${COMP_WORDS[COMP_CWORD - 1]}
  local commands command="" word
  commands=$(_validate_attestation_commands)
  if ((COMP_CWORD > 1)); then
    word=${COMP_WORDS[1]}
    if [[ " ${commands//$'\n'/ } " == *" $word "* ]]; then command=$word; fi
  fi
  case $prev in
    --output | -o)
      COMPREPLY=($(compgen -W "text json pem" -- "$cur"))
      return
      ;;
    --color)
      COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
      return
      ;;
    --at | --skew | --issuer | --vault | --vmpl | --min-tcb | --host-data | --jobs | -j | --require | \
      --require-claim | --require-mrsigner | --expect-hash | --expect-key | --purpose)
      return
      ;;
  esac
  if [[ $cur == -* ]]; then
    local options
    options=$(validate_attestation $command --help 2>/dev/null | grep -oE -- '--[a-z0-9][a-z0-9-]*' | sort -u)
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
    return
  fi
  if [[ -z $command && $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "$commands" -- "$cur"))
  fi
  COMPREPLY+=($(compgen -f -- "$cur"))
}

complete -o filenames -F _validate_attestation validate_attestation
