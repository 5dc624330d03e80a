# bash completion for stconfig: `stconfig completion bash` prints it;
# it runs stconfig to complete commands, options, option keys and values.

_stconfig_completion() {
    local IFS=$'
'
    COMPREPLY=( $( env COMP_WORDS="${COMP_WORDS[*]}" \
                   COMP_CWORD=$COMP_CWORD \
                   _STCONFIG_COMPLETE=complete_bash $1 ) )
    return 0
}

complete -o default -F _stconfig_completion stconfig
