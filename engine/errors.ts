// Error kinds. Every user-facing failure names what is at fault (column, file and line, option).

/** Base class of Kindling's errors; `kind` lets callers branch without instanceof across threads. */
export class KindlingError extends Error {
  readonly kind: string = "KindlingError";
}

/** A name or type problem found while building a query (unknown column, bad argument type). */
export class AnalysisError extends KindlingError {
  override readonly kind = "AnalysisError";
  override readonly name = "AnalysisError";
}

/** Bad input data: malformed CSV in FAILFAST mode, corrupt Parquet, unreadable file. */
export class DataError extends KindlingError {
  override readonly kind = "DataError";
  override readonly name = "DataError";
}

/** A bad option or configuration value. */
export class ConfigError extends KindlingError {
  override readonly kind = "ConfigError";
  override readonly name = "ConfigError";
}

/** A write that refuses to run (path exists in `error` mode, output path is a file). */
export class WriteError extends KindlingError {
  override readonly kind = "WriteError";
  override readonly name = "WriteError";
}

/** A task that failed on an executor; carries the remote stack. */
export class TaskError extends KindlingError {
  override readonly kind = "TaskError";
  override readonly name = "TaskError";
  constructor(
    message: string,
    readonly stage: number,
    readonly partition: number,
    readonly attempt: number,
    readonly remoteKind: string,
    readonly remoteStack: string,
  ) {
    super(message);
  }
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The candidate closest to `name` (case-insensitive), or undefined when nothing is close. */
export function closestMatch(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 2)) ? best : undefined;
}
