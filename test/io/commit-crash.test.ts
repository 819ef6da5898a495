// Kills (simulated) and fails (injected errors) a write job at every filesystem step of its
// life, then recovers, and checks the output is exactly the old one or exactly the new one.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type FileCommitter,
  recoverCommits,
  SimulatedCrash,
  type WriteMode,
} from "../../engine/io/commit.js";
import { listSourceFiles } from "../../engine/io/files.js";
import { type AttemptSpec, committer, writeAttempt } from "./commit-helpers.js";
import { snapshot, tempDir, writeTree } from "./helpers.js";

interface Scenario {
  readonly name: string;
  readonly mode: WriteMode;
  readonly dynamic?: boolean;
  readonly old: Record<string, string> | null;
  readonly attempts: readonly AttemptSpec[];
}

const OLD = {
  "a=1/part-00000-old.parquet": "old-a1",
  "a=2/part-00000-old.parquet": "old-a2",
  "a=2/part-00001-old.parquet": "old-a2b",
  "a=3/part-00000-old.parquet": "old-a3",
  _SUCCESS: "",
  "_kindling/lock": "keep",
};

const ATTEMPTS: AttemptSpec[] = [
  { p: 0, files: { "a=2/part-00000-new.parquet": "new-a2", "a=4/part-00000-new.parquet": "new-a4" } },
  { p: 1, a: 0, files: { "a=2/part-00001-lost.parquet": "lost" }, uncommitted: true },
  { p: 1, a: 1, files: { "a=1/part-00001-new.parquet": "new-a1" } },
  { p: 2, files: {} },
];

const SCENARIOS: Scenario[] = [
  { name: "static overwrite", mode: "overwrite", old: OLD, attempts: ATTEMPTS },
  { name: "dynamic overwrite", mode: "overwrite", dynamic: true, old: OLD, attempts: ATTEMPTS },
  { name: "append", mode: "append", old: OLD, attempts: ATTEMPTS },
  { name: "error mode, new path", mode: "error", old: null, attempts: ATTEMPTS },
  {
    name: "static overwrite, unpartitioned",
    mode: "overwrite",
    old: { "part-00000-old.parquet": "o", _SUCCESS: "" },
    attempts: [{ p: 0, files: { "part-00000-new.parquet": "n" } }],
  },
];

/** Runs the whole job; `hook` sees every step. Returns the error, if any, and the committer. */
async function run(out: string, sc: Scenario, hook?: (step: number) => void) {
  const c: FileCommitter = committer(out, sc.mode, {
    partitionOverwriteMode: sc.dynamic ? "dynamic" : "static",
    onStep: hook,
    durable: false,
  });
  try {
    c.setupJob();
    for (const t of sc.attempts) {
      const files = writeAttempt(c, t);
      if (!t.uncommitted) c.commitTask(t.p, t.a ?? 0, files);
    }
    await c.commitJob();
    return { error: null, c };
  } catch (error) {
    return { error, c };
  }
}

function fixture(sc: Scenario) {
  const t = tempDir();
  const out = join(t.dir, "out");
  if (sc.old) writeTree(out, sc.old);
  return { ...t, out };
}

/** The old and new snapshots and the number of steps of an undisturbed run. */
async function reference(sc: Scenario) {
  const f = fixture(sc);
  try {
    const before = snapshot(f.out, { withTemporary: true });
    const { error, c } = await run(f.out, sc);
    expect(error).toBeNull();
    return { before, after: snapshot(f.out, { withTemporary: true }), steps: c.steps };
  } finally {
    f.cleanup();
  }
}

/** The files a reader should list in a snapshot: not directories, nothing hidden. */
const dataFiles = (s: Record<string, string>) =>
  Object.keys(s).filter(
    (p) => !p.endsWith("/") && !p.split("/").some((x) => x.startsWith("_") || x.startsWith(".")),
  );

const crashAt = (k: number) => (step: number) => {
  if (step === k) throw new SimulatedCrash(`killed at step ${k}`);
};

