# deps.sh - sourced by setup.sh and test.sh: install the Debian packages
# autogen needs, only those missing, with one 'apt-get update' at most.
ag_install_deps() {
    local pkgs=(gcc make cmake pkg-config libsqlite3-dev libpq-dev libyaml-dev libgit2-dev
                libtcc-dev tcc "$@")
    local missing=()
    for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || {
            echo "autogen: error: missing packages (${missing[*]}) and no sudo to install them" >&2
            return 1
        }
        sudo=(sudo)
    fi
    echo "Installing: ${missing[*]}" >&2
    "${sudo[@]}" apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" >/dev/null
}
