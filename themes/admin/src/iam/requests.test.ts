import { afterEach, describe, expect, it, vi } from "vitest";
import { LoadOutcome, singleFlight, startLoad } from "./requests";

/** A promise settled from outside. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  vi.useRealTimers();
});

describe("startLoad", () => {
  it("reports the answer", async () => {
    const reports: LoadOutcome<string>[] = [];
    startLoad(async () => "roles", (o) => reports.push(o));
    await settle();
    expect(reports).toEqual([{ ok: true, data: "roles" }]);
  });

  it("reports a failure", async () => {
    const reports: LoadOutcome<string>[] = [];
    const error = new Error("down");
    startLoad(() => Promise.reject(error), (o) => reports.push(o));
    await settle();
    expect(reports).toEqual([{ ok: false, error }]);
  });

  it("cancelling aborts the request's signal", () => {
    let signal: AbortSignal | undefined;
    const cancel = startLoad((s) => ((signal = s), new Promise(() => {})), () => {});
    expect(signal?.aborted).toBe(false);
    cancel();
    expect(signal?.aborted).toBe(true);
  });

  it("after cancelling, neither the abort's rejection nor an answer already on its way is reported", async () => {
    const reports: unknown[] = [];
    const aborted = deferred<string>();
    const late = deferred<string>();
    startLoad(() => aborted.promise, (o) => reports.push(o))();
    startLoad(() => late.promise, (o) => reports.push(o))();
    aborted.reject(new DOMException("aborted", "AbortError"));
    late.resolve("old answer");
    await settle();
    expect(reports).toEqual([]);
  });

  it("a load that throws at once is reported as a failure, not thrown at the caller", async () => {
    const reports: LoadOutcome<unknown>[] = [];
    const error = new Error("bad input");
    startLoad(() => {
      throw error;
    }, (o) => reports.push(o));
    await settle();
    expect(reports).toEqual([{ ok: false, error }]);
  });

  it("with a delay, starts after it; cancelling during the delay sends nothing", () => {
    vi.useFakeTimers();
    const load = vi.fn(async () => "findings");
    startLoad(load, () => {}, 400);
    const cancelled = startLoad(load, () => {}, 400);
    vi.advanceTimersByTime(399);
    expect(load).not.toHaveBeenCalled();
    cancelled();
    vi.advanceTimersByTime(1);
    expect(load).toHaveBeenCalledTimes(1);
  });
});

describe("singleFlight", () => {
  it("refuses a second call while the first runs, and accepts one after it", async () => {
    const first = deferred<string>();
    const action = vi.fn((input: string) => (input === "a" ? first.promise : Promise.resolve(input)));
    const flight = singleFlight(action);

    const a = flight.run("a");
    expect(flight.running).toBe(true);
    expect(await flight.run("double click")).toBeUndefined();
    expect(action).toHaveBeenCalledTimes(1);

    first.resolve("saved");
    expect(await a).toEqual({ result: "saved" });
    expect(flight.running).toBe(false);
    expect(await flight.run("b")).toEqual({ result: "b" });
    expect(action).toHaveBeenCalledTimes(2);
  });

  it("accepts a new call after a failure, which reaches the caller", async () => {
    const flight = singleFlight(async (input: number) => {
      if (input === 1) throw new Error("refused");
      return input;
    });
    await expect(flight.run(1)).rejects.toThrow("refused");
    expect(flight.running).toBe(false);
    expect(await flight.run(2)).toEqual({ result: 2 });
  });
});
