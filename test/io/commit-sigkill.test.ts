// A real SIGKILL of a child process in the middle of a commit, at a few chosen points, then
// recovery by this process: the output must be exactly the old or exactly the new one.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { recoverCommits } from "../../engine/io/commit.js";
import { listSourceFiles } from "../../engine/io/files.js";
import { OLD_OUTPUT, runSigkillJob } from "./fixtures/sigkill-scenario.js";
import { snapshot, tempDir, writeTree } from "./helpers.js";

const CHILD = fileURLToPath(new URL("./fixtures/commit-child.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Starts the child, waits until it stops at a step matching `pattern`, SIGKILLs it, waits for its exit. */
function killChildAt(out: string, pattern: string, beforeKill: () => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, out, pattern], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let stoppedAt = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      const m = /STOPPED (.*)\n/.exec(stdout);
      if (m && !stoppedAt) {
        stoppedAt = m[1]!;
        try {
          beforeKill();
        } catch (err) {
          child.kill("SIGKILL");
          reject(err);
          return;
        }
        child.kill("SIGKILL");
      }
    });
    child.stderr.on("data", (d: Buffer) => void (stderr += d.toString()));
    // Only after the exit is the child reaped, so its pid is really gone.
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL" && stoppedAt) resolve(stoppedAt);
      else
        reject(
          new Error(`child exited (${code ?? signal}) without stopping at /${pattern}/: ${stdout}${stderr}`),
        );
    });
  });
}

describe("commit killed by a real SIGKILL", () => {
  it("recovers to exactly the old or the new output", async () => {
    const ref = tempDir();
    const refOut = join(ref.dir, "out");
    writeTree(refOut, OLD_OUTPUT);
    const before = snapshot(refOut, { withTemporary: true });
    await runSigkillJob(refOut, "reference");
    const after = snapshot(refOut, { withTemporary: true });
    ref.cleanup();

    // [where to kill, the outcome, whether a journal is in place while the child is stopped]
    const cases: [pattern: string, expected: "old" | "new", journal: boolean][] = [
      ["write .*_commit\\.json\\.tmp$", "old", false], // staged, journal not yet in place
      ["rename .* -> .*/old/d=2021-03-14$", "new", true], // in the middle of moving the old output aside
      ["write .*/out/_SUCCESS$", "new", true], // everything moved, _SUCCESS not yet written
      ["unlink .*_commit\\.json$", "new", false], // cleaning up, journal just deleted
    ];
    for (const [pattern, expected, journal] of cases) {
      const t = tempDir();
      const out = join(t.dir, "out");
      try {
        writeTree(out, OLD_OUTPUT);
        const stoppedAt = await killChildAt(out, pattern, () => {
          // While the child is alive and committing, another process's recovery waits for it
          // (and gives up after waitMs); a live job without a journal is left alone.
          if (journal)
            expect(() => recoverCommits(out, { waitMs: 150 })).toThrow(/being committed by process/);
          else recoverCommits(out, { waitMs: 150 });
        });
        expect(stoppedAt).toMatch(new RegExp(pattern.replace("$", "")));
        // A reader recovers the journal it finds, then lists one whole output.
        const listed = listSourceFiles([out], "parquet").files.map((f) => f.path.slice(out.length + 1));
        recoverCommits(out);
        const snap = snapshot(out, { withTemporary: true });
        expect(snap, `killed at ${stoppedAt}`).toEqual(expected === "old" ? before : after);
        if (expected === "new")
          expect(listed).toEqual(Object.keys(after).filter((p) => p.endsWith(".parquet")));
      } finally {
        t.cleanup();
      }
    }
  });
});
