// A small JSON Schema (2020-12 subset) checker for dashboard.schema.json:
// type, const, enum, required, properties, additionalProperties, items,
// oneOf, allOf, $ref (#/$defs/...), pattern, minLength, minimum, maximum,
// maxItems. No npm validator is pinned for this one file; the subset is what
// the schema uses (an unknown keyword fails loudly, so the two cannot drift).
const KNOWN = new Set(['$schema', '$id', 'title', 'description', '$defs', 'type', 'const', 'enum',
  'required', 'properties', 'additionalProperties', 'items', 'oneOf', 'allOf', '$ref', 'pattern',
  'minLength', 'minimum', 'maximum', 'maxItems']);

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

export function validate(schema, value, root = schema, at = '$') {
  const errors = [];
  for (const k of Object.keys(schema)) if (!KNOWN.has(k)) errors.push(at + ': schema keyword ' + k + ' not supported');
  if (schema.$ref) {
    const def = schema.$ref.replace('#/$defs/', '');
    return errors.concat(validate(root.$defs[def], value, root, at));
  }
  if (schema.type) {
    const types = [].concat(schema.type);
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) {
      return errors.concat([at + ': ' + t + ' is not ' + types.join('|')]);
    }
  }
  if ('const' in schema && JSON.stringify(value) !== JSON.stringify(schema.const)) errors.push(at + ': not ' + JSON.stringify(schema.const));
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) errors.push(at + ': ' + JSON.stringify(value) + ' not in enum');
  if (schema.pattern && typeof value === 'string' && !new RegExp(schema.pattern).test(value)) errors.push(at + ': ' + value + ' !~ ' + schema.pattern);
  if (schema.minLength !== undefined && typeof value === 'string' && value.length < schema.minLength) errors.push(at + ': too short');
  if (schema.minimum !== undefined && typeof value === 'number' && value < schema.minimum) errors.push(at + ': < minimum');
  if (schema.maximum !== undefined && typeof value === 'number' && value > schema.maximum) errors.push(at + ': > maximum');
  if (schema.maxItems !== undefined && Array.isArray(value) && value.length > schema.maxItems) errors.push(at + ': too many items');
  if (schema.allOf) for (const s of schema.allOf) errors.push(...validate(s, value, root, at));
  if (schema.oneOf) {
    const ok = schema.oneOf.filter((s) => validate(s, value, root, at).length === 0).length;
    if (ok !== 1) errors.push(at + ': matches ' + ok + ' of oneOf (want 1): ' + schema.oneOf.map((s) => validate(s, value, root, at)[0]).join(' / '));
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const r of schema.required || []) if (!(r in value)) errors.push(at + ': missing ' + r);
    for (const [k, v] of Object.entries(value)) {
      if (schema.properties && schema.properties[k]) errors.push(...validate(schema.properties[k], v, root, at + '.' + k));
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        errors.push(...validate(schema.additionalProperties, v, root, at + '.' + k));
      }
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => errors.push(...validate(schema.items, v, root, at + '[' + i + ']')));
  return errors;
}
