#!/bin/sh
# Self-test for check_schema.py: bodies that conform must pass, bodies that
# each break one rule of the Klantinteracties OpenAPI description must fail
# for that rule.  Exit 0 when the checker judges every case right, 1 when it
# misjudges any, 77 (skip) when the spec or python modules are missing.
#
# env: KLANTINTERACTIES_SPEC  path of klantinteracties-openapi.yaml
#      PYTHON                 interpreter (default python3)
set -u

here=$(cd "$(dirname "$0")" && pwd)
checker="$here/check_schema.py"
spec=${KLANTINTERACTIES_SPEC:-$here/../../../shared/reference/klantinteracties-openapi.yaml}
py=${PYTHON:-python3}

if [ ! -r "$spec" ]; then
    echo "SKIP: spec not found at $spec (set KLANTINTERACTIES_SPEC)"
    exit 77
fi
if ! "$py" -c 'import jsonschema, yaml' 2>/dev/null; then
    echo "SKIP: $py lacks jsonschema/yaml (apt-get install python3-jsonschema python3-yaml)"
    exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/check_schema.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT INT TERM

fails=0
count=0
KC=3fa85f64-5717-4562-b3fc-2c963f66afa6
ACTOR=8b0b7a3e-2a52-4c1e-9d7e-3c1f2a9e5b10
BETR=5d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6

# Repeat a string N times (POSIX sh, no seq dependency).
rep() { r=; i=0; while [ "$i" -lt "$2" ]; do r="$r$1"; i=$((i + 1)); done; printf '%s' "$r"; }

# maak_klantcontact FILE [KLANTCONTACT-FIELD-OVERRIDES]
#   writes a valid MaakKlantcontact body; $2 (a JSON fragment ending in a
#   comma, or empty) is put in front of the klantcontact fields, $3 replaces
#   the default onderwerp, $4 the taal, $5 the plaatsgevondenOp, $6 = "nokanaal"
#   drops kanaal.
maak_klantcontact() {
    file=$1; extra=${2:-}; onderwerp=${3:-Verhuizing binnen de gemeente}
    taal=${4:-nld}; when=${5:-2025-03-01T10:15:00+01:00}
    kanaal='"kanaal": "zelfbedieningszuil",'
    [ "${6:-}" = nokanaal ] && kanaal=
    cat >"$file" <<EOF
{
  "klantcontact": {
    $extra
    $kanaal
    "onderwerp": "$onderwerp",
    "inhoud": "Verhuisdatum: 1 april. Adres: Dorpsstraat 1.",
    "reactie": "U krijgt binnen 5 werkdagen bericht.",
    "taal": "$taal",
    "vertrouwelijk": true,
    "plaatsgevondenOp": "$when",
    "referentienummer": "1234567897",
    "indicatieContactGelukt": null,
    "metadata": {"kiosk": "zuil-01", "site": "stadhuis", "intake": "I-42", "consent": "true"}
  },
  "betrokkene": {
    "rol": "klant",
    "initiator": true,
    "contactnaam": {"voorletters": "J.", "voornaam": "Jan", "voorvoegselAchternaam": "de", "achternaam": "Vries"},
    "wasPartij": null,
    "organisatienaam": ""
  },
  "onderwerpobject": {
    "wasKlantcontact": null,
    "onderwerpobjectidentificator": {"objectId": "verhuizing", "codeObjecttype": "levensgebeurtenis",
                                     "codeRegister": "kiosk", "codeSoortObjectId": "code"}
  }
}
EOF
}

