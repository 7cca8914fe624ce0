# Small tools for the shell. (homelabcmd: base)

# mkcd DIR: make a directory and go into it.
mkcd() { mkdir -p -- "$1" && cd -- "$1"; }

# extract FILE: unpack any common archive.
extract() {
    [ -f "$1" ] || { echo "extract: no such file: $1" >&2; return 1; }
    case "$1" in
        *.tar.gz|*.tgz)   tar xzf "$1" ;;
        *.tar.xz|*.txz)   tar xJf "$1" ;;
        *.tar.bz2|*.tbz2) tar xjf "$1" ;;
        *.tar.zst)        tar --zstd -xf "$1" ;;
        *.tar)            tar xf "$1" ;;
        *.gz)             gunzip "$1" ;;
        *.xz)             unxz "$1" ;;
        *.bz2)            bunzip2 "$1" ;;
        *.zip)            unzip "$1" ;;
        *.7z)             7z x "$1" ;;
        *) echo "extract: do not know how to unpack $1" >&2; return 1 ;;
    esac
}

# bigfiles [DIR] [N]: the N largest files under DIR.
bigfiles() { find "${1:-.}" -xdev -type f -printf '%s\t%p\n' 2>/dev/null | sort -rn | head -n "${2:-20}" | numfmt --to=iec --field=1; }

# port PORT: what listens on it.
port() { ss -tulpn "sport = :$1"; }

# up: how long this machine has been up, and its load.
up() { uptime -p; cat /proc/loadavg; }

# bak FILE: a dated copy beside the file.
bak() { cp -a -- "$1" "$1.$(date +%Y%m%d-%H%M%S).bak"; }
