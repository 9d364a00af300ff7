# azd preprovision hook (azure.yaml), Windows twin of require-webhook-credential.sh: refuse to
# provision a webhook door that nothing authenticates. azd hands the azd environment's values to
# hooks as environment variables. Values are never printed. Warns (without stopping) when ALERT_EMAIL is empty.
$ErrorActionPreference = 'Stop'

function Test-Given([string] $value) { -not [string]::IsNullOrWhiteSpace($value) }

$headerName = Test-Given $env:WEBHOOK_HEADER_NAME
$headerToken = Test-Given $env:WEBHOOK_HEADER_TOKEN

if ($headerName -and -not $headerToken) {
  [Console]::Error.WriteLine("WEBHOOK_HEADER_NAME is set but WEBHOOK_HEADER_TOKEN is empty: set both or neither (azd env set WEBHOOK_HEADER_TOKEN '<token>').")
  exit 1
}
if ($headerToken -and -not $headerName) {
  [Console]::Error.WriteLine("WEBHOOK_HEADER_TOKEN is set but WEBHOOK_HEADER_NAME is empty: set both or neither (azd env set WEBHOOK_HEADER_NAME '<header>').")
  exit 1
}

if ((Test-Given $env:WEBHOOK_PROVIDER_SECRET) -or (Test-Given $env:WEBHOOK_META_APP_SECRET) -or $headerName) {
  # Not a reason to stop, but the operator should know: the alerts then notify nobody.
  if (-not (Test-Given $env:ALERT_EMAIL)) {
    [Console]::Error.WriteLine("warning: ALERT_EMAIL is not set: the alerts will show in the Azure portal only and notify nobody (azd env set ALERT_EMAIL '<address>'; docs/deploy.md).")
  }
  exit 0
}

[Console]::Error.WriteLine(@'
No webhook credential in the azd environment: the app would refuse to start (the door would rest on its function key alone). Set at least one:
  azd env set WEBHOOK_PROVIDER_SECRET '<the provider's signing secret>'
  azd env set WEBHOOK_META_APP_SECRET '<the Meta app secret>'
  azd env set WEBHOOK_HEADER_NAME '<header>'  and  azd env set WEBHOOK_HEADER_TOKEN '<token>'
then run azd up (or azd provision) again. See docs/deploy.md, "Secrets".
'@)
exit 1
