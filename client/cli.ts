#!/usr/bin/env node
// The `kindling` command line: demo, run and windows (batch jobs), master, worker, submit and
// status (cluster), version.
import { readFileSync } from "node:fs";
import { RUN_USAGE, runCommand } from "./commands/run.js";
import { WINDOWS_USAGE, windowsCommand } from "./commands/windows.js";
import { runDemo } from "./demo.js";

const USAGE = `Usage: kindling <command> [options]

Commands:
  demo [dir]     generate a small taxi-like data lake in [dir] (default ./demo-lake) and run
                 the example batch jobs (ingest, daily report) over its daily windows
  run            run a batch job for windows (kindling run --help)
  windows        show the committed, failed and missing windows of an output
  master         run a cluster master (kindling master --help)
  worker         run a cluster worker: kindling worker --master host:port --cores N --dir DIR
  submit         run a script on a cluster: kindling submit --master kindling://host:port job.ts -- args
  status         list a master's workers and applications: kindling status --master host:port
  version        print the version
  help           print this help
`;

/** The version in the package's own package.json (found walking up from this file: dist/ or sources). */
function packageVersion(): string {
  for (let dir = new URL(".", import.meta.url); ; dir = new URL("..", dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL("package.json", dir), "utf8")) as {
        name?: string;
        version: string;
      };
      if (pkg.name === "kindling") return pkg.version;
    } catch {
      // not here; keep walking up
    }
    if (dir.pathname === "/") return "unknown";
  }
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case "demo":
      await runDemo(rest[0]);
      return 0;
    case "run":
      if (rest.includes("--help")) {
        process.stdout.write(RUN_USAGE);
        return 0;
      }
      return runCommand(rest);
    case "windows":
      if (rest.includes("--help")) {
        process.stdout.write(WINDOWS_USAGE);
        return 0;
      }
      return windowsCommand(rest);
    case "master":
      return (await import("./commands/master.js")).runMaster(rest);
    case "worker":
      return (await import("./commands/worker.js")).runWorker(rest);
    case "submit":
      return (await import("./commands/submit.js")).runSubmit(rest);
    case "status":
      return (await import("./commands/status.js")).runStatus(rest);
    case "version":
    case "--version": {
      console.log(packageVersion());
      return 0;
    }
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`kindling: unknown command "${cmd}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const e = err as Error;
    process.stderr.write(`kindling: ${e.name ?? "Error"}: ${e.message}\n`);
    if (process.env.KINDLING_DEBUG) process.stderr.write(`${e.stack}\n`);
    process.exitCode = 1;
  },
);
