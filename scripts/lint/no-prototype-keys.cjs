'use strict';
/**
 * ESLint rule `local/no-prototype-keys`: a key that may be user text must not be looked up on a
 * plain object, because every plain object also answers to Object.prototype's names. A policy
 * template named `toString` found a function, `constructor` crashed, and a claim named `__proto__`
 * replaced a prototype instead of adding an entry. Use a Map, or Object.hasOwn before the read.
 *
 * What it reports (type information is used where the linter has it):
 * 1. `key in object` with a key that is not a literal: `in` also finds inherited members.
 * 2. `object[key]`, read or written, where `object`'s type has a string index signature
 *    (Record<string, T>, `{ [k: string]: T }`) and `key` is a plain `string` (not a literal union,
 *    not a number), unless
 *    - the access sits under `Object.hasOwn(object, key)` (an if, a ?:, or the left of &&), or
 *    - it is a read and `key` iterates that same object's own keys
 *      (`for (const k of Object.keys(object))`, `Object.keys(object).map((k) => …)`, `Object.entries`).
 * What it cannot see: objects typed `any`, and keys that went through another variable first.
 */

const ITERATORS = new Set(['map', 'forEach', 'filter', 'some', 'every', 'find', 'flatMap', 'reduce', 'sort']);
/** Array methods whose result holds only elements of their receiver. */
const KEEPS_KEYS = new Set(['filter', 'sort', 'toSorted', 'slice', 'reverse']);

function text(sourceCode, node) {
  return sourceCode.getText(node).replace(/\s+/g, '');
}

/** `Object.keys(x)` / `Object.entries(x)` / `Object.getOwnPropertyNames(x)` → x's text. */
function ownKeysOf(sourceCode, node) {
  if (!node || node.type !== 'CallExpression' || node.callee.type !== 'MemberExpression') return undefined;
  const { object, property } = node.callee;
  if (object.type !== 'Identifier' || object.name !== 'Object' || property.type !== 'Identifier') return undefined;
  if (!['keys', 'entries', 'getOwnPropertyNames'].includes(property.name) || node.arguments.length !== 1) return undefined;
  return text(sourceCode, node.arguments[0]);
}

/** The key identifier is bound to an own key of the object whose text is `objectText`. */
function iteratesOwnKeys(sourceCode, scopeManagerScope, key, objectText) {
  if (key.type !== 'Identifier') return false;
  let scope = scopeManagerScope;
  let variable;
  while (scope && !variable) {
    variable = scope.set.get(key.name);
    scope = scope.upper;
  }
  const def = variable && variable.defs[0];
  if (!def) return false;
  // for (const k of Object.keys(o)) / for (const [k] of Object.entries(o))
  if (def.type === 'Variable' && def.parent && def.parent.parent && def.parent.parent.type === 'ForOfStatement') {
    return ownKeysOf(sourceCode, def.parent.parent.right) === objectText;
  }
  // Object.keys(o).map((k) => …) / Object.entries(o).forEach(([k]) => …)
  if (def.type === 'Parameter') {
    const fn = def.node;
    const call = fn.parent;
    if (call && call.type === 'CallExpression' && call.arguments[0] === fn && call.callee.type === 'MemberExpression' && call.callee.property.type === 'Identifier' && ITERATORS.has(call.callee.property.name)) {
      // Through a chain that keeps the keys: Object.keys(o).filter(…).sort().map((k) => o[k]).
      let source = call.callee.object;
      while (source.type === 'CallExpression' && source.callee.type === 'MemberExpression' && source.callee.property.type === 'Identifier' && KEEPS_KEYS.has(source.callee.property.name)) {
        source = source.callee.object;
      }
      return ownKeysOf(sourceCode, source) === objectText;
    }
  }
  return false;
}

