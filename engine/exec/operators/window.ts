// WindowExec: placeholder until the window kernels land.
import type { Batch } from "../../columnar/column.js";
import type { PhysicalPlan, WindowExec } from "../../plan/physical.js";
import type { ExecContext } from "../context.js";

type Run = (p: PhysicalPlan, partition: number, ctx: ExecContext) => AsyncGenerator<Batch>;

export async function* executeWindow(_p: WindowExec, _partition: number, _ctx: ExecContext, _run: Run): AsyncGenerator<Batch> {
  throw new Error("window functions are not available yet");
}
