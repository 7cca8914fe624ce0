# git in the shell. (homelabcmd: developer-lite)
[ -f /usr/lib/git-core/git-sh-prompt ] && . /usr/lib/git-core/git-sh-prompt
GIT_PS1_SHOWDIRTYSTATE=1
GIT_PS1_SHOWUPSTREAM=auto

alias g='git'
alias gs='git status -sb'
alias gd='git diff'
alias gds='git diff --staged'
alias gl='git log --oneline --graph --decorate -20'
alias gp='git pull --ff-only'

# groot: go to the top of the current repository.
groot() { cd "$(git rev-parse --show-toplevel)" || return; }
