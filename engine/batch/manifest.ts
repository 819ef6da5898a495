// `_manifest.json` of a committed window: what the window's directory holds and which run
// made it. Written after the window's commit (atomically: a temporary name, then rename), so a
// window can be committed with no manifest yet if the run died in between; see docs/batch-windows.md.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import { MANIFEST } from "./layout.js";

/** One data file of a window, relative to the window directory. */
export interface ManifestFile {
  readonly path: string;
  readonly bytes: number;
}

/** The manifest of one output's window. */
export interface WindowManifest {
  readonly version: 1;
  readonly job: string;
  /** sha256 (hex) of the job file that ran, or null when the job was not loaded from a file. */
  readonly scriptSha256: string | null;
  readonly window: {
    readonly start: string;
    readonly end: string;
    readonly label: string;
    readonly period: string;
    readonly timeZone: string;
  };
  /** This output's name (`""` for a job with a single output). */
  readonly output: string;
  /** Every output the run of this window wrote (the window is complete when all are committed). */
  readonly outputs: readonly string[];
  readonly rows: number;
  readonly files: readonly ManifestFile[];
  /** Columns of the data files (the window's partition columns come from directory names). */
  readonly schema: readonly { readonly name: string; readonly type: string; readonly nullable: boolean }[];
  readonly partitionBy: readonly string[];
  readonly attempt: number;
  readonly runId: string;
  readonly startedAt: string;
  readonly committedAt: string;
  /** From the attempt's start to the commit. */
  readonly durationMs: number;
}

/** Writes `<dir>/_manifest.json` atomically and durably. */
export function writeManifest(dir: string, m: WindowManifest): void {
  const target = join(dir, MANIFEST);
  const tmp = `${target}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, `${JSON.stringify(m, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, target);
}

/** Reads a window's manifest; null when missing or unreadable. */
export function readManifest(dir: string): WindowManifest | null {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8")) as WindowManifest;
    return m.version === 1 && typeof m.window?.start === "string" ? m : null;
  } catch {
    return null;
  }
}
