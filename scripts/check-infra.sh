#!/usr/bin/env bash
# Builds and lints infra/ with the Bicep CLI, offline apart from NuGet:
#   1. restores the CLI (NuGet package Azure.Bicep.CommandLine.linux-x64) through the restore-only
#      project infra/tools/bicep-cli.csproj, and finds it in the NuGet packages folder;
#   2. `bicep build infra/main.bicep` into infra/.build/main.json (git-ignored; the ARM template
#      tests/Coexistence.Tests/Infra reads);
#   3. `bicep lint`; any warning or error fails (infra/bicepconfig.json says which rules are on);
#   4. parses every KQL query of the compiled template (alerts, workbook tiles) with Microsoft's Kusto
#      language service against the Application Insights schema (scripts/kql/check.cjs); any error
#      fails. The service is the npm package @kusto/language-service-next, pinned in package.json and
#      installed by `npm ci` together with Azurite (scripts/lib/azurite.sh) when node_modules is stale.
# Needs the .NET SDK (Bicep CLI from NuGet) and Node.js 20+ with npm. Idempotent; a second run takes
# a few seconds.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

version=$(sed -n 's/.*PackageDownload Include="Azure.Bicep.CommandLine.linux-x64" Version="\[\([^]]*\)\]".*/\1/p' infra/tools/bicep-cli.csproj)
packages=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: //p')
bicep="${packages%/}/azure.bicep.commandline.linux-x64/$version/tools/bicep"

if [ ! -f "$bicep" ]; then
  echo "Restoring Bicep CLI $version from NuGet..."
  dotnet restore infra/tools/bicep-cli.csproj --nologo --verbosity quiet
fi
[ -f "$bicep" ] || { echo "Bicep CLI not found at $bicep after restore" >&2; exit 1; }
[ -x "$bicep" ] || chmod +x "$bicep"

export BICEP_TRACING_ENABLED=false
mkdir -p infra/.build
out=$(mktemp)
trap 'rm -f "$out"' EXIT

status=0
echo "bicep $("$bicep" --version | sed -n 's/^Bicep CLI version \([^ ]*\).*/\1/p'): build infra/main.bicep -> infra/.build/main.json"
"$bicep" build infra/main.bicep --outfile infra/.build/main.json >"$out" 2>&1 || status=$?
cat "$out"
if [ "$status" -ne 0 ] || grep -Eq ': (Warning|Error) ' "$out"; then
  echo "check-infra: bicep build reported problems" >&2
  rm -f infra/.build/main.json
  exit 1
fi

echo "bicep lint infra/main.bicep (and the modules it uses)"
"$bicep" lint infra/main.bicep >"$out" 2>&1 || status=$?
cat "$out"
if [ "$status" -ne 0 ] || grep -Eq ': (Warning|Error) ' "$out"; then
  echo "check-infra: bicep lint reported problems" >&2
  exit 1
fi

# The Kusto language service: npm ci when node_modules does not match package-lock.json (the same
# stamp the test script uses, so it is installed once), or when the package is missing from it.
REPO_ROOT="$root"
# shellcheck source=lib/azurite.sh
source scripts/lib/azurite.sh
[[ -f node_modules/@kusto/language-service-next/Kusto.Language.Bridge.js ]] || rm -f node_modules/.coexistence-lock.sha256
azurite__install || { echo "check-infra: could not install the npm tools (npm ci)" >&2; exit 1; }

echo "KQL: every alert and workbook query of infra/.build/main.json (scripts/kql/check.cjs)"
if ! node scripts/kql/check.cjs infra/.build/main.json; then
  echo "check-infra: a KQL query would be refused by Azure Monitor (output above)" >&2
  exit 1
fi

echo "check-infra: ok"
