// Batch windows: jobs run per time window, each window's Parquet output committed atomically,
// with ranges, catch-up, retries, a run log and a run lock. The package entry re-exports the
// job-facing part (`defineJob` and its types); the CLI uses the rest.
export {
  defineJob,
  isJob,
  type Job,
  type JobContext,
  type JobOutput,
  type JobResult,
  type JobSpec,
} from "./job.js";
export { kindlingDir, lockPath, runLogPath } from "./layout.js";
export { type LoadedJob, loadJobFile, packageEntryFrom } from "./load-job.js";
export { LockHeldError, type LockInfo, RunLock, readLock, staleReason } from "./lock.js";
export { readManifest, type WindowManifest } from "./manifest.js";
export { formatDuration, type Period, type PeriodUnit, parseDuration, parsePeriod } from "./period.js";
export { type RunLogEntry, readRunLog } from "./run-log.js";
export {
  type RunEvent,
  type RunnerOptions,
  type RunSummary,
  runWindows,
  type WindowOutcome,
} from "./runner.js";
export { type CatchUpSelection, isClosed, selectCatchUp, selectRange, selectWindow } from "./select.js";
export { committedWindowIds, scanWindows, type WindowState } from "./state.js";
export {
  nextWindow,
  parseWindow,
  parseWindowTime,
  type Window,
  type WindowClock,
  windowContaining,
  windowDirName,
  windowStartingAt,
  windowsBetween,
} from "./window.js";
