#!/bin/sh
# azd preprovision hook (azure.yaml): refuse to provision a webhook door that nothing authenticates.
# The app would not start that way anyway (it needs WebhookAuth:AllowUnsigned=true, which this
# infrastructure never sets); failing here says why before anything is deployed.
# It also warns (without stopping) when ALERT_EMAIL is empty: the alerts would then notify nobody.
# azd hands the azd environment's values to hooks as environment variables. Values are never printed.
set -eu

given() { [ -n "$(printf '%s' "${1:-}" | tr -d '[:space:]')" ]; }

header_name=${WEBHOOK_HEADER_NAME:-}
header_token=${WEBHOOK_HEADER_TOKEN:-}

if given "$header_name" && ! given "$header_token"; then
  echo "WEBHOOK_HEADER_NAME is set but WEBHOOK_HEADER_TOKEN is empty: set both or neither (azd env set WEBHOOK_HEADER_TOKEN '<token>')." >&2
  exit 1
fi
if given "$header_token" && ! given "$header_name"; then
  echo "WEBHOOK_HEADER_TOKEN is set but WEBHOOK_HEADER_NAME is empty: set both or neither (azd env set WEBHOOK_HEADER_NAME '<header>')." >&2
  exit 1
fi

if given "${WEBHOOK_PROVIDER_SECRET:-}" || given "${WEBHOOK_META_APP_SECRET:-}" || given "$header_name"; then
  # Not a reason to stop, but the operator should know: the alerts then notify nobody.
  if ! given "${ALERT_EMAIL:-}"; then
    echo "warning: ALERT_EMAIL is not set: the alerts will show in the Azure portal only and notify nobody (azd env set ALERT_EMAIL '<address>'; docs/deploy.md)." >&2
  fi
  exit 0
fi

cat >&2 <<'MESSAGE'
No webhook credential in the azd environment: the app would refuse to start (the door would rest on its function key alone). Set at least one:
  azd env set WEBHOOK_PROVIDER_SECRET '<the provider's signing secret>'
  azd env set WEBHOOK_META_APP_SECRET '<the Meta app secret>'
  azd env set WEBHOOK_HEADER_NAME '<header>'  and  azd env set WEBHOOK_HEADER_TOKEN '<token>'
then run azd up (or azd provision) again. See docs/deploy.md, "Secrets".
MESSAGE
exit 1
