// The run log of a window job: `<output>/_kindling/runs.jsonl`, one JSON line per attempt of a
// window, appended when the attempt ends. People and orchestrators read it (`kindling windows`
// summarises it); each line is one small O_APPEND write, so concurrent appends do not interleave.
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";

/** How an attempt ended. */
export type AttemptStatus = "succeeded" | "failed";

/** One line of the run log. */
export interface RunLogEntry {
  /** When the attempt ended (ISO). */
  readonly time: string;
  /** One id per `kindling run` invocation. */
  readonly runId: string;
  readonly job: string;
  /** The window's id (UTC start instant, `2021-03-14T00:00:00Z`). */
  readonly window: string;
  readonly windowEnd: string;
  /** The window in the job's zone (`2021-03-14`). */
  readonly label: string;
  readonly period: string;
  readonly timeZone: string;
  readonly attempt: number;
  readonly status: AttemptStatus;
  /** Rows written (all outputs); null when the attempt failed. */
  readonly rows: number | null;
  readonly durationMs: number;
  /** The error message of a failed attempt, else null. */
  readonly error: string | null;
  readonly host: string;
  readonly pid: number;
}

/** Appends one entry (creating the log and its directory). */
export function appendRunLog(path: string, entry: RunLogEntry): void {
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, `${JSON.stringify(entry)}\n`, { flag: "a" });
}

/** Reads every entry; a torn or foreign line (e.g. from a full disk) is skipped. Missing log → []. */
export function readRunLog(path: string): RunLogEntry[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  const out: RunLogEntry[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const e = JSON.parse(line) as RunLogEntry;
      if (typeof e.window === "string" && typeof e.attempt === "number") out.push(e);
    } catch {
      // skip
    }
  }
  return out;
}
