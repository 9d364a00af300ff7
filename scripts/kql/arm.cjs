'use strict';
// A small evaluator for the ARM template language expressions that `bicep build` leaves in
// infra/.build/main.json ("[format(variables('q'), parameters('n'))]"), enough to recover the text
// of every KQL query as Azure would receive it when the deployment uses its parameter defaults.
// Anything it cannot know offline (reference(), a parameter without a default, ...) evaluates to an
// Unresolved value instead of failing, so a query that depends on one is reported, not guessed.

class Unresolved {
  constructor(what) { this.what = what; }
  toString() { return `\u0000unresolved(${this.what})\u0000`; }
  toJSON() { return this.toString(); }
}

const isUnresolved = (v) => v instanceof Unresolved;
const UNRESOLVED_MARK = /\u0000unresolved\(([^\u0000]*)\)\u0000/;

// ---- parsing ------------------------------------------------------------------------------------

function tokenize(text) {
  const tokens = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new Error(`unterminated string in expression: ${text}`);
        if (text[i] === "'") {
          if (text[i + 1] === "'") { s += "'"; i += 2; continue; }
          i++;
          break;
        }
        s += text[i++];
      }
      tokens.push({ kind: 'string', value: s });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < text.length && /[0-9.]/.test(text[j])) j++;
      tokens.push({ kind: 'number', value: Number(text.slice(i, j)) });
      i = j;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[A-Za-z0-9_$]/.test(text[j])) j++;
      tokens.push({ kind: 'name', value: text.slice(i, j) });
      i = j;
      continue;
    }
    if ('(),.[]'.includes(c)) { tokens.push({ kind: c }); i++; continue; }
    throw new Error(`unexpected '${c}' in expression: ${text}`);
  }
  return tokens;
}

function parse(text) {
  const tokens = tokenize(text);
  let p = 0;
  const peek = () => tokens[p];
  const take = (kind) => {
    const t = tokens[p];
    if (!t || t.kind !== kind) throw new Error(`expected ${kind} at token ${p} in expression: ${text}`);
    p++;
    return t;
  };
  function expression() {
    const t = peek();
    let node;
    if (!t) throw new Error(`unexpected end of expression: ${text}`);
    if (t.kind === 'string' || t.kind === 'number') { p++; node = { type: 'literal', value: t.value }; }
    else if (t.kind === 'name') {
      p++;
      take('(');
      const args = [];
      if (peek()?.kind !== ')') {
        args.push(expression());
        while (peek()?.kind === ',') { p++; args.push(expression()); }
      }
      take(')');
      node = { type: 'call', name: t.value, args };
    } else throw new Error(`unexpected token ${t.kind} in expression: ${text}`);
    for (;;) {
      if (peek()?.kind === '.') { p++; node = { type: 'member', target: node, name: take('name').value }; }
      else if (peek()?.kind === '[') { p++; const index = expression(); take(']'); node = { type: 'index', target: node, index }; }
      else return node;
    }
  }
  const node = expression();
  if (p !== tokens.length) throw new Error(`trailing tokens in expression: ${text}`);
  return node;
}

// ---- evaluation ---------------------------------------------------------------------------------

/**
 * The evaluation scope of one template: its parameters (values given by the parent deployment,
 * evaluated in the parent's scope, else the template's defaults) and its variables (copy variables
 * included), resolved lazily and once each.
 */
class Scope {
  constructor(template, givenParameters = {}, parent = null) {
    this.template = template;
    this.given = givenParameters;
    this.parent = parent;
    this.parameterCache = new Map();
    this.variableCache = new Map();
    this.copyIndexes = new Map();
  }

  parameter(name) {
    if (this.parameterCache.has(name)) return this.parameterCache.get(name);
    let value;
    const given = this.given[name];
    if (given && 'value' in given) value = this.parent ? this.parent.evaluate(given.value) : given.value;
    else if (given && 'reference' in given) value = new Unresolved(`Key Vault reference for parameter ${name}`);
    else {
      const declared = this.template.parameters?.[name];
      if (!declared) value = new Unresolved(`undeclared parameter ${name}`);
      else if ('defaultValue' in declared) value = this.evaluate(declared.defaultValue);
      else value = new Unresolved(`parameter ${name} (no default)`);
    }
    this.parameterCache.set(name, value);
    return value;
  }

  variable(name) {
    if (this.variableCache.has(name)) return this.variableCache.get(name);
    const variables = this.template.variables ?? {};
    let value;
    const copy = (variables.copy ?? []).find((c) => c.name === name);
    if (copy) {
      const count = this.evaluate(copy.count);
      if (isUnresolved(count)) value = count;
      else {
        value = [];
        for (let i = 0; i < count; i++) value.push(this.withCopyIndex(name, i, () => this.evaluate(copy.input)));
      }
    } else if (name in variables && name !== 'copy') value = this.evaluate(variables[name]);
    else value = new Unresolved(`undeclared variable ${name}`);
    this.variableCache.set(name, value);
    return value;
  }

