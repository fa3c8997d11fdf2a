import type { Finding } from "./client";

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

export type Position = { line: number; column: number };

/** 1-based line and column of an offset (a column counts UTF-16 code units, as the textarea's caret does). */
export function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: offset - lineStart + 1 };
}

export const lineOf = (text: string, offset: number) => positionOf(text, offset).line;

/** The offset a pointer designates; an unknown pointer falls back to its nearest known ancestor, then to 0. */
export function offsetOfPointer(locations: Locations, pointer: string): number {
  let p = pointer;
  for (;;) {
    const offset = locations.offsets.get(p);
    if (offset !== undefined) return offset;
    if (p === "") return 0;
    p = p.slice(0, p.lastIndexOf("/"));
  }
}

/** The 1-based line a pointer designates; an unknown pointer falls back to its nearest known ancestor. */
export const lineOfPointer = (text: string, locations: Locations, pointer: string) =>
  lineOf(text, offsetOfPointer(locations, pointer));

export type LocatedFinding = Finding & Position & { offset: number };

/**
 * Places the server's findings (JSON Pointers) and any local syntax error in the text, sorted by line: this is
 * what puts each finding on its line of the editor.
 */
export function locateFindings(text: string, findings: Finding[]): LocatedFinding[] {
  const locations = locate(text);
  const at = (offset: number) => ({ offset, ...positionOf(text, offset) });
  const located: LocatedFinding[] = findings.map((f) => ({ ...f, ...at(offsetOfPointer(locations, f.path ?? "")) }));
  // A syntax error is only reported once by the server, without a position: point at it ourselves.
  if (locations.syntaxError && !located.some((f) => f.severity === "error" && f.line > 1)) {
    const position = at(locations.syntaxError.offset);
    const serverSyntax = located.find((f) => f.severity === "error" && (f.path ?? "") === "");
    if (serverSyntax) Object.assign(serverSyntax, position);
    else located.push({ severity: "error", path: "", message: `JSON: ${locations.syntaxError.message}`, ...position });
  }
  return located.sort((a, b) => a.line - b.line);
}
