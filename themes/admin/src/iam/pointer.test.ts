import { describe, expect, it } from "vitest";
import type { Finding } from "./client";
import { describeSyntaxError, locate, locateFindings, offsetOfPointer, positionOf } from "./pointer";

/** Where a pointer lands, as the editor shows it. */
const at = (text: string, pointer: string) => positionOf(text, offsetOfPointer(locate(text), pointer));

const POLICY = [
  "{",
  '  "Version": "2012-10-17",',
  '  "Statement": [',
  "    {",
  '      "Sid": "a{b}:[c], \\"quoted\\"",',
  '      "Effect": "Allow",',
  '      "Principal": { "Keycloak": ["krn:a", "krn:b"] },',
  '      "Action": "sts:AssumeRole"',
  "    },",
  '    { "Effect": "Deny", "Principal": "*" }',
  "  ]",
  "}",
].join("\n");

describe("a finding's JSON Pointer is placed in the text as typed", () => {
  it("places an object member on its key", () => {
    expect(at(POLICY, "/Version")).toEqual({ line: 2, column: 3 });
    expect(at(POLICY, "/Statement/0/Effect")).toEqual({ line: 6, column: 7 });
    expect(at(POLICY, "/Statement/0/Principal/Keycloak")).toEqual({ line: 7, column: 22 });
  });

  it("places an array element where the element starts", () => {
    expect(at(POLICY, "/Statement/0")).toEqual({ line: 4, column: 5 });
    expect(at(POLICY, "/Statement/1")).toEqual({ line: 10, column: 5 });
    expect(at(POLICY, "/Statement/0/Principal/Keycloak/1")).toEqual({ line: 7, column: 44 });
    expect(at(POLICY, "/Statement/1/Principal")).toEqual({ line: 10, column: 25 });
  });

  it("places the root pointer on the document's first character", () => {
    expect(at("\n\n  {}", "")).toEqual({ line: 3, column: 3 });
  });

  it("is not misled by brackets, colons, commas and escaped quotes inside strings", () => {
    expect(at(POLICY, "/Statement/0/Action")).toEqual({ line: 8, column: 7 });
  });

  it("decodes ~1 and ~0 in pointer tokens (RFC 6901), for keys holding '/' and '~'", () => {
    const text = '{\n  "a/b": 1,\n  "m~n": 2,\n  "~1": 3\n}';
    expect(at(text, "/a~1b")).toEqual({ line: 2, column: 3 });
    expect(at(text, "/m~0n")).toEqual({ line: 3, column: 3 });
    expect(at(text, "/~01")).toEqual({ line: 4, column: 3 });
  });

  it("matches keys written with JSON escapes by their value", () => {
    const text = '{\n  "\\u0041ction": "sts:AssumeRole"\n}';
    expect(at(text, "/Action")).toEqual({ line: 2, column: 3 });
  });

  it("falls back to the nearest ancestor the text contains", () => {
    expect(at(POLICY, "/Statement/0/Condition/Bool/kc:MultiFactorAuthPresent")).toEqual({ line: 4, column: 5 });
    expect(at(POLICY, "/Statement/7")).toEqual({ line: 3, column: 3 });
    expect(at(POLICY, "/Nothing")).toEqual({ line: 1, column: 1 });
  });

  it("counts columns after a CRLF line break from the start of the line", () => {
    expect(at('{\r\n  "Version": "x"\r\n}', "/Version")).toEqual({ line: 2, column: 3 });
  });

  it("keeps the locations found before a syntax error", () => {
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",,}\n  ]\n}';
    const locations = locate(text);
    expect(positionOf(text, locations.syntaxError!.offset)).toEqual({ line: 4, column: 24 });
    expect(positionOf(text, offsetOfPointer(locations, "/Statement/0/Effect"))).toEqual({ line: 4, column: 6 });
  });

  it.each([
    ['{"a": 1', "expected ',' or '}' after a property value, the text ends", 1],
    ['{"a": "x\n"}', "the string is not closed: a '\"' is missing before the end of the line", 1],
    ["[1, 2]\n  x", "unexpected 'x' after the end of the document", 2],
    ['{\n  "a": tru\n}', "expected a value (a string in double quotes, a number, an object, an array, true, false or null), found 't'", 2],
  ])("reports the syntax error of %j on its line", (text, message, line) => {
    const { syntaxError } = locate(text);
    expect(syntaxError?.message).toBe(message);
    expect(positionOf(text, syntaxError!.offset).line).toBe(line);
  });

  it("finds no syntax error in valid JSON", () => {
    expect(locate(POLICY).syntaxError).toBeUndefined();
    expect(locate('{"n": -1.5e+3, "b": [true, false, null], "s": "\\n\\t\\\\"}').syntaxError).toBeUndefined();
  });
});

