#!/usr/bin/env bash
# Installs the build into a temporary prefix and checks what a user gets:
# the binary runs, the man page renders without warnings, and the bash
# completion completes commands and options from the installed binary.
# Usage: install_test.sh BUILD_DIR
set -euo pipefail
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
fail() { echo "FAIL: $*" >&2; exit 1; }
for f in bin/validate_attestation share/man/man1/validate_attestation.1 \
         share/bash-completion/completions/validate_attestation \
         share/zsh/vendor-completions/_validate_attestation \
         share/fish/vendor_completions.d/validate_attestation.fish \
         share/doc/keyattest/README.md share/doc/keyattest/CHANGELOG.md share/doc/keyattest/LICENSE; do
  [[ -f $prefix/$f ]] || fail "not installed: $f"
done
export PATH="$prefix/bin:$PATH"
version=$(validate_attestation --version)
[[ $version == "validate_attestation "* ]] || fail "--version: $version"
grep -q "compiled-in trust anchors" <<<"$version" || fail "--version does not count the anchors: $version"
grep -q "^OpenSSL 3" <<<"$version" || fail "--version does not name OpenSSL: $version"

# The man page renders with warnings as failures.
if command -v man >/dev/null; then
  warnings=$(MANWIDTH=80 man --warnings -l "$prefix/share/man/man1/validate_attestation.1" 2>&1 >/dev/null || true)
  [[ -z $warnings ]] || fail "man --warnings: $warnings"
  MANWIDTH=80 man -l "$prefix/share/man/man1/validate_attestation.1" 2>/dev/null | grep -q "EXIT STATUS" ||
    fail "man page does not render an EXIT STATUS section"
fi

# bash completion: commands at the first word, options of the command.
source "$prefix/share/bash-completion/completions/validate_attestation"
complete_words() {
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _validate_attestation
  printf '%s\n' "${COMPREPLY[@]}"
}
complete_words validate_attestation ro | grep -qx roots || fail "bash: 'ro' does not complete to roots"
complete_words validate_attestation roots --ou | grep -qx -- --output || fail "bash: roots --ou"
complete_words validate_attestation --no-chain | grep -qx -- --no-chain-cache || fail "bash: --no-chain"
complete_words validate_attestation roots --output "" | grep -qx pem || fail "bash: --output values"
# Options whose help wraps onto several lines still complete.
complete_words validate_attestation --expect | grep -qx -- --expect-key || fail "bash: --expect"
complete_words validate_attestation --owner-root | grep -qx -- --owner-roots || fail "bash: --owner-roots"
complete_words validate_attestation rel | grep -qx release-response || fail "bash: release-response (wrapped summary)"
for shell in zsh fish; do
  if command -v $shell >/dev/null; then
    f=$(ls "$prefix"/share/*/*/*"$([[ $shell == zsh ]] && echo _validate_attestation || echo validate_attestation.fish)")
    $shell -n "$f" || fail "$shell syntax: $f"
  fi
done
echo "install: ok ($prefix)"
