# azd prepackage hook (azure.yaml), Windows twin of use-service-bus.sh: make sure the package azd
# builds is the Service Bus flavour (azd passes azd environment values to dotnet publish, and MSBuild
# reads the environment variable QueueTransport as that property). azure.yaml's requiredVersions
# (azd >= 1.23.7) keeps older azd from getting this far.
$ErrorActionPreference = 'Stop'

if ($env:QueueTransport -ne 'ServiceBus') {
  azd env set QueueTransport ServiceBus
  Write-Host 'Set QueueTransport=ServiceBus in the azd environment: the package is the Service Bus build.'
}