# expect OUTCOME OPERATION FILE DESCRIPTION [EXPECTED-SUBSTRING]
#   OUTCOME pass|fail; for fail the checker's output must contain the substring.
expect() {
    outcome=$1; op=$2; file=$3; what=$4; needle=${5:-}
    count=$((count + 1))
    out=$("$py" "$checker" "$spec" "$op" "$file" 2>&1)
    rc=$?
    verdict=ok
    case $outcome in
    pass) [ "$rc" -eq 0 ] || verdict=MISJUDGED ;;
    fail) [ "$rc" -eq 1 ] || verdict=MISJUDGED
          if [ -n "$needle" ]; then
              case $out in *"$needle"*) ;; *) verdict=MISJUDGED ;; esac
          fi ;;
    usage) [ "$rc" -eq 2 ] || verdict=MISJUDGED ;;
    esac
    printf '%-9s expect %-5s rc=%s  %s: %s\n' "$verdict" "$outcome" "$rc" "$op" "$what"
    if [ "$verdict" != ok ]; then
        fails=$((fails + 1))
        printf '          wanted output containing: %s\n' "$needle"
        printf '%s\n' "$out" | sed 's/^/          | /'
    else
        [ "$outcome" = pass ] || printf '%s\n' "$out" | sed 's/^/          | /'
    fi
}

MK="POST /maak-klantcontact"

# --- MaakKlantcontact -----------------------------------------------------
maak_klantcontact "$work/mk_ok.json"
expect pass "$MK" "$work/mk_ok.json" "valid intake (klantcontact + betrokkene + onderwerpobject)"

echo '{"klantcontact": {"kanaal": "zelfbedieningszuil", "onderwerp": "Paspoort", "taal": "eng", "vertrouwelijk": false}}' >"$work/mk_min.json"
expect pass "$MK" "$work/mk_min.json" "minimal klantcontact (only required write fields)"

maak_klantcontact "$work/mk_200.json" "" "$(rep x 200)"
expect pass "$MK" "$work/mk_200.json" "onderwerp of exactly 200 characters"

maak_klantcontact "$work/mk_200u.json" "" "$(rep 'é' 200)"
expect pass "$MK" "$work/mk_200u.json" "onderwerp of 200 non-ASCII characters (limits count characters, not bytes)"

maak_klantcontact "$work/mk_nokanaal.json" "" "" "" "" nokanaal
expect fail "$MK" "$work/mk_nokanaal.json" "required kanaal missing" \
    "/klantcontact: 'kanaal' is a required property"

maak_klantcontact "$work/mk_201.json" "" "$(rep x 201)"
expect fail "$MK" "$work/mk_201.json" "onderwerp longer than maxLength 200" \
    "/klantcontact/onderwerp: "

maak_klantcontact "$work/mk_taal.json" "" "" "nederlands"
expect fail "$MK" "$work/mk_taal.json" "taal 'nederlands' (spec: maxLength 3, no enum)" \
    "/klantcontact/taal: 'nederlands' is too long"

maak_klantcontact "$work/mk_uuid.json" "\"uuid\": \"$KC\","
expect fail "$MK" "$work/mk_uuid.json" "readOnly klantcontact.uuid sent" \
    "/klantcontact/uuid: readOnly property sent"

maak_klantcontact "$work/mk_dt.json" "" "" "" "2025-03-01 10:15"
expect fail "$MK" "$work/mk_dt.json" "plaatsgevondenOp '2025-03-01 10:15' is no date-time" \
    "/klantcontact/plaatsgevondenOp: '2025-03-01 10:15' is not a 'date-time'"

maak_klantcontact "$work/mk_dt2.json" "" "" "" "2025-02-30T10:15:00Z"
expect fail "$MK" "$work/mk_dt2.json" "plaatsgevondenOp on 30 February" \
    "is not a 'date-time'"

maak_klantcontact "$work/mk_dt3.json" "" "" "" "2025-03-01T10:15:00"
expect fail "$MK" "$work/mk_dt3.json" "plaatsgevondenOp without UTC offset (RFC 3339 requires one)" \
    "is not a 'date-time'"

sed 's/"consent": "true"/"consent": true/' "$work/mk_ok.json" >"$work/mk_meta.json"
expect fail "$MK" "$work/mk_meta.json" "metadata value not a string" \
    "/klantcontact/metadata/consent: True is not of type 'string'"

sed 's/"rol": "klant"/"rol": "burger"/' "$work/mk_ok.json" >"$work/mk_rol.json"
expect fail "$MK" "$work/mk_rol.json" "betrokkene.rol not in enum" \
    "/betrokkene/rol: 'burger' is not one of"

