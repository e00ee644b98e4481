/**
 * A small JSON reader for ISF headers that says where a mistake is (offset → line), which
 * JSON.parse does not always do, and accepts trailing commas with a warning (common in
 * hand-written headers, refused by strict parsers).
 */

export type JsonRead =
  | { readonly ok: true; readonly value: unknown; readonly warnings: readonly { readonly pos: number; readonly message: string }[] }
  | { readonly ok: false; readonly pos: number; readonly message: string };

class Fail {
  constructor(
    readonly pos: number,
    readonly message: string,
  ) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

export function readJson(text: string): JsonRead {
  const warnings: { pos: number; message: string }[] = [];
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const what = () => (i >= text.length ? 'the end of the header' : `${JSON.stringify(text[i])}`);
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') throw new Fail(i, `expected a quoted key, found ${what()}`);
        const key = str();
        ws();
        if (text[i] !== ':') throw new Fail(i, `expected ':' after key ${JSON.stringify(key)}, found ${what()}`);
        i++;
        if (Object.prototype.hasOwnProperty.call(obj, key)) warnings.push({ pos: i, message: `key ${JSON.stringify(key)} appears twice; the last one is used` });
        obj[key] = value();
        ws();
        if (text[i] === ',') {
          const comma = i++;
          ws();
          if (text[i] === '}') {
            warnings.push({ pos: comma, message: 'trailing comma before }' });
            i++;
            return obj;
          }
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        throw new Fail(i, `expected ',' or '}' after the value of ${JSON.stringify(key)}, found ${what()}`);
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          const comma = i++;
          ws();
          if (text[i] === ']') {
            warnings.push({ pos: comma, message: 'trailing comma before ]' });
            i++;
            return arr;
          }
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        throw new Fail(i, `expected ',' or ']' in a list, found ${what()}`);
      }
    }
    if (c === '"') return str();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m) {
      i += m[0].length;
      return Number(m[0]);
    }
    throw new Fail(i, `expected a value, found ${what()}`);
  };
  const str = (): string => {
    STRING.lastIndex = i;
    const m = STRING.exec(text);
    if (!m) throw new Fail(i, 'unterminated or malformed string');
    i += m[0].length;
    return JSON.parse(m[0]) as string;
  };
  try {
    const v = value();
    ws();
    if (i < text.length) throw new Fail(i, `unexpected ${what()} after the header object`);
    return { ok: true, value: v, warnings };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, pos: e.pos, message: e.message };
    return { ok: false, pos: i, message: String(e) };
  }
}