describe.each(SCENARIOS)("$name", (sc) => {
  it("a kill at any step, then recovery, leaves exactly the old or the new output", async () => {
    const ref = await reference(sc);
    expect(ref.before).not.toEqual(ref.after);
    expect(ref.steps).toBeGreaterThan(10);
    let sawNew = false;
    for (let k = 1; k <= ref.steps; k++) {
      const f = fixture(sc);
      try {
        const { error } = await run(f.out, sc, crashAt(k));
        expect(error, `step ${k}`).toBeInstanceOf(SimulatedCrash);
        if (k % 2 === 0) {
          // A reader arriving first must see one whole output (it recovers a journal it finds).
          const listed = listSourceFiles([f.out], "parquet").files.map((x) => x.path.slice(f.out.length + 1));
          expect(
            [dataFiles(ref.before), dataFiles(ref.after)],
            `reader after a kill at step ${k}`,
          ).toContainEqual(listed);
        }
        recoverCommits(f.out, { durable: false });
        const snap = snapshot(f.out, { withTemporary: true });
        const isOld = JSON.stringify(snap) === JSON.stringify(ref.before);
        const isNew = JSON.stringify(snap) === JSON.stringify(ref.after);
        if (!isOld && !isNew) expect(snap, `after a kill at step ${k}`).toEqual(ref.after);
        if (sawNew) expect(isNew, `step ${k}: once new, always new`).toBe(true);
        sawNew ||= isNew;
      } finally {
        f.cleanup();
      }
    }
    expect(sawNew).toBe(true);
  });

  it("an error at any step leaves the old output (the job fails) or the new one (it succeeds)", async () => {
    const ref = await reference(sc);
    for (let k = 1; k <= ref.steps; k++) {
      const f = fixture(sc);
      try {
        const { error, c } = await run(f.out, sc, (step) => {
          if (step === k) throw new Error(`injected failure at step ${k}`);
        });
        c.abortJob();
        recoverCommits(f.out);
        const snap = snapshot(f.out, { withTemporary: true });
        expect(snap, `error at step ${k} (${error === null ? "succeeded" : "failed"})`).toEqual(
          error === null ? ref.after : ref.before,
        );
      } finally {
        f.cleanup();
      }
    }
  });
});

describe("recovery killed at any step", () => {
  it("finishes when run again, whatever step the commit and then the recovery were killed at", async () => {
    const sc: Scenario = {
      name: "small dynamic overwrite",
      mode: "overwrite",
      dynamic: true,
      old: { "a=1/p-old": "o1", "a=2/p-old": "o2", _SUCCESS: "" },
      attempts: [{ p: 0, files: { "a=2/p-new": "n2", "a=3/p-new": "n3" } }],
    };
    const ref = await reference(sc);
    let nested = 0;
    for (let k = 1; k <= ref.steps; k++) {
      // How many steps does a recovery from this point take?
      const probe = fixture(sc);
      let recoverySteps = 0;
      try {
        await run(probe.out, sc, crashAt(k));
        recoverCommits(probe.out, { onStep: (s) => void (recoverySteps = s), durable: false });
      } finally {
        probe.cleanup();
      }
      for (let j = 1; j <= recoverySteps; j++) {
        const f = fixture(sc);
        try {
          await run(f.out, sc, crashAt(k));
          expect(() => recoverCommits(f.out, { onStep: crashAt(j), durable: false })).toThrow(SimulatedCrash);
          recoverCommits(f.out, { durable: false });
          const snap = snapshot(f.out, { withTemporary: true });
          const ok =
            JSON.stringify(snap) === JSON.stringify(ref.before) ||
            JSON.stringify(snap) === JSON.stringify(ref.after);
          if (!ok) expect(snap, `commit killed at ${k}, recovery killed at ${j}`).toEqual(ref.after);
          nested++;
        } finally {
          f.cleanup();
        }
      }
    }
    expect(nested).toBeGreaterThan(50);
  });
});

describe("readers finish an interrupted commit first", () => {
  it("whether they read the output, a partition of it, or a glob inside it", async () => {
    const sc = SCENARIOS[1]!; // dynamic overwrite: a=2 is replaced
    for (const read of ["out", "out/a=2", "out/{a=2,a=9}", "out/a=*/*.parquet"]) {
      const g = fixture(sc);
      try {
        // Kill the commit right after the old a=2 was moved aside: a=2 is missing from the output.
        let killed = false;
        const c = committer(g.out, sc.mode, {
          partitionOverwriteMode: "dynamic",
          durable: false,
          onStep: (_s, label) => {
            if (!killed && /rename .*\/out\/a=2 -> .*\/old\/a=2$/.test(label)) {
              killed = true;
              throw new SimulatedCrash("killed");
            }
          },
        });
        c.setupJob();
        for (const t of sc.attempts) if (!t.uncommitted) c.commitTask(t.p, t.a ?? 0, writeAttempt(c, t));
        await expect(c.commitJob()).rejects.toThrow(SimulatedCrash);
        const files = listSourceFiles([join(g.dir, read)], "parquet").files.map((x) =>
          x.path.slice(g.out.length + 1),
        );
        expect(
          files.filter((p) => p.startsWith("a=2/")),
          read,
        ).toEqual(["a=2/part-00000-new.parquet"]);
      } finally {
        g.cleanup();
      }
    }
  });
});