/** `Object.hasOwn(obj, key)` guards `node` (if / ?: consequent, right of &&). */
function guardedByHasOwn(sourceCode, node, objectText, keyText) {
  const guard = (test) => {
    if (!test) return false;
    if (test.type === 'LogicalExpression' && test.operator === '&&') return guard(test.left) || guard(test.right);
    if (test.type !== 'CallExpression' || test.arguments.length !== 2) return false;
    const callee = text(sourceCode, test.callee);
    if (callee !== 'Object.hasOwn' && callee !== 'Object.prototype.hasOwnProperty.call') return false;
    return text(sourceCode, test.arguments[0]) === objectText && text(sourceCode, test.arguments[1]) === keyText;
  };
  let child = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if ((p.type === 'IfStatement' || p.type === 'ConditionalExpression') && p.consequent === child && guard(p.test)) return true;
    if (p.type === 'LogicalExpression' && p.operator === '&&' && p.right === child && guard(p.left)) return true;
    if (p.type === 'FunctionDeclaration' || p.type === 'FunctionExpression' || p.type === 'ArrowFunctionExpression') return false;
  }
  return false;
}

module.exports = {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow looking up possibly user-supplied keys on plain objects (Object.prototype members answer too)' },
    schema: [],
    messages: {
      in: "'{{key}} in …' also finds Object.prototype members (constructor, toString, __proto__): use Object.hasOwn(object, key) or a Map.",
      index: "'{{object}}[{{key}}]' on a plain object: a key such as constructor, toString or __proto__ finds (or replaces) an Object.prototype member. Use a Map, or check Object.hasOwn({{object}}, {{key}}) first.",
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    const services = sourceCode.parserServices;
    const typed = Boolean(services && services.program && services.esTreeNodeToTSNodeMap);
    const checker = typed ? services.program.getTypeChecker() : undefined;
    const ts = typed ? require('typescript') : undefined;

    const typeOf = (node) => checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(node));
    const isPlainString = (type) => (type.flags & ts.TypeFlags.String) !== 0;
    const hasStringIndex = (type) => {
      const t = checker.getApparentType(type);
      if (checker.isArrayType(t) || checker.isTupleType(t)) return false;
      const parts = t.isUnion() ? t.types : [t];
      return parts.some((p) => {
        if (p.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
        const symbol = p.getSymbol();
        // Map, Set, Headers… are not plain objects: their own methods are the lookups.
        if (symbol && /^(Map|Set|WeakMap|ReadonlyMap|URLSearchParams)$/.test(symbol.getName())) return false;
        return Boolean(checker.getIndexInfoOfType(p, ts.IndexKind.String));
      });
    };

    return {
      BinaryExpression(node) {
        if (node.operator !== 'in') return;
        if (node.left.type === 'Literal' || node.left.type === 'PrivateIdentifier') return;
        if (typed && node.left.type !== 'PrivateIdentifier') {
          const t = typeOf(node.left);
          // A string-literal union (keyof of a known shape) names declared members only.
          if (!isPlainString(t) && !(t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) return;
        }
        context.report({ node, messageId: 'in', data: { key: sourceCode.getText(node.left) } });
      },
      MemberExpression(node) {
        if (!typed || !node.computed) return;
        if (node.property.type === 'Literal' || node.property.type === 'TemplateLiteral' && node.property.expressions.length === 0) return;
        if (!isPlainString(typeOf(node.property))) return;
        if (!hasStringIndex(typeOf(node.object))) return;
        const objectText = text(sourceCode, node.object);
        const keyText = text(sourceCode, node.property);
        if (guardedByHasOwn(sourceCode, node, objectText, keyText)) return;
        const isWrite = node.parent.type === 'AssignmentExpression' && node.parent.left === node;
        if (!isWrite && iteratesOwnKeys(sourceCode, sourceCode.getScope(node), node.property, objectText)) return;
        context.report({ node, messageId: 'index', data: { object: sourceCode.getText(node.object), key: sourceCode.getText(node.property) } });
      },
    };
  },
};
