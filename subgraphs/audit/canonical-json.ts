// One exact spelling of a JSON value (a jsonb payload as PostgreSQL prints it): no whitespace, object keys sorted by
// UTF-16 code units at every depth (RFC 8785 §3.2.3, as JavaScript's default sort), strings as JSON.stringify writes
// them (RFC 8785 §3.2.2.2). Unlike RFC 8785, a number keeps PostgreSQL's own digits: parsing it into a JavaScript
// number would round anything past 15 significant digits, and two different stored values would hash alike.

/** The canonical text of `json`, which must be valid JSON (PostgreSQL's jsonb output always is). */
export function canonicalJson(json: string): string {
  const parser = new Parser(json);
  const value = parser.value();
  parser.end();
  return value;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// eslint-disable-next-line no-control-regex -- RFC 8259 §7: a JSON string holds no unescaped control character.
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERAL = /true|false|null/y;

class Parser {
  private at = 0;
  constructor(private readonly text: string) {}

  value(): string {
    this.space();
    const c = this.text[this.at];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return JSON.stringify(JSON.parse(this.match(STRING)) as string);
    if (c === 't' || c === 'f' || c === 'n') return this.match(LITERAL);
    return this.match(NUMBER);
  }

  end(): void {
    this.space();
    if (this.at !== this.text.length) throw new SyntaxError(`unexpected text at ${this.at}`);
  }

  private object(): string {
    this.at += 1;
    const members: [string, string][] = [];
    if (!this.peek('}')) {
      do {
        this.space();
        const key = JSON.parse(this.match(STRING)) as string;
        this.expect(':');
        members.push([key, this.value()]);
      } while (this.peek(',', true));
    }
    this.expect('}');
    members.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
  }

  private array(): string {
    this.at += 1;
    const items: string[] = [];
    if (!this.peek(']')) {
      do items.push(this.value());
      while (this.peek(',', true));
    }
    this.expect(']');
    return `[${items.join(',')}]`;
  }

  private match(pattern: RegExp): string {
    pattern.lastIndex = this.at;
    const found = pattern.exec(this.text);
    if (!found) throw new SyntaxError(`unexpected text at ${this.at}`);
    this.at += found[0].length;
    return found[0];
  }

  private peek(c: string, consume = false): boolean {
    this.space();
    const hit = this.text[this.at] === c;
    if (hit && consume) this.at += 1;
    return hit;
  }

  private expect(c: string): void {
    if (!this.peek(c, true)) throw new SyntaxError(`expected ${c} at ${this.at}`);
  }

  private space(): void {
    while (/[ \t\n\r]/.test(this.text[this.at] ?? '')) this.at += 1;
  }
}
