import { ExclamationCircleIcon, ExclamationTriangleIcon } from "@patternfly/react-icons";
import { useMemo, useRef } from "react";
import { LocatedFinding } from "./pointer";
import "./policy-editor.css";

type Props = {
  value: string;
  onChange: (value: string) => void;
  findings: LocatedFinding[];
  readOnly?: boolean;
  ariaLabel: string;
};

const LINE_HEIGHT = 20;

/**
 * A JSON text editor whose findings are shown where they are: a marker in the gutter and the message at the
 * end of the line (a transparent textarea over a backdrop that draws the lines and messages). No code editor
 * library is needed, so nothing is loaded from a CDN.
 */
export const PolicyEditor = ({ value, onChange, findings, readOnly, ariaLabel }: Props) => {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const backdrop = useRef<HTMLDivElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lines = useMemo(() => value.split("\n"), [value]);
  const byLine = useMemo(() => {
    const map = new Map<number, LocatedFinding[]>();
    for (const f of findings) map.set(f.line, [...(map.get(f.line) ?? []), f]);
    return map;
  }, [findings]);

  const syncScroll = () => {
    if (!textarea.current) return;
    const { scrollTop, scrollLeft } = textarea.current;
    if (backdrop.current) {
      backdrop.current.scrollTop = scrollTop;
      backdrop.current.scrollLeft = scrollLeft;
    }
    if (gutter.current) gutter.current.scrollTop = scrollTop;
  };

  const severityOf = (fs: LocatedFinding[] | undefined) =>
    fs ? (fs.some((f) => f.severity === "error") ? "error" : "warning") : undefined;

  return (
    <div className="kcsts-editor" data-testid="iam-policy-editor">
      <div className="kcsts-editor__gutter" ref={gutter} aria-hidden>
        {lines.map((_, n) => {
          const fs = byLine.get(n + 1);
          const severity = severityOf(fs);
          return (
            <div key={n} className={`kcsts-editor__gutter-line ${severity ? `kcsts-${severity}` : ""}`}
              title={fs?.map((f) => `${f.severity}: ${f.message}`).join("\n")}>
              {severity === "error" && <ExclamationCircleIcon />}
              {severity === "warning" && <ExclamationTriangleIcon />}
              <span>{n + 1}</span>
            </div>
          );
        })}
        <div style={{ height: LINE_HEIGHT * 2 }} />
      </div>
      <div className="kcsts-editor__body">
        <div className="kcsts-editor__backdrop" ref={backdrop} aria-hidden>
          {lines.map((line, n) => {
            const fs = byLine.get(n + 1);
            const severity = severityOf(fs);
            return (
              <div key={n} className={`kcsts-editor__line ${severity ? `kcsts-${severity}` : ""}`}>
                <span className="kcsts-editor__text">{textWithSyntaxMark(line, fs?.find((f) => f.syntax))}</span>
                {fs?.map((f, i) => (
                  <span
                    key={i}
                    className={`kcsts-editor__inline kcsts-${f.severity}`}
                    data-testid="iam-finding-inline"
                    data-line={n + 1}
                    data-severity={f.severity}
                  >
                    {f.severity}: {f.message}
                  </span>
                ))}
              </div>
            );
          })}
          <div style={{ height: LINE_HEIGHT * 2 }} />
        </div>
        <textarea
          ref={textarea}
          className="kcsts-editor__input"
          data-testid="iam-policy-text"
          aria-label={ariaLabel}
          value={value}
          readOnly={readOnly}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          wrap="off"
          onScroll={syncScroll}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Tab" && !e.shiftKey && !readOnly) {
              // Two spaces instead of leaving the editor, as code editors do (Shift+Tab still leaves it).
              e.preventDefault();
              const el = e.currentTarget;
              const { selectionStart, selectionEnd } = el;
              const next = value.slice(0, selectionStart) + "  " + value.slice(selectionEnd);
              onChange(next);
              requestAnimationFrame(() => el.setSelectionRange(selectionStart + 2, selectionStart + 2));
            }
          }}
        />
      </div>
    </div>
  );
};

/** A line's text, the character a syntax error is about underlined (a space stands for the end of the line). */
function textWithSyntaxMark(line: string, syntax: LocatedFinding | undefined) {
  if (!syntax) return line || " ";
  const at = syntax.column - 1;
  return (
    <>
      {line.slice(0, at)}
      <span className="kcsts-editor__syntax-mark" data-testid="iam-syntax-mark" data-column={syntax.column}>
        {line.slice(at, at + 1) || " "}
      </span>
      {line.slice(at + 1)}
    </>
  );
}

/** Moves the caret of the editor's textarea to a finding (its key or element) and scrolls its line into view. */
export function focusFinding(container: HTMLElement | null, { offset, line }: LocatedFinding) {
  const el = container?.querySelector<HTMLTextAreaElement>("textarea.kcsts-editor__input");
  if (!el) return;
  el.focus();
  el.setSelectionRange(offset, offset);
  el.scrollTop = Math.max(0, (line - 3) * LINE_HEIGHT);
}
