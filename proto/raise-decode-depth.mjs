// Post-processes ts-proto's output (run by `npm run proto`): raises the nesting limit its
// decoders enforce from 100 to 1000 messages. An expression costs two levels per node
// (Expr -> CallExpr -> Expr) and a plan two per operator, so the default 100 rejected a
// 50-term OR chain or a loop of 50 withColumn calls. Fails loudly if ts-proto changes the text.
import { readFileSync, writeFileSync } from "node:fs";

const FROM = "previousRecursionDepth >= 100)";
const TO = "previousRecursionDepth >= 1000)";
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  const count = text.split(FROM).length - 1;
  if (count === 0 && !text.includes(TO)) {
    console.error(`${file}: ts-proto's recursion limit check not found; update proto/raise-decode-depth.mjs`);
    process.exit(1);
  }
  writeFileSync(file, text.replaceAll(FROM, TO));
}
