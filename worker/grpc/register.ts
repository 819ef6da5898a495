// Wires the cluster executor into the engine for `kindling://host:port` and `host:port`
// masters. Imported for its effect by the package entry (index.ts), so engine/ never
// imports worker/.
import { registerExecutorFactory } from "../../engine/exec/executor.js";
import { ClusterExecutor } from "./cluster-executor.js";
import { formatHostPort, parseMasterUrl } from "./net.js";

registerExecutorFactory(
  (master) => parseMasterUrl(master) !== null,
  (master, config) => new ClusterExecutor(formatHostPort(parseMasterUrl(master)!), config),
);