  withCopyIndex(name, index, action) {
    const previous = this.copyIndexes.get(name);
    this.copyIndexes.set(name, index);
    try { return action(); }
    finally {
      if (previous === undefined) this.copyIndexes.delete(name);
      else this.copyIndexes.set(name, previous);
    }
  }

  /** A JSON value of the template with every expression string in it evaluated. */
  evaluate(value) {
    if (typeof value === 'string') {
      if (value.startsWith('[[')) return value.slice(1);
      if (value.startsWith('[') && value.endsWith(']')) return this.evaluateNode(parse(value.slice(1, -1)));
      return value;
    }
    if (Array.isArray(value)) return value.map((v) => this.evaluate(v));
    if (value && typeof value === 'object') {
      const result = {};
      for (const [k, v] of Object.entries(value)) {
        // A property loop ("copy": [{ name, count, input }]) makes the array property `name`.
        if (k === 'copy' && Array.isArray(v) && v.every((c) => c && 'name' in c && 'count' in c && 'input' in c)) {
          for (const loop of v) {
            const count = this.evaluate(loop.count);
            result[loop.name] = isUnresolved(count) ? count
              : Array.from({ length: count }, (_, i) => this.withCopyIndex(loop.name, i, () => this.evaluate(loop.input)));
          }
          continue;
        }
        result[k] = this.evaluate(v);
      }
      return result;
    }
    return value;
  }

  evaluateNode(node) {
    switch (node.type) {
      case 'literal': return node.value;
      case 'member': {
        const target = this.evaluateNode(node.target);
        if (isUnresolved(target)) return target;
        if (target && typeof target === 'object' && node.name in target) return target[node.name];
        return new Unresolved(`.${node.name}`);
      }
      case 'index': {
        const target = this.evaluateNode(node.target);
        const index = this.evaluateNode(node.index);
        if (isUnresolved(target)) return target;
        if (isUnresolved(index)) return index;
        if (target && typeof target === 'object' && index in target) return target[index];
        return new Unresolved(`[${index}]`);
      }
      case 'call': return this.call(node);
      default: throw new Error(`unknown node ${node.type}`);
    }
  }

  call(node) {
    const name = node.name.toLowerCase();
    // Lazy ones first: only the branch taken is evaluated.
    if (name === 'if') {
      const condition = this.evaluateNode(node.args[0]);
      if (isUnresolved(condition)) return condition;
      return this.evaluateNode(condition ? node.args[1] : node.args[2]);
    }
    const args = node.args.map((a) => this.evaluateNode(a));
    const unresolved = args.find(isUnresolved);
    const fn = FUNCTIONS[name];
    if (!fn) return new Unresolved(`${node.name}()`);
    if (unresolved && !fn.acceptsUnresolved) return unresolved;
    return fn.call(this, ...args);
  }
}

const fakeId = (...segments) => segments.map(String).join('/');

function armString(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (v === null || v === undefined) return '';
  return JSON.stringify(v);
}

