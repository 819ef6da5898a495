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
export { type Period, type PeriodUnit, formatDuration, parseDuration, parsePeriod } from "./period.js";
export {
  type Window,
  type WindowClock,
  nextWindow,
  parseWindow,
  parseWindowTime,
  windowContaining,
  windowDirName,
  windowStartingAt,
  windowsBetween,
} from "./window.js";
export { type CatchUpSelection, isClosed, selectCatchUp, selectRange, selectWindow } from "./select.js";
export {
  type RunEvent,
  type RunSummary,
  type RunnerOptions,
  type WindowOutcome,
  runWindows,
} from "./runner.js";
export { type LockInfo, LockHeldError, RunLock, readLock, staleReason } from "./lock.js";
export { type RunLogEntry, readRunLog } from "./run-log.js";
export { type WindowManifest, readManifest } from "./manifest.js";
export { type WindowState, committedWindowIds, scanWindows } from "./state.js";
export { type LoadedJob, loadJobFile, packageEntryFrom } from "./load-job.js";
export { kindlingDir, lockPath, runLogPath } from "./layout.js";
