// Where a window job keeps things inside its output directory:
//
//   <output>/window_start=2021-03-14T00%3A00%3A00Z/   one window's Parquet output (single output)
//       service_type=green/part-00000-....parquet     the job's own partition columns below it
//       _SUCCESS                                      written last by the window's commit
//       _manifest.json                                what the window holds, committed with the data
//   <output>/<name>/window_start=.../                 the same per named output
//   <output>/_kindling/runs.jsonl                     the run log (one line per attempt)
//   <output>/_kindling/lock                           the run lock
//   <output>/_kindling/events/<run id>.jsonl          each run's event log of jobs, stages and tasks
import { statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { WriteError } from "../errors.js";
import { windowDirName } from "./window.js";

/** The directory of Kindling's bookkeeping inside an output (hidden from readers by its `_`). */
export const KINDLING_DIR = "_kindling";
/** The manifest file of a committed window. */
export const MANIFEST = "_manifest.json";
/** The commit marker (written by the committer). */
export const SUCCESS = "_SUCCESS";

/** `<output>/_kindling` */
export const kindlingDir = (output: string): string => join(output, KINDLING_DIR);
/** `<output>/_kindling/lock` */
export const lockPath = (output: string): string => join(output, KINDLING_DIR, "lock");
/** `<output>/_kindling/runs.jsonl` */
export const runLogPath = (output: string): string => join(output, KINDLING_DIR, "runs.jsonl");

/** `<output>/_kindling/events/<runId>.jsonl` */
export const eventLogPath = (output: string, runId: string): string =>
  join(output, KINDLING_DIR, "events", `${runId}.jsonl`);

/** The dataset directory of one output: the output itself, or `<output>/<name>` for a named one. */
export const outputBase = (output: string, name: string): string =>
  name === "" ? output : join(output, name);

/** The directory of one window of one output. */
export const windowDir = (output: string, name: string, windowId: string): string =>
  join(outputBase(output, name), windowDirName(windowId));

/**
 * Checks that `path` can be an output directory: it is a directory or does not exist, and no
 * ancestor is a file. Returns the absolute path; a WriteError names the file in the way.
 */
export function checkOutputDir(path: string): string {
  const abs = resolve(path);
  let p = abs;
  for (;;) {
    const st = statSync(p, { throwIfNoEntry: false });
    if (st !== undefined) {
      if (!st.isDirectory()) {
        throw new WriteError(
          p === abs
            ? `output path ${abs} is a file, not a directory`
            : `output path ${abs} cannot be created: ${p} is a file`,
        );
      }
      return abs;
    }
    const up = dirname(p);
    if (up === p) return abs;
    p = up;
  }
}
