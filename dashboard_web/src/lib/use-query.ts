"use client";

import { useCallback, useEffect, useRef, useState } from "react";

export type QueryState<T> = {
  /** The last answer for this key (kept while a reload runs, so the page does not flash). */
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
};

type Settled<T> = { key: string; version: number; data?: T; error?: unknown };

/** Loads `load()` whenever `key` (an array of primitives) changes or `reload()` is called;
 * an answer that arrives for an outdated key or version is dropped. */
export function useQuery<T>(key: readonly unknown[], load: () => Promise<T>, enabled = true): QueryState<T> {
  const serialized = JSON.stringify(key);
  const [version, setVersion] = useState(0);
  const [settled, setSettled] = useState<Settled<T>>({ key: "", version: -1 });
  const loader = useRef(load);

  useEffect(() => {
    loader.current = load;
  });

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    loader.current().then(
      (data) => live && setSettled({ key: serialized, version, data }),
      (error: unknown) => live && setSettled({ key: serialized, version, error: error ?? new Error("failed") }),
    );
    return () => {
      live = false;
    };
  }, [serialized, version, enabled]);

  const reload = useCallback(async () => setVersion((current) => current + 1), []);
  const sameKey = settled.key === serialized;
  const current = sameKey && settled.version === version;
  return {
    data: sameKey ? settled.data : undefined,
    error: current ? (settled.error ?? null) : null,
    loading: enabled && !current,
    reload,
  };
}
