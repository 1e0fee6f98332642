#!/bin/sh
# The baseline of the speed bench: what an organisation's own script does to check the
# same things, one request after another, with curl and openssl (a new connection each).
# The bench runs it against the same simulator and prints the doctor's time beside it.
#
# Input (environment): BASE (the simulator's URL), CA (its root, PEM), PEM (certificate,
# chain and key), CLIENT_ID, SCOPE, ORG, ERA (2025 or current); for 2025 also API_KEY,
# EU_USER and EU_PASSWORD. Exits non-zero when a request does not answer as it should.
set -eu

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umask 077

# GET or POST; the body to $work/body, the status printed. Fails on a status >= 400.
call() {
    status=$(curl -sS --cacert "$CA" -o "$work/body" -w '%{http_code}' "$@")
    case "$status" in
        2??) ;;
        *) for url; do :; done; echo "baseline: HTTP $status from $url: $(head -c 300 "$work/body")" >&2; exit 1 ;;
    esac
}

field() { sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p" "$work/body" | head -n 1; }
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# A grant signed with the certificate's key, x5c carrying the certificate.
grant() {
    scope=$1 details=$2
    now=$(date +%s)
    x5c=$(openssl x509 -in "$PEM" -outform DER | openssl base64 -A)
    header=$(printf '{"alg":"RS256","x5c":["%s"]}' "$x5c" | b64url)
    claims=$(printf '{"aud":"%s","iss":"%s","scope":"%s","iat":%s,"exp":%s,"jti":"%s"%s}' \
        "$issuer" "$CLIENT_ID" "$scope" "$now" $((now + 120)) "$(openssl rand -hex 16)" "$details" | b64url)
    signature=$(printf '%s.%s' "$header" "$claims" | openssl dgst -sha256 -sign "$work/key.pem" | b64url)
    printf '%s.%s.%s' "$header" "$claims" "$signature"
}

openssl pkey -in "$PEM" -out "$work/key.pem"

call "$BASE/.well-known/oauth-authorization-server"
issuer=$(field issuer)
token_endpoint=$(field token_endpoint)
jwks_uri=$(field jwks_uri)

call -X POST --data-urlencode "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer" \
    --data-urlencode "assertion=$(grant "$SCOPE" "")" "$token_endpoint"
mp_token=$(field access_token)
call "$jwks_uri"

call -H "Authorization: Bearer $mp_token" "$BASE/authentication/api/v1/exchange/maskinporten"
altinn_token=$(tr -d '"\n' < "$work/body")

details=$(printf ',"authorization_details":[{"type":"urn:altinn:systemuser","systemuser_org":{"authority":"iso6523-actorid-upis","ID":"0192:%s"}}]' "$ORG")
call -X POST --data-urlencode "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer" \
    --data-urlencode "assertion=$(grant "$SCOPE altinn:accessmanagement/authorizedparties" "$details")" "$token_endpoint"
su_token=$(field access_token)
call -H "Authorization: Bearer $su_token" "$BASE/authentication/api/v1/exchange/maskinporten"
su_altinn=$(tr -d '"\n' < "$work/body")
call -H "Authorization: Bearer $su_altinn" \
    "$BASE/accessmanagement/api/v1/enduser/authorizedparties?includeAccessPackages=true&includeRoles=true"

if [ "$ERA" = 2025 ]; then
    call -H "Authorization: Bearer $altinn_token" -H "ApiKey: $API_KEY" -H "Accept: application/hal+json" \
        "$BASE/api/reportees"
    login=$(printf '%s:%s' "$EU_USER" "$EU_PASSWORD" | openssl base64 -A)
    call -H "Authorization: Bearer $mp_token" -H "X-Altinn-EnterpriseUser-Authentication: $login" \
        -H "Accept: application/hal+json" "$BASE/authentication/api/v1/exchange/maskinporten"
    eu_token=$(tr -d '"\n' < "$work/body")
    call -H "Accept: application/hal+json" "$BASE/api/metadata/roledefinitions"
    call -H "Authorization: Bearer $eu_token" -H "ApiKey: $API_KEY" -H "Accept: application/hal+json" \
        "$BASE/api/my/authorization/roles"
fi