const FUNCTIONS = {
  parameters(name) { return this.parameter(name); },
  variables(name) { return this.variable(name); },
  copyindex(nameOrOffset, offset) {
    if (typeof nameOrOffset === 'string') {
      if (!this.copyIndexes.has(nameOrOffset)) return new Unresolved(`copyIndex('${nameOrOffset}')`);
      return this.copyIndexes.get(nameOrOffset) + (offset ?? 0);
    }
    if (!this.copyIndexes.has('')) return new Unresolved('copyIndex()');
    return this.copyIndexes.get('') + (nameOrOffset ?? 0);
  },
  format(format, ...values) {
    // .NET composite formatting, as ARM's format(): {n} or {n:spec}; {{ and }} are braces.
    return String(format).replace(/\{\{|\}\}|\{(\d+)(?::[^}]*)?\}/g, (m, i) =>
      m === '{{' ? '{' : m === '}}' ? '}' : armString(values[Number(i)]));
  },
  concat(...values) {
    if (values.length && Array.isArray(values[0])) return [].concat(...values);
    return values.map(armString).join('');
  },
  string(v) { return armString(v); },
  int(v) { return parseInt(v, 10); },
  bool(v) { return typeof v === 'string' ? v.toLowerCase() === 'true' : Boolean(v); },
  json(v) { return JSON.parse(v); },
  true() { return true; },
  false() { return false; },
  null() { return null; },
  createobject(...pairs) {
    const o = {};
    for (let i = 0; i < pairs.length; i += 2) o[pairs[i]] = pairs[i + 1];
    return o;
  },
  createarray(...items) { return items; },
  length(v) { return typeof v === 'string' || Array.isArray(v) ? v.length : Object.keys(v ?? {}).length; },
  empty(v) { return v === null || v === undefined || (typeof v === 'object' ? Object.keys(v).length === 0 : String(v).length === 0); },
  not(v) { return !v; },
  and(...v) { return v.every(Boolean); },
  or(...v) { return v.some(Boolean); },
  equals(a, b) { return JSON.stringify(a) === JSON.stringify(b); },
  add(a, b) { return a + b; },
  sub(a, b) { return a - b; },
  mul(a, b) { return a * b; },
  div(a, b) { return Math.trunc(a / b); },
  mod(a, b) { return a % b; },
  greater(a, b) { return a > b; },
  less(a, b) { return a < b; },
  union(...values) {
    if (Array.isArray(values[0])) return [...new Set([].concat(...values))];
    return Object.assign({}, ...values);
  },
  contains(container, item) {
    if (typeof container === 'string') return container.toLowerCase().includes(String(item).toLowerCase());
    if (Array.isArray(container)) return container.includes(item);
    return item in (container ?? {});
  },
  tolower(v) { return String(v).toLowerCase(); },
  toupper(v) { return String(v).toUpperCase(); },
  trim(v) { return String(v).trim(); },
  replace(v, a, b) { return String(v).split(a).join(b); },
  split(v, sep) { return String(v).split(Array.isArray(sep) ? new RegExp(sep.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')) : sep); },
  take(v, n) { return v.slice(0, n); },
  skip(v, n) { return v.slice(n); },
  first(v) { return v[0]; },
  last(v) { return v[v.length - 1]; },
  coalesce(...v) { return v.find((x) => x !== null && x !== undefined); },
  // Identifiers: shaped like the real ones (the checker reads the resource type out of a scope), not real.
  // A name that is not known offline (a module output, say) becomes {name}: the type is what matters.
  resourceid(...segments) {
    const type = segments.find((s) => typeof s === 'string' && s.includes('/'));
    const names = segments.slice(segments.indexOf(type) + 1).map((n) => (isUnresolved(n) ? '{name}' : n));
    return fakeId('/subscriptions/{subscription}/resourceGroups/{resourceGroup}/providers', type, ...names);
  },
  subscriptionresourceid(type, ...names) {
    return fakeId('/subscriptions/{subscription}/providers', type, ...names.map((n) => (isUnresolved(n) ? '{name}' : n)));
  },
  extensionresourceid(scope, type, ...names) { return fakeId(scope, 'providers', type, ...names); },
  guid(...parts) { return `guid(${parts.map(armString).join(',')})`; },
  uniquestring(...parts) { return `uniqueString(${parts.map(armString).join(',')})`; },
  subscription() { return { id: '/subscriptions/{subscription}', subscriptionId: '{subscription}' }; },
  resourcegroup() { return { id: '/subscriptions/{subscription}/resourceGroups/{resourceGroup}', name: '{resourceGroup}', location: '{location}' }; },
  tenant() { return { tenantId: '{tenant}' }; },
};
// string(), format() and the id functions of something unresolved: carry the marker into the text, so a query built
// from it is reported with what was missing.
for (const name of ['string', 'format', 'concat', 'resourceid', 'subscriptionresourceid']) FUNCTIONS[name].acceptsUnresolved = true;

/** The nested deployments (modules) of a template, recursively, each with its own evaluation scope. */
function* deployments(template, scope = new Scope(template), path = []) {
  yield { path, template, scope };
  for (const resource of resourcesOf(template)) {
    if (resource.type !== 'Microsoft.Resources/deployments' || !resource.properties?.template) continue;
    const inner = resource.properties.expressionEvaluationOptions?.scope === 'inner';
    const child = inner ? new Scope(resource.properties.template, resource.properties.parameters ?? {}, scope) : scope;
    yield* deployments(resource.properties.template, child, [...path, String(scope.evaluate(resource.name))]);
  }
}

/** A template's resources: an array, or (languageVersion 2.0) an object keyed by symbolic name. */
function resourcesOf(template) {
  const resources = template.resources ?? [];
  return Array.isArray(resources) ? resources : Object.values(resources);
}

/**
 * Each instance of a resource: one, or one per iteration of its copy loop (copyIndex() set), with a
 * function evaluating any of its properties in that iteration.
 */
function* instancesOf(resource, scope) {
  const evaluateIn = (index) => (value) => (index === undefined ? scope.evaluate(value) : scope.withCopyIndex('', index, () => scope.evaluate(value)));
  if (!resource.copy) { yield { index: undefined, evaluate: evaluateIn(undefined) }; return; }
  const count = scope.evaluate(resource.copy.count);
  if (isUnresolved(count)) { yield { index: undefined, evaluate: () => count }; return; }
  for (let i = 0; i < count; i++) yield { index: i, evaluate: evaluateIn(i) };
}

module.exports = { Scope, Unresolved, isUnresolved, UNRESOLVED_MARK, parse, deployments, resourcesOf, instancesOf };
