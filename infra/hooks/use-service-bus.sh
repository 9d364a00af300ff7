#!/bin/sh
# azd prepackage hook (azure.yaml): make sure the package azd builds is the Service Bus flavour.
# azd passes the azd environment's values to `dotnet publish`, and MSBuild takes the environment
# variable QueueTransport as the property of that name. azure.yaml's requiredVersions (azd >= 1.23.7,
# the first that does this) keeps older azd from getting this far.
set -eu

if [ "${QueueTransport:-}" != "ServiceBus" ]; then
  azd env set QueueTransport ServiceBus
  echo "Set QueueTransport=ServiceBus in the azd environment: the package is the Service Bus build."
fi
