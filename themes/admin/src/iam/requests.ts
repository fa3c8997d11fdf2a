/**
 * The two rules every request of the IAM pages follows, without React so that they are unit-tested
 * (requests.test.ts); hooks.ts applies them to components.
 */

export type LoadOutcome<T> = { ok: true; data: T } | { ok: false; error: unknown };

/**
 * Starts `load` (after `delayMs`, if given) and reports its outcome, unless cancelled first. The returned function
 * cancels: it aborts the request, and an outcome that arrives afterwards (the abort's own rejection, or an answer
 * that was already on its way) is dropped, so a component that has moved on never shows an old answer or an error.
 */
export function startLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  report: (outcome: LoadOutcome<T>) => void,
  delayMs = 0,
): () => void {
  const controller = new AbortController();
  const { signal } = controller;
  const run = () => {
    let request: Promise<T>;
    try {
      request = load(signal);
    } catch (error) {
      request = Promise.reject(error);
    }
    request.then(
      (data) => signal.aborted || report({ ok: true, data }),
      (error) => signal.aborted || report({ ok: false, error }),
    );
  };
  const timer = delayMs > 0 ? setTimeout(run, delayMs) : undefined;
  if (timer === undefined) run();
  return () => {
    clearTimeout(timer);
    controller.abort();
  };
}

/**
 * Lets one call of `action` run at a time: a call while one is running is refused (resolves to `undefined`
 * without calling `action`), not queued, because a second click on Save must not send a second write.
 */
export function singleFlight<I, T>(action: (input: I) => Promise<T>) {
  let running = false;
  return {
    get running() {
      return running;
    },
    async run(input: I): Promise<{ result: T } | undefined> {
      if (running) return undefined;
      running = true;
      try {
        return { result: await action(input) };
      } finally {
        running = false;
      }
    },
  };
}
