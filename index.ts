// The package entry (`import { Session, col, lit, functions as F } from "kindling"`): the
// public API, with the local thread-pool executor wired into the engine.
import { localThreads } from "./engine/config.js";
import { registerExecutorFactory } from "./engine/exec/executor.js";
import "./engine/expr/functions/index.js";
import { createLocalExecutor } from "./worker/pool.js";
import "./worker/grpc/register.js";

registerExecutorFactory(
  (m) => localThreads(m) !== null,
  (m) => createLocalExecutor(m),
);

export {
  Column,
  type ColumnOrName,
  type ColumnOrValue,
  col,
  type LiteralInput,
  lit,
} from "./engine/api/column.js";
export { type CollectOptions, DataFrame, type ExplainMode } from "./engine/api/dataframe.js";
export { F as functions, F } from "./engine/api/functions.js";
export { GroupedData } from "./engine/api/grouped.js";
export { DataFrameReader } from "./engine/api/reader.js";
export { Window, WindowSpec } from "./engine/api/window.js";
export { DataFrameWriter, type SaveMode, type WriteSummary } from "./engine/api/writer.js";
export {
  defineJob,
  type Job,
  type JobContext,
  type JobOutput,
  type JobResult,
  type JobSpec,
  type Window as BatchWindow,
} from "./engine/batch/index.js";
export { CONFIG_ENTRIES } from "./engine/config.js";
export {
  AnalysisError,
  ConfigError,
  DataError,
  KindlingError,
  TaskError,
  WriteError,
} from "./engine/errors.js";
export type { JobListener } from "./engine/exec/events.js";
export { type RuntimeConf, Session, SessionBuilder } from "./engine/session.js";
export {
  type DataType,
  type Field,
  field,
  type Schema,
  schemaOf,
  T as types,
} from "./engine/types/data-type.js";
export { parseDDL } from "./engine/types/ddl.js";
