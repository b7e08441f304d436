import parser from 'stream-json/parser.js';
import Assembler from 'stream-json/assembler.js';
import { SourceParseError } from './SourceParseError';

/** One element of a streamed list, with where it stands for error messages. */
export interface JsonItem {
  value: unknown;
  /** `$.Records[3]`, `$[0]`, `line 12`. */
  location: string;
}

/** Why a read fails when the input ends inside the JSON. */
export const TRUNCATED =
  'ends before the JSON is complete: the file is truncated';

const SCALARS: Record<string, string> = {
  stringValue: 'text',
  numberValue: 'a number',
  trueValue: 'true',
  falseValue: 'false',
  nullValue: 'null',
};

const describePath = (path: readonly string[]) =>
  path.length ? `an object whose "${path.join('.')}" is a list` : 'a list';

const baseOf = (at: readonly string[]) =>
  `$${at.map(key => `.${key}`).join('')}`;

/**
 * The state of one streamJsonArray read, fed the tokens slice by slice. Kept in one object's
 * fields, not a closure per token, so the token loop allocates nothing but the elements it
 * yields.
 */
export class JsonListWalker {
  /** What the document must be, as the error messages say it. */
  readonly expected: string;
  private path: readonly string[];
  private base: string;
  // The containers around the current token; a key, once read, marks which member is next.
  private readonly stack: Array<{ isArray: boolean; key?: string }> = [];
  private readonly assembler = new Assembler();
  private targetDepth = -1;
  private assembling = false;
  private index = 0;
  private documents = 0;
  private listsFound = 0;

  constructor(
    private readonly source: string,
    private readonly listPath: readonly string[],
    private readonly objectPath?: readonly string[],
  ) {
    this.path = listPath;
    this.base = baseOf(listPath);
    this.expected =
      listPath.length === 0 && objectPath
        ? `${describePath([])} or ${describePath(objectPath)}`
        : describePath(listPath);
  }

  /** The element being read, or the document while no list is open. */
  where(): string {
    return this.targetDepth >= 0 ? `${this.base}[${this.index}]` : '$';
  }

  *consume(tokens: Iterable<parser.Token>): Generator<JsonItem> {
    for (const token of tokens) {
      if (
        this.assembling ||
        (this.stack.length === this.targetDepth && token.name !== 'endArray')
      ) {
        if (this.assemble(token)) {
          yield {
            value: this.assembler.current,
            location: `${this.base}[${this.index++}]`,
          };
        }
      } else {
        this.walk(token);
      }
    }
  }

  /** Checks, once the input has ended, that it held what it must. */
  finish(): void {
    if (this.stack.length || this.assembling) {
      throw new SourceParseError(this.source, this.where(), TRUNCATED);
    }
    if (this.documents === 0) {
      throw new SourceParseError(
        this.source,
        '$',
        `is empty: expected ${this.expected}`,
      );
    }
    if (this.listsFound < this.documents) {
      throw new SourceParseError(this.source, '$', `must be ${this.expected}`);
    }
  }

  /** Feeds a token of an element; true once the element is whole. */
  private assemble(token: parser.Token): boolean {
    this.assembling = true;
    this.assembler.consume(token);
    if (!this.assembler.done) return false;
    this.assembling = false;
    return true;
  }

  /** Follows a token outside the elements: only the containers and keys matter there. */
  private walk(token: parser.Token): void {
    switch (token.name) {
      case 'startObject':
      case 'startArray':
        this.open(token.name === 'startArray');
        break;
      case 'endObject':
      case 'endArray':
        if (this.stack.length === this.targetDepth) this.targetDepth = -1;
        this.stack.pop();
        break;
      case 'keyValue':
        this.stack[this.stack.length - 1].key = token.value;
        break;
      default:
        if (this.stack.length === 0) {
          throw new SourceParseError(
            this.source,
            '$',
            `must be ${this.expected}, not ${
              SCALARS[token.name] ?? token.name
            }`,
          );
        }
    }
  }

  private open(isArray: boolean): void {
    if (this.stack.length === 0) this.startDocument(isArray);
    if (isArray && this.atTarget()) {
      this.targetDepth = this.stack.length + 1;
      this.listsFound++;
    }
    this.stack.push({ isArray });
  }

  /** A document's outer container decides where its list is: bare, or inside an object. */
  private startDocument(isArray: boolean): void {
    this.documents++;
    const at =
      isArray || this.listPath.length
        ? this.listPath
        : this.objectPath ?? this.listPath;
    if (isArray !== (at.length === 0)) {
      throw new SourceParseError(
        this.source,
        '$',
        `must be ${this.expected}, not ${isArray ? 'a list' : 'an object'}`,
      );
    }
    this.path = at;
    this.base = baseOf(at);
  }

  private atTarget(): boolean {
    return (
      this.stack.length === this.path.length &&
      this.stack.every(
        (frame, i) => !frame.isArray && frame.key === this.path[i],
      )
    );
  }
}
