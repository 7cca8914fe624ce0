# A prompt that says where you are and whether the last command failed. (homelabcmd: base)
__hl_prompt() {
    local status=$?
    local red='\[\e[31m\]' green='\[\e[32m\]' blue='\[\e[34m\]' dim='\[\e[2m\]' reset='\[\e[0m\]'
    local mark="${green}\$${reset}"
    [ "$status" -ne 0 ] && mark="${red}${status} \$${reset}"
    local branch=''
    if declare -F __git_ps1 >/dev/null; then
        branch="$(__git_ps1 ' (%s)')"
    fi
    PS1="${dim}\u@\h${reset} ${blue}\w${reset}${branch} ${mark} "
}
PROMPT_COMMAND="__hl_prompt${PROMPT_COMMAND:+; $PROMPT_COMMAND}"
