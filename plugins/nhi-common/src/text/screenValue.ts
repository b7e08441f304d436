import { TEXT_LIMITS } from './limits';
import { PRINTABLE_ASCII, cleanText } from './screenText';

/** One refused part of a value: where, and why (never the text itself). */
export interface ValueProblem {
  path: string;
  reason: string;
}

export interface ScreenValueOptions {
  /** How many objects or arrays deep the value may nest; default {@link TEXT_LIMITS}.maxDepth. */
  maxDepth?: number;
  /**
   * Allow line breaks and tabs in string values (field names never). The HTTP edge allows them,
   * as a justification is written in a text box; single-line fields refuse them in their schema.
   */
  multiline?: boolean;
  /** Stop after this many problems; a message listing thousands helps nobody. Default 10. */
  maxProblems?: number;
}

export type ScreenedValue =
  | { ok: true; value: unknown }
  | { ok: false; problems: ValueProblem[] };

interface PathLink {
  parent?: PathLink;
  key: string | number;
}

// A name written bare in a path; one with a dot, slash or anything odder is quoted.
const PLAIN_KEY = /^[A-Za-z0-9_$@:-]{1,64}$/;

/** `base.events[2].userAgent`; an odd field name is quoted (and shortened), never echoed raw. */
function pathOf(base: string, link: PathLink | undefined): string {
  const keys: Array<string | number> = [];
  for (let l = link; l; l = l.parent) keys.push(l.key);
  let path = base;
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i];
    if (typeof key === 'number') path = `${path}[${key}]`;
    else if (PLAIN_KEY.test(key)) path = path ? `${path}.${key}` : key;
    else path = `${path}[${JSON.stringify(key.slice(0, 32))}]`;
  }
  return path || '(the whole value)';
}

const isPlainObject = (v: object) => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

// Like JSON.parse, a field named __proto__ stays an own field instead of changing the prototype.
const define = (target: object, key: string, value: unknown) =>
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });

interface Frame {
  node: unknown;
  link?: PathLink;
  depth: number;
  /** Where the screened value goes: a slot of the copy being built. */
  into: Record<string | number, unknown>;
  slot: string | number;
}

const put = (frame: Frame, value: unknown) => {
  if (frame.slot === '__proto__') define(frame.into, frame.slot, value);
  else frame.into[frame.slot] = value;
};

/** One walk of {@link screenValue}: its settings, the frames still to visit and the problems. */
interface Walk {
  basePath: string;
  maxDepth: number;
  multiline: boolean;
  problems: ValueProblem[];
  stack: Frame[];
}

function screenString(walk: Walk, frame: Frame, node: string) {
  // Printable ASCII needs no screening and is already NFC: most of what collectors send.
  if (PRINTABLE_ASCII.test(node)) {
    put(frame, node);
    return;
  }
  const cleaned = cleanText(node, { multiline: walk.multiline });
  if (cleaned.ok) put(frame, cleaned.text);
  else
    walk.problems.push({
      path: pathOf(walk.basePath, frame.link),
      reason: cleaned.reason,
    });
}

/** A copy of the array in the frame's slot; its items to visit, in order. */
function visitArray(walk: Walk, frame: Frame, node: unknown[]) {
  const { link, depth } = frame;
  const out: unknown[] = new Array(node.length);
  put(frame, out);
  for (let i = node.length - 1; i >= 0; i--) {
    walk.stack.push({
      node: node[i],
      link: { parent: link, key: i },
      depth: depth + 1,
      into: out as unknown as Record<number, unknown>,
      slot: i,
    });
  }
}

/** A copy of the object in the frame's slot; its fields to visit, by their screened names. */
function visitObject(walk: Walk, frame: Frame, node: object) {
  const { link, depth } = frame;
  const out: Record<string, unknown> = {};
  put(frame, out);
  const children: Frame[] = [];
  const names = new Set<string>();
  for (const key of Object.keys(node)) {
    const cleanedKey = PRINTABLE_ASCII.test(key)
      ? ({ ok: true, text: key } as const)
      : cleanText(key, { multiline: false });
    if (!cleanedKey.ok) {
      walk.problems.push({
        path: pathOf(walk.basePath, link),
        reason: `has a field name that ${cleanedKey.reason}`,
      });
      continue;
    }
    const name = cleanedKey.text;
    if (names.has(name)) {
      walk.problems.push({
        path: pathOf(walk.basePath, { parent: link, key: name }),
        reason: 'is given twice (once in another Unicode form)',
      });
      continue;
    }
    names.add(name);
    children.push({
      node: (node as Record<string, unknown>)[key],
      link: { parent: link, key: name },
      depth: depth + 1,
      into: out,
      slot: name,
    });
  }
  for (let i = children.length - 1; i >= 0; i--) walk.stack.push(children[i]);
}

/** Visits one frame: a string is screened, an array or object copied, anything else kept. */
function visit(walk: Walk, frame: Frame) {
  const { node, link, depth } = frame;
  if (typeof node === 'string') {
    screenString(walk, frame, node);
    return;
  }
  if (!node || typeof node !== 'object') {
    put(frame, node);
    return;
  }
  const isArray = Array.isArray(node);
  if (!isArray && !isPlainObject(node)) {
    put(frame, node);
    return;
  }
  if (depth >= walk.maxDepth) {
    walk.problems.push({
      path: pathOf(walk.basePath, link),
      reason: `is nested deeper than ${walk.maxDepth} levels`,
    });
    return;
  }
  if (isArray) visitArray(walk, frame, node);
  else visitObject(walk, frame, node);
}

/**
 * Screens every string and field name of a JSON-like value (a request body, a query, an entity):
 * control characters, lone surrogates and bidi overrides are refused with the path of the field,
 * as is nesting deeper than the limit; what is accepted comes back as a copy whose strings and
 * field names are in Unicode normal form C. The walk keeps its own stack, so no input can
 * overflow the call stack. Values other than plain objects, arrays and strings are kept as they
 * are.
 */
export function screenValue(
  value: unknown,
  basePath: string,
  options: ScreenValueOptions = {},
): ScreenedValue {
  const maxProblems = options.maxProblems ?? 10;
  const root: Record<string, unknown> = {};
  const walk: Walk = {
    basePath,
    maxDepth: options.maxDepth ?? TEXT_LIMITS.maxDepth,
    multiline: options.multiline ?? false,
    problems: [],
    stack: [{ node: value, depth: 0, into: root, slot: 'value' }],
  };
  while (walk.stack.length > 0 && walk.problems.length < maxProblems) {
    visit(walk, walk.stack.pop()!);
  }
  return walk.problems.length > 0
    ? { ok: false, problems: walk.problems }
    : { ok: true, value: root.value };
}

/** One line for an error message: `body.a contains …; query.b is nested …`. */
export function describeValueProblems(problems: ValueProblem[]): string {
  return problems.map(p => `${p.path} ${p.reason}`).join('; ');
}