sed "s/\"wasPartij\": null/\"hadKlantcontact\": {\"uuid\": \"$KC\"}/" "$work/mk_ok.json" >"$work/mk_hk.json"
expect fail "$MK" "$work/mk_hk.json" "readOnly betrokkene.hadKlantcontact sent" \
    "/betrokkene/hadKlantcontact: readOnly property sent"

# --- DigitaalAdres ---------------------------------------------------------
DA="POST /digitaleadressen"
cat >"$work/da_ok.json" <<EOF
{"verstrektDoorBetrokkene": {"uuid": "$BETR"}, "verstrektDoorPartij": null,
 "adres": "0612345678", "soortDigitaalAdres": "telefoonnummer", "omschrijving": "Terugbelnummer",
 "referentie": "kiosk-callback"}
EOF
expect pass "$DA" "$work/da_ok.json" "valid call-back phone number"

sed 's/"telefoonnummer"/"fax"/' "$work/da_ok.json" >"$work/da_soort.json"
expect fail "$DA" "$work/da_soort.json" "soortDigitaalAdres not in enum" \
    "/soortDigitaalAdres: 'fax' is not one of"

sed "s/{\"uuid\": \"$BETR\"}/{\"uuid\": \"$BETR\", \"url\": \"https:\/\/x\/betrokkenen\/$BETR\"}/" \
    "$work/da_ok.json" >"$work/da_url.json"
expect fail "$DA" "$work/da_url.json" "readOnly url inside a foreign key sent" \
    "/verstrektDoorBetrokkene/url: readOnly property sent"

# --- InterneTaak -----------------------------------------------------------
IT="POST /internetaken"
cat >"$work/it_ok.json" <<EOF
{"referentienummer": "1234567897", "gevraagdeHandeling": "Inwoner terugbellen",
 "aanleidinggevendKlantcontact": {"uuid": "$KC"}, "toegewezenAanActoren": [{"uuid": "$ACTOR"}],
 "toelichting": "Graag na 14:00 bellen.", "status": "te_verwerken"}
EOF
expect pass "$IT" "$work/it_ok.json" "valid call-back task"

sed 's/"te_verwerken"/"open"/' "$work/it_ok.json" >"$work/it_status.json"
expect fail "$IT" "$work/it_status.json" "status 'open' not in enum" \
    "/status: 'open' is not one of ['te_verwerken', 'verwerkt']"

sed 's/"status": "te_verwerken"/"toegewezenOp": "2025-03-01T10:15:00Z"/' "$work/it_ok.json" >"$work/it_req.json"
expect fail "$IT" "$work/it_req.json" "status missing and readOnly toegewezenOp sent" \
    "'status' is a required property"

sed "s/\"uuid\": \"$ACTOR\"/\"uuid\": \"team-1\"/" "$work/it_ok.json" >"$work/it_uuid.json"
expect fail "$IT" "$work/it_uuid.json" "actor uuid is not a uuid" \
    "/toegewezenAanActoren/0/uuid: 'team-1' is not a 'uuid'"

PT="PATCH /internetaken/{uuid}"
echo '{"status": "verwerkt", "afgehandeldOp": "2025-03-01T11:02:03.250+01:00"}' >"$work/pt_ok.json"
expect pass "$PT" "$work/pt_ok.json" "desk marks task done"
expect pass "PATCH /internetaken/$KC" "$work/pt_ok.json" "concrete path matches the template"

echo '{"status": "afgehandeld"}' >"$work/pt_status.json"
expect fail "$PT" "$work/pt_status.json" "status 'afgehandeld' not in enum" \
    "/status: 'afgehandeld' is not one of"

# --- usage -----------------------------------------------------------------
expect usage "POST /bestaat-niet" "$work/mk_ok.json" "unknown operation"
expect usage "GET /internetaken" "$work/mk_ok.json" "operation without a request body"

echo
if [ "$fails" -ne 0 ]; then
    echo "FAIL: checker misjudged $fails of $count cases"
    exit 1
fi
echo "PASS: checker judged all $count cases right"
exit 0
