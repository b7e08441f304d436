import { isSecretFieldName } from './secretRules';
import { SECRET_FIELD_NAME_RULE, SecretMaterialFinding } from './types';

// A path is a chain of links, joined into text only for what is reported: collectors send
// thousands of events a second through here and almost none of them has a finding.
interface PathLink {
  parent?: PathLink;
  key: string | number;
}

/** A string found in a value: a field's value or an array item, or a field's name. */
export interface StringLeaf {
  text: string;
  /** The name of the field holding the text, if it is a field's value. */
  field?: string;
  /** The text is the name of a field, not a value. */
  isFieldName: boolean;
  link?: PathLink;
}

/** Where a leaf is, as reported: `base.spec.scopes[2]`; a field name reports its object. */
export function leafPath(base: string, leaf: StringLeaf): string {
  const keys: Array<string | number> = [];
  for (let l = leaf.link; l; l = l.parent) keys.push(l.key);
  let path = base;
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i];
    if (typeof key === 'number') path = `${path}[${key}]`;
    else path = path ? `${path}.${key}` : key;
  }
  return path || '(the whole value)';
}

type Frame =
  | { node: unknown; link?: PathLink; field?: string }
  | { leaving: object };

/**
 * Every string in a JSON-like value, in document order, and every field whose name says it
 * holds a secret (when `checkFieldNames`; such a field's value is not read). The walk keeps its
 * own stack, so input nested thousands deep cannot overflow the call stack, and it stops at a
 * value that contains itself.
 */
export function collectStrings(
  value: unknown,
  basePath: string,
  checkFieldNames: boolean,
): { leaves: StringLeaf[]; fieldFindings: SecretMaterialFinding[] } {
  const leaves: StringLeaf[] = [];
  const fieldFindings: SecretMaterialFinding[] = [];
  const open = new Set<object>();
  const stack: Frame[] = [{ node: value }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if ('leaving' in frame) {
      open.delete(frame.leaving);
      continue;
    }
    const { node, link, field } = frame;
    if (typeof node === 'string') {
      leaves.push({ text: node, field, isFieldName: false, link });
      continue;
    }
    if (!node || typeof node !== 'object' || ArrayBuffer.isView(node)) continue;
    if (open.has(node)) continue;
    open.add(node);
    stack.push({ leaving: node });
    // Children are pushed last-first so that they are visited, and reported, in order.
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--)
        stack.push({ node: node[i], link: { parent: link, key: i }, field });
      continue;
    }
    const keys = Object.keys(node);
    const children: Frame[] = [];
    for (const key of keys) {
      const child: PathLink = { parent: link, key };
      leaves.push({ text: key, isFieldName: true, link });
      if (checkFieldNames && isSecretFieldName(key)) {
        fieldFindings.push({
          path: leafPath(basePath, {
            text: key,
            isFieldName: false,
            link: child,
          }),
          reason: 'is a field for secret material',
          rule: SECRET_FIELD_NAME_RULE,
        });
        continue;
      }
      children.push({
        node: (node as Record<string, unknown>)[key],
        link: child,
        field: key,
      });
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return { leaves, fieldFindings };
}
