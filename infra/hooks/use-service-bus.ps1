# azd prepackage hook (azure.yaml), Windows twin of use-service-bus.sh: make sure the package azd
# builds is the Service Bus flavour (azd 1.23.7+ passes azd environment values to dotnet publish,
# and MSBuild reads the environment variable QueueTransport as that property).
$ErrorActionPreference = 'Stop'

$minimum = [version]'1.23.7'
$match = [regex]::Match((azd version 2>$null | Out-String), 'azd version (\d+\.\d+\.\d+)')
if (-not $match.Success -or [version]$match.Groups[1].Value -lt $minimum) {
  Write-Error ("azd $minimum or later is needed to pass build properties to dotnet publish. " +
    'Or publish by hand: dotnet publish functions/Coexistence.Functions -c Release -p:QueueTransport=ServiceBus (docs/deploy.md).')
  exit 1
}

if ($env:QueueTransport -ne 'ServiceBus') {
  azd env set QueueTransport ServiceBus
  Write-Host 'Set QueueTransport=ServiceBus in the azd environment: the package is the Service Bus build.'
}
