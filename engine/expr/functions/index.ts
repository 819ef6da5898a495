// Registers every scalar function family (each module calls `defineFunction` at load).
// Import this module once before resolving or compiling expressions.
import "./arithmetic.js";
import "./comparison.js";
import "./logic.js";
import "./predicates.js";
import "./conditional.js";
import "./math.js";
import "./round.js";
import "./strings.js";
import "./datetime.js";
