# History that survives several terminals and is worth searching. (homelabcmd: base)
HISTSIZE=50000
HISTFILESIZE=100000
HISTCONTROL=ignoreboth:erasedups
HISTTIMEFORMAT='%F %T  '
HISTIGNORE='ls:ll:cd:pwd:exit:clear:history'
shopt -s histappend cmdhist
# Write each command as it runs, so a crashed session loses nothing.
PROMPT_COMMAND="history -a${PROMPT_COMMAND:+; $PROMPT_COMMAND}"
