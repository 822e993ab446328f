#!/usr/bin/env bash
# make_test_pki.sh DIR: generates a throw-away test PKI into DIR with the openssl CLI.
#
#   ca.pem / ca.key                  test CA
#   server.pem / server.key          CN=localhost, SAN DNS:localhost, IP:127.0.0.1, signed by ca
#   client.pem / client.key          CN=zuil-1, extendedKeyUsage clientAuth, signed by ca
#   other-ca.pem / other-ca.key      an unrelated second CA
#   other-server.pem / other-server.key  server cert for localhost signed by other-ca
#                                    (for "wrong server certificate" tests)
#
# EC P-256 keys, SHA-256, valid 2 days, keys mode 0600. Existing files are overwritten.
# Quiet on success; on failure the openssl output is shown.
set -euo pipefail

if [ "$#" -ne 1 ]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi

dir=$1
days=2
mkdir -p "$dir"
umask 077
work=$(mktemp -d "$dir/.pki.XXXXXX")
trap 'rm -rf "$work"' EXIT

log="$work/openssl.log"
run() {
    if ! "$@" >>"$log" 2>&1; then
        cat "$log" >&2
        echo "$0: failed: $*" >&2
        exit 1
    fi
}

newkey() { # newkey OUT
    run openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"
    chmod 600 "$1"
}

ca() { # ca NAME CN
    newkey "$dir/$1.key"
    cat >"$work/$1.ext" <<EOF
[req]
distinguished_name = dn
prompt = no
[dn]
CN = $2
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
EOF
    run openssl req -new -x509 -sha256 -days "$days" -key "$dir/$1.key" \
        -config "$work/$1.ext" -extensions v3_ca -out "$dir/$1.pem"
}

leaf() { # leaf NAME CA CN EXTENSIONS...
    local name=$1 issuer=$2 cn=$3
    shift 3
    newkey "$dir/$name.key"
    {
        echo "basicConstraints = critical, CA:FALSE"
        echo "keyUsage = critical, digitalSignature"
        echo "subjectKeyIdentifier = hash"
        echo "authorityKeyIdentifier = keyid"
        printf '%s\n' "$@"
    } >"$work/$name.ext"
    run openssl req -new -sha256 -key "$dir/$name.key" -subj "/CN=$cn" -out "$work/$name.csr"
    run openssl x509 -req -sha256 -days "$days" -in "$work/$name.csr" \
        -CA "$dir/$issuer.pem" -CAkey "$dir/$issuer.key" -set_serial "0x$(openssl rand -hex 16)" \
        -extfile "$work/$name.ext" -out "$dir/$name.pem"
}

ca ca "Test CA (kiosk tests)"
leaf server ca localhost "extendedKeyUsage = serverAuth" \
    "subjectAltName = DNS:localhost, IP:127.0.0.1"
leaf client ca zuil-1 "extendedKeyUsage = clientAuth"
ca other-ca "Other test CA (kiosk tests)"
leaf other-server other-ca localhost "extendedKeyUsage = serverAuth" \
    "subjectAltName = DNS:localhost, IP:127.0.0.1"

chmod 644 "$dir"/*.pem