describe("locateFindings puts each finding on its line of the editor", () => {
  const warning = (path: string, message = "m"): Finding => ({ severity: "warning", path, message });

  it("adds line, column and offset, and sorts by line", () => {
    const located = locateFindings(POLICY, [warning("/Statement/1/Principal", "everyone"), warning("/Version", "old")]);
    expect(located.map((f) => [f.message, f.line, f.column])).toEqual([
      ["old", 2, 3],
      ["everyone", 10, 25],
    ]);
    expect(POLICY.slice(located[0].offset).startsWith('"Version"')).toBe(true);
  });

  it("moves the server's position-less syntax error to the line where the JSON breaks", () => {
    const text = '{\n  "Statement": [\n    {"Effect": "Allow",,}\n  ]\n}';
    const located = locateFindings(text, [{ severity: "error", path: "", message: "malformed JSON" }]);
    expect(located).toHaveLength(1);
    // ... in words, not the parser's
    expect(located[0]).toMatchObject({
      message: "Line 3, column 24: expected a property name in double quotes, found ','",
      line: 3, column: 24, syntax: true,
    });
  });

  it("adds its own syntax error when the server reported none (an answer to an older text)", () => {
    const located = locateFindings('{\n  "a": 1,\n}', []);
    expect(located).toEqual([
      {
        severity: "error", path: "", syntax: true, line: 3, column: 1, offset: 12,
        message: "Line 3, column 1: a comma must not follow the last property: remove the ',' before '}'",
      },
    ]);
  });

  it("leaves an error the server placed on a line where it is", () => {
    const text = '{\n  "Effect": "Maybe",\n  "x": ,\n}';
    const located = locateFindings(text, [{ severity: "error", path: "/Effect", message: "bad effect" }]);
    expect(located).toEqual([expect.objectContaining({ message: "bad effect", line: 2 })]);
  });
});

describe("a syntax error is said in words, with line and column", () => {
  const said = (text: string) => describeSyntaxError(text)?.message;

  it.each([
    // a missing comma between two members: the place is where the comma should be
    ['{\n  "Version": "2012-10-17",\n  "Statement": []\n  "Sid": "x"\n}', "Line 4, column 3: expected ',' or '}' after a property value, found '\"'"],
    ['{\n  "Version": "2012-10-17",\n}', "Line 3, column 1: a comma must not follow the last property: remove the ',' before '}'"],
    ['{"Statement": [1, 2, ]}', "Line 1, column 22: a comma must not follow the last element: remove the ',' before ']'"],
    ['{"Statement": [1 2]}', "Line 1, column 18: expected ',' or ']' after an array element, found '2'"],
    ["{'Version': '2012-10-17'}", `Line 1, column 2: expected a property name in double quotes, found "'" (JSON strings take double quotes)`],
    ['{"Version" "2012-10-17"}', "Line 1, column 12: expected ':' after the property name, found '\"'"],
    ['{"Effect": Allow}', "Line 1, column 12: expected a value (a string in double quotes, a number, an object, an array, true, false or null), found 'A'"],
    ['{"Sid": "a\\qb"}', "Line 1, column 9: the string has an invalid escape: a backslash must be followed by one of \\ \" / b f n r t or uXXXX"],
    ['{"Sid": "open', `Line 1, column 14: the string is not closed: a '"' is missing before the end of the text`],
    ['{"a": 1}}', "Line 1, column 9: unexpected '}' after the end of the document"],
    ["   ", "Line 1, column 4: the policy is empty: a trust policy is a JSON object, {...}"],
    ['{"a":\n', "Line 2, column 1: expected a value (a string in double quotes, a number, an object, an array, true, false or null), the text ends"],
  ])("%j", (text, message) => {
    expect(said(text)).toBe(message);
  });

  it("gives the offset the caret goes to: the character the message is about", () => {
    const text = '{\n  "Version": "2012-10-17"\n  "Statement": []\n}';
    const error = describeSyntaxError(text)!;
    expect(error).toMatchObject({ line: 3, column: 3 });
    expect(text.slice(error.offset).startsWith('"Statement"')).toBe(true);
  });

  it("says nothing about valid JSON", () => {
    expect(describeSyntaxError(POLICY)).toBeUndefined();
  });
});
