import type { Finding } from "./client";

/**
 * Maps RFC 6901 JSON Pointers (the `path` of a validation finding, docs/policy-language.md#findings) to
 * positions in the policy text as the user typed it. A small JSON scanner records where every member and
 * array element starts; for an object member the location is its key, as editors underline it.
 */
export type Locations = {
  /** pointer -> offset into the text */
  offsets: Map<string, number>;
  /** offset of the first syntax error, if the text is not valid JSON, and what was expected there, in words */
  syntaxError?: { offset: number; message: string };
};

const escapeToken = (token: string) => token.replace(/~/g, "~0").replace(/\//g, "~1");

export function locate(text: string): Locations {
  const offsets = new Map<string, number>();
  let i = 0;

  const fail = (message: string): never => {
    throw { offset: Math.min(i, text.length), message };
  };
  /** What stands at the error, for the message: a character, or the end of the text. */
  const found = () => (i >= text.length ? "the text ends" : `found ${describeChar(text[i])}`);
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const string = (what: string): string => {
    if (text[i] !== '"') fail(`expected ${what} in double quotes, ${found()}`);
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if (text[i] === "\n") fail("the string is not closed: a '\"' is missing before the end of the line");
      i++;
    }
    if (i >= text.length) fail("the string is not closed: a '\"' is missing before the end of the text");
    i++;
    try {
      return JSON.parse(text.slice(start, i));
    } catch {
      i = start;
      return fail("the string has an invalid escape: a backslash must be followed by one of \\ \" / b f n r t or uXXXX");
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
      for (let first = true; ; first = false) {
        ws();
        if (!first && text[i] === "}") fail("a comma must not follow the last property: remove the ',' before '}'");
        const keyAt = i;
        const key = string("a property name");
        ws();
        if (text[i] !== ":") fail(`expected ':' after the property name, ${found()}`);
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
        fail(`expected ',' or '}' after a property value, ${found()}`);
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
        if (n > 0 && text[i] === "]") fail("a comma must not follow the last element: remove the ',' before ']'");
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
        fail(`expected ',' or ']' after an array element, ${found()}`);
      }
    } else if (c === '"') {
      string("a string");
    } else {
      const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
      if (!m) fail(`expected a value (a string in double quotes, a number, an object, an array, true, false or null), ${found()}`);
      i += m![0].length;
    }
  };

  try {
    value("", -1);
    ws();
    if (i < text.length) fail(`unexpected ${describeChar(text[i])} after the end of the document`);
    return { offsets };
  } catch (e) {
    const err = e as { offset: number; message: string };
    return { offsets, syntaxError: err };
  }
}

function describeChar(c: string) {
  if (c === "'") return `"'" (JSON strings take double quotes)`;
  if (c === "\n" || c === "\r") return "the end of the line";
  if (c === "\t") return "a tab";
  if (c < " ") return `the control character U+${c.charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}`;
  return `'${c}'`;
}

export type Position = { line: number; column: number };

/**
 * The syntax error of a text that is not JSON, in words with its place ("Line 4, column 12: expected ',' or '}'
 * after a property value, found '\"'"), or undefined for valid JSON: instead of the parser's own text.
 */
export function describeSyntaxError(text: string): { message: string; offset: number; line: number; column: number } | undefined {
  const { syntaxError } = locate(text);
  if (!syntaxError) return undefined;
  const { line, column } = positionOf(text, syntaxError.offset);
  const message = text.trim() === "" ? "the policy is empty: a trust policy is a JSON object, {...}" : syntaxError.message;
  return { message: `Line ${line}, column ${column}: ${message}`, offset: syntaxError.offset, line, column };
}

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

/** `syntax`: the text is not JSON, and `message` says where and why in words. */
export type LocatedFinding = Finding & Position & { offset: number; syntax?: true };

/**
 * Places the server's findings (JSON Pointers) and any local syntax error in the text, sorted by line: this is
 * what puts each finding on its line of the editor.
 */
export function locateFindings(text: string, findings: Finding[]): LocatedFinding[] {
  const locations = locate(text);
  const at = (offset: number) => ({ offset, ...positionOf(text, offset) });
  const located: LocatedFinding[] = findings.map((f) => ({ ...f, ...at(offsetOfPointer(locations, f.path ?? "")) }));
  // A syntax error is only reported once by the server, without a position and in its parser's words: point at it
  // ourselves and say it in ours, with line and column.
  const syntax = describeSyntaxError(text);
  if (syntax && !located.some((f) => f.severity === "error" && f.line > 1)) {
    const position = at(syntax.offset);
    const serverSyntax = located.find((f) => f.severity === "error" && (f.path ?? "") === "");
    if (serverSyntax) Object.assign(serverSyntax, position, { message: syntax.message, syntax: true });
    else located.push({ severity: "error", path: "", message: syntax.message, syntax: true, ...position });
  }
  return located.sort((a, b) => a.line - b.line);
}
