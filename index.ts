// The package entry (`import { Session, col, lit, functions as F } from "kindling"`): the
// public API, with the local thread-pool executor wired into the engine.
import { localThreads } from "./engine/config.js";
import { registerExecutorFactory } from "./engine/exec/executor.js";
import "./engine/expr/functions/index.js";
import { createLocalExecutor } from "./worker/pool.js";
import "./worker/grpc/register.js";

registerExecutorFactory((m) => localThreads(m) !== null, (m) => createLocalExecutor(m));

export { Session, SessionBuilder, type RuntimeConf } from "./engine/session.js";
export { DataFrame, type CollectOptions, type ExplainMode } from "./engine/api/dataframe.js";
export { DataFrameReader } from "./engine/api/reader.js";
export { DataFrameWriter, type SaveMode, type WriteSummary } from "./engine/api/writer.js";
export { Column, col, lit, type ColumnOrName, type ColumnOrValue, type LiteralInput } from "./engine/api/column.js";
export { F as functions, F } from "./engine/api/functions.js";
export { GroupedData } from "./engine/api/grouped.js";
export { Window, WindowSpec } from "./engine/api/window.js";
export { T as types, type DataType, type Field, type Schema, field, schemaOf } from "./engine/types/data-type.js";
export { parseDDL } from "./engine/types/ddl.js";
export {
  defineJob,
  type Job,
  type JobSpec,
  type JobContext,
  type JobOutput,
  type JobResult,
  type Window as BatchWindow,
} from "./engine/batch/index.js";
export { CONFIG_ENTRIES } from "./engine/config.js";
export { AnalysisError, ConfigError, DataError, KindlingError, TaskError, WriteError } from "./engine/errors.js";
