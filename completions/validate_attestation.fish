# fish completion for validate_attestation. Commands and options are read
# from the binary's own --help, so they always match the installed binary.

function __validate_attestation_commands
    validate_attestation --help 2>/dev/null | sed -n '/^Commands/,$p' | awk 'NR > 1 && /^  [a-z]/ {print $1}'
end

function __validate_attestation_command
    set -l words (commandline -opc)
    if test (count $words) -ge 2; and contains -- $words[2] (__validate_attestation_commands)
        echo $words[2]
    end
end

function __validate_attestation_options
    validate_attestation (__validate_attestation_command) --help 2>/dev/null | string match -r -a -- '--[a-z0-9][a-z0-9-]*' | sort -u
end

complete -c validate_attestation -n 'test (count (commandline -opc)) -eq 1' -a '(__validate_attestation_commands)'
complete -c validate_attestation -n 'string match -q -- "-*" (commandline -ct)' -a '(__validate_attestation_options)'
complete -c validate_attestation -l output -s o -x -a 'text json pem'
complete -c validate_attestation -l color -x -a 'auto always never'
