import { DependencyList, useCallback, useEffect, useRef, useState } from "react";
import { useIamAlerts } from "./alerts";
import { isAborted } from "./client";
import { singleFlight, startLoad } from "./requests";

/** The latest value, for callbacks that must not restart an effect when the component re-renders. */
function useLatest<T>(value: T) {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}

export type Load = {
  loading: boolean;
  /** The failure of the last load; undefined while loading and after a success. */
  error?: unknown;
  /** Loads again (the Retry of an error state). */
  reload: () => void;
};

/**
 * Loads when the component mounts and again whenever `deps` change, as the stock console's useFetch: `load`
 * gets a signal, `onLoaded` the answer. The request is aborted when the component unmounts or `deps` change
 * (the next load starts), and nothing of an aborted request reaches the component. A failure is returned as
 * `error` for the component to show in place of what it could not load, not as an alert.
 */
export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  onLoaded: (data: T) => void,
  deps: DependencyList,
  { delayMs = 0 }: { delayMs?: number } = {},
): Load {
  const [state, setState] = useState<{ loading: boolean; error?: unknown }>({ loading: true });
  const [attempt, setAttempt] = useState(0);
  const latest = useLatest({ load, onLoaded });

  useEffect(() => {
    setState({ loading: true });
    return startLoad(
      (signal) => latest.current.load(signal),
      (outcome) => {
        if (outcome.ok) {
          latest.current.onLoaded(outcome.data);
          setState({ loading: false });
        } else {
          setState({ loading: false, error: outcome.error });
        }
      },
      delayMs,
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps are the load's inputs
  }, [...deps, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}

export type MutationOptions<I, T> = {
  /** Message key of the error alert; `{{error}}` is the server's message (or what failed, if it gave none). */
  errorKey: string;
  /** Message key of the success alert, if there is one; its parameters come from `successParams`. */
  successKey?: string;
  successParams?: (result: T, input: I) => Record<string, unknown>;
  onSuccess?: (result: T, input: I) => void;
  /** After the alert: to mark the fields the server named, for instance. */
  onError?: (error: unknown, input: I) => void;
  /**
   * Abort the request when the component unmounts: for read-only actions (simulate). Writes are not aborted:
   * once sent, a write may be applied whatever the browser does, and aborting would only hide its outcome, so
   * its alert and `onSuccess` (which brings the page's copy of the role up to date) still come.
   */
  abortOnUnmount?: boolean;
};

export type Mutation<I> = {
  /** Runs the action, unless it is running already (a second click sends nothing). */
  run: (input: I) => Promise<void>;
  pending: boolean;
};

/**
 * The one save/error pattern of the IAM pages: pending state (for the button's spinner and disabled state),
 * no double submit, a success alert, an error alert with the server's message and every entry of its `errors`.
 */
export function useMutation<I = void, T = unknown>(
  action: (input: I, signal?: AbortSignal) => Promise<T>,
  options: MutationOptions<I, T>,
): Mutation<I> {
  const { success, failure } = useIamAlerts();
  const [pending, setPending] = useState(false);
  const latest = useLatest({ action, options, success, failure });
  const mounted = useRef(true);
  const controller = useRef<AbortController>();

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      if (latest.current.options.abortOnUnmount) controller.current?.abort();
    };
  }, []);

  const [flight] = useState(() =>
    singleFlight(async (input: I) => {
      const { action, options } = latest.current;
      controller.current = options.abortOnUnmount ? new AbortController() : undefined;
      const signal = controller.current?.signal;
      setPending(true);
      try {
        const result = await action(input, signal);
        if (signal?.aborted) return;
        const { options: o, success: ok } = latest.current;
        if (o.successKey) ok(o.successKey, o.successParams?.(result, input));
        o.onSuccess?.(result, input);
      } catch (error) {
        if (signal?.aborted || isAborted(error)) return;
        const { options: o, failure: fail } = latest.current;
        fail(o.errorKey, error);
        o.onError?.(error, input);
      } finally {
        if (mounted.current) setPending(false);
      }
    }),
  );

  const run = useCallback(async (input: I) => {
    await flight.run(input);
  }, [flight]);
  return { run, pending };
}
