// Fault injection (`kindling.testing.chaos`), applied by a worker before it runs a task, so
// tests and users can exercise recovery. A setting is a list of rules separated by `,` or `;`:
//
//   taskError[:P]      fail the task with a ChaosError, with probability P (default 1)
//   workerExit[:P]     kill the worker process (SIGKILL, no cleanup), with probability P
//   delay:DURATION     sleep first (e.g. 200ms, 2s); `p=P` makes it probabilistic
//
// each optionally followed by `:key=value` options: `seed=N` (default 0), `attempts=N` (only
// attempts below N, so `taskError:1:attempts=2` fails the first two attempts of every task),
// `stage=N`, `partition=N`, `p=P`. Draws are a hash of (seed, rule, stage, partition, attempt),
// not a random stream: the same task attempt meets the same fate on every worker and run.
import { createHash } from "node:crypto";
import { ConfigError, KindlingError } from "../../engine/errors.js";
import type { TaskAttemptId } from "../../proto/gen/cluster.js";
import { parseDuration } from "./net.js";

/** The configuration key the driver and `kindling worker --chaos` read. */
export const CHAOS_KEY = "kindling.testing.chaos";

/** A failure injected on purpose (retryable, like any task failure). */
export class ChaosError extends KindlingError {
  override readonly kind = "ChaosError";
  override readonly name = "ChaosError";
}

type ChaosKind = "taskError" | "workerExit" | "delay";

/** One parsed rule. */
export interface ChaosRule {
  readonly kind: ChaosKind;
  readonly probability: number;
  readonly delayMs: number;
  readonly seed: number;
  readonly attempts: number | null;
  readonly stage: number | null;
  readonly partition: number | null;
}

/** What to do to one task attempt. */
export interface ChaosPlan {
  readonly delayMs: number;
  readonly exit: boolean;
  readonly fail: boolean;
}

const KINDS = new Set<ChaosKind>(["taskError", "workerExit", "delay"]);

/** Parses a chaos setting; "" gives no rules. A malformed one is a ConfigError naming the rule. */
export function parseChaos(text: string): ChaosRule[] {
  const rules: ChaosRule[] = [];
  for (const raw of text.split(/[,;]/)) {
    const spec = raw.trim();
    if (spec === "") continue;
    const [kind, ...parts] = spec.split(":").map((s) => s.trim());
    const bad = (why: string) => new ConfigError(`${CHAOS_KEY}: rule "${spec}": ${why}`);
    if (!KINDS.has(kind as ChaosKind))
      throw bad(`unknown kind "${kind}"; expected taskError, workerExit or delay`);
    let probability = 1;
    let delayMs = 0;
    let seed = 0;
    let attempts: number | null = null;
    let stage: number | null = null;
    let partition: number | null = null;
    parts.forEach((part, i) => {
      const eq = part.indexOf("=");
      if (eq < 0) {
        if (i !== 0) throw bad(`"${part}" should be key=value`);
        if (kind === "delay") delayMs = parseDuration(part, `${CHAOS_KEY} delay`);
        else probability = prob(part, bad);
        return;
      }
      const key = part.slice(0, eq);
      const value = part.slice(eq + 1);
      if (key === "p") probability = prob(value, bad);
      else if (key === "seed") seed = int(value, bad);
      else if (key === "attempts") attempts = int(value, bad);
      else if (key === "stage") stage = int(value, bad);
      else if (key === "partition") partition = int(value, bad);
      else throw bad(`unknown option "${key}"; expected seed, attempts, stage, partition or p`);
    });
    if (kind === "delay" && delayMs === 0 && !parts.length)
      throw bad("a delay needs a duration, e.g. delay:200ms");
    rules.push({ kind: kind as ChaosKind, probability, delayMs, seed, attempts, stage, partition });
  }
  return rules;
}

function prob(text: string, bad: (why: string) => Error): number {
  const p = Number(text);
  if (text === "" || !Number.isFinite(p) || p < 0 || p > 1)
    throw bad(`probability "${text}" must be between 0 and 1`);
  return p;
}

function int(text: string, bad: (why: string) => Error): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw bad(`"${text}" must be a non-negative integer`);
  return n;
}

/** A uniform draw in [0, 1) fixed by the rule and the attempt. */
function draw(rule: ChaosRule, index: number, id: TaskAttemptId): number {
  const h = createHash("sha256")
    .update(`${rule.seed}|${index}|${rule.kind}|${id.stageId}|${id.partition}|${id.attempt}`)
    .digest();
  return h.readUIntBE(0, 6) / 2 ** 48;
}

/** Decides what the rules do to one attempt. */
export function chaosFor(rules: readonly ChaosRule[], id: TaskAttemptId): ChaosPlan {
  let delayMs = 0;
  let exit = false;
  let fail = false;
  rules.forEach((r, i) => {
    if (r.attempts !== null && id.attempt >= r.attempts) return;
    if (r.stage !== null && id.stageId !== r.stage) return;
    if (r.partition !== null && id.partition !== r.partition) return;
    if (r.probability < 1 && draw(r, i, id) >= r.probability) return;
    if (r.kind === "delay") delayMs += r.delayMs;
    else if (r.kind === "workerExit") exit = true;
    else fail = true;
  });
  return { delayMs, exit, fail };
}
