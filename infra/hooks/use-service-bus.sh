#!/bin/sh
# azd prepackage hook (azure.yaml): make sure the package azd builds is the Service Bus flavour.
# azd 1.23.7+ passes the azd environment's values to `dotnet publish`, and MSBuild takes the
# environment variable QueueTransport as the property of that name. Older azd does not: refuse,
# rather than deploy the Storage-queue build to an app whose queues are Service Bus.
set -eu

minimum=1.23.7
version=$(azd version 2>/dev/null | sed -n 's/^azd version \([0-9][0-9.]*\).*/\1/p')
if [ -z "$version" ] || [ "$(printf '%s\n%s\n' "$minimum" "$version" | sort -V | head -n1)" != "$minimum" ]; then
  echo "azd ${version:-of unknown version} does not pass build properties to dotnet publish; azd $minimum or later is needed." >&2
  echo "Or publish by hand: dotnet publish functions/Coexistence.Functions -c Release -p:QueueTransport=ServiceBus (docs/deploy.md)." >&2
  exit 1
fi

if [ "${QueueTransport:-}" != "ServiceBus" ]; then
  azd env set QueueTransport ServiceBus
  echo "Set QueueTransport=ServiceBus in the azd environment: the package is the Service Bus build."
fi
