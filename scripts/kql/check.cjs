#!/usr/bin/env node
'use strict';
// Parses every KQL query of a compiled ARM template (infra/.build/main.json) with Microsoft's Kusto
// language service (npm @kusto/language-service-next, pinned in package.json; runs offline) against
// the schema of the tables the query runs on (scripts/kql/schema.json), and fails on any error the
// service reports: a query Azure Monitor would refuse (a reserved word such as `kind` unbracketed, an
// unknown column or table, a syntax error) fails here instead of in the middle of `azd up`.
//
//   node scripts/kql/check.cjs [template.json]      (default: infra/.build/main.json)
//
// Queries checked: criteria.allOf[].query of every Microsoft.Insights/scheduledQueryRules (schema by
// the resource type of its scopes) and every Kusto item (queryType 0) of every Microsoft.Insights/workbooks
// (schema by the item's resourceType), in every module, with the deployment's parameter defaults.
// Exit code 0: all queries parse and bind; 1: at least one does not, or none was found; 2: usage.

const fs = require('node:fs');
const path = require('node:path');
const arm = require('./arm.cjs');

const root = path.resolve(__dirname, '..', '..');

function loadKusto() {
  const dir = path.join(root, 'node_modules', '@kusto', 'language-service-next');
  if (!fs.existsSync(path.join(dir, 'Kusto.Language.Bridge.js'))) {
    console.error(`kql: ${path.relative(root, dir)} is not installed: run \`npm ci\` at the repository root (scripts/check-infra.sh does).`);
    process.exit(2);
  }
  // Bridge.NET output: defines the global Bridge, then the global Kusto namespace.
  require(path.join(dir, 'bridge.js'));
  require(path.join(dir, 'Kusto.Language.Bridge.js'));
  return globalThis.Kusto;
}

/** One GlobalState per database of schema.json, keyed by the resource type whose queries run on it. */
function globalsFor(Kusto, schemaFile) {
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
  const S = Kusto.Language.Symbols;
  const result = new Map();
  for (const [resourceType, database] of Object.entries(schema.databases)) {
    const tables = Object.entries(database.tables).map(([name, columns]) => new S.TableSymbol.$ctor7(name, `(${columns})`, null));
    const symbol = new S.DatabaseSymbol.$ctor1(database.name, tables, false);
    result.set(resourceType.toLowerCase(), { name: database.name, globals: Kusto.Language.GlobalState.Default.WithDatabase(symbol) });
  }
  return result;
}

/** The resource type an ARM resource id names (…/providers/Microsoft.Insights/components/name → microsoft.insights/components). */
function resourceTypeOf(id) {
  const m = /\/providers\/([^/]+\/[^/]+)\/[^/]+$/.exec(String(id));
  return m ? m[1].toLowerCase() : null;
}

/** A readable name for a resource in messages: its display name, else its name, else its name's expression. */
function labelOf(resource, instance) {
  for (const candidate of [resource.properties?.displayName, resource.name]) {
    if (candidate === undefined) continue;
    const value = String(instance.evaluate(candidate));
    if (!arm.UNRESOLVED_MARK.test(value)) return `'${value}'`;
  }
  return String(resource.name);
}

/** Every query of the template: { where, query, resourceType }. */
function* queriesOf(template) {
  for (const { path: modulePath, template: t, scope } of arm.deployments(template)) {
    for (const resource of arm.resourcesOf(t)) {
      const type = String(resource.type).toLowerCase();
      if (type !== 'microsoft.insights/scheduledqueryrules' && type !== 'microsoft.insights/workbooks') continue;
      if (resource.existing) continue;
      for (const instance of arm.instancesOf(resource, scope)) {
        const where = [...modulePath, labelOf(resource, instance)].join('/');
        if (type === 'microsoft.insights/scheduledqueryrules') {
          const scopes = instance.evaluate(resource.properties?.scopes ?? []);
          const types = [...new Set((Array.isArray(scopes) ? scopes : []).map(resourceTypeOf))];
          const allOf = resource.properties?.criteria?.allOf ?? [];
          for (let i = 0; i < allOf.length; i++) {
            if (allOf[i].query === undefined) continue;
            yield { where: `${where} (alert, criterion ${i})`, query: instance.evaluate(allOf[i].query), resourceType: types.length === 1 ? types[0] : null };
          }
        } else {
          const serialized = instance.evaluate(resource.properties?.serializedData);
          if (arm.isUnresolved(serialized)) { yield { where: `${where} (workbook)`, query: serialized, resourceType: null }; continue; }
          const items = [];
          (function collect(list) {
            for (const item of list ?? []) {
              if (item?.content?.query !== undefined && (item.content.queryType ?? 0) === 0) items.push(item);
              collect(item?.content?.items);
            }
          })(JSON.parse(serialized).items);
          for (const item of items)
            yield { where: `${where} (workbook item ${item.name ?? '?'}: ${item.content.title ?? ''})`, query: item.content.query, resourceType: String(item.content.resourceType ?? '').toLowerCase() || null };
        }
      }
    }
  }
}

function lineAndColumn(text, offset) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function check(templateFile, schemaFile = path.join(__dirname, 'schema.json')) {
  const Kusto = loadKusto();
  const databases = globalsFor(Kusto, schemaFile);
  const template = JSON.parse(fs.readFileSync(templateFile, 'utf8'));
  let checked = 0;
  let failed = 0;
  for (const { where, query, resourceType } of queriesOf(template)) {
    checked++;
    const problems = [];
    const notes = [];
    const database = resourceType ? databases.get(resourceType) : undefined;
    const text = typeof query === 'string' ? query : String(query);
    const unresolved = arm.UNRESOLVED_MARK.exec(text);
    if (unresolved) problems.push(`the query cannot be evaluated offline: it depends on ${unresolved[1]}`);
    else if (!database) problems.push(`no schema for the resource type ${resourceType ?? '(none, or several scopes)'} in scripts/kql/schema.json`);
    else {
      const code = Kusto.Language.KustoCode.ParseAndAnalyze(text, database.globals);
      const diagnostics = code.GetDiagnostics();
      for (let i = 0; i < diagnostics.Count; i++) {
        const d = diagnostics.getItem(i);
        const { line, column } = lineAndColumn(text, d.Start);
        // Errors are what Azure Monitor refuses; anything less (suggestions) is shown, not failed on.
        if (String(d.Severity) === 'Error') problems.push(`${line}:${column}: ${d.Code} ${d.Message}`);
        else notes.push(`${line}:${column}: ${String(d.Severity).toLowerCase()} ${d.Code} ${d.Message}`);
      }
    }
    if (problems.length === 0) {
      console.log(`kql ok     ${where} [${database.name}]`);
      for (const n of notes) console.log(`    ${n}`);
      continue;
    }
    failed++;
    console.log(`kql ERROR  ${where}${database ? ` [${database.name}]` : ''}`);
    for (const p of problems) console.log(`    ${p}`);
    console.log(text.replace(/\n$/, '').split('\n').map((l, i) => `    ${String(i + 1).padStart(3)} | ${l}`).join('\n'));
  }
  if (checked === 0) {
    console.log(`kql: no alert or workbook query found in ${templateFile}: the checker would prove nothing.`);
    return 1;
  }
  console.log(`kql: ${checked} queries, ${failed} with errors`);
  return failed === 0 ? 0 : 1;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args.length > 1 || args.some((a) => a.startsWith('-'))) {
    console.error('usage: node scripts/kql/check.cjs [template.json]');
    process.exit(2);
  }
  process.exit(check(args[0] ?? path.join(root, 'infra', '.build', 'main.json')));
}

module.exports = { check, queriesOf };
