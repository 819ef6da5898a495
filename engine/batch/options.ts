// Command-line option parsing shared by `kindling run` and `kindling windows`: `--name value`,
// `--name=value`, flags, positionals, and the arguments after `--` (which go to the job).
import { ConfigError } from "../errors.js";

/** Splits `--name value` / `--name=value` options, positionals, and the arguments after `--`. */
export function parseOptions(
  argv: readonly string[],
  valueOptions: ReadonlySet<string>,
  flagOptions: ReadonlySet<string>,
): { values: Map<string, string[]>; flags: Set<string>; positionals: string[]; rest: string[] } {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("--")) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (flagOptions.has(name)) {
      if (eq >= 0) throw new ConfigError(`option --${name} takes no value`);
      flags.add(name);
    } else if (valueOptions.has(name)) {
      const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new ConfigError(`option --${name} needs a value`);
      values.set(name, [...(values.get(name) ?? []), v]);
    } else {
      throw new ConfigError(`unknown option ${a}`);
    }
  }
  return { values, flags, positionals, rest: argv.slice(i) as string[] };
}
