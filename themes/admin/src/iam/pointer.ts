/**
 * Maps RFC 6901 JSON Pointers (the `path` of a validation finding, docs/policy-language.md#findings) to
 * positions in the policy text as the user typed it. A small JSON scanner records where every member and
 * array element starts; for an object member the location is its key, as editors underline it.
 */
export type Locations = {
  /** pointer -> offset into the text */
  offsets: Map<string, number>;
  /** offset of the first syntax error, if the text is not valid JSON */
  syntaxError?: { offset: number; message: string };
};

const escapeToken = (token: string) => token.replace(/~/g, "~0").replace(/\//g, "~1");

export function locate(text: string): Locations {
  const offsets = new Map<string, number>();
  let i = 0;

  const fail = (message: string): never => {
    throw { offset: Math.min(i, text.length), message };
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const string = (): string => {
    if (text[i] !== '"') fail("expected a string");
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if (text[i] === "\n") fail("unterminated string");
      i++;
    }
    if (i >= text.length) fail("unterminated string");
    i++;
    try {
      return JSON.parse(text.slice(start, i));
    } catch {
      i = start;
      return fail("invalid string");
    }
  };
  const value = (pointer: string, at: number) => {
    ws();
    if (!offsets.has(pointer)) offsets.set(pointer, at >= 0 ? at : i);
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        const keyAt = i;
        const key = string();
        ws();
        if (text[i] !== ":") fail("expected ':'");
        i++;
        value(`${pointer}/${escapeToken(key)}`, keyAt);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        fail("expected ',' or '}'");
      }
    } else if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        ws();
        value(`${pointer}/${n}`, -1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        fail("expected ',' or ']'");
      }
    } else if (c === '"') {
      string();
    } else {
      const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
      if (!m) fail("unexpected character");
      i += m![0].length;
    }
  };

  try {
    value("", -1);
    ws();
    if (i < text.length) fail("unexpected content after the document");
    return { offsets };
  } catch (e) {
    const err = e as { offset: number; message: string };
    return { offsets, syntaxError: err };
  }
}

export const lineOf = (text: string, offset: number) => text.slice(0, offset).split("\n").length;

/** The 1-based line a pointer designates; an unknown pointer falls back to its nearest known ancestor. */
export function lineOfPointer(text: string, locations: Locations, pointer: string): number {
  let p = pointer;
  for (;;) {
    const offset = locations.offsets.get(p);
    if (offset !== undefined) return lineOf(text, offset);
    if (p === "") return 1;
    p = p.slice(0, p.lastIndexOf("/"));
  }
}
