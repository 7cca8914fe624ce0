# Workstation developer setup. (homelabcmd: developer-max)
export EDITOR=nvim VISUAL=nvim
export RIPGREP_CONFIG_PATH="$HOME/.ripgreprc"
export PIPX_BIN_DIR="$HOME/.local/bin"

# Debian names some tools differently.
command -v batcat >/dev/null && ! command -v bat >/dev/null && alias bat='batcat'
command -v fdfind >/dev/null && ! command -v fd >/dev/null && alias fd='fdfind'

# direnv: per-directory environments.
command -v direnv >/dev/null && eval "$(direnv hook bash)"

# fzf: Ctrl-R history search, Ctrl-T file picker.
[ -f /usr/share/doc/fzf/examples/key-bindings.bash ] && . /usr/share/doc/fzf/examples/key-bindings.bash
[ -f /usr/share/bash-completion/completions/fzf ] && . /usr/share/bash-completion/completions/fzf
